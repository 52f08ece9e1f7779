"""Sertifikat pages: issuing, revoking, downloading, and the public verification and
participant download (no login)."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...attendance.queries import eligible_registration_ids
from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.http import bounded_int
from ...events.models import Event
from ...events.services import get_event_or_404
from ...extensions import db, limiter
from ...jobs import services as jobs
from ...registration.models import Registration
from .. import services
from ..forms import (
    RevokeForm,
)
from ..models import Certificate
from .common import EDITORS, _missing, _pdf, _verify_url, bp


@bp.get("/acara/<int:event_id>/dokumen/sertifikat")
@role_required(*EDITORS)
def certificates(event_id: int):
    event = get_event_or_404(event_id, current_user)
    certs = services.event_certificates(event)
    eligible = eligible_registration_ids(event)
    issued = {c.registration_id for c in certs}
    return render_template(
        "documents/certificates.html",
        event=event,
        certificates=certs,
        eligible=len(eligible),
        pending=len(eligible - issued),
        is_open=services.certificates_open(event),
        missing=services.missing_for_certificate(event, services.get_letterhead()),
        revoke_form=RevokeForm(),
        per_unit=services.certificates_per_unit(event),
    )


@bp.post("/acara/<int:event_id>/dokumen/sertifikat/terbitkan")
@role_required(*EDITORS)
def issue(event_id: int):
    event = get_event_or_404(event_id, current_user)
    try:
        issued = services.issue_certificates(event, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        if issued:
            flash(_("%(count)d sertifikat diterbitkan.", count=len(issued)), "success")
        else:
            flash(_("Tidak ada peserta memenuhi syarat yang belum memiliki sertifikat."), "info")
    return redirect(url_for("documents.certificates", event_id=event.id))


def _render_certs(event: Event, certs: list[Certificate], filename: str):
    missing = services.missing_for_certificate(event, services.get_letterhead())
    if missing:
        return _missing(event, missing, _("Sertifikat"))
    try:
        data = services.render_certificates_pdf(event, certs, verify_url=_verify_url)
    except DomainError as err:
        flash(err.message, "warning")
        return redirect(url_for("documents.certificates", event_id=event.id))
    return _pdf(data, filename)


@bp.get("/acara/<int:event_id>/dokumen/sertifikat.pdf")
@role_required(*EDITORS)
def certificates_pdf(event_id: int):
    event = get_event_or_404(event_id, current_user)
    unit_id = request.args.get("unit", type=bounded_int)
    certs = services.event_certificates(event, unit_id=unit_id, valid_only=True)
    suffix = f"-unit-{unit_id}" if unit_id else ""
    if len(certs) > jobs.pdf_job_min_rows():  # many pages: made by a job (issue 18)
        if services.missing_for_certificate(event, services.get_letterhead()):
            return _render_certs(event, certs, "")  # the page that says what is missing
        job = jobs.start_pdf(
            "documents.certificates_pdf",
            {
                "unit_id": unit_id,
                "filename": f"sertifikat-{event.id}{suffix}.pdf",
                "base_url": request.host_url,
            },
            actor=current_user,
            event=event,
        )
        db.session.commit()
        jobs.dispatch(job)
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    return _render_certs(event, certs, f"sertifikat-{event.id}{suffix}.pdf")


@bp.get("/acara/<int:event_id>/dokumen/sertifikat/<int:cert_id>.pdf")
@role_required(*EDITORS)
def certificate_pdf(event_id: int, cert_id: int):
    event = get_event_or_404(event_id, current_user)
    cert = db.session.get(Certificate, cert_id)
    if cert is None or cert.event_id != event.id:
        abort(404)
    return _render_certs(event, [cert], f"sertifikat-{cert.sequence:03d}.pdf")


@bp.post("/acara/<int:event_id>/dokumen/sertifikat/<int:cert_id>/cabut")
@role_required(*EDITORS)
def revoke(event_id: int, cert_id: int):
    event = get_event_or_404(event_id, current_user)
    cert = db.session.get(Certificate, cert_id)
    if cert is None or cert.event_id != event.id:
        abort(404)
    form = RevokeForm()
    try:
        services.revoke_certificate(cert, reason=form.reason.data or "", actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        flash(_("Sertifikat %(number)s dicabut.", number=cert.number), "info")
    return redirect(url_for("documents.certificates", event_id=event.id))


# --- public -----------------------------------------------------------------------------------


@bp.get("/verifikasi/<code>")
@limiter.limit("60 per minute")
def public_verify(code: str):
    cert = services.find_certificate(code)
    if cert is None:
        return render_template("documents/verify.html", cert=None, code=code), 404
    return render_template("documents/verify.html", cert=cert, event=cert.event, code=code)


@bp.get("/sertifikat/<code>.pdf")
@limiter.limit("30 per minute")
def public_certificate(code: str):
    registration = db.session.scalar(select(Registration).where(Registration.ticket_code == code))
    if registration is None:
        return render_template(
            "documents/public_message.html",
            title=_("Tiket tidak ditemukan"),
            message=_("Kode tiket tidak dikenal. Periksa kembali tautan pada tiket Anda."),
        ), 404
    event = registration.event
    letterhead = services.get_letterhead()
    if services.missing_for_certificate(event, letterhead):
        return render_template(
            "documents/public_message.html",
            title=_("Sertifikat belum tersedia"),
            message=_("Panitia masih melengkapi data sertifikat. Silakan coba lagi nanti."),
        ), 409
    try:
        cert = services.certificate_for_participant(registration)
    except DomainError as err:
        db.session.rollback()
        return render_template(
            "documents/public_message.html",
            title=_("Sertifikat tidak tersedia"),
            message=err.message,
        ), err.status
    db.session.commit()
    data = services.render_certificates_pdf(event, [cert], verify_url=_verify_url)
    return _pdf(data, f"sertifikat-{cert.sequence:03d}.pdf", inline=False)
