"""Each person's learning record across events, yearly JP per ASN of a unit, the participant's
own page, and the meal and room numbers per session."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from ..attendance.queries import sessions_attended, sessions_attended_by
from ..attendance.rules import meets_rule, requirement_groups
from ..checkin.models import CheckIn
from ..common.pagination import CountedPage
from ..common.types import utcnow
from ..common.wib import from_wib, to_wib
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
from .jp import (
    YEARLY_MINIMUM_JP,
    credited_jp,
    credits_jp_clause,
    settings_for,
    settings_for_events,
)
from .models import Attempt, Exam, ExamKind, Survey, TrainingSettings

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


class _Facts:
    """What the rows of many registrations need, loaded in a fixed number of queries.

    ``registrations`` are the REGISTERED registrations matching ``conditions`` (events not
    cancelled, sessions and organizer loaded), then the check-ins, training settings,
    certificates and exam scores of all of them at once: no query per event.
    """

    def __init__(self, *conditions: Any) -> None:
        where = (
            Registration.status == RegistrationStatus.REGISTERED,
            Event.status != EventStatus.CANCELLED,
            *conditions,
        )
        self.registrations: list[Registration] = list(
            db.session.scalars(
                select(Registration)
                .join(Event, Event.id == Registration.event_id)
                .options(
                    joinedload(Registration.event).selectinload(Event.sessions),
                    joinedload(Registration.event).joinedload(Event.organizer_unit),
                    joinedload(Registration.person),
                    joinedload(Registration.unit),
                )
                .where(*where)
                .order_by(Event.starts_at, Registration.id)
            ).unique()
        )
        ids = select(Registration.id).join(Event, Event.id == Registration.event_id).where(*where)
        self.attended: dict[int, set[int]] = {}
        self.settings: dict[int, TrainingSettings] = {}
        self.certificates: dict[int, str] = {}
        self.scores: dict[int, dict[ExamKind, Decimal]] = defaultdict(dict)
        if not self.registrations:
            return
        self.attended = sessions_attended_by(ids)
        events = {r.event_id: r.event for r in self.registrations}
        self.settings = settings_for_events(list(events.values()))
        self.certificates = dict(
            db.session.execute(
                select(Certificate.registration_id, Certificate.number).where(
                    Certificate.registration_id.in_(ids), Certificate.revoked_at.is_(None)
                )
            ).all()
        )
        for registration_id, kind, score in db.session.execute(
            select(Attempt.registration_id, Exam.kind, Attempt.score)
            .join(Exam, Exam.id == Attempt.exam_id)
            .where(Attempt.registration_id.in_(ids), Attempt.score.is_not(None))
        ):
            self.scores[registration_id][kind] = Decimal(score or 0)

    def row(self, reg: Registration) -> RecordRow:
        event = reg.event
        attended = meets_rule(event, self.attended.get(reg.id, set()))
        settings = self.settings[event.id]
        score = self.scores.get(reg.id, {}) if settings.tests_enabled else {}
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
            certificate_number=self.certificates.get(reg.id),
        )


def _in_year(year: int) -> tuple[Any, Any]:
    """Events that start in ``year`` (WIB), as conditions on ``Event.starts_at``."""
    return (
        Event.starts_at >= from_wib(date(year, 1, 1), time(0)),
        Event.starts_at < from_wib(date(year + 1, 1, 1), time(0)),
    )


def learning_record(person: Person) -> LearningRecord:
    facts = _Facts(Registration.person_id == person.id)
    rows = [facts.row(r) for r in facts.registrations]
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        per_year[row.year] += row.jp
    return LearningRecord(person, rows, dict(sorted(per_year.items())))


# --- per year: the unit report and the BKPSDM export ------------------------------------------


@dataclass
class _Credit:
    registration_id: int
    person_id: int
    nip: str | None
    name: str
    event: Event
    jp: Decimal


def _credited_events(year: int) -> tuple[dict[int, Event], dict[int, Decimal]]:
    """The events of ``year`` that credit JP (with their sessions), and the JP each credits.
    Three queries: the events, their sessions, their settings. Events whose settings credit no
    JP are not loaded at all (a district year holds a hundred sosialisasi and rakor)."""
    events = list(
        db.session.scalars(
            select(Event)
            .where(Event.status != EventStatus.CANCELLED, *_in_year(year), credits_jp_clause())
            .options(selectinload(Event.sessions), joinedload(Event.organizer_unit))
            .order_by(Event.starts_at, Event.id)
        ).unique()
    )
    settings = settings_for_events(events)
    jp = {e.id: credited_jp(e, settings[e.id]) for e in events}
    return {e.id: e for e in events if jp[e.id] > 0}, jp


def _credits(year: int, *people: Any) -> list[_Credit]:
    """Every JP credited in ``year`` to the people that match the conditions ``people``.

    A district year holds a hundred events and tens of thousands of registrations: the events
    that credit JP come first (with their sessions and settings), then the registrations of
    those events only, as plain rows with the person's name, and their check-ins.
    Five queries whatever the number of events, people and registrations (none credited
    included: the same statements, over empty lists).
    """
    credited, jp = _credited_events(year)
    where = (
        Registration.event_id.in_(list(credited)),
        Registration.status == RegistrationStatus.REGISTERED,
        *people,
    )
    rows = db.session.execute(
        select(
            Registration.id, Registration.person_id, Registration.event_id, Person.nip, Person.name
        )
        .join(Person, Person.id == Registration.person_id)
        .where(*where)
        .order_by(Registration.id)
    ).all()
    # The check-ins of these registrations only (a unit's, not the whole events').
    attended = sessions_attended_by(
        select(Registration.id).join(Person, Person.id == Registration.person_id).where(*where)
    )
    out = []
    for registration_id, person_id, event_id, nip, name in rows:
        event = credited[event_id]
        if meets_rule(event, attended.get(registration_id, set())):
            out.append(_Credit(registration_id, person_id, nip, name, event, jp[event_id]))
    return out


@dataclass
class UnitPersonJP:
    person: Person
    jp: Decimal
    events: int

    @property
    def below_minimum(self) -> bool:
        return self.jp < YEARLY_MINIMUM_JP


def _unit_asn(unit: Unit) -> tuple[Any, ...]:
    return (
        Person.unit_id == unit.id,
        Person.kind.in_(ASN_KINDS),
        Person.anonymized_at.is_(None),
    )


class UnitJPPage(CountedPage[UnitPersonJP]):
    """A page of a unit's ASN with their JP, fewest first; ``below`` counts the whole unit's
    ASN under the yearly minimum."""

    def __init__(
        self, items: list[UnitPersonJP], total: int, below: int, page: int, per_page: int
    ) -> None:
        super().__init__(items, total, page, per_page)
        self.below = below


def _unindexed(column: Any) -> Any:
    """The column as an expression no index serves (``coalesce(c, c)`` is ``c``)."""
    return func.coalesce(column, column)


def _met_rule_subquery(year: int, *people: Any) -> Any:
    """person id -> JP (in hundredths) and events, for the registrations of ``people`` that met
    their event's attendance rule in a JP-crediting event of ``year``, counted in SQL.

    The rule comes from ``attendance.rules.requirement_groups`` as rows of ``(session, group)``
    (a scan in every group of the event meets it): a registration is credited when its
    check-ins hit as many distinct groups as its event has."""
    credited, jp = _credited_events(year)
    group_of: dict[int, int] = {}  # session id -> group number (unique over the events)
    groups_needed: dict[int, int] = {}  # event id -> its number of groups
    hundredths: dict[int, int] = {}  # event id -> JP x 100
    number = 0
    for event in credited.values():
        groups = requirement_groups(event)
        for sessions in groups:
            number += 1
            group_of.update(dict.fromkeys(sessions, number))
        groups_needed[event.id] = len(groups)
        hundredths[event.id] = int((jp[event.id] * 100).to_integral_value())
    # Plain CASE over the few hundred sessions of a year (VALUES is not portable); a mapping
    # that matches nothing keeps the statements the same when no event credits JP.
    group = case(group_of or {0: 0}, value=CheckIn.session_id)
    needed = case(groups_needed or {0: 0}, value=Registration.event_id, else_=-1)
    credit = case(hundredths or {0: 0}, value=Registration.event_id, else_=0)
    met = (
        select(Registration.person_id.label("person_id"), func.max(credit).label("hundredths"))
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(
            # From the people to their registrations (a unit's, not the year's events').
            Registration.person_id.in_(select(Person.id).where(*people)),
            # The three below are wrapped so that no index serves them: the plan is the
            # people's entries of ix_registrations_person_id_status_event_id (covering), then
            # each registration's check-ins. Unwrapped, SQLite walks the status index over the
            # whole district, or seeks every (person, event) and (registration, session) pair
            # of the lists: tens of thousands of seeks for a thousand rows.
            _unindexed(Registration.event_id).in_(list(credited)),
            _unindexed(Registration.status) == RegistrationStatus.REGISTERED,
            _unindexed(CheckIn.session_id).in_(list(group_of)),
        )
        .group_by(Registration.id, Registration.person_id)
        .having(func.count(distinct(group)) == func.max(needed))
        .subquery()
    )
    return (
        select(
            met.c.person_id,
            func.sum(met.c.hundredths).label("hundredths"),
            func.count().label("events"),
        )
        .group_by(met.c.person_id)
        .subquery()
    )


def unit_jp(unit: Unit, year: int, *, page: int = 1, per_page: int = 50) -> UnitJPPage:
    """The unit's ASN (PNS, PPPK) with the JP they collected in ``year``, fewest first, one page
    of them; the number below the yearly minimum counts them all.

    The totals are summed in SQL: a district unit has a thousand ASN and more. A fixed number
    of queries whatever the number of people and events."""
    totals = _met_rule_subquery(year, *_unit_asn(unit))
    hundredths = func.coalesce(totals.c.hundredths, 0)
    below_minimum = case((hundredths < int(YEARLY_MINIMUM_JP * 100), 1))

    def page_rows(number: int) -> list[Any]:
        # One pass over the sums: the page's rows carry the unit's counts (window functions).
        return list(
            db.session.execute(
                select(
                    Person,
                    hundredths,
                    func.coalesce(totals.c.events, 0),
                    func.count().over(),
                    func.count(below_minimum).over(),
                )
                .outerjoin(totals, totals.c.person_id == Person.id)
                .where(*_unit_asn(unit))
                .options(load_only(Person.id, Person.name, Person.nip, Person.unit_id))
                .order_by(hundredths, Person.name_key, Person.id)
                .limit(per_page)
                .offset((number - 1) * per_page)
            ).all()
        )

    page = max(page, 1)
    rows = page_rows(page)
    if not rows and page > 1:  # past the last page: the first one
        page, rows = 1, page_rows(1)
    total, below = (rows[0][3], rows[0][4]) if rows else (0, 0)
    items = [UnitPersonJP(p, Decimal(h) / 100, n) for p, h, n, *_counts in rows]
    return UnitJPPage(items, total, below, page, per_page)


def jp_export_rows(*, year: int, unit_id: int | None = None) -> list[list[object]]:
    """One row per person and event with credited JP in ``year`` (for the BKPSDM).

    A fixed number of queries whatever the number of people, events and rows.
    """
    people: list[Any] = [Person.anonymized_at.is_(None)]
    if unit_id is not None:
        people.append(Person.unit_id == unit_id)
    credits = _credits(year, *people)
    certs = dict(
        db.session.execute(
            select(Certificate.registration_id, Certificate.number).where(
                Certificate.event_id.in_({c.event.id for c in credits}),
                Certificate.revoked_at.is_(None),
            )
        ).all()
    )
    # What every row of one event repeats, made once per event (a translated label costs).
    columns = {
        e.id: [
            e.title,
            e.kind.label,
            to_wib(e.starts_at).date(),
            to_wib(e.ends_at).date(),
        ]
        for e in {c.event for c in credits}
    }
    rows: list[list[object]] = []
    for credit in credits:
        event = credit.event
        rows.append(
            [
                credit.nip or "",
                credit.name,
                *columns[event.id],
                float(credit.jp),
                certs.get(credit.registration_id) or "",
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
