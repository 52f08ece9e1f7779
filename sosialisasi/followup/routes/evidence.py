"""Evidence of a task: upload a file, add a link, remove one, download a file."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.http import download_headers
from ...extensions import db
from ..forms import EvidenceFileForm, EvidenceLinkForm
from ..models import Evidence, EvidenceKind
from ..services import evidence as services
from ..services.tasks import can_download, can_see_task
from .blueprint import bp
from .helpers import refuse
from .tasks import workflow_step


@bp.post("/tugas/<int:task_id>/bukti")
@role_required("unit_operator")
def evidence_upload(task_id: int):
    def upload(task, form):
        file = form.file.data
        services.add_evidence_file(
            task,
            filename=file.filename if file else None,
            data=file.read() if file else b"",
            upload_folder=current_app.config["UPLOAD_FOLDER"],
            description=form.description.data or "",
            actor=current_user,
        )

    return workflow_step(
        task_id, EvidenceFileForm(), "file_form", upload, "file", _("Bukti diunggah."), "success"
    )


@bp.post("/tugas/<int:task_id>/tautan")
@role_required("unit_operator")
def evidence_link(task_id: int):
    return workflow_step(
        task_id,
        EvidenceLinkForm(),
        "link_form",
        lambda task, form: services.add_evidence_link(
            task, url=form.url.data, description=form.description.data or "", actor=current_user
        ),
        "url",
        _("Tautan bukti disimpan."),
        "success",
    )


@bp.post("/bukti/<int:evidence_id>/hapus")
@role_required("unit_operator")
def evidence_delete(evidence_id: int):
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or not can_see_task(current_user, evidence.task):
        abort(404)
    target = url_for("followup.task_detail", task_id=evidence.task_id)
    try:
        services.remove_evidence(
            evidence, upload_folder=current_app.config["UPLOAD_FOLDER"], actor=current_user
        )
    except DomainError as err:
        return refuse(err, target)
    db.session.commit()
    flash(_("Bukti dihapus."), "success")
    return redirect(target)


def downloadable_or_404(evidence_id: int) -> Evidence:
    """A stored evidence file the current user may download (404 otherwise)."""
    evidence = db.session.get(Evidence, evidence_id)
    if (
        evidence is None
        or evidence.kind is not EvidenceKind.FILE
        or evidence.stored_name is None
        or not can_download(current_user, evidence.task)
    ):
        abort(404)
    return evidence


def send_evidence(evidence: Evidence, *, mimetype: str, inline: bool = False):
    try:
        path = services.evidence_path(evidence.stored_name, current_app.config["UPLOAD_FOLDER"])
        handle = open(path, "rb")  # noqa: SIM115 - send_file closes it
    except FileNotFoundError:
        abort(404)
    response = send_file(handle, mimetype=mimetype)
    response.headers.update(
        download_headers(evidence.original_name or evidence.stored_name or "", inline=inline)
    )
    return response


@bp.get("/bukti/<int:evidence_id>")
@role_required("unit_operator", "verifier")
def evidence_download(evidence_id: int):
    evidence = downloadable_or_404(evidence_id)
    return send_evidence(evidence, mimetype=evidence.content_type or "application/octet-stream")


@bp.get("/bukti/<int:evidence_id>/lihat")
@role_required("unit_operator", "verifier")
def evidence_view(evidence_id: int):
    """The file shown inside the task page (an image, or a PDF in a frame): the same check as
    the download, only the types of ``PREVIEWS``, and a policy that lets our pages frame it."""
    evidence = downloadable_or_404(evidence_id)
    if services.preview_kind(evidence) is None:
        abort(404)
    content_type = (evidence.content_type or "").lower()
    response = send_evidence(evidence, mimetype=content_type, inline=True)
    response.headers["Content-Security-Policy"] = services.PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
