"""Letterhead (kop surat) settings and an event's signatories."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...extensions import db
from ...units.models import Unit
from ...units.services import unit_choices
from .. import services
from ..forms import (
    AddressingForm,
    LetterheadForm,
    protocol_order_form,
)
from .common import bp


@bp.route("/pengaturan/kop-surat", methods=["GET", "POST"])
@role_required()  # administrators only
def letterhead():
    current = services.get_letterhead()
    form = LetterheadForm(obj=current)
    if form.validate_on_submit():
        upload = form.logo.data
        logo = upload.read() if upload and getattr(upload, "filename", "") else None
        try:
            services.save_letterhead(
                services.LetterheadData(
                    government_name=form.government_name.data,
                    secretariat=form.secretariat.data,
                    address=form.address.data,
                    city=form.city.data,
                    phone=form.phone.data or "",
                    website=form.website.data or "",
                    email=form.email.data or "",
                    certificate_pattern=form.certificate_pattern.data or "",
                ),
                logo=logo,
                remove_logo=form.remove_logo.data,
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "logo")
        else:
            db.session.commit()
            flash(_("Kop surat disimpan."), "success")
            return redirect(url_for("documents.letterhead"))
    return render_template(
        "documents/letterhead.html",
        form=form,
        letterhead=current,
        missing=services.missing_letterhead(current),
    )


@bp.route("/pengaturan/sapaan-surat", methods=["GET", "POST"])
@role_required()  # administrators only
def addressing():
    """Per-unit addressee titles and protocol order of the surat undangan."""
    form = AddressingForm()
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        if unit is None:
            abort(404)
        services.save_addressing(
            unit,
            title=form.title.data or "",
            protocol_rank=form.protocol_rank.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("Sapaan surat untuk %(unit)s disimpan.", unit=unit.name), "success")
        return redirect(url_for("documents.addressing"))
    return render_template(
        "documents/addressing.html",
        form=form,
        overrides=services.addressing_overrides(),
        head_of=services.head_of,
    )


@bp.route("/pengaturan/urutan-protokol", methods=["GET", "POST"])
@role_required("organizer")
def protocol_order():
    """The protocol order of the surat undangan's addressees, edited as one list."""
    kinds = services.protocol_order()
    form = protocol_order_form(kinds)
    if form.validate_on_submit():
        services.save_protocol_order(
            {kind: form[kind.value].data for kind in kinds}, actor=current_user
        )
        db.session.commit()
        flash(
            _("Urutan protokol disimpan; surat undangan berikutnya memakai urutan ini."), "success"
        )
        return redirect(url_for("documents.protocol_order"))
    return render_template(
        "documents/protocol_order.html",
        form=form,
        kinds=kinds,
        units=services.units_per_kind(),
    ), (400 if form.errors else 200)


@bp.get("/pengaturan/kop-surat/logo")
@login_required
def logo():
    letterhead = services.get_letterhead()
    data = services.logo_bytes(letterhead)
    if data is None:
        abort(404)
    return Response(data, mimetype=letterhead.logo_mime or "image/png")
