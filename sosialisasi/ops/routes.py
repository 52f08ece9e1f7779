"""Administrator pages for personal data: find a person, export or anonymise their data."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.http import download_headers
from ..extensions import db
from ..registration.models import Person
from . import services
from .forms import AnonymizeForm, ExportForm

bp = Blueprint("ops", __name__, url_prefix="/admin/data")


@bp.get("/orang")
@role_required()
def people():
    q = (request.args.get("q") or "").strip()
    found = services.find_people(q) if q else []
    return render_template("ops/people.html", q=q, people=found)


@bp.get("/orang/<int:person_id>")
@role_required()
def person(person_id: int):
    person = db.get_or_404(Person, person_id)
    return render_template(
        "ops/person.html",
        person=person,
        summary=services.person_summary(person),
        export_form=ExportForm(),
        anonymize_form=AnonymizeForm(),
    )


@bp.post("/orang/<int:person_id>/ekspor")
@role_required()
def person_export(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = ExportForm()
    if not form.validate_on_submit():
        flash(_("Pilih format ekspor."), "danger")
        return redirect(url_for("ops.person", person_id=person.id))
    body, mimetype = services.export_person(
        person,
        form.format.data,
        actor=current_user,
        ip=request.remote_addr,
        device=request.user_agent.string,
    )
    db.session.commit()
    filename = f"data-orang-{person.id}.{form.format.data}"
    return Response(
        body,
        mimetype=mimetype,
        headers={**download_headers(filename), "Cache-Control": "no-store"},
    )


@bp.post("/orang/<int:person_id>/anonimkan")
@role_required()
def person_anonymize(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = AnonymizeForm()
    if form.validate_on_submit():
        old_name = person.name
        try:
            services.anonymize_person(person, actor=current_user, ip=request.remote_addr)
        except DomainError as err:
            flash(err.message, "warning")
        else:
            db.session.commit()
            flash(_("Data pribadi %(name)s telah dianonimkan.", name=old_name), "success")
        return redirect(url_for("ops.person", person_id=person.id))
    return render_template(
        "ops/person.html",
        person=person,
        summary=services.person_summary(person),
        export_form=ExportForm(),
        anonymize_form=form,
    ), 400
