"""Official results: the district history, a unit's assessment, tasks from weak indicators."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.http import bounded_int
from ...extensions import db
from ...units.models import Unit
from ...units.services import root_unit, unit_choices
from .. import queries
from ..forms import AssessmentForm, DistrictForm, WeakTasksForm
from ..models import Assessment, FollowUpTask, Framework, FrameworkKind
from ..services import assessments as services
from ..services.plans import tasks_from_assessment
from ..services.scores import band_for
from ..services.supervision import opinion_text, supervision_status
from .blueprint import bp
from .helpers import (
    READERS,
    all_frameworks,
    chart,
    form_step,
    framework_or_default,
    refuse,
    today,
)


@bp.get("/penilaian")
@role_required(*READERS)
def assessments():
    history = queries.district_history(root_unit())
    for h in history:  # the Opini (2025-): "Tanpa Maladministrasi" when products were followed up
        if h["framework"].opinion_rule and h["band"] is not None:
            status = supervision_status(h["year"], today=today())
            h["opinion"] = opinion_text(h["framework"], h["band"], clean=status.clean)
    data = chart(
        [h["year"] for h in history],
        [h["score"] for h in history],
        _("Nilai kabupaten"),
        history[-1]["framework"].bands if history else (),
    )
    form = DistrictForm(formdata=None)
    form.framework_id.choices = [(f.id, f"{f.code} ({f.years})") for f in all_frameworks()]
    return render_template(
        "followup/assessments.html", history=history, chart=data, district_form=form
    )


@bp.post("/penilaian/kabupaten")
@role_required("verifier")
def district_save():
    form = DistrictForm()
    form.framework_id.choices = [(f.id, f.code) for f in all_frameworks()]
    target = url_for("followup.assessments")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
        return redirect(target)
    try:
        services.record_district_result(
            root_unit(),
            db.session.get(Framework, form.framework_id.data),
            year=form.year.data,
            score=form.score.data,
            notes=form.notes.data or "",
        )
    except DomainError as err:
        return refuse(err, target)
    db.session.commit()
    flash(_("Nilai kabupaten disimpan."), "success")
    return redirect(target)


def _indicator_scores(framework: Framework) -> dict[int, int]:
    """The 0-3 scores typed per indicator (``ind_<id>``); a non-number becomes -1 (refused)."""
    scores = {}
    for i in framework.indicators:
        raw = (request.form.get(f"ind_{i.id}") or "").strip()
        if raw:
            scores[i.id] = int(raw) if raw.isdigit() else -1
    return scores


@bp.route("/penilaian/baru", methods=["GET", "POST"])
@role_required("verifier")
def assessment_new():
    framework = framework_or_default(request.values.get("framework_id", type=bounded_int))
    form = AssessmentForm()
    form.unit_id.choices = unit_choices(with_root=False)
    form.framework_id.choices = [
        (f.id, f"{f.code} ({f.years})")
        for f in all_frameworks()
        if f.kind is FrameworkKind.ASSESSMENT
    ]
    if request.method == "GET":
        form.framework_id.data = framework.id if framework else None
        form.unit_id.data = request.args.get("unit", type=bounded_int)
        if framework:
            form.year.data = framework.year_to or framework.year_from
    values = request.form if request.method == "POST" else {}
    switching = request.method == "POST" and request.form.get("ganti_kerangka")
    if not switching and framework is None:
        form.validate_on_submit()  # shows what is missing; nothing to save without a framework
    elif not switching:
        done = form_step(
            form,
            lambda: services.record_assessment(
                db.session.get(Unit, form.unit_id.data),
                framework,
                year=form.year.data,
                score=form.score.data,
                dimension_points={
                    d.code: request.form.get(f"dim_{d.code}", "") for d in framework.dimensions
                },
                indicator_scores=_indicator_scores(framework),
                notes=form.notes.data or "",
                actor=current_user,
            ),
            field="score",
            message=_("Hasil penilaian disimpan."),
            target=lambda a: url_for("followup.assessment_detail", assessment_id=a.id),
        )
        if done:
            return done
    return render_template(
        "followup/assessment_form.html", form=form, framework=framework, values=values
    )


@bp.get("/penilaian/<int:assessment_id>")
@role_required(*READERS)
def assessment_detail(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = WeakTasksForm(formdata=None)
    form.due_date.data = today() + timedelta(days=60)
    return _assessment_page(assessment, form)


def _assessment_page(assessment: Assessment, form: WeakTasksForm, status: int = 200):
    tasks = db.session.scalars(
        select(FollowUpTask)
        .where(FollowUpTask.source_assessment_id == assessment.id)
        .order_by(FollowUpTask.id)
    ).all()
    band = band_for(assessment.framework, assessment.score)
    supervision = None
    if assessment.framework.opinion_rule:
        supervision = supervision_status(assessment.year, unit=assessment.unit, today=today())
    opinion = opinion_text(
        assessment.framework, band, clean=supervision.clean if supervision else None
    )
    return (
        render_template(
            "followup/assessment.html",
            assessment=assessment,
            band=band,
            opinion=opinion,
            supervision=supervision,
            scores={s.indicator_id: s.score for s in assessment.scores},
            form=form,
            tasks=tasks,
        ),
        status,
    )


@bp.post("/penilaian/<int:assessment_id>/tugas")
@role_required("verifier")
def assessment_tasks(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = WeakTasksForm()
    done = form_step(
        form,
        lambda: tasks_from_assessment(
            assessment,
            threshold=form.threshold.data,
            due_date=form.due_date.data,
            actor=current_user,
        ),
        field="threshold",
        message=lambda result: _(
            "%(created)d tugas dibuat dari indikator yang lemah (%(existing)d sudah ada).",
            created=result.created,
            existing=result.existing,
        ),
        target=url_for("followup.assessment_detail", assessment_id=assessment.id),
    )
    return done or _assessment_page(assessment, form, 422)
