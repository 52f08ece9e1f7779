"""Tasks made in bulk: an event's follow-up plan (per invited unit and indicator where the
indicator applies, per service product where it is per product, catch-up tasks for absent
units, previewed before it is saved) and the weak indicators of an assessment. Both are
idempotent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...common.types import utcnow
from ...common.wib import to_wib
from ...events.models import Event, Invitation
from ...extensions import db
from ...registration.models import Registration, RegistrationRole, RegistrationStatus
from ...units.models import ServiceProduct, Unit
from ..models import (
    Assessment,
    FollowUpPlan,
    FollowUpTask,
    Framework,
    Indicator,
    PlanTemplate,
    TaskOrigin,
    TaskStatus,
)
from .tasks import new_task, require_due


@dataclass
class GenerationResult:
    created: int = 0
    existing: int = 0
    not_applicable: int = 0
    absent_units: list[str] = field(default_factory=list)
    present_units: list[str] = field(default_factory=list)
    late: int = 0  # tasks created with a deadline already past (confirmed)


def unit_attendance(event: Event) -> dict[int, list[Registration]]:
    """unit id -> the unit's registrations that checked in to the event (one query each)."""
    from ...attendance.queries import sessions_attended

    attended = sessions_attended(event)
    if not attended:
        return {}
    regs = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.id.in_(list(attended)),
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .options(db.joinedload(Registration.person))
        .order_by(Registration.id)
    ).all()
    by_unit: dict[int, list[Registration]] = defaultdict(list)
    for reg in regs:
        if reg.unit_id is not None:
            by_unit[reg.unit_id].append(reg)
    # Participants first: the natural person in charge is who sat in the room, not the panitia.
    for unit_regs in by_unit.values():
        unit_regs.sort(key=lambda r: (r.role is not RegistrationRole.PESERTA, r.id))
    return by_unit


@dataclass
class PlannedTask:
    """One task a plan makes: unit, indicator (None: catch-up), product (per-product ones)."""

    unit: Unit
    indicator: Indicator | None
    product: ServiceProduct | None
    key: str
    absent: bool
    lead: Registration | None


@dataclass
class PreviewRow:
    unit: Unit
    absent: bool
    counts: dict[int, int] = field(default_factory=dict)  # indicator id (0: catch-up) -> tasks

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanPreview:
    indicators: list[Indicator]
    rows: list[PreviewRow]
    not_applicable: int = 0
    excluded_units: list[Unit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    def per_indicator(self) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for r in self.rows:
            for key, n in r.counts.items():
                out[key] += n
        return dict(out)


def planned_tasks(
    event: Event,
    indicators: list[Indicator],
    *,
    plan_id: int | str,
    excluded_unit_ids: AbstractSet[int] = frozenset(),
) -> tuple[list[PlannedTask], int, list[Unit]]:
    """The tasks a plan makes: an indicator goes only where it applies (service-standard ones
    to public-service units, once per active service product when per product; management ones
    to every unit), plus a catch-up task per absent unit. Returns (tasks, not applicable count,
    units left out)."""
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.event_id == event.id)
        .options(db.joinedload(Invitation.unit).selectinload(Unit.products))
    ).all()
    attendance = unit_attendance(event)
    out: list[PlannedTask] = []
    not_applicable = 0
    excluded = []
    for invitation in sorted(invitations, key=lambda i: i.unit.name):
        unit = invitation.unit
        if unit.id in excluded_unit_ids:
            excluded.append(unit)
            continue
        regs = attendance.get(unit.id, [])
        absent = not regs
        lead = regs[0] if regs else None
        products = [p for p in unit.products if p.active]
        for indicator in indicators:
            if not indicator.applies_to_unit(unit):
                not_applicable += 1
                continue
            base = f"p{plan_id}-u{unit.id}-i{indicator.id}"
            if indicator.per_product and products:
                for product in products:
                    out.append(
                        PlannedTask(unit, indicator, product, f"{base}-s{product.id}", absent, lead)
                    )
            else:
                out.append(PlannedTask(unit, indicator, None, base, absent, lead))
        if absent:
            out.append(PlannedTask(unit, None, None, f"p{plan_id}-u{unit.id}-susulan", True, None))
    return out, not_applicable, excluded


def preview_plan(
    event: Event, indicators: list[Indicator], *, excluded_unit_ids: AbstractSet[int] = frozenset()
) -> PlanPreview:
    """Counts per unit and indicator of what ``save_plan`` would create (nothing is written)."""
    planned, not_applicable, excluded = planned_tasks(
        event, indicators, plan_id="x", excluded_unit_ids=excluded_unit_ids
    )
    rows: dict[int, PreviewRow] = {}
    for t in planned:
        row = rows.setdefault(t.unit.id, PreviewRow(t.unit, t.absent))
        key = t.indicator.id if t.indicator else 0
        row.counts[key] = row.counts.get(key, 0) + 1
    return PlanPreview(
        indicators=indicators,
        rows=sorted(rows.values(), key=lambda r: r.unit.name),
        not_applicable=not_applicable,
        excluded_units=excluded,
    )


def save_plan(
    event: Event,
    framework: Framework,
    *,
    indicators: list[Indicator],
    due_date: date | None,
    actor: User,
    template_name: str | None = None,
    excluded_unit_ids: AbstractSet[int] = frozenset(),
    confirm_late: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> tuple[FollowUpPlan, GenerationResult]:
    """Save the event's follow-up plan and create the missing tasks (idempotent).

    A deadline already past is refused unless ``confirm_late``: the refusal says how many tasks
    would be late at once, and so does the result (``late``) when confirmed.
    """
    now = now or utcnow()
    today = today or to_wib(now).date()
    if event.starts_at > now:
        raise DomainError(
            _(
                "Rencana tindak lanjut dibuat setelah acara dimulai, "
                "agar kehadiran dapat dikaitkan."
            ),
            field="due_date",
        )
    if not indicators:
        raise DomainError(_("Pilih minimal satu indikator."), field="indicators")
    if any(i.framework_id != framework.id for i in indicators):
        raise DomainError(_("Indikator harus dari kerangka yang dipilih."), field="indicators")
    due_date = require_due(due_date)
    if due_date < to_wib(event.starts_at).date():
        raise DomainError(_("Tenggat tidak boleh sebelum tanggal acara."), field="due_date")
    plan = db.session.scalar(select(FollowUpPlan).where(FollowUpPlan.event_id == event.id))
    if due_date < today and not confirm_late:
        planned, _na, _ex = planned_tasks(
            event,
            indicators,
            plan_id=plan.id if plan else "x",
            excluded_unit_ids=excluded_unit_ids,
        )
        raise DomainError(
            _(
                "Tenggat %(due)s sudah lewat: %(n)d tugas akan langsung terlambat. "
                "Centang \u201cTetap simpan\u201d bila memang disengaja.",
                due=due_date.strftime("%d-%m-%Y"),
                n=len(planned),
            ),
            field="due_date",
        )
    if plan is None:
        plan = FollowUpPlan(event=event, created_by_id=actor.id)
        db.session.add(plan)
    ids = (
        sorted({*plan.indicator_ids, *(i.id for i in indicators)})
        if plan.id
        else sorted({i.id for i in indicators})
    )
    if plan.id and plan.framework_id != framework.id:
        ids = sorted({i.id for i in indicators})
    plan.framework, plan.indicator_ids, plan.due_date = framework, ids, due_date
    plan.excluded_unit_ids = sorted(excluded_unit_ids)
    db.session.flush()
    if template_name and template_name.strip():
        name = template_name.strip()[:150]
        template = db.session.scalar(select(PlanTemplate).where(PlanTemplate.name == name))
        if template is None:
            template = PlanTemplate(name=name)
            db.session.add(template)
        template.framework, template.indicator_ids = framework, [i.id for i in indicators]
    result = generate_plan_tasks(plan, actor=actor)
    if due_date < today:
        result.late = result.created
    record(
        "followup.plan",
        actor=actor,
        obj=plan,
        summary=f"{event.title}: {result.created} tugas baru",
    )
    return plan, result


def generate_plan_tasks(plan: FollowUpPlan, *, actor: User | None) -> GenerationResult:
    """The plan's tasks where its indicators apply, plus a catch-up task per absent unit."""
    event = plan.event
    result = GenerationResult()
    indicators = db.session.scalars(
        select(Indicator)
        .where(Indicator.id.in_(plan.indicator_ids))
        .order_by(Indicator.position, Indicator.id)
    ).all()
    planned, result.not_applicable, _excluded = planned_tasks(
        event, list(indicators), plan_id=plan.id, excluded_unit_ids=set(plan.excluded_unit_ids)
    )
    existing = {
        t.dedupe_key: t
        for t in db.session.scalars(select(FollowUpTask).where(FollowUpTask.plan_id == plan.id))
    }
    seen_units: set[int] = set()
    for p in planned:
        if p.unit.id not in seen_units:
            seen_units.add(p.unit.id)
            (result.absent_units if p.absent else result.present_units).append(p.unit.name)
        lead = p.lead
        task = existing.get(p.key)
        if task is not None:
            result.existing += 1
            if task.status is not TaskStatus.VERIFIED and p.indicator is not None:
                # Late check-ins (or corrections) update who is in charge.
                task.absent = p.absent
                task.source_registration_id = lead.id if lead else None
                task.assignee_person_id = lead.person_id if lead else None
            continue
        if p.indicator is None:
            title = f"Susulan: pelajari materi \u201c{event.title}\u201d"
            description = (
                "Unit diundang tetapi tidak hadir. Pelajari materi dan rekaman acara, "
                "lalu unggah ringkasan atau notulen internal sebagai bukti."
            )
            origin = TaskOrigin.CATCH_UP
        else:
            title = p.indicator.name
            if p.product is not None:
                title = f"{title} \u2013 {p.product.name}"
            description = p.indicator.evidence_hint
            origin = TaskOrigin.PLAN
        new_task(
            unit=p.unit,
            indicator=p.indicator,
            service_product=p.product,
            origin=origin,
            plan=plan,
            source_event=event,
            source_registration_id=lead.id if lead else None,
            assignee_person_id=lead.person_id if lead else None,
            absent=p.absent,
            title=title[:300],
            description=description,
            due_date=plan.due_date,
            dedupe_key=p.key,
            actor=actor,
        )
        result.created += 1
    db.session.flush()
    return result


def tasks_from_assessment(
    assessment: Assessment, *, threshold: int, due_date: date | None, actor: User
) -> GenerationResult:
    """A task for each indicator scored below ``threshold`` (0-3); idempotent."""
    if threshold not in (1, 2, 3):
        raise DomainError(_("Ambang harus 1, 2 atau 3."), field="threshold")
    due_date = require_due(due_date)
    result = GenerationResult()
    weak = [s for s in assessment.scores if s.score < threshold]
    if not assessment.scores:
        raise DomainError(
            _("Penilaian ini belum punya nilai per indikator; isi nilai indikator dahulu."),
            field="threshold",
        )
    keys = {f"a{assessment.id}-i{s.indicator_id}" for s in weak}
    existing = set(
        db.session.scalars(select(FollowUpTask.dedupe_key).where(FollowUpTask.dedupe_key.in_(keys)))
    )
    for s in sorted(weak, key=lambda s: (s.indicator.position, s.indicator_id)):
        key = f"a{assessment.id}-i{s.indicator_id}"
        if key in existing:
            result.existing += 1
            continue
        if not s.indicator.applies_to_unit(assessment.unit):
            result.not_applicable += 1
            continue
        new_task(
            unit=assessment.unit,
            indicator=s.indicator,
            origin=TaskOrigin.ASSESSMENT,
            source_assessment=assessment,
            title=s.indicator.name[:300],
            description=(
                f"Nilai {assessment.year}: {s.score} dari 3. {s.indicator.evidence_hint}"
            ).strip(),
            due_date=due_date,
            dedupe_key=key,
            actor=actor,
        )
        result.created += 1
    db.session.flush()
    return result
