"""Learning records and the yearly JP per unit (a unit operator sees their own unit only)."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import force_locale
from flask_login import current_user

from ...common.decorators import role_required
from ...common.http import bounded_int, download_headers
from ...common.types import utcnow
from ...common.wib import to_wib
from ...extensions import db
from ...registration.models import Person
from ...units.models import Unit
from ...units.services import unit_choices
from .. import exports, record
from ..jp import YEARLY_MINIMUM_JP
from .blueprint import bp

REPORT_ROLES = ("organizer", "verifier", "unit_operator")


def _year() -> int:
    this_year = to_wib(utcnow()).year
    year = request.args.get("tahun", type=int) or this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _unit() -> Unit | None:
    """The unit asked for; a unit operator always gets their own."""
    if current_user.has_role("organizer", "verifier"):
        unit_id = request.args.get("unit", type=int)
        if not unit_id:
            return None
        unit = db.session.get(Unit, unit_id) if 0 < unit_id < 2**31 else None
        if unit is None:
            abort(404)
        return unit
    if current_user.unit_id is None:
        abort(403)
    return db.session.get(Unit, current_user.unit_id)


@bp.get("/pelatihan/jp")
@role_required(*REPORT_ROLES)
def unit_report():
    year, unit = _year(), _unit()
    # A district unit has a thousand ASN or more: SQL counts them all and cuts a page.
    page = (
        record.unit_jp(unit, year, page=request.args.get("page", type=bounded_int) or 1)
        if unit is not None
        else None
    )
    choices = (
        unit_choices(with_root=False) if current_user.has_role("organizer", "verifier") else []
    )
    return render_template(
        "training/unit_report.html",
        year=year,
        unit=unit,
        page=page,
        minimum=YEARLY_MINIMUM_JP,
        unit_choices=choices,
    )


@bp.get("/pelatihan/jp.xlsx")
@role_required(*REPORT_ROLES)
def jp_xlsx():
    year, unit = _year(), _unit()
    with force_locale("id"):  # for the BKPSDM: event kinds in Indonesian
        rows = record.jp_export_rows(year=year, unit_id=unit.id if unit else None)
    suffix = f"-unit-{unit.id}" if unit else ""
    return Response(
        exports.jp_xlsx(rows, year=year),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=download_headers(f"jp-{year}{suffix}.xlsx"),
    )


@bp.get("/pelatihan/orang/<int:person_id>")
@role_required(*REPORT_ROLES)
def person_record(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None or person.anonymized_at is not None:
        abort(404)
    if not current_user.has_role("organizer", "verifier") and (
        current_user.unit_id is None or person.unit_id != current_user.unit_id
    ):
        abort(404)
    return render_template(
        "training/person_record.html", person=person, rec=record.learning_record(person)
    )
