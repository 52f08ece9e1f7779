"""People pages: the list, one person's history, correcting a person."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ...checkin import queries as checkin_queries
from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error, required
from ...extensions import db
from .. import identity_requests, queries, services
from ..forms import ActForm, PersonEditForm
from ..models import EmployeeKind, IdentityRequest, Person
from ._common import scope_unit_id
from .blueprint import bp


def _person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id, options=[joinedload(Person.unit)])
    if person is None:
        abort(404)
    scope = scope_unit_id()
    if scope is not None and not queries.person_in_unit(person, scope):
        abort(404)
    return person


@bp.get("/peserta/<int:person_id>")
@role_required("organizer", "verifier", "unit_operator")
def person_detail(person_id: int):
    person = _person_or_404(person_id)
    registrations = queries.person_registrations(person, unit_id=scope_unit_id())
    attended = checkin_queries.checkin_counts(r.id for r in registrations)
    return render_template(
        "registration/person.html",
        person=person,
        registrations=registrations,
        attended=attended,
        attended_count=sum(1 for r in registrations if attended.get(r.id)),
    )


@bp.route("/peserta/<int:person_id>/ubah", methods=["GET", "POST"])
@role_required("organizer", "unit_operator")
def person_edit(person_id: int):
    person = _person_or_404(person_id)
    scope = scope_unit_id()
    if scope is not None and person.unit_id != scope:
        abort(404)
    form = PersonEditForm(obj=person)
    if request.method == "GET":
        form.kind.data = person.kind.value
        form.nip.data = person.id_number
    if form.validate_on_submit():
        try:
            services.update_person(
                person,
                actor=current_user,
                name=required(form.name.data),
                nip=(form.nip.data or "").strip() or None,
                kind=EmployeeKind(form.kind.data),
                position=form.position.data,
                rank=form.rank.data,
                phone=form.phone.data,
                email=form.email.data,
                instansi=form.instansi.data,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            db.session.commit()
            flash(_("Data peserta disimpan."), "success")
            return redirect(url_for("registration.person_detail", person_id=person.id))
    return render_template("registration/person_form.html", person=person, form=form), (
        422 if form.errors else 200
    )


@bp.get("/peserta")
@role_required("organizer", "verifier", "unit_operator")
def people():
    q = (request.args.get("q") or "").strip()
    stmt = queries.people_page_query(q, unit_id=scope_unit_id())
    page = db.paginate(stmt, per_page=current_app.config.get("ITEMS_PER_PAGE", 50))
    return render_template("registration/people.html", page=page, q=q)


@bp.get("/peserta/nip-000")
@role_required("organizer")
def damaged_nips():
    """Existing data to review: people whose NIP ends in 000 (likely damaged by Excel)."""
    return render_template("registration/damaged_nips.html", people=queries.damaged_nip_people())


@bp.get("/peserta/permintaan")
@role_required("organizer")
def identity_requests_list():
    """Unit operators refused on another unit's NIP/NIK: the organizers move or register them."""
    return render_template(
        "registration/identity_requests.html",
        requests=identity_requests.open_requests(),
        form=ActForm(),
    )


@bp.post("/peserta/permintaan/<int:request_id>")
@role_required("organizer")
def identity_request_act(request_id: int):
    req = db.session.get(IdentityRequest, request_id)
    if req is None:
        abort(404)
    form = ActForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        message = identity_requests.act(req, required(form.action.data), actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("registration.identity_requests_list"))
