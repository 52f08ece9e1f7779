"""The kinds of job, named one by one. Each takes the ``Job`` and its context, calls its area's
services (the work itself lives there) and returns what the result page shows (JSON)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app

from ..auth.models import User
from ..common import uploads
from ..common.errors import NotFound
from ..events.models import Event
from ..extensions import db
from .models import Job

KindFn = Callable[[Job, Any], dict[str, Any] | None]


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


def plan_result(staged) -> dict[str, Any]:
    """What an import job's page needs besides the staged rows (which stay in the staging
    folder and are read a page at a time): the token, the file's name and the counts."""
    from ..registration.imports.staging import Summary

    summary = Summary.of(staged.plan)
    return {
        "token": staged.token,
        "filename": staged.filename,
        "summary": staged.plan.summary(),
        "readable": summary.readable(),
        **summary.dump(),
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
        result = plan_result(staged)
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
    return plan_result(staged)


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


@contextmanager
def _links(job: Job) -> Iterator[None]:
    """Links in documents (ticket and verification URLs) as the starting request would build
    them: a request context on the host that started the job (``params["base_url"]``)."""
    base = job.params.get("base_url") or current_app.config.get("PUBLIC_BASE_URL")
    with current_app.test_request_context("/", base_url=base or "http://localhost/"):
        yield


def _pdf_result(job: Job, data: bytes, name: str, rows: int) -> dict[str, Any]:
    """The PDF waits in the shared upload folder; it is written with the ``done`` commit."""
    job.result_file = uploads.store("jobs", data, "pdf")
    return {"download_name": name, "rows": rows, "bytes": len(data)}


def registration_badges(job: Job, ctx) -> dict[str, Any]:
    """The A6 badges of an event (``/acara/<id>/kartu.pdf``) for many participants."""
    from werkzeug.datastructures import MultiDict

    from ..registration import queries, services, tickets
    from ..registration.models import RegistrationStatus
    from ..registration.registrations import note_download

    event, actor = _event(job), _actor(job)
    filters = queries.Filters.from_args(MultiDict(job.params.get("args", {})))
    filters.status = RegistrationStatus.REGISTERED
    stmt = queries.registrations(event, filters, unit_id=job.params.get("unit_id"))
    regs = db.session.scalars(stmt).unique().all()
    for reg in regs:
        reg.event = event
    ctx.progress(0, len(regs))
    with _links(job):
        data = tickets.badges_pdf(regs, services.ticket_url)
    note_download(
        event,
        actor=actor,
        action="registration.badges",
        summary=f"{len(regs)} kartu peserta",
        ip=job.params.get("ip"),
    )
    return _pdf_result(job, data, f"kartu-acara-{event.id}.pdf", len(regs))


def attendance_list(job: Job, ctx) -> dict[str, Any]:
    """The daftar hadir PDF of an event (``/acara/<id>/daftar-hadir.pdf``) for many rows."""
    from ..attendance.documents import daftar_hadir_pdf
    from ..audit.services import record
    from ..events.models import EventSession

    event, actor = _event(job), _actor(job)
    session_id = job.params.get("session_id")
    session = db.session.get(EventSession, session_id) if session_id else None
    blank = bool(job.params.get("blank"))
    with _links(job):
        data = daftar_hadir_pdf(event, blank=blank, session=session)
    if not blank:
        record(
            "attendance.export",
            actor=actor,
            obj=event,
            summary="Daftar hadir (PDF)",
            ip=job.params.get("ip"),
            format="pdf",
        )
    return _pdf_result(job, data, job.params["filename"], int(job.params.get("rows", 0)))


def certificates(job: Job, ctx) -> dict[str, Any]:
    """The certificates of an event in one PDF (``/acara/<id>/dokumen/sertifikat.pdf``)."""
    from flask import url_for

    from ..documents import services

    event = _event(job)
    certs = services.event_certificates(event, unit_id=job.params.get("unit_id"), valid_only=True)
    base = current_app.config.get("PUBLIC_BASE_URL")

    def verify_url(code: str) -> str:
        if base:
            return base.rstrip("/") + url_for("documents.public_verify", code=code)
        return url_for("documents.public_verify", code=code, _external=True)

    ctx.progress(0, len(certs))
    with _links(job):
        data = services.render_certificates_pdf(event, certs, verify_url=verify_url)
    return _pdf_result(job, data, job.params["filename"], len(certs))


def ticket_mail(job: Job, ctx) -> dict[str, Any]:
    """E-mail each registered participant with an address their ticket, once: a person whose
    ticket was sent (``ticket_sent_at``, committed after each message) is skipped on a retry."""
    from sqlalchemy import select

    from ..common.errors import DomainError
    from ..registration import delivery
    from ..registration.models import Person, Registration, RegistrationStatus

    event = _event(job)
    ids = db.session.scalars(
        select(Registration.id)
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.ticket_sent_at.is_(None),
            Person.email.is_not(None),
        )
        .order_by(Registration.id)
    ).all()
    sent = failed = 0
    with _links(job):
        for i, reg_id in enumerate(ids, 1):
            reg = db.session.get(Registration, reg_id)
            key = f"ticket:{reg_id}"
            if reg is not None and reg.ticket_sent_at is None and not ctx.already(key):
                try:
                    sent += delivery.send_ticket(reg).sent
                    ctx.mark(key)
                except DomainError:
                    failed += 1
            ctx.checkpoint(i, len(ids))
    return {"participants": len(ids), "sent": sent, "failed": failed}


KINDS: dict[str, KindFn] = {
    "registration.ticket_mail": ticket_mail,
    "import.preview": import_preview,
    "import.apply": import_apply,
    "followup.reminders": followup_reminders,
    "registration.badges": registration_badges,
    "attendance.list_pdf": attendance_list,
    "documents.certificates_pdf": certificates,
}
