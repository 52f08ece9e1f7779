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


def followup_task_reminders(job: Job, ctx) -> dict[str, Any]:
    """Reminders for the tasks Bagian Organisasi chose on the task list (more than a request
    should send): one message per unit, each marked sent in the transaction after it, so a
    retry does not send it again."""
    from ..followup import queries
    from ..followup.services import bulk
    from ..followup.services import tasks as followup_tasks

    actor = _actor(job)
    tasks = queries.tasks_by_ids([int(i) for i in job.params.get("task_ids", [])])
    result = bulk.send_reminders(
        tasks,
        actor=actor,
        config=current_app.config,
        today=followup_tasks.today_wib(),
        base_url=job.params.get("base_url") or "",
        effects=ctx,
    )
    return {
        "tasks": len(tasks),
        "reminded": result.changed,
        "messages": result.messages,
        "sent": result.sent,
        "skipped": result.skipped_text() or "-",
    }


def followup_evidence_bundle(job: Job, ctx) -> dict[str, Any]:
    """A unit's evidence bundle (ZIP) for the field visit; the ZIP is written with the ``done``
    commit, so a retried job leaves one file."""
    from ..followup.bundle import evidence_bundle
    from ..units.models import ServiceProduct, Unit

    unit = db.session.get(Unit, job.params.get("unit_id"))
    if unit is None:
        raise NotFound("")
    product = None
    if job.params.get("product_id"):
        product = db.session.get(ServiceProduct, job.params["product_id"])
        if product is None or product.unit_id != unit.id:
            raise NotFound("")
    data, entries = evidence_bundle(
        unit,
        product=product,
        upload_folder=current_app.config["UPLOAD_FOLDER"],
        on_progress=ctx.progress,
    )
    job.result_file = uploads.store("jobs", data, "zip")
    return {
        "download_name": job.params["filename"],
        "tasks": len(entries),
        "files": sum(len(e.files) for e in entries),
        "bytes": len(data),
    }


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
    queries.share_event(regs, event)
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
    """E-mail participants their ticket, once per job: a message sent is marked (with the
    registration's ``ticket_sent_at``) in the transaction after it, so a retry skips it.

    Without ``ids``: every registered participant with an address whose ticket was not sent yet
    (``registration.queries.ticket_mail_ids``, the "Kirim tiket ke semua" button). With ``ids``
    (the organizer's selection, ``registration.bulk.start_ticket_mail``): those registrations,
    sent again if asked; the ones skipped are counted by reason, and those without an address
    (or every one, without a mail server) get a WhatsApp text as the single-ticket page gives."""
    from collections import Counter

    from ..common.errors import DomainError
    from ..registration import bulk, delivery, queries
    from ..registration.models import Registration, RegistrationStatus

    event = _event(job)
    chosen = job.params.get("ids")
    skipped: Counter[str] = Counter()
    whatsapp: list[dict[str, str]] = []
    if chosen is None:
        ids = queries.ticket_mail_ids(event)
    else:
        ids = []
        with _links(job):
            for row in bulk.load([int(i) for i in chosen], event):
                reason = bulk.ticket_skip_reason(row)
                if reason is None:
                    ids.append(row.id)
                    continue
                skipped[reason] += 1
                if row.status is RegistrationStatus.REGISTERED:  # no address: WhatsApp
                    whatsapp.append(
                        {"name": row.person.name, "url": delivery.whatsapp_ticket_link(row)}
                    )
    resend = chosen is not None
    mailing = delivery.can_email()
    sent = failed = 0
    with _links(job):
        for i, reg_id in enumerate(ids, 1):
            reg = db.session.get(Registration, reg_id)
            key = f"ticket:{reg_id}"
            if reg is not None and (resend or reg.ticket_sent_at is None) and not ctx.already(key):
                try:
                    went = delivery.send_ticket(reg).sent
                    sent += went
                    ctx.mark(key)
                    if not went and len(whatsapp) < 1000:
                        whatsapp.append(
                            {"name": reg.person.name, "url": delivery.whatsapp_ticket_link(reg)}
                        )
                except DomainError:
                    failed += 1
            ctx.checkpoint(i, len(ids))
    result: dict[str, Any] = {"participants": len(ids), "sent": sent, "failed": failed}
    if chosen is not None:
        result["summary"] = bulk.ticket_summary(
            sent=sent, failed=failed, skipped=skipped, mailing=mailing
        )
        result["whatsapp"] = whatsapp[:1000]
    return result


def registration_bulk(job: Job, ctx) -> dict[str, Any]:
    """Approve, cancel or move to the waiting list many registrations
    (``registration.bulk.start_job``); those who moved up from the waiting list are told after
    the commit, as the page does."""
    from ..registration import bulk, delivery

    event, actor = _event(job), _actor(job)
    action = bulk.BulkAction(job.params["action"])
    selection = bulk.Selection(ids=[int(i) for i in job.params["ids"]])
    result = bulk.apply(
        event,
        action,
        selection,
        actor=actor,
        reason=job.params.get("reason") or None,
        on_progress=ctx.progress,
    )
    promoted = [reg.id for reg in result.promoted]

    def notify() -> None:
        from ..registration.models import Registration

        regs = [r for r in (db.session.get(Registration, i) for i in promoted) if r is not None]
        with _links(job):
            if delivery.notify_promoted(regs):
                db.session.commit()

    if promoted:
        ctx.after_commit(notify)
    return {
        "summary": result.message(),
        "changed": len(result.changed),
        "skipped": result.skipped_total,
    }


def operator_passwords(job: Job, ctx) -> dict[str, Any]:
    """E-mail each new operator account a fresh initial password, once: the password is made
    inside the job (never in its parameters, its result or the log), set when the server took
    the message, and the account marked done in the same commit, so a retry skips it."""
    from ..auth.services import mail_initial_password
    from ..common.mail import MailError

    ids = [int(i) for i in job.params.get("user_ids", [])]
    sent = failed = skipped = 0
    for i, user_id in enumerate(ids, 1):
        key = f"password:{user_id}"
        user = db.session.get(User, user_id)
        if user is None or not user.active or not user.must_change_password:
            skipped += 1  # gone, or already chose their own password
        elif not ctx.already(key):
            try:
                if mail_initial_password(
                    user, config=current_app.config, login_url=job.params["login_url"]
                ):
                    sent += 1
                    ctx.mark(key)
                else:
                    skipped += 1
            except MailError:
                failed += 1
        ctx.checkpoint(i, len(ids))
    return {"accounts": len(ids), "sent": sent, "failed": failed, "skipped": skipped}


def invitation_notices(job: Job, ctx) -> dict[str, Any]:
    """ "Kirim ke semua" by e-mail: each invited unit's notice to its operators, once (a unit
    marked sent is skipped on a retry), with progress."""
    from flask import url_for

    from ..registration import notices, unit_links
    from ..registration.models import MessageKind

    event = _event(job)
    kind = MessageKind(job.params.get("kind", "undangan"))
    with _links(job):
        items = notices.notices(
            event,
            job.params["template"],
            link=lambda e: url_for("registration.delegates", event_id=e.id, _external=True),
            unit_links=unit_links.live_urls(event),
            kind=kind,
        )
    sent = without = 0
    ctx.progress(0, len(items))
    for i, notice in enumerate(items, 1):
        key = f"notice:{notice.invitation.unit_id}"
        if not notice.emails:
            without += 1
        elif not ctx.already(key):
            sent += notices.send_notice(current_app.config, event, notice, kind)
            ctx.mark(key)
        ctx.checkpoint(i, len(items))
    return {"units": len(items), "sent": sent, "without_email": without}


KINDS: dict[str, KindFn] = {
    "registration.notices": invitation_notices,
    "auth.operator_passwords": operator_passwords,
    "registration.bulk": registration_bulk,
    "registration.ticket_mail": ticket_mail,
    "import.preview": import_preview,
    "import.apply": import_apply,
    "followup.reminders": followup_reminders,
    "followup.task_reminders": followup_task_reminders,
    "followup.evidence_bundle": followup_evidence_bundle,
    "registration.badges": registration_badges,
    "attendance.list_pdf": attendance_list,
    "documents.certificates_pdf": certificates,
}
