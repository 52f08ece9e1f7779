"""An event's follow-up plan: choose indicators (or a template), save, and the tasks follow."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...common.decorators import role_required
from ...common.forms import required
from ...common.http import bounded_int
from ...common.wib import to_wib
from ...events.services import get_event_or_404
from ...extensions import db
from .. import queries
from ..forms import PlanForm
from ..models import FollowUpPlan, PlanTemplate
from ..services import plans as services
from ..services.frameworks import framework_for_year
from .blueprint import bp
from .helpers import PLANNERS, all_frameworks, form_step, framework_or_default, today


def _saved_message(saved) -> str:
    _plan, result = saved
    text = _(
        "Rencana tindak lanjut disimpan: %(created)d tugas baru, %(existing)d sudah "
        "ada, %(not_applicable)d tidak berlaku untuk jenis unitnya; %(absent)d unit "
        "tidak hadir.",
        created=result.created,
        existing=result.existing,
        not_applicable=result.not_applicable,
        absent=len(result.absent_units),
    )
    if result.late:
        text += " " + _(
            "%(n)d tugas langsung terlambat karena tenggatnya sudah lewat.", n=result.late
        )
    return text


@bp.route("/acara/<int:event_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def plan(event_id: int):
    event = get_event_or_404(event_id, current_user)
    existing = db.session.scalar(select(FollowUpPlan).where(FollowUpPlan.event_id == event.id))
    chosen_id = request.values.get("framework_id", type=bounded_int) or (
        existing.framework_id if existing else None
    )
    if chosen_id is None:  # the framework of the event's year (2025 events: the 2025 method)
        by_year = framework_for_year(to_wib(event.starts_at).year)
        chosen_id = by_year.id if by_year else None
    framework = framework_or_default(chosen_id)
    form = PlanForm()
    invited = sorted((i.unit for i in event.invitations), key=lambda u: u.name)
    form.exclude_units.choices = [(u.id, u.name) for u in invited]
    form.framework_id.choices = [(f.id, f"{f.name} ({f.years})") for f in all_frameworks()]
    templates = db.session.scalars(select(PlanTemplate).order_by(PlanTemplate.name)).all()
    form.template_id.choices = [(0, "-")] + [(t.id, t.name) for t in templates]
    active = [i for i in (framework.indicators if framework else []) if i.active]
    form.indicators.choices = [(i.id, f"{i.code} {i.name}") for i in active]
    if request.method == "GET":
        form.framework_id.data = framework.id if framework else None
        if existing:
            form.indicators.data = existing.indicator_ids
            form.due_date.data = existing.due_date
            form.exclude_units.data = existing.excluded_unit_ids
        else:
            form.due_date.data = today() + timedelta(days=60)
    if request.method == "POST" and form.template_id.data and not form.indicators.data:
        template = db.session.get(PlanTemplate, form.template_id.data)
        if template is not None and framework and template.framework_id == framework.id:
            form.indicators.data = template.indicator_ids
    chosen = [i for i in active if i.id in set(form.indicators.data or [])]
    excluded = set(form.exclude_units.data or [])
    preview = None
    if request.method == "POST" and request.form.get("pratinjau"):
        if form.validate_on_submit() and chosen:
            preview = services.preview_plan(event, chosen, excluded_unit_ids=excluded)
        elif not chosen:
            form.indicators.errors = [*form.indicators.errors, _("Pilih minimal satu indikator.")]
        form_done = None
    else:
        form_done = form_step(
            form,
            lambda: services.save_plan(
                event,
                required(framework),  # with no framework to choose, the form never validates
                indicators=chosen,
                due_date=form.due_date.data,
                template_name=form.template_name.data,
                excluded_unit_ids=excluded,
                confirm_late=form.confirm_late.data,
                today=today(),
                actor=current_user,
            ),
            field="indicators",
            message=_saved_message,
            target=url_for("followup.plan", event_id=event.id),
        )
    if form_done:
        return form_done
    by_dim: dict[int, list] = {}
    for indicator in active:
        by_dim.setdefault(indicator.dimension_id, []).append(indicator)
    return render_template(
        "followup/plan.html",
        event=event,
        plan=existing,
        framework=framework,
        form=form,
        summary=queries.event_followup_summary(event, today=today()),
        by_dim=by_dim,
        templates=templates,
        preview=preview,
        invited=invited,
    )
