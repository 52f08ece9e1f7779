"""Frameworks: verifiers and organizers read them; admins edit frameworks, dimensions,
indicators and bands, and import a framework from XLSX; verifiers export one."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import required
from ...common.http import download_headers
from ...common.uploads import MIME
from ...common.wib import format_number
from ...extensions import db
from ...units.models import UnitKind
from .. import queries
from ..forms import BandsForm, DimensionForm, FrameworkForm, ImportForm, IndicatorForm
from ..models import Dimension, Framework, FrameworkKind, Indicator
from ..services import framework_xlsx, scores
from ..services import frameworks as services
from .blueprint import bp
from .helpers import all_frameworks, form_step


def _to_framework(framework: Framework) -> str:
    return url_for("followup.framework_detail", framework_id=framework.id)


def _part_or_404(model, part_id: int | None, framework: Framework):
    """A dimension or indicator of this framework (None for a new one)."""
    if part_id is None:
        return None
    part = db.session.get(model, part_id)
    if part is None or part.framework_id != framework.id:
        abort(404)
    return part


@bp.get("/kerangka")
@role_required("verifier", "organizer")
def frameworks():
    return render_template("followup/frameworks.html", frameworks=all_frameworks())


@bp.get("/kerangka/<int:framework_id>")
@role_required("verifier", "organizer")
def framework_detail(framework_id: int):
    framework = queries.load_framework(framework_id) or abort(404)
    dims = {d.id: d for d in framework.dimensions}
    return render_template(
        "followup/framework.html", framework=framework, dims=dims, kinds=UnitKind
    )


def _framework_form_page(form: FrameworkForm, framework: Framework | None):
    form.kind.choices = [(k.value, k.label) for k in FrameworkKind]
    done = form_step(
        form,
        lambda: services.save_framework(
            framework,
            code=required(form.code.data),
            name=required(form.name.data),
            kind=FrameworkKind(form.kind.data),
            year_from=required(form.year_from.data),
            year_to=form.year_to.data,
            description=form.description.data or "",
            active=form.active.data,
            method=form.method.data or "",
            legal_basis=form.legal_basis.data or "",
            opinion_rule=form.opinion_rule.data,
        ),
        field="code",
        message=_("Kerangka disimpan."),
        target=_to_framework,
    )
    return done or render_template("followup/framework_form.html", form=form, framework=framework)


@bp.route("/kerangka/baru", methods=["GET", "POST"])
@role_required()
def framework_new():
    return _framework_form_page(FrameworkForm(), None)


@bp.route("/kerangka/<int:framework_id>/ubah", methods=["GET", "POST"])
@role_required()
def framework_edit(framework_id: int):
    framework = db.get_or_404(Framework, framework_id)
    form = FrameworkForm(obj=framework)
    if request.method == "GET":
        form.kind.data = framework.kind.value
    return _framework_form_page(form, framework)


@bp.route("/kerangka/<int:framework_id>/dimensi", methods=["GET", "POST"])
@bp.route("/kerangka/<int:framework_id>/dimensi/<int:dimension_id>", methods=["GET", "POST"])
@role_required()
def dimension_form(framework_id: int, dimension_id: int | None = None):
    framework = db.get_or_404(Framework, framework_id)
    dimension = _part_or_404(Dimension, dimension_id, framework)
    form = DimensionForm(obj=dimension)
    if request.method == "GET" and dimension is not None:
        form.weight.data = format_number(dimension.weight, digits=None)
    done = form_step(
        form,
        lambda: services.save_dimension(
            framework,
            dimension,
            code=required(form.code.data),
            name=required(form.name.data),
            weight=form.weight.data,
            position=form.position.data or 0,
        ),
        field="weight",
        message=_("Dimensi disimpan."),
        target=_to_framework(framework),
    )
    return done or render_template(
        "followup/dimension_form.html", form=form, framework=framework, dimension=dimension
    )


@bp.route("/kerangka/<int:framework_id>/indikator", methods=["GET", "POST"])
@bp.route("/kerangka/<int:framework_id>/indikator/<int:indicator_id>", methods=["GET", "POST"])
@role_required()
def indicator_form(framework_id: int, indicator_id: int | None = None):
    framework = db.get_or_404(Framework, framework_id)
    indicator = _part_or_404(Indicator, indicator_id, framework)
    form = IndicatorForm(obj=indicator)
    form.dimension_id.choices = [(d.id, f"{d.code} {d.name}") for d in framework.dimensions]
    form.unit_kinds.choices = [(k.value, k.label) for k in UnitKind if k is not UnitKind.PEMDA]
    if not framework.dimensions:
        flash(_("Tambahkan dimensi terlebih dahulu."), "warning")
        return redirect(url_for("followup.dimension_form", framework_id=framework.id))
    done = form_step(
        form,
        lambda: services.save_indicator(
            framework,
            indicator,
            dimension=db.get_or_404(Dimension, form.dimension_id.data),
            code=required(form.code.data),
            name=required(form.name.data),
            evidence_hint=form.evidence_hint.data or "",
            unit_kinds=form.unit_kinds.data or [],
            position=form.position.data or 0,
            active=form.active.data,
        ),
        field="code",
        message=_("Indikator disimpan."),
        target=_to_framework(framework),
    )
    return done or render_template(
        "followup/indicator_form.html", form=form, framework=framework, indicator=indicator
    )


@bp.route("/kerangka/<int:framework_id>/pita", methods=["GET", "POST"])
@role_required()
def bands(framework_id: int):
    framework = db.get_or_404(Framework, framework_id)
    if request.method == "GET":
        data = [
            {
                "category": b.category,
                "min_score": str(b.min_score),
                "max_score": str(b.max_score),
                "zone": b.zone,
                "opinion": b.opinion,
            }
            for b in framework.bands
        ]
        form = BandsForm(data={"bands": [*data, {}, {}]})
    else:
        form = BandsForm()
    error = None
    if form.validate_on_submit():
        rows = [
            scores.BandData(
                e.category.data, e.min_score.data, e.max_score.data, e.zone.data, e.opinion.data
            )
            for e in form.bands
            if any((e.category.data or "", e.min_score.data or "", e.max_score.data or ""))
        ]
        try:
            scores.save_bands(framework, rows, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            error = err.message  # about the bands as a whole: shown above the table
        else:
            db.session.commit()
            flash(_("Pita nilai disimpan."), "success")
            return redirect(_to_framework(framework))
    return (
        render_template("followup/bands.html", form=form, framework=framework, error=error),
        422 if error else 200,
    )


@bp.get("/kerangka/<int:framework_id>/ekspor.xlsx")
@role_required("verifier")
def framework_export(framework_id: int):
    framework = queries.load_framework(framework_id) or abort(404)
    return Response(
        framework_xlsx.export_framework_xlsx(framework),
        mimetype=MIME["xlsx"],
        headers=download_headers(f"kerangka-{framework.code.lower()}.xlsx"),
    )


@bp.route("/kerangka/impor", methods=["GET", "POST"])
@role_required()
def framework_import():
    form = ImportForm()

    def read():
        upload = form.file.data
        if not upload or not upload.filename:
            raise DomainError(_("Pilih berkas XLSX."), field="file")
        return framework_xlsx.import_framework_xlsx(upload.read(), actor=current_user)

    done = form_step(
        form,
        read,
        field="file",
        message=lambda framework: _("Kerangka %(code)s diimpor.", code=framework.code),
        target=_to_framework,
    )
    return done or render_template("followup/import.html", form=form)
