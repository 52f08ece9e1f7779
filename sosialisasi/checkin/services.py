"""The check-in rule: one row per registration and session, decided by the database.

``check_in`` is the single entry point for the scanner page, the API, offline sync, walk-ins and
self check-in. It flushes and never commits; the caller commits once.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, make_transient_to_detached

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..common.types import utcnow
from ..common.wib import format_time
from ..events.models import Event, EventSession, EventStatus
from ..events.services import current_session
from ..extensions import db
from ..registration import services as registration
from ..registration.models import Registration, RegistrationSource, RegistrationStatus
from ..units.models import Unit
from .models import CheckIn, CheckInMethod


class Result(enum.Enum):
    OK = "ok"
    ALREADY = "already"
    UNKNOWN = "unknown"
    WRONG_EVENT = "wrong_event"
    CANCELLED = "cancelled"
    NOT_OPEN = "not_open"

    @property
    def http_status(self) -> int:
        return {"ok": 201, "already": 200, "unknown": 404}.get(self.value, 409)


@dataclass
class Outcome:
    result: Result
    message: str
    registration: Registration | None = None
    checkin: CheckIn | None = None
    session: EventSession | None = None

    @property
    def checked_in_at(self) -> datetime | None:
        return self.checkin.at if self.checkin else None


# A ticket code is 22 URL-safe characters (128 bits); accept a little either way for safety.
_CODE = re.compile(r"^[A-Za-z0-9_-]{16,43}$")
_TICKET_PATH = re.compile(r"/t/([A-Za-z0-9_-]{16,43})/?$")


def parse_code(raw: str | None) -> str | None:
    """The ticket code from what a scanner read: the ticket URL, the bare code, or typed text."""
    text = (raw or "").strip()
    if not text or len(text) > 500:
        return None
    if "/" in text:
        try:
            path = urlsplit(text).path if "://" in text else text
        except ValueError:  # e.g. "https://[bad": not a URL of ours
            return None
        match = _TICKET_PATH.search(path)
        return match.group(1) if match else None
    return text if _CODE.match(text) else None


def _name(reg: Registration) -> str:
    return reg.person.name


def check_in(
    event: Event,
    code: str | None,
    *,
    operator: User | None,
    method: CheckInMethod,
    session: EventSession | None = None,
    nonce: str | None = None,
    device: str | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Check a ticket in to a session of ``event``.

    ``at`` is when the scan happened (an offline scan synced later); ``now`` is the server clock
    (injected by tests). The same ``nonce`` twice gives the first answer and writes nothing.
    """
    now = now or utcnow()
    at = min(at or now, now)
    nonce = (nonce or "").strip()[:64] or None
    if nonce:
        previous = _by_nonce(nonce)
        if previous is not None:
            return _replay(previous, event)

    token = parse_code(code)
    if token is None:
        return Outcome(Result.UNKNOWN, "Kode tidak dikenali. Bukan tiket acara ini.")
    reg = db.session.scalar(_BY_TICKET, {"code": token})
    if reg is None:
        return Outcome(Result.UNKNOWN, "Tiket tidak ditemukan.")
    if reg.event_id != event.id:
        return Outcome(Result.WRONG_EVENT, "Tiket ini untuk acara lain.", registration=reg)
    if event.status is EventStatus.CANCELLED:
        return Outcome(Result.CANCELLED, "Acara ini dibatalkan.", registration=reg)
    if reg.status is not RegistrationStatus.REGISTERED:
        reason = {
            RegistrationStatus.PENDING: "belum disetujui panitia",
            RegistrationStatus.WAITLISTED: "masih dalam daftar tunggu",
            RegistrationStatus.REJECTED: "ditolak",
            RegistrationStatus.CANCELLED: "dibatalkan",
        }[reg.status]
        return Outcome(Result.CANCELLED, f"Pendaftaran {_name(reg)} {reason}.", registration=reg)

    session = session or current_session(event, at)
    if session is None or session.event_id != event.id:
        return Outcome(Result.NOT_OPEN, "Sesi tidak ditemukan untuk acara ini.", registration=reg)
    opens = session.starts_at - timedelta(minutes=event.checkin_opens_minutes)
    if at < opens:
        return Outcome(
            Result.NOT_OPEN,
            f"Registrasi ulang sesi ini baru dibuka pukul {format_time(opens)}.",
            registration=reg,
            session=session,
        )
    if at > session.ends_at:
        return Outcome(
            Result.NOT_OPEN, "Sesi ini sudah berakhir.", registration=reg, session=session
        )

    values = {
        "registration_id": reg.id,
        "session_id": session.id,
        "at": at,
        "method": method,
        "operator_id": operator.id if operator else None,
        "device": (device or "").replace("\x00", "")[:120] or None,
        "nonce": nonce,
    }
    # One statement, no savepoint: INSERT ... ON CONFLICT DO NOTHING RETURNING id. When the
    # unique keys refuse the row (this ticket in this session, or this nonce), the database has
    # decided: another device won the race or this is a retry (docs/performance.md).
    row_id = db.session.execute(_insert_ignoring_conflicts(), values).scalar()
    if row_id is None:
        if nonce:
            previous = _by_nonce(nonce)
            if previous is not None:
                return _replay(previous, event)
        existing = _existing(reg, session)
        if existing is None:  # pragma: no cover - the unique key guarantees a row
            raise IntegrityError("check-in refused without a conflicting row", values, None)
        return _already(existing)
    row = CheckIn(id=row_id, registration=reg, session=session, **values)
    make_transient_to_detached(row)  # the row exists: make the object persistent, no INSERT
    db.session.add(row)
    return Outcome(
        Result.OK, f"Selamat datang, {_name(reg)}.", registration=reg, checkin=row, session=session
    )


# Built once: the door sends hundreds of scans a minute, and building a statement costs more than
# running it on SQLite (docs/performance.md).
_CHECKINS = CheckIn.__table__
_INSERT = {
    name: insert(_CHECKINS).on_conflict_do_nothing().returning(_CHECKINS.c.id)
    for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_BY_TICKET = (
    select(Registration)
    .where(Registration.ticket_code == bindparam("code"))
    .options(joinedload(Registration.person), joinedload(Registration.unit))
)


def _insert_ignoring_conflicts():
    return _INSERT[db.session.get_bind().dialect.name]


def _existing(reg: Registration, session: EventSession) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.registration_id == reg.id, CheckIn.session_id == session.id)
    )


def _already(row: CheckIn) -> Outcome:
    reg = row.registration
    return Outcome(
        Result.ALREADY,
        f"{_name(reg)} sudah check-in pukul {format_time(row.at, zone=False)}.",
        registration=reg,
        checkin=row,
        session=row.session,
    )


def _ok(row: CheckIn) -> Outcome:
    reg = row.registration
    return Outcome(
        Result.OK,
        f"Selamat datang, {_name(reg)}.",
        registration=reg,
        checkin=row,
        session=row.session,
    )


def _by_nonce(nonce: str) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn)
        .where(CheckIn.nonce == nonce)
        .options(joinedload(CheckIn.registration).joinedload(Registration.person))
    )


def _replay(previous: CheckIn, event: Event) -> Outcome:
    """A retried request (same nonce): the first answer again, nothing written."""
    if previous.registration.event_id != event.id:
        return Outcome(Result.UNKNOWN, "Kode pemindaian ini sudah dipakai untuk acara lain.")
    return _ok(previous)


# --- undo ------------------------------------------------------------------------------------


def undo_check_in(
    row: CheckIn,
    *,
    actor: User,
    reason: str | None,
    ip: str | None = None,
    device: str | None = None,
) -> None:
    """Remove a check-in (wrong person scanned, test scan) so the ticket can be scanned again.

    The row itself goes; the audit log keeps who checked in whom, when and on which device, and who
    undid it and why.
    """
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise DomainError("Tuliskan alasan pembatalan check-in.", field="reason")
    reg = row.registration
    record(
        "checkin.undo",
        actor=actor,
        obj=reg,
        summary=f"{reg.person.name} ({row.session.title}): {reason}"[:300],
        ip=ip,
        device=device,
        reason=reason[:300],
        event_id=reg.event_id,
        session_id=row.session_id,
        checked_in_at=row.at.isoformat(),
        method=row.method.value,
        operator_id=row.operator_id,
        checkin_device=row.device,
    )
    db.session.delete(row)
    db.session.flush()


# --- walk-in ---------------------------------------------------------------------------------


@dataclass
class WalkIn:
    name: str
    unit: Unit | None
    nip: str | None = None
    position: str | None = ""
    phone: str | None = None
    over_quota_reason: str | None = None


def walk_in(
    event: Event,
    data: WalkIn,
    *,
    actor: User,
    session: EventSession | None = None,
    ip: str | None = None,
    device: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Register an official of an invited unit who came without registering, and check them in.

    Both happen or neither does: a refused check-in (e.g. the session is not open) raises, so the
    caller rolls back. A unit whose quota is used needs a reason, which the registration keeps.
    """
    if not actor.has_role("organizer"):
        raise NotAllowed("Hanya panitia yang dapat mendaftarkan peserta yang datang langsung.")
    unit = data.unit
    invitation = registration.invitation_for(event, unit)
    if unit is None or invitation is None:
        raise DomainError("Pilih perangkat daerah yang diundang ke acara ini.", field="unit_id")
    used = (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == event.id,
                Registration.unit_id == unit.id,
                Registration.status.in_(registration.QUOTA_STATUSES),
            )
        )
        or 0
    )
    reason = (data.over_quota_reason or "").strip()[:300] or None
    over = used >= invitation.quota
    if over and not reason:
        raise DomainError(
            f"Kuota {unit.name} sudah penuh ({used} dari {invitation.quota} orang). "
            "Tuliskan alasan untuk melebihi kuota.",
            field="over_quota_reason",
        )
    person = registration.find_or_create_person(
        name=data.name, nip=data.nip or None, unit=unit, position=data.position, phone=data.phone
    )
    reg = registration.register(
        event,
        person=person,
        unit=unit,
        actor=actor,
        source=RegistrationSource.WALKIN,
        over_quota_reason=reason,
        now=now,
    )
    if over:
        reg.over_quota_reason = reason
    outcome = check_in(
        event,
        reg.ticket_code,
        operator=actor,
        method=CheckInMethod.WALKIN,
        session=session,
        device=device,
        now=now,
    )
    if outcome.result is not Result.OK:
        raise DomainError(outcome.message, field="session_id")
    record(
        "checkin.walkin",
        actor=actor,
        obj=reg,
        summary=f"{person.name} ({unit.name})"[:300],
        ip=ip,
        device=device,
        event_id=event.id,
        session_id=outcome.session.id,
        unit_id=unit.id,
        over_quota_reason=reason if over else None,
    )
    return outcome
