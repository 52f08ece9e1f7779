"""Door pages: the scanner (camera, USB, typed, search, offline), history with undo, walk-in."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error, required
from ..common.http import bounded_int
from ..common.types import utcnow
from ..common.wib import format_time
from ..events.models import Event, EventSession, EventStatus, Invitation
from ..events.services import current_session, get_event_or_404, visible_events
from ..extensions import db
from ..registration import services as registration_services
from ..registration.models import EmployeeKind, Registration
from ..units.models import Unit
from . import queries, services
from .door import DOOR_ROLES
from .forms import WalkInForm
from .models import CheckIn
from .walkin import WalkIn, walk_in

bp = Blueprint("checkin", __name__, url_prefix="/registrasi-ulang")

SW_FILE = "js/checkin-sw.js"
# The same code again within this many seconds of its answer is the same scan (not sent again).
SAME_SCAN_SECONDS = 5


@bp.get("/")
@role_required(*DOOR_ROLES)
def index():
    """Events at the door today or soon (and those of the last day, for late check-ins)."""
    now = utcnow()
    events = db.session.scalars(
        visible_events(current_user)
        .where(
            Event.ends_at >= now - timedelta(days=1),
            Event.status.notin_([EventStatus.CANCELLED, EventStatus.DRAFT]),
        )
        .order_by(Event.starts_at)
        .limit(20)
    ).all()
    return render_template("checkin/index.html", events=events)


@bp.get("/<int:event_id>")
@role_required(*DOOR_ROLES)
def scanner(event_id: int):
    event = get_event_or_404(event_id, current_user)
    current = current_session(event)
    sessions = [
        {
            "id": s.id,
            "title": s.title,
            "starts_at": queries.iso(s.starts_at),
            "ends_at": queries.iso(s.ends_at),
            "opens_at": queries.iso(s.starts_at - timedelta(minutes=event.checkin_opens_minutes)),
        }
        for s in event.sessions
    ]
    return render_template(
        "checkin/scanner.html",
        event=event,
        sessions=sessions,
        current=current,
        can_undo=current_user.has_role("organizer"),
        same_scan_seconds=current_app.config.get("SCANNER_SAME_SCAN_SECONDS", SAME_SCAN_SECONDS),
    )


@bp.get("/<int:event_id>/riwayat")
@role_required(*DOOR_ROLES)
def history(event_id: int):
    event = get_event_or_404(event_id, current_user)
    session_id = request.args.get("sesi", type=bounded_int)
    q = (request.args.get("q") or "").strip()[:100]
    page = db.paginate(
        queries.checkins_stmt(event, session_id=session_id, text=q),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template(
        "checkin/history.html",
        event=event,
        page=page,
        session_id=session_id,
        q=q,
        can_undo=current_user.has_role("organizer"),
    )


@bp.post("/<int:event_id>/riwayat/<int:checkin_id>/batal")
@role_required("organizer")
def undo(event_id: int, checkin_id: int):
    event = get_event_or_404(event_id, current_user)
    row = db.session.scalar(
        select(CheckIn)
        .join(EventSession, EventSession.id == CheckIn.session_id)
        .where(CheckIn.id == checkin_id, EventSession.event_id == event.id)
    )
    if row is None:
        flash(_("Data registrasi ulang tidak ditemukan (mungkin sudah dibatalkan)."), "warning")
        return redirect(url_for("checkin.history", event_id=event.id))
    name = row.registration.person.name
    try:
        services.undo_check_in(
            row,
            actor=current_user,
            reason=request.form.get("reason"),
            ip=request.remote_addr,
            device=request.user_agent.string,
        )
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        flash(
            _("Registrasi ulang %(name)s dibatalkan; tiketnya dapat dipindai lagi.", name=name),
            "success",
        )
    return redirect(url_for("checkin.history", event_id=event.id, **_keep_filters()))


def _keep_filters() -> dict:
    return {
        k: v for k, v in (("sesi", request.form.get("sesi")), ("q", request.form.get("q"))) if v
    }


def _unit_choices(event: Event) -> list[tuple[int, str]]:
    """Invited units with their quota use, in one query."""
    used = (
        select(func.count(Registration.id))
        .where(
            Registration.event_id == event.id,
            Registration.unit_id == Invitation.unit_id,
            Registration.status.in_(registration_services.QUOTA_STATUSES),
        )
        .correlate(Invitation)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Unit.id, Unit.name, Invitation.quota, used)
        .join(Invitation, Invitation.unit_id == Unit.id)
        .where(Invitation.event_id == event.id)
        .order_by(Unit.name)
    )
    return [(0, _("- pilih -"))] + [
        (
            uid,
            _("%(unit)s (%(used)d/%(quota)d, penuh)", unit=name, used=n, quota=quota)
            if n >= quota
            else f"{name} ({n}/{quota})",
        )
        for uid, name, quota, n in rows
    ]


@bp.route("/<int:event_id>/walk-in", methods=["GET", "POST"])
@role_required("organizer")
def walkin(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = WalkInForm()
    form.unit_id.choices = _unit_choices(event)
    form.session_id.choices = [(s.id, s.title) for s in event.sessions]
    if request.method == "GET":
        current = current_session(event)
        form.session_id.data = current.id if current else None
    if form.validate_on_submit():
        session = db.session.get(EventSession, form.session_id.data)
        data = WalkIn(
            name=required(form.name.data),
            unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
            nip=form.nip.data,
            kind=EmployeeKind(form.kind.data) if form.kind.data else None,
            position=form.position.data,
            phone=form.phone.data,
            over_quota_reason=form.over_quota_reason.data,
        )
        try:
            outcome = walk_in(
                event,
                data,
                actor=current_user,
                session=session if session and session.event_id == event.id else None,
                ip=request.remote_addr,
                device=request.user_agent.string,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            db.session.commit()
            ticket = outcome.ticket
            assert ticket is not None  # walk_in raises unless the check-in was accepted
            flash(
                _(
                    "%(name)s (%(unit)s) terdaftar sebagai peserta datang langsung dan sudah "
                    "registrasi ulang pukul %(time)s.",
                    name=ticket.name,
                    unit=ticket.unit,
                    time=format_time(outcome.checked_in_at),
                ),
                "success",
            )
            return redirect(url_for("checkin.scanner", event_id=event.id))
    return render_template("checkin/walkin.html", event=event, form=form)


SW_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/app.css",
    "css/checkin.css",
    "js/app.js",
    "js/scanner.js",
    "vendor/zxing-wasm/zxing-reader.iife.js",
    "vendor/zxing-wasm/zxing_reader.wasm",
    "img/logo.svg",
)


@bp.get("/sw.js")
def public_service_worker():
    """The scanner's service worker, served from here so that its scope covers the scanner.

    It holds no data, only the list of static files to keep and a version that changes with them.
    """
    static = Path(current_app.static_folder)
    assets = [url_for("static", filename=name) for name in SW_ASSETS]
    version = hashlib.sha256()
    for name in (SW_FILE, *SW_ASSETS):
        stat = (static / name).stat()
        version.update(f"{name}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    body = (
        (static / SW_FILE)
        .read_text(encoding="utf-8")
        .replace("/*ASSETS*/ []", json.dumps(assets), 1)
        .replace('/*VERSION*/ "dev"', json.dumps(version.hexdigest()[:12]), 1)
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
