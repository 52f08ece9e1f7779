"""Notulen and documentation pages: the report form, photos and materials."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...events.models import Event
from ...events.services import get_event_or_404
from ...extensions import db
from .. import files, queries, services
from ..forms import (
    MARKUP_HELP,
    ReportForm,
    UploadForm,
)
from ..models import EventFile, FileKind
from .common import EDITORS, READERS, bp


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
