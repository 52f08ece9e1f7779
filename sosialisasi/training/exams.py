"""Pre-test and post-test: opening and closing, one attempt per participant with its own
shuffled order, answers saved one by one, scores, and the results per participant and unit."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..common.errors import DomainError
from ..common.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from . import bank
from .jp import settings_for
from .models import Answer, Attempt, Exam, ExamKind, Question, QuestionKind, QuestionOption

TWO = Decimal("0.01")


def exam_of(event: Event, kind: ExamKind) -> Exam | None:
    return db.session.scalar(select(Exam).where(Exam.event_id == event.id, Exam.kind == kind))


def _exam(event: Event, kind: ExamKind) -> Exam:
    exam = exam_of(event, kind)
    if exam is None:
        exam = Exam(event_id=event.id, kind=kind)
        db.session.add(exam)
    return exam


def _check_reopen(exam: Exam, now: datetime) -> None:
    if exam.is_closed(now):
        raise DomainError(
            _("%(test)s sudah ditutup dan tidak dapat dibuka lagi.", test=exam.kind.label)
        )


def open_exam(event: Event, kind: ExamKind, *, now: datetime | None = None) -> Exam:
    now = now or utcnow()
    if not bank.questions(event):
        raise DomainError(_("Bank soal masih kosong: tambahkan soal sebelum membuka tes."))
    exam = _exam(event, kind)
    _check_reopen(exam, now)
    if exam.opens_at is None or exam.opens_at > now:
        exam.opens_at = now
    db.session.flush()
    return exam


def schedule_exam(
    event: Event,
    kind: ExamKind,
    *,
    opens_at: datetime,
    closes_at: datetime | None,
    now: datetime | None = None,
) -> Exam:
    now = now or utcnow()
    if closes_at is not None and closes_at <= opens_at:
        raise DomainError(_("Waktu tutup harus sesudah waktu buka."), field="closes_at")
    if not bank.questions(event):
        raise DomainError(_("Bank soal masih kosong: tambahkan soal sebelum membuka tes."))
    exam = _exam(event, kind)
    _check_reopen(exam, now)
    exam.opens_at, exam.closes_at = opens_at, closes_at
    db.session.flush()
    return exam


def close_exam(event: Event, kind: ExamKind, *, now: datetime | None = None) -> Exam:
    """Close now; attempts not sent yet are scored from the answers they saved."""
    now = now or utcnow()
    exam = exam_of(event, kind)
    if exam is None or exam.opens_at is None:
        raise DomainError(_("%(test)s belum dibuka.", test=kind.label))
    if exam.is_closed(now):
        raise DomainError(_("%(test)s sudah ditutup.", test=kind.label))
    exam.closes_at = now
    for attempt in db.session.scalars(
        select(Attempt).where(Attempt.exam_id == exam.id, Attempt.submitted_at.is_(None))
    ):
        attempt.score = score_of(attempt)
    db.session.flush()
    return exam


# --- taking a test ----------------------------------------------------------------------------


def _check_can_take(exam: Exam, registration: Registration, now: datetime) -> None:
    if registration.event_id != exam.event_id:
        raise DomainError(_("Tiket ini bukan untuk acara tes ini."))
    if registration.status is not RegistrationStatus.REGISTERED:
        raise DomainError(_("Hanya peserta terdaftar yang dapat mengerjakan tes."))
    if exam.is_closed(now):
        raise DomainError(
            _("%(test)s sudah ditutup; jawaban tidak lagi diterima.", test=exam.kind.label)
        )
    if not exam.is_open(now):
        raise DomainError(_("%(test)s belum dibuka.", test=exam.kind.label))


def attempt_of(exam: Exam, registration: Registration) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.exam_id == exam.id, Attempt.registration_id == registration.id
        )
    )


def start_attempt(
    exam: Exam, registration: Registration, *, now: datetime | None = None
) -> Attempt:
    """The participant's attempt (resumed when they come back before sending it)."""
    now = now or utcnow()
    existing = attempt_of(exam, registration)
    if existing is not None:
        if existing.submitted_at is not None or existing.score is not None:
            raise DomainError(_("Anda sudah mengerjakan tes ini. Setiap peserta hanya satu kali."))
        _check_can_take(exam, registration, now)
        return existing
    _check_can_take(exam, registration, now)
    shuffle = random.Random(secrets.randbits(64))
    layout = []
    for question in bank.questions(registration.event):
        options = [o.id for o in question.options]
        if question.kind is QuestionKind.CHOICE:
            shuffle.shuffle(options)
        layout.append([question.id, options])
    shuffle.shuffle(layout)
    attempt = Attempt(exam_id=exam.id, registration_id=registration.id, layout=layout)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a double tap started it in another request
        existing = attempt_of(exam, registration)
        if existing is None:
            raise
        return existing
    return attempt


def save_answer(
    attempt: Attempt, *, question_id: int, option_id: int, now: datetime | None = None
) -> Answer:
    now = now or utcnow()
    if attempt.submitted_at is not None:
        raise DomainError(_("Jawaban sudah dikirim dan tidak dapat diubah."))
    _check_can_take(attempt.exam, attempt.registration, now)
    options = dict(attempt.layout)
    if question_id not in options or option_id not in options[question_id]:
        raise DomainError(_("Soal atau pilihan tidak dikenal."))
    answer = db.session.scalar(
        select(Answer).where(Answer.attempt_id == attempt.id, Answer.question_id == question_id)
    )
    if answer is None:
        answer = Answer(attempt_id=attempt.id, question_id=question_id, option_id=option_id)
        db.session.add(answer)
    answer.option_id = option_id
    answer.answered_at = now
    db.session.flush()
    return answer


def score_of(attempt: Attempt) -> Decimal:
    total = len(attempt.layout or [])
    if not total:
        return Decimal("0.00")
    right = set(
        db.session.scalars(
            select(QuestionOption.id)
            .join(Question)
            .where(Question.event_id == attempt.exam.event_id, QuestionOption.correct.is_(True))
        )
    )
    chosen = db.session.scalars(select(Answer.option_id).where(Answer.attempt_id == attempt.id))
    correct = sum(1 for option_id in chosen if option_id in right)
    return (Decimal(correct) * 100 / total).quantize(TWO, ROUND_HALF_UP)


def submit_attempt(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    now = now or utcnow()
    if attempt.submitted_at is not None:
        raise DomainError(_("Anda sudah mengerjakan tes ini. Setiap peserta hanya satu kali."))
    _check_can_take(attempt.exam, attempt.registration, now)
    attempt.submitted_at = now
    attempt.score = score_of(attempt)
    db.session.flush()
    return attempt


def saved_answers(attempt: Attempt) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Answer.question_id, Answer.option_id).where(Answer.attempt_id == attempt.id)
        ).all()
    )


# --- results ----------------------------------------------------------------------------------


@dataclass
class ParticipantResult:
    registration_id: int
    name: str
    unit: str
    pre: Decimal | None = None
    post: Decimal | None = None
    nip: str | None = None

    @property
    def gain(self) -> Decimal | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


@dataclass
class UnitResult:
    unit: str
    pre: Decimal | None
    post: Decimal | None
    gain: Decimal | None
    people: int


@dataclass
class ExamResults:
    rows: list[ParticipantResult]
    units: list[UnitResult]
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_gain: Decimal | None
    threshold: int
    passed: int = 0
    took_post: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def pass_share(self) -> Decimal | None:
        if not self.took_post:
            return None
        return (Decimal(self.passed) * 100 / self.took_post).quantize(TWO, ROUND_HALF_UP)


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO, ROUND_HALF_UP)


def scores(event: Event) -> dict[int, dict[ExamKind, Decimal]]:
    """registration id -> {pre: score, post: score} for attempts that have a score."""
    out: dict[int, dict[ExamKind, Decimal]] = defaultdict(dict)
    rows = db.session.execute(
        select(Attempt.registration_id, Exam.kind, Attempt.score)
        .join(Exam, Exam.id == Attempt.exam_id)
        .where(Exam.event_id == event.id, Attempt.score.is_not(None))
    )
    for registration_id, kind, score in rows:
        out[registration_id][kind] = Decimal(score or 0)
    return out


def results(event: Event, *, unit_id: int | None = None) -> ExamResults:
    settings = settings_for(event)
    by_reg = scores(event)
    stmt = (
        select(Registration)
        .options(joinedload(Registration.person), joinedload(Registration.unit))
        .where(Registration.id.in_(list(by_reg)) if by_reg else Registration.id.is_(None))
    )
    if unit_id is not None:
        stmt = stmt.where(Registration.unit_id == unit_id)
    rows = []
    for reg in db.session.scalars(stmt):
        s = by_reg[reg.id]
        rows.append(
            ParticipantResult(
                reg.id,
                reg.person.name,
                reg.unit.name if reg.unit else "-",
                s.get(ExamKind.PRE),
                s.get(ExamKind.POST),
                reg.person.nip,
            )
        )
    rows.sort(key=lambda r: (r.unit, r.name.lower()))
    groups: dict[str, list[ParticipantResult]] = defaultdict(list)
    for row in rows:
        groups[row.unit].append(row)
    units = [
        UnitResult(
            name,
            _mean([r.pre for r in members if r.pre is not None]),
            _mean([r.post for r in members if r.post is not None]),
            _mean([r.gain for r in members if r.gain is not None]),
            len(members),
        )
        for name, members in sorted(groups.items())
    ]
    posts = [r.post for r in rows if r.post is not None]
    return ExamResults(
        rows=rows,
        units=units,
        mean_pre=_mean([r.pre for r in rows if r.pre is not None]),
        mean_post=_mean(posts),
        mean_gain=_mean([r.gain for r in rows if r.gain is not None]),
        threshold=settings.pass_threshold,
        passed=sum(1 for p in posts if p >= settings.pass_threshold),
        took_post=len(posts),
    )


def blocked_for_certificate(event: Event) -> set[int]:
    """Registrations that may not get a certificate yet because the event requires both tests
    and they have not finished them (empty unless the organizer turned the rule on)."""
    settings = settings_for(event)
    if not (settings.tests_enabled and settings.tests_required_for_certificate):
        return set()
    done = scores(event)
    ids = db.session.scalars(select(Registration.id).where(Registration.event_id == event.id))
    return {
        rid
        for rid in ids
        if not (ExamKind.PRE in done.get(rid, {}) and ExamKind.POST in done.get(rid, {}))
    }
