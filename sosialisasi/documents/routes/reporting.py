"""Laporan kegiatan pages: producing and downloading the report."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...events.models import EventStatus
from ...events.services import get_event_or_404
from ...extensions import db
from .. import files, queries, services
from ..models import FileKind
from .common import EDITORS, READERS, _missing, _pdf, bp


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
