"""The check-in rule: one row per registration and session, decided by the database.

One rule (``_decide``), two entry points: ``check_in(event, code, ...)`` for walk-ins
(:mod:`.walkin`) and self check-in, and ``check_in_at_door(event_id, code, ...)`` for the API that
the scanner page and its offline sync call (the event, its agenda and the ticket in one query).
Both flush and never commit; the caller commits once.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import Table, bindparam, select, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import ReturningInsert

from ..audit.services import record
from ..auth.models import User
from ..common import hotpath
from ..common.errors import DomainError
from ..common.text import one_full_stop
from ..common.types import utcnow
from ..common.wib import format_time
from ..events.models import Event, EventSession, EventStatus
from ..events.services import can_see_event_id
from ..extensions import db
from ..registration.models import (
    Registration,
    RegistrationStatus,
)
from .door import EVENT_AGENDA, TICKET_COLUMNS, DoorEvent, DoorSession, Ticket
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
    ticket: Ticket | None = None
    session: DoorSession | None = None
    checkin_id: int | None = None
    checked_in_at: datetime | None = None


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
    token = parse_code(code)
    row = hotpath.execute(_BY_TICKET, {"code": token}).first() if token else None
    return _decide(
        DoorEvent.of(event),
        token,
        Ticket.from_row(row) if row else None,
        operator=operator,
        method=method,
        session=DoorSession.of(session) if session is not None else None,
        nonce=nonce,
        device=device,
        at=at,
        now=now,
    )


def check_in_at_door(
    event_id: int,
    code: str | None,
    *,
    operator: User,
    method: CheckInMethod,
    session_id: int | None = None,
    nonce: str | None = None,
    device: str | None = None,
    at: datetime | None = None,
) -> Outcome | None:
    """The API's check-in: the event, its agenda and the ticket come in one query.

    None when the event does not exist or is not the operator's to see (the API answers 404). An
    unknown ``session_id`` raises DomainError.
    """
    token = parse_code(code)
    rows = hotpath.execute(_AGENDA_AND_TICKET, {"event_id": event_id, "code": token}).all()
    event = DoorEvent.from_rows(rows)
    if event is None or not can_see_event_id(operator, event.id):
        return None
    session = None
    if session_id is not None:
        session = event.session(session_id)
        if session is None:
            raise DomainError(_("Sesi tidak ditemukan pada acara ini."), field="session_id")
    return _decide(
        event,
        token,
        Ticket.from_row(rows[0]),
        operator=operator,
        method=method,
        session=session,
        nonce=nonce,
        device=device,
        at=at,
    )


def _decide(
    event: DoorEvent,
    token: str | None,
    ticket: Ticket | None,
    *,
    operator: User | None,
    method: CheckInMethod,
    session: DoorSession | None,
    nonce: str | None,
    device: str | None,
    at: datetime | None,
    now: datetime | None = None,
) -> Outcome:
    """The rule, once the ticket has been read (None: the code matched no ticket)."""
    now = now or utcnow()
    at = min(at or now, now)
    nonce = (nonce or "").strip()[:64] or None
    session = session or event.current_session(at)
    refused = _refusal(event, token, ticket, session, at)
    # The other event's participant is named only to staff who may see that event.
    if (
        refused is not None
        and refused.result is Result.WRONG_EVENT
        and operator is not None
        and ticket is not None
        and can_see_event_id(operator, ticket.event_id)
    ):
        refused.ticket = ticket
    if refused is not None:
        # A retry of a scan that was accepted before gets its first answer, whatever changed
        # since (the session ended, the code was mistyped): the nonce is checked here, and on a
        # conflict below, so that an accepted scan needs no extra query.
        previous = _by_nonce(nonce) if nonce else None
        return _replay(previous, event) if previous is not None else refused
    assert ticket is not None and session is not None  # _refusal refuses a missing one

    values = {
        "registration_id": ticket.registration_id,
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
    row_id = hotpath.execute(_insert_ignoring_conflicts(), values).scalar()
    if row_id is None:
        if nonce:
            previous = _by_nonce(nonce)
            if previous is not None:
                return _replay(previous, event)
        existing = hotpath.execute(
            _EXISTING, {"registration_id": ticket.registration_id, "session_id": session.id}
        ).first()
        if existing is None:  # pragma: no cover - the unique key guarantees a row
            reason = "check-in refused without a conflicting row"
            raise IntegrityError(reason, values, LookupError(reason))
        first_at = existing.at
        if at < first_at:
            # An earlier scan that reached the server later (two offline phones): the earliest
            # scan is the arrival. ``at`` is inside the session's window (checked above); the
            # WHERE keeps the earliest when two such syncs race.
            moved = hotpath.execute(
                _KEEP_EARLIEST,
                {
                    "row_id": existing.id,
                    "scan_at": at,
                    "scan_method": method,
                    "scan_operator_id": values["operator_id"],
                    "scan_device": values["device"],
                },
            ).rowcount
            first_at = at if moved else _first_at(existing.id)
        return Outcome(
            Result.ALREADY,
            _(
                "%(name)s sudah registrasi ulang pukul %(time)s.",
                name=ticket.name,
                time=format_time(first_at, zone=False),
            ),
            ticket=ticket,
            session=session,
            checkin_id=existing.id,
            checked_in_at=first_at,
        )
    return _welcome(ticket, session, row_id, at)


def _welcome(ticket: Ticket, session: DoorSession | None, checkin_id: int, at: datetime) -> Outcome:
    return Outcome(
        Result.OK,
        one_full_stop(_("Selamat datang, %(name)s.", name=ticket.name)),
        ticket=ticket,
        session=session,
        checkin_id=checkin_id,
        checked_in_at=at,
    )


def _refusal(
    event: DoorEvent,
    token: str | None,
    ticket: Ticket | None,
    session: DoorSession | None,
    at: datetime,
) -> Outcome | None:
    """Why this ticket cannot check in to this session now (None: it can)."""
    if token is None:
        return Outcome(Result.UNKNOWN, _("Kode tidak dikenali. Bukan tiket acara ini."))
    if ticket is None:
        return Outcome(Result.UNKNOWN, _("Tiket tidak ditemukan."))
    if ticket.event_id != event.id:
        # Names no one: whether the operator may see the other event is decided in _decide.
        return Outcome(Result.WRONG_EVENT, _("Tiket ini untuk acara lain."))
    if event.status is EventStatus.CANCELLED:
        return Outcome(Result.CANCELLED, _("Acara ini dibatalkan."), ticket=ticket)
    if event.status is EventStatus.DRAFT:
        return Outcome(
            Result.NOT_OPEN,
            _("Acara ini masih draf: buka pendaftarannya dulu sebelum registrasi ulang."),
            ticket=ticket,
        )
    if ticket.status is not RegistrationStatus.REGISTERED:
        return Outcome(Result.CANCELLED, _refused(ticket), ticket=ticket)
    if session is None or session.event_id != event.id:
        return Outcome(Result.NOT_OPEN, _("Sesi tidak ditemukan untuk acara ini."), ticket=ticket)
    opens = session.starts_at - timedelta(minutes=event.checkin_opens_minutes)
    if at < opens:
        return Outcome(
            Result.NOT_OPEN,
            _("Registrasi ulang sesi ini baru dibuka pukul %(time)s.", time=format_time(opens)),
            ticket=ticket,
            session=session,
        )
    if at > session.ends_at:
        return Outcome(
            Result.NOT_OPEN, _("Sesi ini sudah berakhir."), ticket=ticket, session=session
        )
    return None


def _refused(ticket: Ticket) -> str:
    """Why a ticket whose registration is not active cannot check in (one message per status)."""
    status = ticket.status
    if status is RegistrationStatus.PENDING:
        return str(_("Pendaftaran %(name)s belum disetujui panitia.", name=ticket.name))
    if status is RegistrationStatus.WAITLISTED:
        return str(_("Pendaftaran %(name)s masih dalam daftar tunggu.", name=ticket.name))
    if status is RegistrationStatus.REJECTED:
        return str(_("Pendaftaran %(name)s ditolak.", name=ticket.name))
    if status is RegistrationStatus.CANCELLED:
        return str(_("Pendaftaran %(name)s dibatalkan.", name=ticket.name))
    raise KeyError(status)


# Built once: the door sends hundreds of scans a minute, and building a statement costs more than
# running it on SQLite (docs/performance.md).
_CHECKINS = cast(Table, CheckIn.__table__)
_INSERT = {
    name: insert(_CHECKINS).on_conflict_do_nothing().returning(_CHECKINS.c.id)
    for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_BY_TICKET = TICKET_COLUMNS.where(Registration.ticket_code == bindparam("code"))
# The event's agenda (one row per session) with the ticket's columns beside it (NULL when the
# code matches no ticket): the API's check-in reads both in one round trip.
_TICKET_ROW = _BY_TICKET.subquery("ticket")
_AGENDA_AND_TICKET = EVENT_AGENDA.add_columns(*_TICKET_ROW.c).outerjoin(_TICKET_ROW, true())
_BY_NONCE = (
    TICKET_COLUMNS.add_columns(
        CheckIn.id.label("checkin_id"),
        CheckIn.at.label("checked_in_at"),
        CheckIn.session_id.label("checkin_session_id"),
    )
    .join(CheckIn, CheckIn.registration_id == Registration.id)
    .where(CheckIn.nonce == bindparam("nonce"))
)
_EXISTING = select(CheckIn.id, CheckIn.at).where(
    CheckIn.registration_id == bindparam("registration_id"),
    CheckIn.session_id == bindparam("session_id"),
)


_KEEP_EARLIEST = (
    update(_CHECKINS)
    .where(_CHECKINS.c.id == bindparam("row_id"), _CHECKINS.c.at > bindparam("scan_at"))
    .values(
        at=bindparam("scan_at"),
        method=bindparam("scan_method"),
        operator_id=bindparam("scan_operator_id"),
        device=bindparam("scan_device"),
    )
)


def _first_at(checkin_id: int) -> datetime:
    at: datetime = hotpath.execute(select(CheckIn.at).where(CheckIn.id == checkin_id)).scalar_one()
    return at


def _insert_ignoring_conflicts() -> ReturningInsert[Any]:
    return _INSERT[db.session.get_bind().dialect.name]


def _by_nonce(nonce: str) -> Row[Any] | None:
    return hotpath.execute(_BY_NONCE, {"nonce": nonce}).first()


def _replay(previous: Row[Any], event: DoorEvent) -> Outcome:
    """A retried request (same nonce): the first answer again, nothing written."""
    ticket = Ticket.from_row(previous)
    if ticket is None or ticket.event_id != event.id:
        return Outcome(Result.UNKNOWN, _("Kode pemindaian ini sudah dipakai untuk acara lain."))
    session = event.session(previous.checkin_session_id)
    return _welcome(ticket, session, previous.checkin_id, previous.checked_in_at)


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
        raise DomainError(_("Tuliskan alasan pembatalan registrasi ulang."), field="reason")
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
