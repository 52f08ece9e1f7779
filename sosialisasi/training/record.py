"""Each person's learning record across events, yearly JP per ASN of a unit, the participant's
own page, and the meal and room numbers per session."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..attendance.queries import eligible_registration_ids, sessions_attended
from ..common.types import utcnow
from ..common.wib import to_wib
from ..documents.models import Certificate
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registration.models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationStatus,
)
from ..units.models import Unit
from . import exams, surveys
from .jp import YEARLY_MINIMUM_JP, credited_jp, settings_for
from .models import Exam, ExamKind, Survey

ASN_KINDS = (EmployeeKind.PNS, EmployeeKind.PPPK)
DONE = (EventStatus.RUNNING, EventStatus.FINISHED, EventStatus.REPORTED)


@dataclass
class RecordRow:
    registration: Registration
    event: Event
    role: str
    starts_on: date
    ends_on: date
    attended: bool
    jp: Decimal
    pre: Decimal | None
    post: Decimal | None
    certificate_number: str | None

    @property
    def year(self) -> int:
        return self.starts_on.year


@dataclass
class LearningRecord:
    person: Person
    rows: list[RecordRow]
    jp_per_year: dict[int, Decimal] = field(default_factory=dict)


def _eligible(event: Event, cache: dict) -> set[int]:
    key = ("eligible", event.id)
    if key not in cache:
        cache[key] = eligible_registration_ids(event)
    return cache[key]


def _scores(event: Event, cache: dict) -> dict:
    key = ("scores", event.id)
    if key not in cache:
        cache[key] = exams.scores(event)
    return cache[key]


def _row(reg: Registration, cache: dict, certs: dict[int, str]) -> RecordRow:
    event = reg.event
    attended = reg.id in _eligible(event, cache)
    settings = settings_for(event)
    score = _scores(event, cache).get(reg.id, {}) if settings.tests_enabled else {}
    return RecordRow(
        registration=reg,
        event=event,
        role=reg.role.label,
        starts_on=to_wib(event.starts_at).date(),
        ends_on=to_wib(event.ends_at).date(),
        attended=attended,
        jp=credited_jp(event, settings) if attended else Decimal(0),
        pre=score.get(ExamKind.PRE),
        post=score.get(ExamKind.POST),
        certificate_number=certs.get(reg.id),
    )


def _certificates(registration_ids: list[int]) -> dict[int, str]:
    if not registration_ids:
        return {}
    return dict(
        db.session.execute(
            select(Certificate.registration_id, Certificate.number).where(
                Certificate.registration_id.in_(registration_ids),
                Certificate.revoked_at.is_(None),
            )
        ).all()
    )


def _registrations(person_ids: list[int], year: int | None = None) -> list[Registration]:
    stmt = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .options(joinedload(Registration.event).selectinload(Event.sessions))
        .options(joinedload(Registration.person), joinedload(Registration.unit))
        .where(
            Registration.person_id.in_(person_ids),
            Registration.status == RegistrationStatus.REGISTERED,
            Event.status != EventStatus.CANCELLED,
        )
        .order_by(Event.starts_at)
    )
    regs = list(db.session.scalars(stmt).unique())
    if year is not None:
        regs = [r for r in regs if to_wib(r.event.starts_at).year == year]
    return regs


def learning_record(person: Person, *, cache: dict | None = None) -> LearningRecord:
    cache = {} if cache is None else cache
    regs = _registrations([person.id])
    certs = _certificates([r.id for r in regs])
    rows = [_row(r, cache, certs) for r in regs]
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        per_year[row.year] += row.jp
    return LearningRecord(person, rows, dict(sorted(per_year.items())))


# --- per unit ---------------------------------------------------------------------------------


@dataclass
class UnitPersonJP:
    person: Person
    jp: Decimal
    events: int

    @property
    def below_minimum(self) -> bool:
        return self.jp < YEARLY_MINIMUM_JP


def unit_jp(unit: Unit, year: int) -> list[UnitPersonJP]:
    """Every ASN (PNS, PPPK) of the unit with the JP they collected in ``year``, fewest first."""
    people = list(
        db.session.scalars(
            select(Person)
            .where(
                Person.unit_id == unit.id,
                Person.kind.in_(ASN_KINDS),
                Person.anonymized_at.is_(None),
            )
            .order_by(Person.name)
        )
    )
    regs = _registrations([p.id for p in people], year) if people else []
    certs = _certificates([r.id for r in regs])
    cache: dict = {}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    counts: dict[int, int] = defaultdict(int)
    for reg in regs:
        row = _row(reg, cache, certs)
        if row.jp > 0:
            totals[reg.person_id] += row.jp
            counts[reg.person_id] += 1
    out = [UnitPersonJP(p, totals.get(p.id, Decimal(0)), counts.get(p.id, 0)) for p in people]
    out.sort(key=lambda r: (r.jp, r.person.name.lower()))
    return out


def jp_export_rows(*, year: int, unit_id: int | None = None) -> list[list[object]]:
    """One row per person and event with credited JP in ``year`` (for the BKPSDM)."""
    stmt = select(Person.id).where(Person.anonymized_at.is_(None))
    if unit_id is not None:
        stmt = stmt.where(Person.unit_id == unit_id)
    person_ids = list(db.session.scalars(stmt))
    regs = _registrations(person_ids, year) if person_ids else []
    certs = _certificates([r.id for r in regs])
    cache: dict = {}
    rows = []
    for reg in regs:
        row = _row(reg, cache, certs)
        if row.jp <= 0:
            continue
        event = reg.event
        rows.append(
            [
                reg.person.nip or "",
                reg.person.name,
                event.title,
                event.kind.label,
                row.starts_on,
                row.ends_on,
                float(row.jp),
                row.certificate_number or "",
                event.organizer_unit.name if event.organizer_unit else "",
            ]
        )
    rows.sort(key=lambda r: (str(r[1]).lower(), r[4]))
    return rows


# --- the participant's own page ---------------------------------------------------------------


@dataclass
class OwedItem:
    registration: Registration
    kind: str  # "exam" or "survey"
    label: str
    exam: Exam | None = None
    survey: Survey | None = None


def owed(registration: Registration, now: datetime | None = None) -> list[OwedItem]:
    """Open tests and surveys this ticket has not done yet."""
    now = now or utcnow()
    event = registration.event
    if registration.status is not RegistrationStatus.REGISTERED:
        return []
    settings = settings_for(event)
    items = []
    if settings.tests_enabled:
        for kind in (ExamKind.PRE, ExamKind.POST):
            exam = exams.exam_of(event, kind)
            if exam is None or not exam.is_open(now):
                continue
            attempt = exams.attempt_of(exam, registration)
            if attempt is None or (attempt.submitted_at is None and attempt.score is None):
                items.append(OwedItem(registration, "exam", kind.label, exam=exam))
    if settings.surveys_enabled:
        for survey in surveys.surveys_of(event):
            if survey.is_open(now) and not surveys.has_answered(survey, registration):
                items.append(OwedItem(registration, "survey", survey.title, survey=survey))
    return items


@dataclass
class OwnPage:
    record: LearningRecord
    owed: list[OwedItem]
    jp_this_year: Decimal
    ticket_codes: dict[int, str]  # registration id -> ticket code (their own tickets only)


def own_page(registration: Registration, now: datetime | None = None) -> OwnPage:
    now = now or utcnow()
    record = learning_record(registration.person)
    todo = []
    for row in record.rows:
        todo.extend(owed(row.registration, now))
    year = to_wib(now).year
    return OwnPage(
        record,
        todo,
        record.jp_per_year.get(year, Decimal(0)),
        {row.registration.id: row.registration.ticket_code for row in record.rows},
    )


# --- konsumsi and room numbers ----------------------------------------------------------------


@dataclass
class SessionCount:
    title: str
    starts_at: datetime
    expected: dict[str, int]
    actual: dict[str, int]

    @property
    def expected_total(self) -> int:
        return sum(self.expected.values())

    @property
    def actual_total(self) -> int:
        return sum(self.actual.values())


def headcounts(event: Event) -> list[SessionCount]:
    """Per session: registered by role (expected) and checked in by role (actual)."""
    regs = db.session.execute(
        select(Registration.id, Registration.role).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    ).all()
    role_of = dict(regs)
    expected = {r.label: 0 for r in RegistrationRole}
    for role in role_of.values():
        expected[role.label] += 1
    attended = sessions_attended(event)
    out = []
    for s in event.sessions:
        actual = {r.label: 0 for r in RegistrationRole}
        for rid, session_ids in attended.items():
            if s.id in session_ids and rid in role_of:
                actual[role_of[rid].label] += 1
        out.append(SessionCount(s.title, s.starts_at, dict(expected), actual))
    return out
