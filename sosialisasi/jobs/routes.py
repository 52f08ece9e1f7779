"""The job's page: a progress bar that polls, then the result (or the error)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..common import uploads
from ..common.decorators import role_required
from ..common.errors import NotFound
from ..common.http import arg_int, download_headers
from ..extensions import db
from . import labels, services
from .models import Job, JobStatus

bp = Blueprint("jobs", __name__, url_prefix="/tugas")


def _job(job_id: str) -> Job:
    try:
        return services.get_job_or_404(job_id, current_user)
    except NotFound:
        abort(404)


def _back(job: Job) -> str | None:
    if job.kind.startswith("import.") and job.event_id:
        return url_for("registration.import_upload", event_id=job.event_id)
    if job.kind in ("registration.notices", "auth.operator_passwords") and job.event_id:
        return url_for("registration.invitations", event_id=job.event_id)
    if job.kind == "followup.evidence_bundle" and job.params.get("unit_id"):
        return url_for("followup.unit_view", unit_id=job.params["unit_id"])
    if job.kind == "followup.task_reminders":
        return url_for("followup.tasks")
    if job.kind in ("registration.ticket_mail", "registration.bulk") and job.event_id:
        args = {str(k): str(v) for k, v in (job.params.get("list_args") or {}).items()}
        url = url_for("registration.registrations", event_id=job.event_id)
        return url + ("?" + urlencode(args) if args else "")
    return None


def _result_page(job: Job):
    """An import job's page: the staged file's preview, or the import's result, a page of rows
    at a time (``?page=``)."""
    from ..auth.models import User
    from ..events.models import Event
    from ..registration.forms import ImportConfirmForm
    from ..registration.imports import staging

    result = job.result or {}
    if job.kind == "auth.operator_passwords":
        flash(
            _(
                "%(sent)d kata sandi awal terkirim lewat e-mail, %(failed)d gagal. Akun yang "
                "gagal: atur kata sandinya dari halaman Pengguna.",
                sent=result.get("sent", 0),
                failed=result.get("failed", 0),
            ),
            "success" if not result.get("failed") else "warning",
        )
        return None
    if job.kind == "registration.notices":
        flash(
            _(
                "%(sent)d e-mail pemberitahuan terkirim ke operator unit; %(without)d unit tanpa "
                "e-mail operator (kirim lewat WhatsApp).",
                sent=result.get("sent", 0),
                without=result.get("without_email", 0),
            ),
            "success",
        )
        return None
    if job.kind not in ("import.preview", "import.apply"):
        return None
    event = db.session.get(Event, job.event_id)
    owner = db.session.get(User, job.user_id)
    if event is None or owner is None or "token" not in result:
        return None
    applied = job.kind == "import.apply"
    try:
        view = staging.staged_view(
            event,
            result["token"],
            actor=owner,
            page=arg_int("page", 1) or 1,
            applied=applied,
            counts=result if "counts" in result else None,
        )
    except NotFound:
        return None
    if not applied:
        return render_template(
            "registration/import_preview.html",
            event=event,
            view=view,
            confirm_form=ImportConfirmForm(token=view.token),
        )
    c = view.summary.counts
    flash(
        _(
            "Impor selesai: %(imported)d baru, %(updated)d diperbarui, "
            "%(skipped)d duplikat dilewati, %(errors)d baris bermasalah.",
            **c,
        ),
        "success" if not c["errors"] else "warning",
    )
    return render_template("registration/import_done.html", event=event, view=view)


@bp.get("/<job_id>")
@login_required
def show(job_id: str):
    job = _job(job_id)
    if job.status == JobStatus.DONE:
        page = _result_page(job)
        if page is not None:
            return page
    return render_template(
        "jobs/show.html", job=job, state=services.state(job), back=_back(job), labels=labels
    )


@bp.get("/<job_id>/status.json")
@login_required
def status(job_id: str):
    job = _job(job_id)
    response = jsonify(services.state(job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<job_id>/berkas")
@login_required
def download(job_id: str):
    job = _job(job_id)
    if job.status != JobStatus.DONE or not job.result_file or not uploads.exists(job.result_file):
        abort(404)
    name = (job.result or {}).get("download_name") or job.result_file.rsplit("/", 1)[-1]
    response = send_file(uploads.path_of(job.result_file), max_age=0)
    response.headers.update(download_headers(name))
    return response


@bp.get("/")
@login_required
def mine():
    jobs = db.session.scalars(
        db.select(Job)
        .where(Job.user_id == current_user.id)
        .order_by(Job.created_at.desc())
        .limit(50)
    ).all()
    return render_template("jobs/list.html", jobs=jobs, labels=labels)


@bp.post("/acara/<int:event_id>/kirim-tiket")
@role_required("organizer")
def send_tickets(event_id: int):
    """Send every registered participant their ticket by e-mail (a job; once per person)."""
    from flask import request

    from ..events.services import get_event_or_404

    event = get_event_or_404(event_id, current_user)
    job = services.enqueue(
        "registration.ticket_mail",
        {"base_url": request.host_url},
        actor=current_user,
        event=event,
    )
    db.session.commit()
    services.dispatch(job)
    return redirect(url_for("jobs.show", job_id=job.id), 303)
