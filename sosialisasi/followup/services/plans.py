"""Tasks made in bulk: an event's follow-up plan (per invited unit and indicator, catch-up tasks
for absent units) and the weak indicators of an assessment. Both are idempotent."""

from __future__ import annotations

from collections import defaultdict
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


def save_plan(
    event: Event,
    framework: Framework,
    *,
    indicators: list[Indicator],
    due_date: date | None,
    actor: User,
    template_name: str | None = None,
    now: datetime | None = None,
) -> tuple[FollowUpPlan, GenerationResult]:
    """Save the event's follow-up plan and create the missing tasks (idempotent)."""
    now = now or utcnow()
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
    db.session.flush()
    if template_name and template_name.strip():
        name = template_name.strip()[:150]
        template = db.session.scalar(select(PlanTemplate).where(PlanTemplate.name == name))
        if template is None:
            template = PlanTemplate(name=name)
            db.session.add(template)
        template.framework, template.indicator_ids = framework, [i.id for i in indicators]
    result = generate_plan_tasks(plan, actor=actor)
    record(
        "followup.plan",
        actor=actor,
        obj=plan,
        summary=f"{event.title}: {result.created} tugas baru",
    )
    return plan, result


def generate_plan_tasks(plan: FollowUpPlan, *, actor: User | None) -> GenerationResult:
    """A task per invited unit and indicator, plus a catch-up task per absent unit."""
    event = plan.event
    result = GenerationResult()
    indicators = db.session.scalars(
        select(Indicator)
        .where(Indicator.id.in_(plan.indicator_ids))
        .order_by(Indicator.position, Indicator.id)
    ).all()
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.event_id == event.id)
        .options(db.joinedload(Invitation.unit))
    ).all()
    attendance = unit_attendance(event)
    existing = {
        t.dedupe_key: t
        for t in db.session.scalars(select(FollowUpTask).where(FollowUpTask.plan_id == plan.id))
    }
    for invitation in sorted(invitations, key=lambda i: i.unit.name):
        unit = invitation.unit
        regs = attendance.get(unit.id, [])
        absent = not regs
        lead = regs[0] if regs else None
        (result.absent_units if absent else result.present_units).append(unit.name)
        wanted: list[tuple[Indicator | None, str]] = [
            (i, f"p{plan.id}-u{unit.id}-i{i.id}") for i in indicators
        ]
        if absent:
            wanted.append((None, f"p{plan.id}-u{unit.id}-susulan"))
        for indicator, key in wanted:
            if indicator is not None and not indicator.applies_to(unit.kind.value):
                result.not_applicable += 1
                continue
            task = existing.get(key)
            if task is not None:
                result.existing += 1
                if task.status is not TaskStatus.VERIFIED:
                    # Late check-ins (or corrections) update who is in charge.
                    task.absent = absent
                    task.source_registration_id = lead.id if lead else None
                    task.assignee_person_id = lead.person_id if lead else None
                continue
            if indicator is None:
                title = f"Susulan: pelajari materi \u201c{event.title}\u201d"
                description = (
                    "Unit diundang tetapi tidak hadir. Pelajari materi dan rekaman acara, "
                    "lalu unggah ringkasan atau notulen internal sebagai bukti."
                )
                origin = TaskOrigin.CATCH_UP
            else:
                title = indicator.name
                description = indicator.evidence_hint
                origin = TaskOrigin.PLAN
            new_task(
                unit=unit,
                indicator=indicator,
                origin=origin,
                plan=plan,
                source_event=event,
                source_registration_id=lead.id if lead else None,
                assignee_person_id=lead.person_id if lead else None,
                absent=absent,
                title=title[:300],
                description=description,
                due_date=plan.due_date,
                dedupe_key=key,
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
        if not s.indicator.applies_to(assessment.unit.kind.value):
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
