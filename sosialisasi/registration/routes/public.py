"""The public registration link: anyone from an invited unit registers themselves."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ...common.errors import DomainError
from ...common.forms import add_error
from ...events.models import Event, EventStatus, Invitation
from ...extensions import db, limiter
from ...units.models import Unit
from .. import services
from ..forms import PublicRegisterForm
from ._common import person_data, thank_public_registrant
from .blueprint import bp


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_REGISTRATION_RATE_LIMIT", "20 per 10 minutes")


def _public_event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not event.public_registration or event.status is EventStatus.DRAFT:
        abort(404, _("Tautan pendaftaran ini tidak ada atau tidak dibuka untuk umum."))
    return event


@bp.route("/daftar/<int:event_id>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
@limiter.limit(lambda: current_app.config["PUBLIC_REGISTRATION_POST_RATE_LIMIT"], methods=["POST"])
def public_register(event_id: int):
    event = _public_event_or_404(event_id)
    invited = db.session.scalars(
        select(Unit)
        .join(Invitation, Invitation.unit_id == Unit.id)
        .where(Invitation.event_id == event.id)
        .order_by(Unit.name)
    ).all()
    form = PublicRegisterForm()
    form.unit_id.choices = [(0, _("- pilih unit kerja -"))] + [(u.id, u.label) for u in invited]
    state = services.registration_state(event)
    is_open = state.open
    if is_open and form.validate_on_submit():
        unit = next((u for u in invited if u.id == form.unit_id.data), None)
        try:
            answer = services.register_public(
                event, person_data(form), unit=unit, ip=request.remote_addr
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            db.session.commit()
            thank_public_registrant(answer.sent, ask_operator=True)
            return redirect(url_for("registration.public_register", event_id=event.id))
    status = 422 if form.errors else 200
    return render_template(
        "registration/public_form.html",
        event=event,
        form=form,
        is_open=is_open,
        reg_state=state,
    ), status
