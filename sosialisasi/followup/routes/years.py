"""Bagian Organisasi's year: target and cut-off, lokus, trajectory and gap; the supervision
products register."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...common.http import download_headers
from ...common.uploads import MIME
from ...common.wib import format_number
from ...extensions import db
from ...units.models import Unit
from ...units.services import root_unit, unit_choices
from ..forms import LokusForm, MilestoneForm, SupervisionForm, SupervisionTasksForm, YearForm
from ..models import Milestone, MilestoneKind, SupervisionKind, SupervisionProduct
from ..queries.compliance import year_overview
from ..services import supervision as supervision_services
from ..services import years as year_services
from ..services.frameworks import framework_for_year
from .blueprint import bp
from .helpers import READERS, chart, form_step, framework_or_default, today

PLANNERS = ("organizer", "verifier")


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _framework(year: int):
    by_year = framework_for_year(year)
    return framework_or_default(by_year.id if by_year else None)


@bp.get("/tahun")
@role_required(*READERS)
def year_index():
    return redirect(url_for("followup.year_view", year=today().year))


def _milestone_form(formdata=True) -> MilestoneForm:
    form = MilestoneForm() if formdata else MilestoneForm(formdata=None)
    form.kind.choices = [(k.value, k.label) for k in MilestoneKind]
    return form


def _calendar(year: int) -> list[dict]:
    """The year's milestones; those whose reminder window is open carry the WhatsApp text."""
    from ...common.phone import whatsapp_link
    from .. import queries

    now = today()
    near = {m.id for m in year_services.upcoming_milestones(now)}
    open_by_unit = None
    rows = []
    for m in year_services.milestones(year):
        row = {"milestone": m, "days": (m.on_date - now).days, "text": None, "link": None}
        if m.id in near:
            if open_by_unit is None:
                batches = queries.reminder_batches(today=now, within_days=3650)
                open_by_unit = sorted(
                    (tasks[0].unit.name, len(tasks)) for tasks in batches.values()
                )
            row["text"] = year_services.milestone_text(m, open_by_unit, now)
            row["link"] = whatsapp_link(None, str(row["text"]))
        rows.append(row)
    return rows


def _year_page(
    year: int, *, year_form=None, lokus_form=None, milestone_form=None, status: int = 200
):
    framework = _framework(year)
    if framework is None:
        abort(404)
    overview = year_overview(root_unit(), framework, year)
    settings = overview["settings"]
    if year_form is None:
        year_form = YearForm(formdata=None, obj=settings)
        if settings is not None and settings.target_score is not None:
            year_form.target_score.data = format_number(settings.target_score, digits=None)
    if lokus_form is None:
        lokus_form = LokusForm(formdata=None)
        lokus_form.lokus.data = year_services.lokus_text(year)
    if milestone_form is None:
        milestone_form = _milestone_form(False)
    points = overview["trajectory"]
    data = chart(
        [p["label"] for p in points], [p["score"] for p in points], _("Nilai kabupaten"),
        framework.bands,
    )  # fmt: skip
    supervision = supervision_services.supervision_status(year, today=today())
    public_units = db.session.scalars(
        select(Unit).where(Unit.active, Unit.public_service).order_by(Unit.name)
    ).all()
    return (
        render_template(
            "followup/year.html",
            year=year,
            o=overview,
            year_form=year_form,
            lokus_form=lokus_form,
            milestone_form=milestone_form,
            calendar=_calendar(year),
            chart=data,
            supervision=supervision,
            public_units=public_units,
            states=supervision_services.STATE_LABELS,
            state_of=lambda p: supervision_services.product_state(p, today()),
        ),
        status,
    )


@bp.get("/tahun/<int:year>")
@role_required(*READERS)
def year_view(year: int):
    return _year_page(_year_or_404(year))


@bp.post("/tahun/<int:year>/target")
@role_required(*PLANNERS)
def year_target(year: int):
    year = _year_or_404(year)
    form = YearForm()
    done = form_step(
        form,
        lambda: year_services.save_year(
            year,
            target_category=form.target_category.data or "",
            target_score=form.target_score.data or None,
            cutoff_date=form.cutoff_date.data,
            notes=form.notes.data or "",
            framework=_framework(year),
            actor=current_user,
        ),
        field="target_category",
        message=_("Target dan batas waktu tahun %(year)s disimpan.", year=year),
        target=url_for("followup.year_view", year=year),
    )
    return done or _year_page(year, year_form=form, status=422)


@bp.post("/tahun/<int:year>/lokus")
@role_required(*PLANNERS)
def year_lokus(year: int):
    year = _year_or_404(year)
    form = LokusForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        try:
            if upload is not None and upload.filename:
                entries = year_services.parse_lokus_file(upload.read(), upload.filename)
            else:
                entries = year_services.parse_lokus(form.lokus.data or "")
            count = year_services.set_lokus(year, entries, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "lokus")
        else:
            db.session.commit()
            flash(_("Lokus %(year)s disimpan: %(n)d baris.", year=year, n=count), "success")
            return redirect(url_for("followup.year_view", year=year))
    return _year_page(year, lokus_form=form, status=422)


@bp.post("/tahun/<int:year>/jadwal")
@role_required(*PLANNERS)
def year_milestone(year: int):
    year = _year_or_404(year)
    form = _milestone_form()
    done = form_step(
        form,
        lambda: year_services.save_milestone(
            year,
            kind=MilestoneKind(form.kind.data),
            on_date=form.on_date.data,
            title=form.title.data or "",
            remind_days=form.remind_days.data if form.remind_days.data is not None else 7,
            actor=current_user,
        ),
        field="on_date",
        message=_("Jadwal ditambahkan."),
        target=url_for("followup.year_view", year=year) + "#calendar",
    )
    return done or _year_page(year, milestone_form=form, status=422)


@bp.post("/jadwal/<int:milestone_id>/hapus")
@role_required(*PLANNERS)
def milestone_delete(milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    year = milestone.year
    year_services.delete_milestone(milestone, actor=current_user)
    db.session.commit()
    flash(_("Jadwal dihapus."), "success")
    return redirect(url_for("followup.year_view", year=year) + "#calendar")


def _nota(year: int):
    from ..nota import NotaData
    from ..queries.compliance import lokus_rows

    framework = _framework(year)
    if framework is None:
        abort(404)
    overview = year_overview(root_unit(), framework, year)
    rows = lokus_rows(overview, today=today())
    supervision = supervision_services.supervision_status(year, today=today())
    data = NotaData(
        number=(request.args.get("nomor") or "").strip()[:100] or "......./Org",
        addressee=request.args.get("kepada") or "sekda",
        signer_name=(request.args.get("nama") or "").strip()[:150],
        signer_nip=(request.args.get("nip") or "").strip()[:30],
        day=today(),
    )
    return overview, rows, supervision, data


@bp.get("/tahun/<int:year>/nota-dinas.pdf")
@role_required(*READERS)
def year_nota_pdf(year: int):
    from ..nota import nota_pdf

    year = _year_or_404(year)
    return Response(
        nota_pdf(*_nota(year)),
        mimetype="application/pdf",
        headers=download_headers(f"nota-dinas-penilaian-{year}.pdf"),
    )


@bp.get("/tahun/<int:year>/nota-dinas.xlsx")
@role_required(*READERS)
def year_nota_xlsx(year: int):
    from ..nota import nota_xlsx

    year = _year_or_404(year)
    return Response(
        nota_xlsx(*_nota(year)),
        mimetype=MIME["xlsx"],
        headers=download_headers(f"nota-dinas-penilaian-{year}.xlsx"),
    )


# --- supervision products -----------------------------------------------------------------


def _supervision_form(formdata=True) -> SupervisionForm:
    form = SupervisionForm() if formdata else SupervisionForm(formdata=None)
    form.kind.choices = [(k.value, k.label) for k in SupervisionKind]
    form.unit_id.choices = unit_choices(with_root=False)
    return form


@bp.route("/produk-pengawasan", methods=["GET", "POST"])
@role_required(*READERS)
def supervision_products():
    form = _supervision_form(request.method == "POST")
    if request.method == "POST":
        if not current_user.has_role(*PLANNERS):
            abort(403)
        done = form_step(
            form,
            lambda: supervision_services.save_product(
                None,
                kind=SupervisionKind(form.kind.data),
                number=form.number.data,
                issued_on=form.issued_on.data,
                unit=db.session.get(Unit, form.unit_id.data),
                finding=form.finding.data or "",
                due_date=form.due_date.data,
                year=form.year.data,
                followed_up_on=form.followed_up_on.data,
                actor=current_user,
            ),
            field="number",
            message=_("Produk pengawasan dicatat."),
            target=lambda p: url_for("followup.supervision_detail", product_id=p.id),
        )
        if done:
            return done
    products = db.session.scalars(
        select(SupervisionProduct)
        .options(db.joinedload(SupervisionProduct.unit), db.selectinload(SupervisionProduct.tasks))
        .order_by(SupervisionProduct.year.desc(), SupervisionProduct.due_date)
    ).all()
    return render_template(
        "followup/supervision.html",
        form=form,
        products=products,
        states=supervision_services.STATE_LABELS,
        state_of=lambda p: supervision_services.product_state(p, today()),
    ), (422 if request.method == "POST" else 200)


@bp.route("/produk-pengawasan/<int:product_id>", methods=["GET", "POST"])
@role_required(*READERS)
def supervision_detail(product_id: int):
    product = db.get_or_404(SupervisionProduct, product_id)
    form = (
        SupervisionTasksForm() if request.method == "POST" else SupervisionTasksForm(formdata=None)
    )
    if request.method == "POST":
        if not current_user.has_role(*PLANNERS):
            abort(403)
        done = form_step(
            form,
            lambda: supervision_services.product_tasks(
                product,
                titles=(form.titles.data or "").splitlines(),
                due_date=form.due_date.data,
                actor=current_user,
            ),
            field="titles",
            message=lambda made: _("%(n)d tugas dibuat.", n=len(made)),
            target=url_for("followup.supervision_detail", product_id=product.id),
        )
        if done:
            return done
    return render_template(
        "followup/supervision_detail.html",
        product=product,
        form=form,
        state=supervision_services.product_state(product, today()),
        states=supervision_services.STATE_LABELS,
        today=today(),
    )
