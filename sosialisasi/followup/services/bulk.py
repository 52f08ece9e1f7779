"""Bagian Organisasi's bulk work on chosen tasks: a new deadline, a reminder sent now.

Each action applies the single-task rule (``tasks.deadline_refusal``, ``tasks.change_due_date``;
the reminder message of ``reminders``) to every chosen task, and reports what it changed and
what it skipped with the reason, so the organizer sees e.g. "3 tugas dilewati: sudah
terverifikasi". Like every service they flush and never commit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from flask_babel import gettext as _

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...common.mail import MailError, mail_configured, send_messages
from ...units.models import Unit
from ..models import FollowUpTask, TaskStatus
from .reminders import operator_emails, reminder_message
from .tasks import change_due_date, deadline_refusal, require_due


@dataclass
class BulkResult:
    """What a bulk action did: ``changed`` tasks, and the skipped ones counted per reason."""

    changed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def skipped_text(self) -> str:
        """ "2 sudah terverifikasi; 1 tenggat sudah sama" (empty when nothing was skipped)."""
        return "; ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))


def require_tasks(tasks: Sequence[FollowUpTask]) -> None:
    if not tasks:
        raise DomainError(_("Pilih minimal satu tugas."), field="tasks")


def change_deadlines(
    tasks: Sequence[FollowUpTask],
    *,
    due_date: date | None,
    actor: User,
    today: date,
    confirm_past: bool = False,
) -> BulkResult:
    """Give the chosen tasks a new deadline. Verified tasks keep theirs (skipped, as are tasks
    that already have that deadline). A deadline already past is refused unless
    ``confirm_past``: the refusal says how many tasks would be late at once."""
    require_tasks(tasks)
    due_date = require_due(due_date)
    movable = [t for t in tasks if deadline_refusal(t) is None]
    if due_date < today and not confirm_past:
        raise DomainError(
            _(
                "Tenggat %(due)s sudah lewat: %(n)d tugas akan langsung terlambat. "
                "Centang \u201cTetap ubah\u201d bila memang disengaja.",
                due=due_date.strftime("%d-%m-%Y"),
                n=len(movable),
            ),
            field="due_date",
        )
    result = BulkResult()
    for task in tasks:
        refusal = deadline_refusal(task)
        if refusal is not None:
            result.skipped[refusal] += 1
        elif change_due_date(task, due_date, actor=actor):
            result.changed += 1
        else:
            result.skipped[_("tenggat sudah sama")] += 1
    return result


class Effects(Protocol):
    """What a job offers a long action (``jobs.services.JobContext``): effects already had are
    skipped on a retry, each new one is marked and committed with it."""

    def already(self, key: str) -> bool: ...

    def mark(self, key: str) -> None: ...

    def checkpoint(self, done: int, total: int) -> None: ...


@dataclass
class ReminderResult(BulkResult):
    """``changed``: tasks reminded; ``messages``: one per unit; ``sent``: handed to the mail
    server (0 when ``MAIL_SERVER`` is not set and the messages were only logged)."""

    messages: int = 0
    sent: int = 0
    units: int = 0
    mail_configured: bool = True


def send_reminders(
    tasks: Sequence[FollowUpTask],
    *,
    actor: User,
    config: Mapping[str, Any],
    today: date,
    base_url: str = "",
    effects: Effects | None = None,
) -> ReminderResult:
    """E-mail the active operators of each chosen task's unit now, one message per unit
    listing its chosen tasks. Verified tasks are skipped, and so are the tasks of a unit
    without an operator's address. With ``effects`` (a job) each message is sent and marked on
    its own, so a retried job does not send it twice."""
    require_tasks(tasks)
    result = ReminderResult(mail_configured=mail_configured(config))
    by_unit: dict[int, list[FollowUpTask]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for task in tasks:
        if task.status is TaskStatus.VERIFIED:
            result.skipped[_("sudah terverifikasi")] += 1
            continue
        by_unit[task.unit_id].append(task)
        units[task.unit_id] = task.unit
    recipients = operator_emails(by_unit)
    outgoing = []
    for unit_id, unit_tasks in by_unit.items():
        to = recipients.get(unit_id, [])
        if not to:
            result.skipped[_("unit belum punya e-mail operator")] += len(unit_tasks)
            continue
        msg = reminder_message(
            units[unit_id],
            unit_tasks,
            today=today,
            recipients=to,
            config=config,
            base_url=base_url,
        )
        outgoing.append((f"unit:{unit_id}", msg))
        result.changed += len(unit_tasks)
        result.units += 1
    result.messages = len(outgoing)
    try:
        if effects is None:
            result.sent = send_messages(config, [msg for _key, msg in outgoing])
        else:
            for i, (key, msg) in enumerate(outgoing, 1):
                if not effects.already(key):
                    result.sent += send_messages(config, [msg])
                    effects.mark(key)
                effects.checkpoint(i, len(outgoing))
    except MailError as err:
        raise DomainError(
            _(
                "Server e-mail menolak atau tidak dapat dihubungi (%(reason)s); "
                "pengingat belum terkirim semua.",
                reason=err.reason,
            )
        ) from err
    record(
        "followup.remind",
        actor=actor,
        summary=f"Pengingat {result.changed} tugas ke {result.units} unit",
        tasks=[t.id for t in tasks],
        sent=result.sent,
        skipped=result.skipped_total,
    )
    return result
