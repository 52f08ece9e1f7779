"""Follow-up tasks: who may see and work them, manual creation and the workflow.

open -> in_progress -> submitted -> verified | rejected (-> in_progress); every step is logged in
the task's history and verification and rejection in the audit log.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from ...audit.services import record
from ...auth.models import Role, User
from ...common.errors import DomainError, InvalidTransition, NotAllowed
from ...common.types import utcnow
from ...common.wib import to_wib
from ...extensions import db
from ...registration.models import Person
from ...units.models import Unit
from ..models import (
    FollowUpTask,
    Indicator,
    TaskEvent,
    TaskOrigin,
    TaskStatus,
)


def today_wib(now: datetime | None = None) -> date:
    """Today in WIB: the day against which due dates are judged."""
    return to_wib(now or utcnow()).date()


def log_event(task: FollowUpTask, action: str, actor: User | None, note: str = "", *, old=None):
    """One line of the task's history (added without loading the history: bulk changes stay
    one statement per task)."""
    db.session.add(
        TaskEvent(
            task=task,
            action=action,
            from_status=old,
            to_status=task.status,
            actor_id=actor.id if actor else None,
            at=utcnow(),
            note=note[:2000],
        )
    )


def require_due(due_date: date | None) -> date:
    if due_date is None:
        raise DomainError(_("Tenggat wajib diisi."), field="due_date")
    return due_date


def new_task(**kw) -> FollowUpTask:
    actor = kw.pop("actor")
    task = FollowUpTask(status=TaskStatus.OPEN, created_by_id=actor.id if actor else None, **kw)
    db.session.add(task)
    with force_locale("id"):  # the history note is stored: always Indonesian
        note = task.origin.label
    log_event(task, "created", actor, note)
    return task


def create_task(
    unit: Unit,
    *,
    title: str,
    due_date: date | None,
    indicator: Indicator | None = None,
    description: str = "",
    assignee: Person | None = None,
    actor: User,
) -> FollowUpTask:
    title = (title or "").strip() or (indicator.name if indicator else "")
    if not title:
        raise DomainError(_("Judul tugas wajib diisi."), field="title")
    if indicator is not None and not indicator.applies_to(unit.kind.value):
        raise DomainError(
            _(
                "Indikator %(code)s tidak berlaku untuk %(kind)s.",
                code=indicator.code,
                kind=unit.kind.label,
            ),
            field="indicator_id",
        )
    if assignee is not None and assignee.unit_id != unit.id:
        raise DomainError(_("Penanggung jawab harus pegawai unit ini."), field="assignee_id")
    task = new_task(
        unit=unit,
        indicator=indicator,
        origin=TaskOrigin.MANUAL,
        title=title[:300],
        description=description.strip(),
        due_date=require_due(due_date),
        assignee=assignee,
        actor=actor,
    )
    db.session.flush()
    return task


T = TaskStatus


def can_work(user: User, task: FollowUpTask) -> bool:
    """The unit's own operators (and admins) do the work."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.UNIT_OPERATOR and user.unit_id == task.unit_id


def can_verify(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.VERIFIER)


def can_see_task(user: User, task: FollowUpTask) -> bool:
    if user.role in (Role.ADMIN, Role.VERIFIER, Role.ORGANIZER):
        return True
    return user.role is Role.UNIT_OPERATOR and user.unit_id == task.unit_id


def can_download(user: User, task: FollowUpTask) -> bool:
    """Evidence files: the unit itself, the verifiers and admins."""
    if user.role in (Role.ADMIN, Role.VERIFIER):
        return True
    return user.role is Role.UNIT_OPERATOR and user.unit_id == task.unit_id


def require_worker(task: FollowUpTask, actor: User) -> None:
    if not can_work(actor, task):
        raise NotAllowed(
            _("Hanya operator perangkat daerah pemilik tugas yang dapat mengerjakannya."),
            field="file",
        )


def _move(task: FollowUpTask, target: TaskStatus, actor: User, note: str = "") -> None:
    allowed = {
        T.OPEN: {T.IN_PROGRESS},
        T.IN_PROGRESS: {T.SUBMITTED},
        T.SUBMITTED: {T.VERIFIED, T.REJECTED},
        T.REJECTED: {T.IN_PROGRESS},
        T.VERIFIED: set(),
    }
    if target not in allowed[task.status]:
        raise InvalidTransition(
            _(
                "Tugas berstatus %(status)s tidak dapat menjadi %(target)s.",
                status=task.status.label,
                target=target.label,
            ),
            field="note",
        )
    old = task.status
    task.status = target
    log_event(task, "status", actor, note, old=old)


def deadline_refusal(task: FollowUpTask) -> str | None:
    """Why a task's deadline may not change, or None: a verified task is finished and keeps
    the deadline it was judged against."""
    if task.status is T.VERIFIED:
        return _("sudah terverifikasi")
    return None


def change_due_date(task: FollowUpTask, due_date: date, *, actor: User) -> bool:
    """Give the task a new deadline (logged in its history and the audit log); False when it
    already had that deadline."""
    refusal = deadline_refusal(task)
    if refusal is not None:
        raise InvalidTransition(
            _("Tenggat tugas ini tidak dapat diubah: %(reason)s.", reason=refusal),
            field="due_date",
        )
    if task.due_date == due_date:
        return False
    old = task.due_date
    task.due_date = due_date
    log_event(task, "deadline", actor, f"{old:%d-%m-%Y} -> {due_date:%d-%m-%Y}", old=task.status)
    record(
        "followup.deadline",
        actor=actor,
        obj=task,
        summary=f"{task.unit.name}: {task.title}: tenggat {old:%d-%m-%Y} -> {due_date:%d-%m-%Y}",
        old=old.isoformat(),
        new=due_date.isoformat(),
    )
    return True


def ensure_working(task: FollowUpTask, actor: User) -> None:
    if task.status in (T.SUBMITTED, T.VERIFIED):
        raise InvalidTransition(
            _("Tugas sudah diajukan atau terverifikasi; bukti tidak dapat diubah."), field="file"
        )
    if task.status in (T.OPEN, T.REJECTED):
        _move(task, T.IN_PROGRESS, actor)


def start_task(task: FollowUpTask, *, actor: User) -> FollowUpTask:
    require_worker(task, actor)
    _move(task, T.IN_PROGRESS, actor)
    db.session.flush()
    return task


def submit_task(task: FollowUpTask, *, note: str = "", actor: User) -> FollowUpTask:
    require_worker(task, actor)
    if not task.evidence:
        raise DomainError(
            _("Unggah minimal satu bukti (berkas atau tautan) sebelum mengajukan."), field="note"
        )
    if task.status in (T.OPEN, T.REJECTED):
        _move(task, T.IN_PROGRESS, actor)
    task.note = (note or "").strip()
    _move(task, T.SUBMITTED, actor, task.note)
    task.submitted_at = utcnow()
    db.session.flush()
    return task


def verify_task(task: FollowUpTask, *, note: str = "", actor: User) -> FollowUpTask:
    if not can_verify(actor):
        raise NotAllowed(_("Hanya verifikator Bagian Organisasi yang dapat memverifikasi."))
    _move(task, T.VERIFIED, actor, (note or "").strip())
    task.verifier_id, task.verified_at = actor.id, utcnow()
    task.rejection_reason = None
    db.session.flush()
    record("followup.verify", actor=actor, obj=task, summary=f"{task.unit.name}: {task.title}")
    return task


def reject_task(task: FollowUpTask, *, reason: str, actor: User) -> FollowUpTask:
    if not can_verify(actor):
        raise NotAllowed(_("Hanya verifikator Bagian Organisasi yang dapat menolak."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(
            _("Tuliskan alasan penolakan agar unit dapat memperbaiki."), field="reason"
        )
    _move(task, T.REJECTED, actor, reason)
    task.rejection_reason = reason
    task.verifier_id = actor.id
    db.session.flush()
    record("followup.reject", actor=actor, obj=task, summary=f"{task.unit.name}: {task.title}")
    return task
