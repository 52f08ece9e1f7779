"""The job's page: a progress bar that polls, then the result (or the error)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..common import uploads
from ..common.decorators import role_required
from ..common.errors import NotFound
from ..common.http import download_headers
from ..extensions import db
from . import labels, services
from .models import Job, JobStatus

bp = Blueprint("jobs", __name__, url_prefix="/tugas")


def _job(job_id: str) -> Job:
    try:
        return services.get_job_or_404(job_id, current_user)
    except NotFound:
        abort(404)


def plan_view(result: dict[str, Any]) -> SimpleNamespace:
    """A stored import plan in the shape of ``registration/_import_rows.html``."""
    from ..registration.imports.plan import Fate

    rows = [
        SimpleNamespace(
            number=r["number"],
            raw=r["raw"],
            fate=Fate(r["fate"]),
            reason=r["reason"],
            name=r["name"],
            nip=r["nip"],
            unit=SimpleNamespace(name=r["unit"]) if r["unit"] else None,
            status=SimpleNamespace(value=r["status"]),
        )
        for r in result.get("rows", [])
    ]
    return SimpleNamespace(
        counts=result["counts"],
        rows=rows,
        errors=[r for r in rows if r.fate is Fate.ERROR],
        unknown_headers=result.get("unknown_headers", []),
        header_row=result.get("header_row", 0),
        summary=lambda: result.get("summary", ""),
        readable=lambda: result.get("readable") or result.get("summary", ""),
        quota_refused=[SimpleNamespace(**r) for r in result.get("quota_refused", [])],
        over_quota=[None] * int(result.get("over_quota", 0)),
        total_rows=result.get("total_rows", len(rows)),
    )


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
    from ..events.models import Event
    from ..registration.forms import ImportConfirmForm

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
    if job.kind == "import.preview":
        event = db.session.get(Event, job.event_id)
        return render_template(
            "registration/import_preview.html",
            event=event,
            plan=plan_view(result),
            token=result["token"],
            confirm_form=ImportConfirmForm(token=result["token"]),
            filename=result["filename"],
        )
    if job.kind == "import.apply":
        event = db.session.get(Event, job.event_id)
        c = result["counts"]
        flash(
            _(
                "Impor selesai: %(imported)d baru, %(updated)d diperbarui, "
                "%(skipped)d duplikat dilewati, %(errors)d baris bermasalah.",
                **c,
            ),
            "success" if not c["errors"] else "warning",
        )
        return render_template(
            "registration/import_done.html",
            event=event,
            plan=plan_view(result),
            token=result["token"],
        )
    return None


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
