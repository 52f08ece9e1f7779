"""JSON API v1: check-in at the door, the offline roster, search, attendance counts.

Auth: ``Authorization: Bearer <token>`` (``flask users token NAME``) or the logged-in session with
the ``X-CSRFToken`` header. Organizers and administrators reach every event; check-in staff only
the events they are assigned to (others answer 404, as if the event did not exist).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..attendance.queries import attendance_summary
from ..auth.models import Role
from ..checkin import queries
from ..checkin.door import DOOR_ROLES
from ..checkin.models import CheckIn, CheckInMethod
from ..checkin.services import Outcome, Result, check_in_at_door, undo_check_in
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.types import utcnow
from ..events.models import Event, EventSession
from ..events.services import can_see, current_session
from ..extensions import db, limiter
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _auth_limit() -> str:
    return current_app.config.get("API_AUTH_RATE_LIMIT", "60 per minute")


# Guessing tokens: every 401 answer counts against the client's address (429 past the limit).
limiter.limit(_auth_limit, deduct_when=lambda response: response.status_code == 401)(bp)

NONCE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
METHODS = {"qr": CheckInMethod.QR, "manual": CheckInMethod.MANUAL, "offline": CheckInMethod.OFFLINE}
BODY_FIELDS = {"code", "session_id", "nonce", "scanned_at", "method", "device"}


class BadRequest(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@bp.errorhandler(BadRequest)
def _bad_request(err: BadRequest):
    return jsonify(error="bad_request", reason=err.reason, message=err.message, status=400), 400


def _event(event_id: int) -> Event:
    """The event (404 when it does not exist or is not the user's to see)."""
    event = db.session.get(Event, event_id)
    if event is None or not can_see(current_user, event):
        abort(404)
    return event


def _outcome_json(outcome: Outcome, *, undo_event_id: int | None = None) -> dict:
    """The answer; ``undo_url`` (organizers) is where to DELETE a check-in this scan made."""
    undo = None
    if undo_event_id is not None and outcome.result is Result.OK and outcome.checkin_id:
        undo = url_for("api.checkins_delete", event_id=undo_event_id, checkin_id=outcome.checkin_id)
    return {
        "undo_url": undo,
        "result": outcome.result.value,
        "message": outcome.message,
        "checked_in_at": queries.iso(outcome.checked_in_at),
        "registration": outcome.ticket.json() if outcome.ticket is not None else None,
        "checkin_id": outcome.checkin_id,
        "session": (
            {"id": outcome.session.id, "title": outcome.session.title}
            if outcome.session is not None
            else None
        ),
    }


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_body() -> dict:
    if not request.is_json:
        raise BadRequest("not_json", _("Kirim data sebagai JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    if body is None:
        raise BadRequest("not_json", _("Isi permintaan bukan JSON yang sah."))
    if not isinstance(body, dict):
        raise BadRequest("invalid_body", _("Isi permintaan harus berupa objek JSON."))
    unknown = set(body) - BODY_FIELDS
    if unknown:
        raise BadRequest(
            "unknown_field",
            _("Kolom tidak dikenal: %(fields)s.", fields=", ".join(sorted(unknown))),
        )
    code = body.get("code")
    if code is None or code == "":
        raise BadRequest(
            "missing_code", _("Kolom 'code' (kode tiket atau tautan tiket) wajib diisi.")
        )
    if not isinstance(code, str) or len(code) > 500:
        raise BadRequest("invalid_code", _("Kolom 'code' harus teks, paling panjang 500 karakter."))
    session_id = body.get("session_id")
    if session_id is not None and (not _is_int(session_id) or not 1 <= session_id < 2**31):
        raise BadRequest("invalid_session", _("Kolom 'session_id' harus bilangan bulat positif."))
    nonce = body.get("nonce")
    if nonce is not None and (not isinstance(nonce, str) or not NONCE.match(nonce)):
        raise BadRequest(
            "invalid_nonce",
            _("Kolom 'nonce' harus 1-64 karakter huruf, angka, '_', '.', ':', '-'."),
        )
    scanned_at = body.get("scanned_at")
    if scanned_at is not None:
        scanned_at = _parse_time(scanned_at)
    method = body.get("method", "qr")
    if method is None:
        method = "qr"
    if not isinstance(method, str) or method not in METHODS:
        raise BadRequest(
            "invalid_method", _("Kolom 'method' harus salah satu: qr, manual, offline.")
        )
    device = body.get("device")
    if device is not None and (
        not isinstance(device, str) or len(device) > 120 or not device.isprintable()
    ):
        raise BadRequest(
            "invalid_device", _("Kolom 'device' harus teks, paling panjang 120 karakter.")
        )
    return {
        "code": code,
        "session_id": session_id,
        "nonce": nonce,
        "scanned_at": scanned_at,
        "method": METHODS[method],
        "device": device,
    }


def _bad_time() -> BadRequest:
    """Made only when refusing: a valid scan (offline sync) does no translation work."""
    return BadRequest(
        "invalid_scanned_at", _("Kolom 'scanned_at' harus waktu ISO 8601 dengan zona waktu.")
    )


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise _bad_time()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _bad_time() from None
    if parsed.tzinfo is None:
        raise _bad_time()
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise _bad_time() from None


@bp.post("/events/<int:event_id>/checkins")
@role_required(*DOOR_ROLES)
def checkins_create(event_id: int):
    data = _parse_body()
    try:
        outcome = check_in_at_door(
            event_id,
            data["code"],
            operator=current_user,
            method=data["method"],
            session_id=data["session_id"],
            nonce=data["nonce"],
            device=data["device"] or request.user_agent.string or None,
            at=data["scanned_at"],
        )
    except DomainError as err:
        raise BadRequest("invalid_session", err.message) from None
    if outcome is None:
        abort(404)
    can_undo = current_user.has_role("organizer")
    body = _outcome_json(outcome, undo_event_id=event_id if can_undo else None)
    db.session.commit()
    return jsonify(body), outcome.result.http_status


@bp.delete("/events/<int:event_id>/checkins/<int:checkin_id>")
@role_required("organizer")
def checkins_delete(event_id: int, checkin_id: int):
    """Undo a check-in (wrong person scanned): the ticket can be scanned again; audited."""
    event = _event(event_id)
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict) or set(body) - {"reason"}:
        raise BadRequest("invalid_body", _("Kirim objek JSON dengan kolom 'reason'."))
    reason = body.get("reason")
    if not isinstance(reason, str) or not 3 <= len(reason.strip()) <= 300:
        raise BadRequest("invalid_reason", _("Tuliskan alasan pembatalan (3-300 karakter)."))
    if not reason.isprintable():
        raise BadRequest("invalid_reason", _("Alasan pembatalan berisi karakter yang tidak sah."))
    row = db.session.scalar(
        select(CheckIn)
        .join(EventSession, EventSession.id == CheckIn.session_id)
        .where(CheckIn.id == checkin_id, EventSession.event_id == event.id)
    )
    if row is None:
        abort(404, _("Data registrasi ulang tidak ditemukan (mungkin sudah dibatalkan)."))
    name = row.registration.person.name
    undo_check_in(
        row,
        actor=current_user,
        reason=reason,
        ip=request.remote_addr,
        device=request.user_agent.string,
    )
    db.session.commit()
    return jsonify(
        result="undone",
        message=_("Registrasi ulang %(name)s dibatalkan; tiketnya dapat dipindai lagi.", name=name),
    )


@bp.get("/events/<int:event_id>/roster")
@role_required(*DOOR_ROLES)
def roster(event_id: int):
    event = _event(event_id)
    now = utcnow()
    current = current_session(event, now)
    return jsonify(
        event={"id": event.id, "title": event.title, "status": event.status.value},
        generated_at=queries.iso(now),
        current_session_id=current.id if current else None,
        sessions=[_session_json(event, s) for s in event.sessions],
        registrations=queries.roster(event),
    )


def _session_json(event: Event, s: EventSession) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "starts_at": queries.iso(s.starts_at),
        "ends_at": queries.iso(s.ends_at),
        "opens_at": queries.iso(s.starts_at - timedelta(minutes=event.checkin_opens_minutes)),
        "mandatory": s.mandatory,
    }


@bp.get("/events/<int:event_id>/search")
@role_required(*DOOR_ROLES)
def search(event_id: int):
    event = _event(event_id)
    q = request.args.get("q", "").replace("\x00", "")
    if len(q) > 100:
        raise BadRequest("invalid_query", _("Teks pencarian paling panjang 100 karakter."))
    results = queries.search(event, q)
    return jsonify(
        results=[
            {
                "code": reg.ticket_code,
                "nip": reg.person.nip,
                "status": reg.status.value,
                **queries.registration_json(reg),
            }
            for reg in results
        ]
    )


@bp.get("/events/<int:event_id>/attendance")
@role_required(*DOOR_ROLES, "verifier", "unit_operator")
def attendance(event_id: int):
    event = _event(event_id)
    session = None
    raw = request.args.get("session_id")
    if raw is not None:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:  # "²", 10**30: 400
            raise BadRequest("invalid_session", _("Parameter 'session_id' harus bilangan bulat."))
        session = db.session.get(EventSession, int(raw))
        if session is None or session.event_id != event.id:
            raise BadRequest("invalid_session", _("Sesi tidak ditemukan pada acara ini."))
    # A unit operator sees only the figures of their own unit.
    unit = current_user.unit if current_user.role is Role.UNIT_OPERATOR else None
    return jsonify(attendance_summary(event, session, unit=unit))


@bp.get("/openapi.json")
@login_required
def openapi():
    return jsonify(document())
