"""Registration links per invited unit: the organizer's list (create for one unit or for every
invited unit without an operator, revoke, copy, WhatsApp) and the public form they open."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...common.phone import whatsapp_link
from ...common.types import utcnow
from ...events.models import EventStatus
from ...events.services import get_event_or_404
from ...extensions import db, limiter
from .. import message_templates, unit_links
from ..forms import PublicRegisterForm
from ..invitations import operators_by_unit
from ..models import MessageKind, UnitLink
from ._common import ORGANIZERS, person_data, thank_public_registrant
from .blueprint import bp


def _secret() -> str | bytes:
    return current_app.secret_key or ""


def _whatsapp(link: UnitLink, url: str, body: str) -> str:
    values: dict[str, object] = dict(message_templates.event_values(link.event))
    invitation = next((i for i in link.event.invitations if i.unit_id == link.unit_id), None)
    values.update(unit=link.unit.name, kuota=invitation.quota if invitation else "", tautan=url)
    return whatsapp_link(None, message_templates.render(MessageKind.UNDANGAN, body, values))


@bp.get("/acara/<int:event_id>/tautan-unit")
@role_required(*ORGANIZERS)
def unit_links_page(event_id: int):
    event = get_event_or_404(event_id, current_user)
    invited = sorted((inv.unit for inv in event.invitations), key=lambda u: u.name)
    have = operators_by_unit(u.id for u in invited)
    rows = unit_links.links(event)
    now = utcnow()
    live = {link.unit_id for link in rows if link.usable(now)}
    body = message_templates.text_for(MessageKind.UNDANGAN, event)
    shown = []
    for link in rows:
        url = unit_links.url(link)
        shown.append((link, url, _whatsapp(link, url, body) if link.usable(now) else None))
    return render_template(
        "registration/unit_links.html",
        event=event,
        invited=invited,
        operators=have,
        links=shown,
        now=now,
        lacking=[u for u in invited if not have.get(u.id) and u.id not in live],
        default_expiry=unit_links.default_expiry(event),
    )


@bp.post("/acara/<int:event_id>/tautan-unit")
@role_required(*ORGANIZERS)
def unit_links_create(event_id: int):
    """A link for one invited unit, or (``semua``) for every invited unit without an operator
    and without a live link."""
    event = get_event_or_404(event_id, current_user)
    try:
        raw = (request.form.get("expires") or "").strip()
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise DomainError(_("Tanggal berlaku tidak valid."), field="expires") from None
        expires = unit_links.expiry_from_date(day, event)
        invited = {inv.unit_id: inv.unit for inv in event.invitations}
        if request.form.get("semua"):
            have = operators_by_unit(invited)
            units = [u for uid, u in invited.items() if not have.get(uid)]
        else:
            unit = invited.get(request.form.get("unit_id", type=int) or 0)
            if unit is None:
                raise DomainError(_("Pilih unit yang diundang."), field="unit_id")
            units = [unit]
        made = unit_links.create(event, units, expires_at=expires, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        if made:
            flash(_("%(n)d tautan unit dibuat.", n=len(made)), "success")
        else:
            flash(_("Tidak ada tautan baru: unit tersebut sudah punya tautan aktif."), "info")
    return redirect(url_for("registration.unit_links_page", event_id=event.id))


@bp.post("/acara/<int:event_id>/tautan-unit/<int:link_id>/cabut")
@role_required(*ORGANIZERS)
def unit_link_revoke(event_id: int, link_id: int):
    event = get_event_or_404(event_id, current_user)
    link = db.get_or_404(UnitLink, link_id)
    if link.event_id != event.id:
        abort(404)
    unit_links.revoke(link, actor=current_user)
    db.session.commit()
    flash(_("Tautan untuk %(unit)s dicabut.", unit=link.unit.name), "info")
    return redirect(url_for("registration.unit_links_page", event_id=event.id))


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_REGISTRATION_RATE_LIMIT", "20 per 10 minutes")


@bp.route("/daftar/unit/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
@limiter.limit(lambda: current_app.config["PUBLIC_REGISTRATION_POST_RATE_LIMIT"], methods=["POST"])
def public_unit_register(token: str):
    """The public form with the unit fixed by the link; a revoked, expired or unknown link
    answers a page that says so."""
    try:
        link = unit_links.find(token, _secret())
        if link.event.status is EventStatus.DRAFT:
            raise unit_links.LinkClosed(_("Pendaftaran acara ini belum dibuka."))
        unit_links.check_usable(link)
    except DomainError as err:
        return render_template("registration/unit_link_closed.html", message=err.message), (
            err.status
        )
    event, unit = link.event, link.unit
    form = PublicRegisterForm()
    form.unit_id.choices = [(unit.id, unit.label)]
    form.unit_id.data = unit.id  # fixed: whatever the request says, the link's unit
    state = unit_links.rules.registration_state(event, unit=unit)
    if state.open and form.validate_on_submit():
        try:
            answer = unit_links.register(link, person_data(form), ip=request.remote_addr)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            db.session.commit()
            thank_public_registrant(answer.sent, ask_operator=False)
            return redirect(url_for("registration.public_unit_register", token=token))
    return render_template(
        "registration/public_form.html",
        event=event,
        form=form,
        is_open=state.open,
        reg_state=state,
        fixed_unit=unit,
    ), (422 if form.errors else 200)
