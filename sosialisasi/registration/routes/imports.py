"""The import page: upload and preview, confirm, download the rows in error."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError, NotFound
from ...common.http import arg_int, download_headers
from ...common.tabular import TableError
from ...events.services import get_event_or_404
from ...extensions import db
from ...jobs import services as jobs
from .. import imports
from ..forms import ImportConfirmForm, ImportForm
from ..imports import staging
from ._common import ORGANIZERS
from .blueprint import bp


def _not_found(err: NotFound):
    abort(404, err.message or None)


@bp.route("/acara/<int:event_id>/impor", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def import_upload(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        if len(data) > current_app.config["IMPORT_INLINE_MAX_BYTES"]:  # a big file: a job
            job = jobs.enqueue_import_preview(
                event, data, upload.filename or "", form.over_quota_reason.data, actor=current_user
            )
            db.session.commit()
            jobs.dispatch(job)
            return redirect(url_for("jobs.show", job_id=job.id), 303)
        try:
            staged = staging.stage(
                event,
                data,
                upload.filename or "",
                actor=current_user,
                over_quota_reason=form.over_quota_reason.data,
            )
        except (TableError, DomainError) as err:
            db.session.rollback()
            form.file.errors = [*form.file.errors, getattr(err, "message", None) or str(err)]
        else:
            db.session.rollback()  # a preview never writes
            return _staged_page(event, staged.token, applied=False)
    return render_template(
        "registration/import.html", event=event, form=form, columns=imports.COLUMNS
    ), (422 if form.errors else 200)


@bp.post("/acara/<int:event_id>/impor/<token>")
@role_required(*ORGANIZERS)
def import_confirm(event_id: int, token: str):
    event = get_event_or_404(event_id, current_user)
    try:
        size = staging.staged_size(event, token, actor=current_user)
    except NotFound as err:
        _not_found(err)
    if size > current_app.config["IMPORT_INLINE_MAX_BYTES"]:  # a big file: a job (once)
        job = jobs.enqueue(
            "import.apply",
            {"token": token},
            actor=current_user,
            event=event,
            key=f"import.apply:{token}",
        )
        db.session.commit()
        jobs.dispatch(job)
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    try:
        staged = staging.apply_staged(event, token, actor=current_user)
    except NotFound as err:
        _not_found(err)
    except (TableError, DomainError) as err:
        db.session.rollback()
        flash(getattr(err, "message", None) or str(err), "danger")
        return redirect(url_for("registration.import_upload", event_id=event.id))
    db.session.commit()
    staging.forget_data(staged)
    c = staged.plan.counts
    flash(
        _(
            "Impor selesai: %(imported)d baru, %(updated)d diperbarui, "
            "%(skipped)d duplikat dilewati, %(errors)d baris bermasalah.",
            **c,
        ),
        "success" if not c["errors"] else "warning",
    )
    return _staged_page(event, token, applied=True)


@bp.get("/acara/<int:event_id>/impor/<token>/baris")
@role_required(*ORGANIZERS)
def import_view(event_id: int, token: str):
    """A page of a staged file: the preview's rows, or after the import the rows in error."""
    event = get_event_or_404(event_id, current_user)
    try:
        return _staged_page(event, token, page=arg_int("page", 1) or 1)
    except NotFound as err:
        _not_found(err)


def _staged_page(event, token: str, *, page: int = 1, applied: bool | None = None):
    view = staging.staged_view(event, token, actor=current_user, page=page, applied=applied)
    return render_staged(event, view)


def render_staged(event, view: staging.StagedView) -> str:
    """The preview (before the import) or the result (after it) of a staged file."""
    if view.applied:
        return render_template("registration/import_done.html", event=event, view=view)
    return render_template(
        "registration/import_preview.html",
        event=event,
        view=view,
        confirm_form=ImportConfirmForm(token=view.token),
    )


@bp.get("/acara/<int:event_id>/impor/<token>/kesalahan.xlsx")
@role_required(*ORGANIZERS)
def import_errors(event_id: int, token: str):
    event = get_event_or_404(event_id, current_user)
    try:
        data = staging.errors_file(event, token, actor=current_user)
    except NotFound as err:
        _not_found(err)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=download_headers(f"kesalahan-impor-{event.id}.xlsx"),
    )
