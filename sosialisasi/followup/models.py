"""Follow-up compliance: assessment frameworks as data, official results, tasks and evidence.

A framework (e.g. the Ombudsman 2022-2024 instrument) owns its dimensions with weights, its
indicators and its score bands; everything an administrator may need to change when a new method
is published lives in these rows, never in code.

Its size is earned: it is the whole follow-up schema in one place (frameworks, indicators, bands,
results, the compliance year, supervision products, plans, tasks, evidence), declarations only.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..common.wib import to_wib
from ..extensions import Model

if TYPE_CHECKING:
    from ..auth.models import User
    from ..events.models import Event
    from ..registration.models import Person, Registration
    from ..units.models import ServiceProduct, Unit

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
    # The method as the Ombudsman names it, and the regulation that sets it.
    method: Mapped[str] = mapped_column(String(200), default="", server_default="")
    legal_basis: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Opini method (2025-): "Tanpa Maladministrasi" is added when every supervision product due
    # by the year's cut-off date was followed up.
    opinion_rule: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Band limits copied from an earlier method until an administrator enters the real ones.
    bands_provisional: Mapped[bool] = mapped_column(default=False, server_default=false())
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
    # Service-standard indicators apply only to public-service units (units.public_service);
    # management indicators apply to every unit.
    service_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Assessed once per service product of the unit (e.g. the published requirements).
    per_product: Mapped[bool] = mapped_column(default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    framework: Mapped[Framework] = relationship(back_populates="indicators")
    dimension: Mapped[Dimension] = relationship(back_populates="indicators")

    def applies_to(self, kind: str) -> bool:
        return not self.unit_kinds or kind in self.unit_kinds

    def applies_to_unit(self, unit: Unit) -> bool:
        """Kind and public service: a service-standard indicator skips a non-service unit."""
        if self.service_only and not unit.public_service:
            return False
        return self.applies_to(unit.kind.value)

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
    zone: Mapped[str] = mapped_column(String(40))  # hijau tua, hijau muda, kuning, merah
    opinion: Mapped[str] = mapped_column(String(120), default="")
    colour: Mapped[str | None] = mapped_column(String(7))  # "#0b6b2f"; None: from the zone

    framework: Mapped[Framework] = relationship(back_populates="bands")

    @property
    def color(self) -> str:
        """The badge class suffix (``text-bg-<color>``): A and B never share one."""
        zone = self.zone.lower()
        if "hijau" in zone:
            if "muda" in zone:
                return "hijau-muda"
            if "tua" in zone or self.category.upper() != "B":
                return "hijau-tua"
            return "hijau-muda"
        if "kuning" in zone:
            return "warning"
        if "merah" in zone:
            return "danger"
        return "secondary"

    @property
    def hex(self) -> str:
        """The colour drawn in charts, PDFs and XLSX cells."""
        return self.colour or BAND_COLOURS[self.color]


BAND_COLOURS = {
    "hijau-tua": "#0b6b2f",
    "hijau-muda": "#8fd694",
    "warning": "#ffc107",
    "danger": "#dc3545",
    "secondary": "#6c757d",
}


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
    # Invited units the organizer left out of the plan.
    excluded_unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
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
    service_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_service_products.id", ondelete="SET NULL"), index=True
    )
    supervision_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_supervision_products.id", ondelete="SET NULL"), index=True
    )
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
    service_product: Mapped[ServiceProduct | None] = relationship()
    supervision_product: Mapped[SupervisionProduct | None] = relationship(back_populates="tasks")
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


class ComplianceYear(Model):
    """Bagian Organisasi's year: the district's target and the supervision-product cut-off."""

    __tablename__ = "followup_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    target_category: Mapped[str] = mapped_column(String(20), default="")
    target_score: Mapped[Decimal | None] = mapped_column(SCORE)
    cutoff_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class LokusEntry(Model):
    """A unit (and optionally one of its service products) the Ombudsman assesses in a year."""

    __tablename__ = "followup_lokus"
    __table_args__ = (UniqueConstraint("year", "unit_id", "service_product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    service_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_service_products.id", ondelete="CASCADE")
    )

    unit: Mapped[Unit] = relationship()
    service_product: Mapped[ServiceProduct | None] = relationship()


class SupervisionKind(enum.Enum):
    TINDAKAN_KOREKTIF = "tindakan_korektif"
    SARAN_PERBAIKAN = "saran_perbaikan"
    SARAN_PENYEMPURNAAN = "saran_penyempurnaan"
    REKOMENDASI = "rekomendasi"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "tindakan_korektif": _("Tindakan Korektif"),
            "saran_perbaikan": _("Saran Perbaikan"),
            "saran_penyempurnaan": _("Saran Penyempurnaan"),
            "rekomendasi": _("Rekomendasi"),
        }
        return labels[self.value]


class SupervisionProduct(Model):
    """A supervision product of Ombudsman RI addressed to a unit, and whether it was followed up."""

    __tablename__ = "followup_supervision_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SupervisionKind] = mapped_column(enum_column(SupervisionKind, 30))
    number: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(index=True)  # the assessment year it counts for
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    finding: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date)  # None: "tanpa tenggat"
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    tasks: Mapped[list[FollowUpTask]] = relationship(back_populates="supervision_product")

    @property
    def done_on(self) -> date | None:
        """When it was followed up: recorded, or the day its last task was verified."""
        if self.followed_up_on is not None:
            return self.followed_up_on
        if self.tasks and all(t.status is TaskStatus.VERIFIED for t in self.tasks):
            stamps = [t.verified_at for t in self.tasks if t.verified_at is not None]
            return to_wib(max(stamps)).date() if stamps else None
        return None

    def in_time(self) -> bool | None:
        """True when followed up by its deadline; None without a deadline or not yet done."""
        done = self.done_on
        if done is None or self.due_date is None:
            return None
        return done <= self.due_date


class MilestoneKind(enum.Enum):
    SELF_ASSESSMENT = "self_assessment"
    FIELD_VISIT = "field_visit"
    CUTOFF = "cutoff"
    RELEASE = "release"
    OTHER = "other"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "self_assessment": _("Penilaian mandiri"),
            "field_visit": _("Kunjungan lapangan Ombudsman"),
            "cutoff": _("Batas tindak lanjut produk pengawasan"),
            "release": _("Rilis hasil"),
            "other": _("Lainnya"),
        }
        return labels[self.value]


class Milestone(Model):
    """A date of the assessment calendar; reminders go to units with open tasks before it."""

    __tablename__ = "followup_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind))
    on_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    remind_days: Mapped[int] = mapped_column(default=7)
