"""Training: per-event settings (JP, which parts are on), the question bank with pre-/post-test
attempts, and evaluation surveys with their answers."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model

if TYPE_CHECKING:
    from ..events.models import Event, Speaker
    from ..registration.models import Registration


class TrainingSettings(Model):
    """What an event does beyond attendance; absent rows mean "the defaults of its kind"."""

    __tablename__ = "training_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    tests_enabled: Mapped[bool] = mapped_column(default=False)
    surveys_enabled: Mapped[bool] = mapped_column(default=False)
    jp_credited: Mapped[bool] = mapped_column(default=False)  # counts and is printed
    jp_override: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # None: computed
    excluded_session_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    pass_threshold: Mapped[int] = mapped_column(default=70)  # post-test score, 0-100
    tests_required_for_certificate: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class QuestionKind(enum.Enum):
    CHOICE = "choice"
    TRUE_FALSE = "true_false"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {"choice": _("Pilihan ganda"), "true_false": _("Benar/salah")}
        return labels[self.value]


class Question(Model):
    """One question of an event's bank (the same bank serves the pre-test and the post-test)."""

    __tablename__ = "training_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    text: Mapped[str] = mapped_column(Text)

    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", order_by="QuestionOption.position", cascade="all, delete-orphan"
    )


class QuestionOption(Model):
    __tablename__ = "training_question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("training_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="options")


class ExamKind(enum.Enum):
    PRE = "pre"
    POST = "post"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {"pre": _("Pre-test"), "post": _("Post-test")}
        return labels[self.value]


class Exam(Model):
    """The pre-test or the post-test of an event: open between ``opens_at`` and ``closes_at``
    (the organizer's buttons set them to "now"; a schedule sets them ahead)."""

    __tablename__ = "training_exams"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ExamKind] = mapped_column(enum_column(ExamKind))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_open(self, now: datetime) -> bool:
        return (
            self.opens_at is not None
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )

    def is_closed(self, now: datetime) -> bool:
        return self.closes_at is not None and self.closes_at <= now


class Attempt(Model):
    """One participant's one attempt at one test (the unique key forbids a second)."""

    __tablename__ = "training_attempts"
    __table_args__ = (UniqueConstraint("exam_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(
        ForeignKey("training_exams.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    # The shuffled order this participant sees: [[question id, [option ids]], ...]
    layout: Mapped[list[Any]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # 0-100 once submitted

    exam: Mapped[Exam] = relationship()
    registration: Mapped[Registration] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class Answer(Model):
    """The option chosen for one question, saved as it is chosen (a later choice replaces it)."""

    __tablename__ = "training_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("training_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("training_questions.id", ondelete="CASCADE")
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("training_question_options.id", ondelete="CASCADE")
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class SurveyKind(enum.Enum):
    EVENT = "event"  # evaluasi penyelenggaraan
    SPEAKER = "speaker"  # evaluasi narasumber

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "event": _("Evaluasi penyelenggaraan"),
            "speaker": _("Evaluasi narasumber"),
        }
        return labels[self.value]


class Survey(Model):
    __tablename__ = "training_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SurveyKind] = mapped_column(enum_column(SurveyKind))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(250))
    anonymous: Mapped[bool] = mapped_column(default=True)
    allow_comment: Mapped[bool] = mapped_column(default=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    speaker: Mapped[Speaker | None] = relationship()
    elements: Mapped[list[SurveyElement]] = relationship(
        back_populates="survey", order_by="SurveyElement.position", cascade="all, delete-orphan"
    )

    def is_open(self, now: datetime) -> bool:
        return (
            self.opens_at is not None
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )


class SurveyElement(Model):
    """One unsur rated 1-4 (materi, narasumber, waktu ...)."""

    __tablename__ = "training_survey_elements"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("training_surveys.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))

    survey: Mapped[Survey] = relationship(back_populates="elements")


class SurveyResponse(Model):
    """One participant's answers. ``respondent_key`` (a keyed hash of the registration) keeps
    anonymous surveys to one answer each without storing who answered; ``registration_id`` is
    set only on named surveys."""

    __tablename__ = "training_survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "respondent_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("training_surveys.id", ondelete="CASCADE"), index=True
    )
    respondent_key: Mapped[str] = mapped_column(String(64))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration | None] = relationship()
    values: Mapped[list[SurveyValue]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class SurveyValue(Model):
    __tablename__ = "training_survey_values"
    __table_args__ = (UniqueConstraint("response_id", "element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("training_survey_responses.id", ondelete="CASCADE"), index=True
    )
    element_id: Mapped[int] = mapped_column(
        ForeignKey("training_survey_elements.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column()  # 1-4

    response: Mapped[SurveyResponse] = relationship(back_populates="values")
