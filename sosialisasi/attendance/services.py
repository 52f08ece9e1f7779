"""Self check-in: a QR on the projector that changes every window, and the participant's answer.

The screen shows ``token(event, window)``: an HMAC of the event's secret and the number of the
current time window, truncated. A phone that scans it opens the public self check-in page; a token
of the current or the previous window is accepted, anything older is refused (a photo sent over
WhatsApp to someone at home is stale by the time it is used). Opening the page with a fresh token
gives a short-lived pass, so that typing a NIP does not race the next window.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..checkin.models import CheckInMethod
from ..checkin.services import Outcome, Result, check_in, parse_code
from ..common.errors import DomainError
from ..common.nip import NIPError, parse_nip
from ..common.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registration.models import Person, Registration

WINDOW_SECONDS = 45
TOKEN_LENGTH = 10  # hex characters: 40 bits, far beyond guessing within a minute
PASS_WINDOWS = 4  # a pass from a fresh token lasts 3-4 windows (about 3 minutes)


def window_number(now: datetime | None = None) -> int:
    return int((now or utcnow()).timestamp()) // WINDOW_SECONDS


def _mac(event: Event, message: str) -> str:
    return hmac.new(event.secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def token(event: Event, window: int) -> str:
    return _mac(event, f"self-checkin:{event.id}:{window}")[:TOKEN_LENGTH]


def current_token(event: Event, now: datetime | None = None) -> tuple[str, int]:
    """The token to show now and the seconds until it changes."""
    now = now or utcnow()
    window = window_number(now)
    remaining = WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS
    return token(event, window), remaining


class StaleCode(DomainError):
    pass


class SelfCheckInOff(DomainError):
    pass


def ensure_enabled(event: Event) -> None:
    if not event.self_checkin_enabled:
        raise SelfCheckInOff(
            _(
                "Registrasi ulang mandiri tidak aktif untuk acara ini. "
                "Silakan menuju meja registrasi ulang."
            )
        )
    if event.status is EventStatus.CANCELLED:
        raise SelfCheckInOff(_("Acara ini dibatalkan."))


def verify_token(event: Event, value: str | None, now: datetime | None = None) -> int:
    """The window of a token of the current or previous window; otherwise StaleCode."""
    ensure_enabled(event)
    value = (value or "").strip().lower()
    current = window_number(now)
    for window in (current, current - 1):
        if value and hmac.compare_digest(value, token(event, window)):
            return window
    raise StaleCode(
        _(
            "Kode QR sudah kedaluwarsa atau tidak sah. Pindai ulang QR yang tampil di layar "
            "di lokasi acara."
        ),
        field="k",
    )


def issue_pass(event: Event, window: int) -> str:
    return f"{window}.{_mac(event, f'self-checkin-pass:{event.id}:{window}')[:16]}"


def verify_pass(event: Event, value: str | None, now: datetime | None = None) -> None:
    ensure_enabled(event)
    window_text, _dot, mac = (value or "").partition(".")
    current = window_number(now)
    if (
        window_text.isdigit()
        and 0 <= current - int(window_text) <= PASS_WINDOWS
        and hmac.compare_digest(mac, issue_pass(event, int(window_text)).partition(".")[2])
    ):
        return
    raise StaleCode(
        _("Waktu registrasi ulang mandiri habis. Pindai ulang QR yang tampil di layar."),
        field="k",
    )


@dataclass
class Identity:
    code: str | None  # ticket code (from the ticket link or typed)
    nip: str | None


def parse_identity(text: str | None) -> Identity:
    """What the participant typed: an 18-digit NIP (spaces allowed) or a ticket link/code."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError(_("Isi NIP atau tautan/kode tiket Anda."), field="identity")
    digits = raw.replace(" ", "").replace(".", "")
    if digits.isdigit():
        try:
            return Identity(code=None, nip=parse_nip(digits).value)
        except NIPError as exc:
            raise DomainError(f"{exc}.", field="identity") from exc
    code = parse_code(raw)
    if code is None:
        raise DomainError(
            _("Tidak dikenali. Isi NIP (18 angka) atau tempel tautan tiket Anda."),
            field="identity",
        )
    return Identity(code=code, nip=None)


def self_check_in(
    event: Event,
    identity: Identity,
    *,
    device: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Check the participant in with method SELF; the pass/token must have been verified."""
    ensure_enabled(event)
    code = identity.code
    if identity.nip:
        code = db.session.scalar(
            select(Registration.ticket_code)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event.id, Person.nip == identity.nip)
        )
        if code is None:
            return Outcome(
                Result.UNKNOWN,
                _("NIP ini tidak terdaftar pada acara ini. Silakan menuju meja registrasi ulang."),
            )
    return check_in(event, code, operator=None, method=CheckInMethod.SELF, device=device, now=now)


def set_self_checkin(event: Event, enabled: bool, *, actor: User) -> None:
    """Turn self check-in on or off for an event (the organizer decides per event)."""
    if enabled and event.status is EventStatus.CANCELLED:
        raise DomainError(_("Acara yang dibatalkan tidak dapat memakai registrasi ulang mandiri."))
    event.self_checkin_enabled = enabled
    db.session.flush()
