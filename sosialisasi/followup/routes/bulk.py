"""Bulk work on the task list (Bagian Organisasi): a new deadline for the chosen tasks, a
reminder to their units now (a job when many). The chosen tasks are the ``tugas`` checkboxes,
or every task the list's filters select ("pilih semua yang tersaring"); the filters come back
with the post, so the list is shown again as it was."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...common.http import bounded_int
from ...extensions import db
from ...jobs import services as jobs
from .. import queries
from ..forms import BulkTasksForm
from ..services import bulk as services
from .blueprint import bp
from .helpers import PLANNERS, refuse, today
from .tasks import tasks_page

JOB_MIN_TASKS = 50  # more reminders than this are sent by a job (BULK_REMINDER_JOB_MIN)


def _page() -> int:
    try:
        return max(1, bounded_int(request.form.get("page") or "1"))
    except ValueError:
        return 1


def _chosen(form: BulkTasksForm, filters: queries.TaskFilters) -> list[int]:
    """The ids of the chosen tasks: every filtered one, or the ticked boxes."""
    if form.all_filtered.data:
        return queries.filtered_task_ids(filters, today=today())
    ids = set()
    for value in request.form.getlist("tugas"):
        try:
            ids.add(bounded_int(value))
        except ValueError:
            continue
    return sorted(ids)


def _back(filters: queries.TaskFilters) -> str:
    args: dict[str, Any] = {**filters.to_args()}
    if _page() > 1:
        args["page"] = _page()
    return url_for("followup.tasks", **args)


def _skipped(result: services.BulkResult) -> str:
    if not result.skipped_total:
        return ""
    return " " + _(
        "Dilewati %(n)d tugas: %(reasons)s.", n=result.skipped_total, reasons=result.skipped_text()
    )


@bp.post("/tugas/massal/tenggat")
@role_required(*PLANNERS)
def bulk_deadline():
    form = BulkTasksForm()
    filters = queries.TaskFilters.from_args(request.form)
    ids = _chosen(form, filters)

    def again(err: DomainError | None = None):
        if err is not None:
            add_error(form, err, "due_date")
        return tasks_page(filters, page_number=_page(), bulk_form=form, selected=ids, status=422)

    if not form.validate_on_submit():
        return again()
    try:
        result = services.change_deadlines(
            queries.tasks_by_ids(ids),
            due_date=form.due_date.data,
            actor=current_user,
            today=today(),
            confirm_past=form.confirm_past.data,
        )
    except DomainError as err:
        db.session.rollback()
        return again(err)
    db.session.commit()
    due = form.due_date.data
    assert due is not None  # change_deadlines refuses an empty deadline
    flash(
        _("Tenggat %(n)d tugas diubah menjadi %(due)s.", n=result.changed, due=f"{due:%d-%m-%Y}")
        + _skipped(result),
        "success" if result.changed else "warning",
    )
    return redirect(_back(filters), 303)


@bp.post("/tugas/massal/pengingat")
@role_required(*PLANNERS)
def bulk_remind():
    form = BulkTasksForm()
    filters = queries.TaskFilters.from_args(request.form)
    if not form.validate_on_submit():
        return tasks_page(filters, page_number=_page(), bulk_form=form, status=422)
    ids = _chosen(form, filters)
    if len(ids) > int(current_app.config.get("BULK_REMINDER_JOB_MIN", JOB_MIN_TASKS)):
        digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
        job = jobs.enqueue(
            "followup.task_reminders",
            {"task_ids": ids, "base_url": request.host_url},
            actor=current_user,
            key=f"followup.task_reminders:{current_user.id}:{today().isoformat()}:{digest}",
            total=len(ids),
        )
        db.session.commit()
        jobs.dispatch(job)
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    try:
        result = services.send_reminders(
            queries.tasks_by_ids(ids),
            actor=current_user,
            config=current_app.config,
            today=today(),
            base_url=request.host_url,
        )
    except DomainError as err:
        return refuse(err, _back(filters))
    db.session.commit()
    flash(reminder_message(result), "success" if result.sent else "warning")
    return redirect(_back(filters), 303)


def reminder_message(result: services.ReminderResult) -> str:
    if not result.messages:
        return _("Tidak ada pengingat yang dikirim.") + _skipped(result)
    if not result.mail_configured:
        return _(
            "%(m)d pesan pengingat untuk %(n)d tugas disiapkan, tetapi server e-mail belum "
            "diatur (MAIL_SERVER): pesan hanya dicatat di log.",
            m=result.messages,
            n=result.changed,
        ) + _skipped(result)
    return _(
        "Pengingat terkirim: %(m)d e-mail ke operator %(u)d unit untuk %(n)d tugas.",
        m=result.sent,
        u=result.units,
        n=result.changed,
    ) + _skipped(result)
