"""Task pages: the list, a new task, the task page and its workflow steps (start, submit,
verify, reject)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...auth.models import Role
from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...common.http import bounded_int
from ...extensions import db
from ...units.models import Unit
from ...units.services import unit_choices
from .. import queries
from ..forms import (
    BulkTasksForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    RejectForm,
    SubmitForm,
    TaskForm,
    VerifyForm,
)
from ..models import FollowUpTask, Indicator, TaskStatus
from ..services import evidence as evidence_services
from ..services import tasks as services
from .blueprint import bp
from .helpers import (
    PLANNERS,
    READERS,
    form_step,
    framework_or_default,
    indicator_choices,
    refuse,
    task_or_404,
    today,
)


def list_filters(args) -> queries.TaskFilters:
    """The task list's filters from ``args``; a unit operator always sees their own unit."""
    filters = queries.TaskFilters.from_args(args)
    if current_user.role is Role.UNIT_OPERATOR:
        filters.unit_id = current_user.unit_id or -1
    elif not current_user.has_role(*READERS):
        abort(403)
    return filters


def tasks_page(
    filters: queries.TaskFilters,
    *,
    page_number: int = 1,
    bulk_form: BulkTasksForm | None = None,
    selected: Collection[int] = (),
    status: int = 200,
):
    """The task list with its filters (select boxes) and, for Bagian Organisasi, the bulk
    actions; a refused bulk action shows it again (422) with the choice and the error kept.
    The same number of statements whatever the number of tasks."""
    operator = current_user.role is Role.UNIT_OPERATOR
    page = db.paginate(
        queries.task_list(
            unit_id=filters.unit_id,
            status=filters.status,
            overdue=filters.overdue,
            event_id=filters.event_id,
            indicator_id=filters.indicator_id,
            today=today(),
        ),
        page=page_number,
        per_page=50,
        error_out=False,
    )
    bulk_form = bulk_form or BulkTasksForm(formdata=None)
    due = bulk_form.due_date.data
    return (
        render_template(
            "followup/tasks.html",
            page=page,
            filters=filters,
            filter_args=filters.to_args(),
            choices=queries.filter_choices(unit_id=filters.unit_id)
            if operator
            else queries.filter_choices(
                keep_event_id=filters.event_id, keep_indicator_id=filters.indicator_id
            ),
            units=[] if operator else unit_choices(with_root=False),
            statuses=list(TaskStatus),
            today=today(),
            can_bulk=current_user.has_role(*PLANNERS),
            bulk_form=bulk_form,
            selected=set(selected),
            ask_confirm=bool(due and due < today()),
            # Page links go to the list with its filters, also from a refused bulk post.
            page_url=lambda number: url_for("followup.tasks", **filters.to_args(), page=number),
        ),
        status,
    )


@bp.get("/tugas")
@login_required
def tasks():
    return tasks_page(
        list_filters(request.args), page_number=request.args.get("page", 1, type=bounded_int)
    )


@bp.route("/tugas/baru", methods=["GET", "POST"])
@role_required(*PLANNERS)
def task_new():
    framework = framework_or_default(request.args.get("kerangka", type=bounded_int))
    form = TaskForm()
    form.unit_id.choices = unit_choices(with_root=False)
    form.indicator_id.choices = indicator_choices(framework)
    if request.method == "GET":
        form.unit_id.data = request.args.get("unit", type=bounded_int)
        form.due_date.data = today() + timedelta(days=30)

    def create():
        indicator_id = form.indicator_id.data
        return services.create_task(
            db.session.get(Unit, form.unit_id.data),
            title=form.title.data,
            due_date=form.due_date.data,
            indicator=db.session.get(Indicator, indicator_id) if indicator_id else None,
            description=form.description.data or "",
            actor=current_user,
        )

    done = form_step(
        form,
        create,
        field="title",
        message=_("Tugas dibuat."),
        target=lambda task: url_for("followup.task_detail", task_id=task.id),
    )
    return done or render_template("followup/task_form.html", form=form, framework=framework)


def task_page(task: FollowUpTask, status: int = 200, **forms):
    """The task page; a form passed in is shown with its errors and input kept."""
    page_forms = {
        "file_form": EvidenceFileForm(formdata=None),
        "link_form": EvidenceLinkForm(formdata=None),
        "submit_form": SubmitForm(formdata=None),
        "verify_form": VerifyForm(formdata=None),
        "reject_form": RejectForm(formdata=None),
    }
    page_forms.update(forms)
    return (
        render_template(
            "followup/task.html",
            task=task,
            today=today(),
            can_work=services.can_work(current_user, task),
            can_verify=services.can_verify(current_user),
            can_download=services.can_download(current_user, task),
            previews={e.id: evidence_services.preview_kind(e) for e in task.evidence},
            accept=evidence_services.POLICY.accept,
            **page_forms,
        ),
        status,
    )


@bp.get("/tugas/<int:task_id>")
@login_required
def task_detail(task_id: int):
    return task_page(task_or_404(task_id))


def workflow_step(task_id: int, form, form_key: str, step, field: str, message: str, level: str):
    """One step posted from the task page: validate, call the service, commit once.

    On a refusal the task page is shown again (422) with the form's error and input kept.
    """
    task = task_or_404(task_id)
    if not form.validate_on_submit():
        return task_page(task, 422, **{form_key: form})
    try:
        step(task, form)
    except DomainError as err:
        db.session.rollback()
        task = task_or_404(task_id)
        add_error(form, err, field)
        return task_page(task, 422, **{form_key: form})
    db.session.commit()
    flash(message, level)
    return redirect(url_for("followup.task_detail", task_id=task.id))


@bp.post("/tugas/<int:task_id>/mulai")
@role_required("unit_operator")
def task_start(task_id: int):
    task = task_or_404(task_id)
    try:
        services.start_task(task, actor=current_user)
    except DomainError as err:
        return refuse(err, url_for("followup.task_detail", task_id=task.id))
    db.session.commit()
    flash(_("Tugas mulai dikerjakan."), "success")
    return redirect(url_for("followup.task_detail", task_id=task.id))


@bp.post("/tugas/<int:task_id>/ajukan")
@role_required("unit_operator")
def task_submit(task_id: int):
    return workflow_step(
        task_id,
        SubmitForm(),
        "submit_form",
        lambda task, form: services.submit_task(
            task, note=form.note.data or "", actor=current_user
        ),
        "note",
        _("Tugas diajukan untuk diverifikasi."),
        "success",
    )


@bp.post("/tugas/<int:task_id>/verifikasi")
@role_required("verifier")
def task_verify(task_id: int):
    return workflow_step(
        task_id,
        VerifyForm(),
        "verify_form",
        lambda task, form: services.verify_task(
            task, note=form.note.data or "", actor=current_user
        ),
        "note",
        _("Tugas terverifikasi."),
        "success",
    )


@bp.post("/tugas/<int:task_id>/tolak")
@role_required("verifier")
def task_reject(task_id: int):
    return workflow_step(
        task_id,
        RejectForm(),
        "reject_form",
        lambda task, form: services.reject_task(task, reason=form.reason.data, actor=current_user),
        "reason",
        _("Tugas dikembalikan ke unit dengan alasan penolakan."),
        "warning",
    )
