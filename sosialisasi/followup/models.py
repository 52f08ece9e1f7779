"""Follow-up compliance: assessment frameworks as data, official results, tasks and evidence.

A framework (e.g. the Ombudsman 2022-2024 instrument) owns its dimensions with weights, its
indicators and its score bands; everything an administrator may need to change when a new method
is published lives in these rows, never in code.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model

if TYPE_CHECKING:
    from ..auth.models import User
    from ..events.models import Event
    from ..registration.models import Person, Registration
    from ..units.models import Unit

SCORE = Numeric(6, 2)


class FrameworkKind(enum.Enum):
    ASSESSMENT = "assessment"  # scored instrument (Ombudsman)
    CHECKLIST = "checklist"  # things a unit must have (service standard components)

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "assessment": _("Instrumen penilaian"),
            "checklist": _("Daftar periksa"),
        }
        return labels[self.value]


class Framework(Model):
    __tablename__ = "followup_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FrameworkKind] = mapped_column(
        enum_column(FrameworkKind), default=FrameworkKind.ASSESSMENT
    )
    year_from: Mapped[int] = mapped_column()
    year_to: Mapped[int | None] = mapped_column()  # None: still valid
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dimensions: Mapped[list[Dimension]] = relationship(
        back_populates="framework", order_by="Dimension.position", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="framework", order_by="Indicator.position", cascade="all, delete-orphan"
    )
    bands: Mapped[list[ScoreBand]] = relationship(
        back_populates="framework",
        order_by="ScoreBand.min_score.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def years(self) -> str:
        if self.year_to is None:
            return f"{self.year_from}-"
        if self.year_to == self.year_from:
            return str(self.year_from)
        return f"{self.year_from}-{self.year_to}"

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    @property
    def total_weight(self) -> Decimal:
        return sum((d.weight for d in self.dimensions), Decimal("0"))


class Dimension(Model):
    __tablename__ = "followup_dimensions"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("followup_frameworks.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(150))
    weight: Mapped[Decimal] = mapped_column(SCORE, default=Decimal("0"))
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="dimensions")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="dimension", order_by="Indicator.position"
    )


class Indicator(Model):
    __tablename__ = "followup_indicators"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("followup_frameworks.id", ondelete="CASCADE"), index=True
    )
    dimension_id: Mapped[int] = mapped_column(
        ForeignKey("followup_dimensions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    evidence_hint: Mapped[str] = mapped_column(Text, default="")
    # UnitKind values this indicator applies to; empty: every kind.
    unit_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    framework: Mapped[Framework] = relationship(back_populates="indicators")
    dimension: Mapped[Dimension] = relationship(back_populates="indicators")

    def applies_to(self, kind: str) -> bool:
        return not self.unit_kinds or kind in self.unit_kinds

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class ScoreBand(Model):
    __tablename__ = "followup_score_bands"
    __table_args__ = (UniqueConstraint("framework_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("followup_frameworks.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(20))
    min_score: Mapped[Decimal] = mapped_column(SCORE)
    max_score: Mapped[Decimal] = mapped_column(SCORE)
    zone: Mapped[str] = mapped_column(String(40))  # hijau, kuning, merah
    opinion: Mapped[str] = mapped_column(String(120), default="")

    framework: Mapped[Framework] = relationship(back_populates="bands")

    @property
    def color(self) -> str:
        zone = self.zone.lower()
        if "hijau" in zone:
            return "success"
        if "kuning" in zone:
            return "warning"
        if "merah" in zone:
            return "danger"
        return "secondary"


class Assessment(Model):
    """An official result of one unit in one year."""

    __tablename__ = "followup_assessments"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("followup_frameworks.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    score: Mapped[Decimal] = mapped_column(SCORE)
    # dimension code -> points (text of a Decimal with two places)
    dimension_points: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    framework: Mapped[Framework] = relationship()
    unit: Mapped[Unit] = relationship()
    scores: Mapped[list[IndicatorScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class IndicatorScore(Model):
    __tablename__ = "followup_indicator_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("followup_assessments.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("followup_indicators.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column()  # 0-3

    assessment: Mapped[Assessment] = relationship(back_populates="scores")
    indicator: Mapped[Indicator] = relationship()


class DistrictResult(Model):
    """The official score of the whole pemda in a year (when unit scores are not recorded)."""

    __tablename__ = "followup_district_results"
    __table_args__ = (UniqueConstraint("root_unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    root_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("followup_frameworks.id"))
    year: Mapped[int] = mapped_column()
    score: Mapped[Decimal] = mapped_column(SCORE)
    notes: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship()


class PlanTemplate(Model):
    """A saved choice of indicators to follow up, reused for the next sosialisasi."""

    __tablename__ = "followup_plan_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("followup_frameworks.id", ondelete="CASCADE")
    )
    indicator_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    framework: Mapped[Framework] = relationship()


class FollowUpPlan(Model):
    """The follow-up decided after an event: which indicators, by when."""

    __tablename__ = "followup_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("followup_frameworks.id"))
    indicator_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    due_date: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    framework: Mapped[Framework] = relationship()


class TaskStatus(enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "open": _("Baru"),
            "in_progress": _("Dikerjakan"),
            "submitted": _("Diajukan"),
            "verified": _("Terverifikasi"),
            "rejected": _("Ditolak"),
        }
        return labels[self.value]

    @property
    def badge(self) -> str:
        return {
            "open": "secondary",
            "in_progress": "primary",
            "submitted": "info",
            "verified": "success",
            "rejected": "danger",
        }[self.value]


class TaskOrigin(enum.Enum):
    PLAN = "plan"  # from an event's follow-up plan
    CATCH_UP = "catch_up"  # the unit was invited but absent
    ASSESSMENT = "assessment"  # a weak indicator of an official result
    MANUAL = "manual"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "plan": _("Rencana tindak lanjut acara"),
            "catch_up": _("Susulan (tidak hadir)"),
            "assessment": _("Hasil penilaian"),
            "manual": _("Dibuat manual"),
        }
        return labels[self.value]


class FollowUpTask(Model):
    __tablename__ = "followup_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_indicators.id", ondelete="SET NULL"), index=True
    )
    origin: Mapped[TaskOrigin] = mapped_column(enum_column(TaskOrigin), default=TaskOrigin.MANUAL)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_plans.id", ondelete="SET NULL"), index=True
    )
    source_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    source_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_assessments.id", ondelete="SET NULL")
    )
    source_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )
    assignee_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    absent: Mapped[bool] = mapped_column(default=False)  # unit invited but "tidak hadir"
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus), default=TaskStatus.OPEN, index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")  # the unit's note to the verifier
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Makes generation idempotent: plan/unit/indicator or assessment/indicator; NULL for manual.
    dedupe_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    indicator: Mapped[Indicator | None] = relationship()
    plan: Mapped[FollowUpPlan | None] = relationship()
    source_event: Mapped[Event | None] = relationship()
    source_assessment: Mapped[Assessment | None] = relationship()
    source_registration: Mapped[Registration | None] = relationship()
    assignee: Mapped[Person | None] = relationship()
    verifier: Mapped[User | None] = relationship(foreign_keys=[verifier_id])
    history: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", order_by="TaskEvent.id", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="task", order_by="Evidence.id", cascade="all, delete-orphan"
    )

    def is_overdue(self, today: date) -> bool:
        return self.status is not TaskStatus.VERIFIED and self.due_date < today


class TaskEvent(Model):
    """One change of a task: who did what, when."""

    __tablename__ = "followup_task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("followup_tasks.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(30))  # created, status, evidence, note
    from_status: Mapped[TaskStatus | None] = mapped_column(enum_column(TaskStatus))
    to_status: Mapped[TaskStatus | None] = mapped_column(enum_column(TaskStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[FollowUpTask] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class EvidenceKind(enum.Enum):
    FILE = "file"
    LINK = "link"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {"file": _("Berkas"), "link": _("Tautan")}
        return labels[self.value]


class Evidence(Model):
    __tablename__ = "followup_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("followup_tasks.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    original_name: Mapped[str | None] = mapped_column(String(200))
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column()
    url: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(300), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[FollowUpTask] = relationship(back_populates="evidence")
    uploaded_by: Mapped[User | None] = relationship()
