"""The kinds of job, named one by one. Each takes the ``Job`` and its context, calls its area's
services (the work itself lives there) and returns what the result page shows (JSON)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from ..auth.models import User
from ..common import uploads
from ..common.errors import NotFound
from ..events.models import Event
from ..extensions import db
from .models import Job

KindFn = Callable[[Job, Any], dict[str, Any] | None]
PREVIEW_ROWS = 1000


def _event(job: Job) -> Event:
    event = db.session.get(Event, job.event_id) if job.event_id else None
    if event is None:
        raise NotFound("")
    return event


def _actor(job: Job) -> User:
    user = db.session.get(User, job.user_id) if job.user_id else None
    if user is None:
        raise NotFound("")
    return user


def plan_rows(rows: list) -> list[dict[str, Any]]:
    """The rows of an import plan as the preview shows them (JSON)."""
    out = []
    for r in rows:
        raw = {
            k: (None if v is None else str(v))
            for k, v in r.raw.items()
            if k in ("name", "nip", "unit")
        }
        out.append(
            {
                "number": r.number,
                "raw": raw,
                "fate": r.fate.value,
                "reason": r.reason,
                "name": r.name,
                "nip": r.nip,
                "unit": r.unit.name if r.unit is not None else None,
                "status": r.status.value,
            }
        )
    return out


def plan_result(plan, token: str, filename: str, rows: list) -> dict[str, Any]:
    return {
        "token": token,
        "filename": filename,
        "counts": plan.counts,
        "summary": plan.summary(),
        "unknown_headers": list(plan.unknown_headers),
        "header_row": plan.header_row,
        "total_rows": len(plan.rows),
        "rows": plan_rows(rows[:PREVIEW_ROWS]),
    }


def import_preview(job: Job, ctx) -> dict[str, Any]:
    """Plan an uploaded file (nothing written but the staged file) for the preview page."""
    from ..registration.imports import staging

    event, actor = _event(job), _actor(job)
    params = job.params
    data = uploads.path_of(params["upload"]).read_bytes()
    try:
        staged = staging.stage(
            event,
            data,
            params["filename"],
            actor=actor,
            over_quota_reason=params.get("reason") or None,
            on_progress=ctx.progress,
        )
        result = plan_result(staged.plan, staged.token, staged.filename, staged.plan.rows)
    finally:
        db.session.rollback()  # a preview never writes
    uploads.path_of(params["upload"]).unlink(missing_ok=True)
    return result


def import_apply(job: Job, ctx) -> dict[str, Any]:
    """Write a staged file; committed with the job's ``done`` status (a retry after a killed
    worker finds either nothing written or the job done)."""
    from ..registration.imports import staging

    event, actor = _event(job), _actor(job)
    staged = staging.apply_staged(event, job.params["token"], actor=actor, on_progress=ctx.progress)
    ctx.after_commit(lambda: staging.forget_data(staged))
    return plan_result(staged.plan, staged.token, staged.filename, staged.plan.errors)


def followup_reminders(job: Job, ctx) -> dict[str, Any]:
    """The follow-up reminders (``flask followup remind``), one message per unit; each message
    is marked sent in the transaction after it, so a retry does not send it again."""
    from ..common.mail import send_messages
    from ..followup.commands import reminder_messages
    from ..followup.services import tasks as followup_tasks

    messages = reminder_messages(followup_tasks.today_wib(), int(job.params.get("days", 7)))
    sent = skipped = 0
    for i, (msg, addressed) in enumerate(messages, 1):
        key = f"{msg['To']}|{msg['Subject']}"
        if not addressed:
            skipped += 1
        elif not ctx.already(key):
            sent += send_messages(current_app.config, [msg])
            ctx.mark(key)
        ctx.checkpoint(i, len(messages))
    return {"messages": len(messages), "sent": sent, "without_address": skipped}


KINDS: dict[str, KindFn] = {
    "import.preview": import_preview,
    "import.apply": import_apply,
    "followup.reminders": followup_reminders,
}
