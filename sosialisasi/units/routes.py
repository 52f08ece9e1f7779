"""Pages of the perangkat daerah catalogue."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..attendance import queries as attendance_queries
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error
from ..common.http import bounded_int
from ..common.tabular import TableError, read_table
from ..extensions import db
from ..followup import queries as followup_queries
from ..registration import queries as registration_queries
from . import services
from .forms import UnitForm, UnitImportForm
from .models import Unit, UnitKind

bp = Blueprint("units", __name__, url_prefix="/unit")

READERS = ("organizer", "verifier")


@bp.get("/")
@role_required(*READERS)
def index():
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or ""
    show = request.args.get("status") or "active"
    stmt = select(Unit).options(db.joinedload(Unit.parent)).order_by(Unit.kind, Unit.name)
    if kind in {k.value for k in UnitKind}:
        stmt = stmt.where(Unit.kind == UnitKind(kind))
    if show == "active":
        stmt = stmt.where(Unit.active)
    elif show == "inactive":
        stmt = stmt.where(~Unit.active)
    if q:
        like = f"%{q.lower()}%"
        matched = services.find_unit(q)
        stmt = stmt.where(
            or_(
                func.lower(Unit.name).like(like),
                func.lower(Unit.short_name).like(like),
                func.lower(Unit.code).like(like),
                Unit.id == (matched.id if matched else -1),
            )
        )
    page = db.paginate(stmt, per_page=100)
    return render_template(
        "units/index.html", page=page, q=q, kind=kind, status=show, kinds=list(UnitKind)
    )


def _parent_choices(exclude: Unit | None = None) -> list[tuple[int, str]]:
    units = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.kind, Unit.name))
    return [(0, _("- tanpa induk -"))] + [
        (u.id, f"{u.name} [{u.code}]") for u in units if exclude is None or u.id != exclude.id
    ]


def _save(form: UnitForm, unit: Unit | None) -> Unit:
    return services.save_unit(
        unit,
        code=form.code.data or "",
        name=form.name.data or "",
        short_name=form.short_name.data,
        kind=UnitKind(form.kind.data),
        parent=db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None,
        aliases=(form.aliases.data or "").splitlines(),
        active=form.active.data,
        actor=current_user,
        public_service=form.public_service.data,
        products=(form.products.data or "").splitlines(),
    )


@bp.route("/baru", methods=["GET", "POST"])
@role_required()
def create():
    form = UnitForm()
    form.parent_id.choices = _parent_choices()
    if request.method == "GET":
        form.parent_id.data = services.root_unit().id
    if form.validate_on_submit():
        try:
            unit = _save(form, None)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "code")
        else:
            db.session.commit()
            flash(_("Unit %(name)s ditambahkan.", name=unit.name), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/ubah", methods=["GET", "POST"])
@role_required()
def edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    form.parent_id.choices = _parent_choices(exclude=unit)
    if request.method == "GET":
        form.kind.data = unit.kind.value
        form.parent_id.data = unit.parent_id or 0
        form.aliases.data = "\n".join(unit.aliases or [])
        form.products.data = "\n".join(p.name for p in unit.products if p.active)
    if form.validate_on_submit():
        try:
            _save(form, unit)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "code")
        else:
            db.session.commit()
            flash(_("Unit %(name)s disimpan.", name=unit.name), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/status")
@role_required()
def toggle(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    try:
        services.set_active(unit, not unit.active, actor=current_user)
    except DomainError as err:
        flash(err.message, "danger")
        return redirect(url_for("units.detail", unit_id=unit.id))
    db.session.commit()
    if unit.active:
        flash(_("Unit %(name)s diaktifkan.", name=unit.name), "info")
    else:
        flash(_("Unit %(name)s dinonaktifkan.", name=unit.name), "info")
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.get("/<int:unit_id>")
@role_required(*READERS)
def detail(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    children = db.session.scalars(
        select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.kind, Unit.name)
    ).all()
    return render_template(
        "units/detail.html",
        unit=unit,
        children=children,
        unit_invitations=registration_queries.unit_invitation_summary(unit.id),
        unit_attendance=attendance_queries.unit_attendance(
            unit, page=request.args.get("page", type=bounded_int) or 1
        ),
        followup_counts=followup_queries.unit_task_counts(unit),
    )


@bp.route("/impor", methods=["GET", "POST"])
@role_required()
def import_units():
    form = UnitImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            table = read_table(
                upload.read(), upload.filename, services.UNIT_COLUMNS, required=("name", "kind")
            )
        except TableError as err:
            form.file.errors.append(str(err))
        else:
            result = services.import_units(
                services.text_rows(table), actor=current_user, source=upload.filename
            )
            db.session.commit()
            flash(
                _(
                    "Impor selesai: %(created)d unit baru, %(updated)d diperbarui, "
                    "%(problems)d baris bermasalah.",
                    created=result.created,
                    updated=result.updated,
                    problems=len(result.problems),
                ),
                "success" if not result.problems else "warning",
            )
    return render_template("units/import.html", form=form, result=result)


@bp.get("/cari.json")
@role_required("organizer", "verifier", "unit_operator", "checkin_staff")
def search_json():
    """Picker search: ``?q=dinkes`` -> matching active units (by name, short name or alias)."""
    q = (request.args.get("q") or "").strip()
    stmt = select(Unit).where(Unit.active).order_by(Unit.name).limit(20)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(func.lower(Unit.name).like(like), func.lower(Unit.short_name).like(like))
        )
    units = list(db.session.scalars(stmt))
    exact = services.find_unit(q) if q else None
    if exact is not None and exact not in units:
        units.insert(0, exact)
    return {"results": [{"id": u.id, "code": u.code, "name": u.label} for u in units]}
