"""Registration pages: tickets (public), people, invitations, delegates, lists, import."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..auth.models import Role
from ..checkin.models import CheckIn
from ..common.decorators import role_required
from ..common.qrcodes import qr_png, qr_svg
from ..common.text import fold
from ..events.models import Event
from ..extensions import db
from . import services, tickets
from .models import Person, Registration

bp = Blueprint("registration", __name__)


# --- public ticket -----------------------------------------------------------------------------


def _ticket_or_404(code: str) -> Registration:
    if not code or len(code) > 43:
        abort(404, "Tiket tidak ditemukan. Periksa kembali tautan tiket Anda.")
    reg = db.session.scalar(
        select(Registration)
        .where(Registration.ticket_code == code)
        .options(
            joinedload(Registration.person),
            joinedload(Registration.unit),
            joinedload(Registration.event).selectinload(Event.sessions),
        )
    )
    if reg is None:
        abort(404, "Tiket tidak ditemukan. Periksa kembali tautan tiket Anda.")
    return reg


@bp.get("/t/<code>")
def public_ticket(code: str):
    reg = _ticket_or_404(code)
    response = Response(
        render_template(
            "registration/ticket.html",
            registration=reg,
            event=reg.event,
            url=services.ticket_url(reg),
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/t/<code>/qr.png")
def public_ticket_qr_png(code: str):
    reg = _ticket_or_404(code)
    response = Response(qr_png(services.ticket_url(reg), level="M"), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/t/<code>/qr.svg")
def public_ticket_qr_svg(code: str):
    reg = _ticket_or_404(code)
    response = Response(qr_svg(services.ticket_url(reg), level="M"), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/t/<code>/tiket.pdf")
def public_ticket_pdf(code: str):
    reg = _ticket_or_404(code)
    data = tickets.ticket_pdf(reg, services.ticket_url(reg))
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="tiket-{reg.id}.pdf"'},
    )


@bp.get("/t/<code>/kartu.pdf")
def public_ticket_badge(code: str):
    reg = _ticket_or_404(code)
    data = tickets.badges_pdf([reg], services.ticket_url)
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="kartu-{reg.id}.pdf"'},
    )


# --- people ------------------------------------------------------------------------------------


def _person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id, options=[joinedload(Person.unit)])
    if person is None:
        abort(404)
    if current_user.role is Role.UNIT_OPERATOR and person.unit_id != current_user.unit_id:
        in_unit = db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.person_id == person.id,
                Registration.unit_id == current_user.unit_id,
            )
        )
        if not in_unit:
            abort(404)
    return person


@bp.get("/peserta/<int:person_id>")
@role_required("organizer", "verifier", "unit_operator")
def person_detail(person_id: int):
    person = _person_or_404(person_id)
    stmt = (
        select(Registration)
        .where(Registration.person_id == person.id)
        .join(Event, Event.id == Registration.event_id)
        .options(joinedload(Registration.event), joinedload(Registration.unit))
        .order_by(Event.starts_at.desc())
    )
    if current_user.role is Role.UNIT_OPERATOR:
        stmt = stmt.where(Registration.unit_id == current_user.unit_id)
    registrations = db.session.scalars(stmt).all()
    ids = [r.id for r in registrations]
    attended: dict[int, int] = {}
    if ids:
        attended = dict(
            db.session.execute(
                select(CheckIn.registration_id, func.count(CheckIn.id))
                .where(CheckIn.registration_id.in_(ids))
                .group_by(CheckIn.registration_id)
            ).all()
        )
    return render_template(
        "registration/person.html",
        person=person,
        registrations=registrations,
        attended=attended,
        attended_count=sum(1 for r in registrations if attended.get(r.id)),
    )


@bp.get("/peserta")
@role_required("organizer", "verifier", "unit_operator")
def people():
    q = (request.args.get("q") or "").strip()
    stmt = select(Person).options(joinedload(Person.unit)).order_by(Person.name_key)
    if current_user.role is Role.UNIT_OPERATOR:
        stmt = stmt.where(Person.unit_id == current_user.unit_id)
    if q:
        digits = q.replace(" ", "")
        stmt = stmt.where(or_(Person.name_key.like(f"%{fold(q)}%"), Person.nip.like(f"{digits}%")))
    page = db.paginate(stmt, per_page=current_app.config.get("ITEMS_PER_PAGE", 50))
    return render_template("registration/people.html", page=page, q=q)
