"""Document pages: letterhead settings, surat undangan, notulen and files, laporan, sertifikat."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2 import Template
from sqlalchemy import select

from ..attendance.queries import eligible_registration_ids
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error, required
from ..common.http import bounded_int, download_headers
from ..events.models import Event, EventStatus
from ..events.services import get_event_or_404
from ..extensions import db, limiter
from ..jobs import services as jobs
from ..registration.models import Registration
from ..units.models import Unit
from ..units.services import unit_choices
from . import files, markup, queries, services
from .forms import (
    MARKUP_HELP,
    AddressingForm,
    LetterForm,
    LetterheadForm,
    ReportForm,
    RevokeForm,
    SignatoriesForm,
    UploadForm,
)
from .models import Certificate, EventFile, FileKind

bp = Blueprint("documents", __name__)

EDITORS = ("organizer",)
READERS = ("organizer", "verifier")


def _pdf(data: bytes, filename: str, *, inline: bool = True) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={**download_headers(filename, inline=inline), "Cache-Control": "private, no-store"},
    )


def _missing(event: Event | None, missing: list[services.Missing], document: str):
    return (
        render_template("documents/missing.html", event=event, missing=missing, document=document),
        409,
    )


def _verify_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("documents.public_verify", code=code)
    return url_for("documents.public_verify", code=code, _external=True)


@bp.app_template_global()
def render_markup(text: str | None) -> list[markup.Block]:
    return markup.parse(text)


def certificate_info(registration: Registration) -> dict:
    """What the ticket page shows about the participant's certificate."""
    event = registration.event
    if not services.certificates_open(event):
        return {"state": "not_yet"}
    cert = services.certificate_of(registration)
    if cert is not None and cert.revoked:
        return {"state": "revoked"}
    if cert is not None or services.is_eligible(registration):
        return {
            "state": "available",
            "url": url_for("documents.public_certificate", code=registration.ticket_code),
        }
    return {"state": "not_eligible", "rule": event.attendance_rule.label}


def certificate_for_ticket_page(
    sender: object, template: Template, context: dict, **extra: object
) -> None:
    """Receiver of Flask's ``before_render_template`` (connected in ``create_app``): the public
    ticket page (registration's) shows the participant's ``certificate`` (``certificate_info``)."""
    if template.name == "registration/ticket.html":
        context["certificate"] = certificate_info(context["registration"])


def setup_checklist_for_pages(
    sender: object, template: Template, context: dict, **extra: object
) -> None:
    """Receiver of ``before_render_template``: the home page (administrators, organizers) and
    an event page (organizers) get ``document_setup``, what the documents still need."""
    if not current_user.is_authenticated:
        return
    if template.name == "main/index.html" and current_user.has_role("organizer"):
        context["document_setup"] = services.setup_checklist()
    elif template.name == "events/detail.html" and current_user.has_role("organizer"):
        event = context.get("event")
        if event is not None and event.status is not EventStatus.CANCELLED:
            context["document_setup"] = services.setup_checklist(event)


# --- letterhead -------------------------------------------------------------------------------


@bp.route("/pengaturan/kop-surat", methods=["GET", "POST"])
@role_required()  # administrators only
def letterhead():
    current = services.get_letterhead()
    form = LetterheadForm(obj=current)
    if form.validate_on_submit():
        upload = form.logo.data
        logo = upload.read() if upload and getattr(upload, "filename", "") else None
        try:
            services.save_letterhead(
                services.LetterheadData(
                    government_name=form.government_name.data,
                    secretariat=form.secretariat.data,
                    address=form.address.data,
                    city=form.city.data,
                    phone=form.phone.data or "",
                    website=form.website.data or "",
                    email=form.email.data or "",
                    certificate_pattern=form.certificate_pattern.data or "",
                ),
                logo=logo,
                remove_logo=form.remove_logo.data,
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "logo")
        else:
            db.session.commit()
            flash(_("Kop surat disimpan."), "success")
            return redirect(url_for("documents.letterhead"))
    return render_template(
        "documents/letterhead.html",
        form=form,
        letterhead=current,
        missing=services.missing_letterhead(current),
    )


@bp.route("/pengaturan/sapaan-surat", methods=["GET", "POST"])
@role_required()  # administrators only
def addressing():
    """Per-unit addressee titles and protocol order of the surat undangan."""
    form = AddressingForm()
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        if unit is None:
            abort(404)
        services.save_addressing(
            unit,
            title=form.title.data or "",
            protocol_rank=form.protocol_rank.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("Sapaan surat untuk %(unit)s disimpan.", unit=unit.name), "success")
        return redirect(url_for("documents.addressing"))
    return render_template(
        "documents/addressing.html",
        form=form,
        overrides=services.addressing_overrides(),
        head_of=services.head_of,
    )


@bp.get("/pengaturan/kop-surat/logo")
@login_required
def logo():
    letterhead = services.get_letterhead()
    data = services.logo_bytes(letterhead)
    if data is None:
        abort(404)
    return Response(data, mimetype=letterhead.logo_mime or "image/png")


# --- surat undangan ---------------------------------------------------------------------------


@bp.route("/acara/<int:event_id>/dokumen/surat-undangan", methods=["GET", "POST"])
@role_required(*EDITORS)
def letter(event_id: int):
    event = get_event_or_404(event_id, current_user)
    current = services.get_letter(event)
    form = LetterForm(obj=current)
    if form.validate_on_submit():
        try:
            services.save_letter(
                event,
                services.LetterData(
                    nature=required(form.nature.data),
                    subject=required(form.subject.data),
                    attachment=form.attachment.data or "",
                    opening=form.opening.data or "",
                    note=form.note.data or "",
                    copies=form.copies.data or "",
                ),
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "subject")
        else:
            db.session.commit()
            flash(_("Isi surat undangan disimpan."), "success")
            return redirect(url_for("documents.letter", event_id=event.id))
    letterhead = services.get_letterhead()
    missing = services.missing_for_letter(event, letterhead)
    content = None
    if letterhead is not None:
        from .letters import build

        with force_locale("id"):  # the preview of an official document stays Indonesian
            content = build(event, current, letterhead)
    return render_template(
        "documents/letter.html", event=event, form=form, content=content, missing=missing
    )


@bp.get("/acara/<int:event_id>/dokumen/surat-undangan.pdf")
@role_required(*EDITORS)
def letter_pdf(event_id: int):
    event = get_event_or_404(event_id, current_user)
    letterhead = services.get_letterhead()
    missing = services.missing_for_letter(event, letterhead)
    if missing:
        return _missing(event, missing, _("Surat undangan"))
    assert letterhead is not None  # else it is listed as missing
    from .letters import build, render_invitation

    with force_locale("id"):  # an official document: Indonesian whatever the user's language
        content = build(event, services.get_letter(event), letterhead)
        data = render_invitation(content, services.logo_bytes(letterhead))
    return _pdf(data, f"surat-undangan-{event.id}.pdf")


@bp.route("/acara/<int:event_id>/dokumen/penanda-tangan", methods=["GET", "POST"])
@role_required(*EDITORS)
def signatories(event_id: int):
    """Who signs the undangan, the daftar hadir and laporan; how certificates are numbered."""
    event = get_event_or_404(event_id, current_user)
    form = SignatoriesForm(obj=event)
    if form.validate_on_submit():
        try:
            services.save_signatories(
                event,
                services.SignatoriesData(
                    **{name: getattr(form, name).data for name in SIGNATORY_FORM_FIELDS}
                ),
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "certificate_pattern")
        else:
            db.session.commit()
            flash(_("Penanda tangan dan penomoran disimpan."), "success")
            return redirect(url_for("documents.signatories", event_id=event.id))
    return render_template(
        "documents/signatories.html",
        event=event,
        form=form,
        missing=services.missing_signatory(event) + services.missing_report_signatory(event),
    )


SIGNATORY_FORM_FIELDS = tuple(services.SignatoriesData.__dataclass_fields__)


# --- notulen and documentation ----------------------------------------------------------------


@bp.route("/acara/<int:event_id>/dokumen/notulen", methods=["GET", "POST"])
@role_required(*EDITORS)
def minutes(event_id: int):
    event = get_event_or_404(event_id, current_user)
    report = services.get_report(event)
    form = ReportForm(obj=report)
    source = None
    if report is None and request.method == "GET":
        source = services.previous_report(event)
        if source is not None:
            form.background.data = source.background
            form.legal_basis.data = source.legal_basis
            form.purpose.data = source.purpose
    if form.validate_on_submit():
        try:
            services.save_report(
                event,
                services.ReportData(
                    **{
                        name: getattr(form, name).data or ""
                        for name in (
                            "background",
                            "legal_basis",
                            "purpose",
                            "minutes",
                            "conclusions",
                            "followup_plan",
                        )
                    },
                    number=form.number.data or "",
                    report_date=form.report_date.data,
                ),  # fmt: skip
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "minutes")
        else:
            db.session.commit()
            flash(_("Notulen disimpan."), "success")
            return redirect(url_for("documents.documentation", event_id=event.id))
    return render_template(
        "documents/minutes.html",
        event=event,
        form=form,
        editable=event.status in services.EDITABLE,
        markup_help=MARKUP_HELP,
        source=source,
    )


@bp.get("/acara/<int:event_id>/dokumen")
@login_required
def documentation(event_id: int):
    event = get_event_or_404(event_id, current_user)
    can_edit = current_user.has_role(*EDITORS)
    all_files = queries.event_files(event)
    return render_template(
        "documents/documentation.html",
        event=event,
        report=services.get_report(event),
        photos=[f for f in all_files if f.kind is FileKind.PHOTO],
        materials=[f for f in all_files if f.kind is FileKind.MATERIAL],
        upload_form=UploadForm() if can_edit else None,
        can_edit=can_edit and event.status in services.EDITABLE,
        can_report=current_user.has_role(*READERS),
    )


@bp.post("/acara/<int:event_id>/dokumen/berkas")
@role_required(*EDITORS)
def upload(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = UploadForm()
    upload = form.file.data
    if not form.validate_on_submit() or not upload or not getattr(upload, "filename", ""):
        flash(_("Pilih berkas yang akan diunggah."), "danger")
        return redirect(url_for("documents.documentation", event_id=event.id))
    try:
        saved = services.add_file(
            event,
            FileKind(form.kind.data),
            filename=upload.filename,
            data=upload.read(),
            caption=form.caption.data or "",
            actor=current_user,
        )
    except DomainError as err:
        db.session.rollback()
        flash(f"{upload.filename}: {err.message}", "danger")
    else:
        db.session.commit()
        flash(
            _("%(kind)s diunggah: %(name)s.", kind=saved.kind.label, name=saved.filename),
            "success",
        )
    return redirect(url_for("documents.documentation", event_id=event.id))


def _event_file(event: Event, file_id: int) -> EventFile:
    event_file = db.session.get(EventFile, file_id)
    if event_file is None or event_file.event_id != event.id:
        abort(404)
    return event_file


@bp.get("/acara/<int:event_id>/dokumen/berkas/<int:file_id>")
@login_required
def download(event_id: int, file_id: int):
    event = get_event_or_404(event_id, current_user)  # 404 for units not invited
    event_file = _event_file(event, file_id)
    try:
        path = files.absolute(event_file.path)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    inline = event_file.kind is FileKind.PHOTO or request.args.get("lihat") == "1"
    response = send_file(
        path,
        mimetype=event_file.mime,
        as_attachment=not inline,
        download_name=event_file.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/acara/<int:event_id>/dokumen/berkas/<int:file_id>/hapus")
@role_required(*EDITORS)
def delete(event_id: int, file_id: int):
    event = get_event_or_404(event_id, current_user)
    event_file = _event_file(event, file_id)
    name = event_file.filename
    try:
        services.delete_file(event_file, event, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        flash(_("Berkas dihapus: %(name)s.", name=name), "info")
    return redirect(url_for("documents.documentation", event_id=event.id))


# --- laporan kegiatan -------------------------------------------------------------------------


@bp.get("/acara/<int:event_id>/dokumen/laporan")
@role_required(*READERS)
def report(event_id: int):
    event = get_event_or_404(event_id, current_user)
    report = services.get_report(event)
    letterhead = services.get_letterhead()
    return render_template(
        "documents/report.html",
        event=event,
        report=report,
        missing=services.missing_for_report(event, report, letterhead),
        photos=len(queries.event_files(event, FileKind.PHOTO)),
        can_produce=current_user.has_role(*EDITORS) and event.status is EventStatus.FINISHED,
    )


@bp.post("/acara/<int:event_id>/dokumen/laporan")
@role_required(*EDITORS)
def produce(event_id: int):
    event = get_event_or_404(event_id, current_user)
    missing = services.missing_for_report(
        event, services.get_report(event), services.get_letterhead()
    )
    if missing:
        return _missing(event, missing, _("Laporan kegiatan"))
    try:
        services.produce_report(event, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        flash(_("Laporan kegiatan dibuat. Acara kini dapat ditandai 'Dilaporkan'."), "success")
    return redirect(url_for("documents.report", event_id=event.id))


@bp.get("/acara/<int:event_id>/dokumen/laporan.pdf")
@role_required(*READERS)
def report_pdf(event_id: int):
    event = get_event_or_404(event_id, current_user)
    report = services.get_report(event)
    if report is None or not report.pdf_path:
        flash(_("Laporan kegiatan belum dibuat."), "warning")
        return redirect(url_for("documents.report", event_id=event.id))
    try:
        data = files.absolute(report.pdf_path).read_bytes()
    except OSError:
        abort(404)
    return _pdf(data, f"laporan-kegiatan-{event.id}.pdf")


# --- sertifikat -------------------------------------------------------------------------------


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
