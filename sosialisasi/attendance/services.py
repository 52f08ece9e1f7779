"""Self check-in: a QR on the projector that changes every window, and the participant's answer.

The screen shows ``token(event, window)``: an HMAC of the event's secret and the number of the
current time window, truncated. A phone that scans it opens the public self check-in page; a token
of the current or the previous window is accepted, anything older is refused (a photo sent over
WhatsApp to someone at home is stale by the time it is used). Opening the page with a fresh token
gives a short-lived pass, so that typing a NIP does not race the next window.

No "titip absen": a pass is bound to the browser that opened the code (a device cookie is part
of its MAC) and is good for one successful check-in (its id is the check-in's nonce, so the
database's unique key spends it, even when several requests race). The participant identifies
with their own ticket link, or with their NIP *and* the last digits of the phone number on file;
answers to a NIP name no one, and say the same whether the NIP, the phone digits or both were
wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..auth.models import User
from ..checkin.models import CheckIn, CheckInMethod
from ..checkin.services import Outcome, Result, check_in, parse_code
from ..common.errors import DomainError
from ..common.nik import NIK, NIKError, parse_id_number
from ..common.nip import NIPError
from ..common.types import utcnow
from ..common.wib import format_time
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registration.models import Person, Registration

WINDOW_SECONDS = 45
TOKEN_LENGTH = 10  # hex characters: 40 bits, far beyond guessing within a minute
PASS_WINDOWS = 4  # a pass from a fresh token lasts 3-4 windows (about 3 minutes)
PHONE_DIGITS = 4  # the second factor of a NIP: the last digits of the phone number on file
_PASS_ID = re.compile(r"^[A-Za-z0-9_-]{12,32}$")


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


def new_device_id() -> str:
    """The random id a browser keeps in a cookie; passes are bound to it."""
    return secrets.token_urlsafe(16)


def _pass_mac(event: Event, window: int, pass_id: str, device: str) -> str:
    return _mac(event, f"self-checkin-pass:{event.id}:{window}:{pass_id}:{device}")[:20]


def issue_pass(event: Event, window: int, device: str) -> str:
    """A pass for one check-in from this browser: ``window.id.mac``."""
    pass_id = secrets.token_urlsafe(12)
    return f"{window}.{pass_id}.{_pass_mac(event, window, pass_id, device)}"


def verify_pass(
    event: Event, value: str | None, device: str | None, now: datetime | None = None
) -> str:
    """The pass's id when it is fresh and was issued to this browser; otherwise StaleCode."""
    ensure_enabled(event)
    window_text, pass_id, mac = ((value or "").split(".") + ["", "", ""])[:3]
    current = window_number(now)
    if (
        device
        and window_text.isdigit()
        and _PASS_ID.match(pass_id)
        and 0 <= current - int(window_text) <= PASS_WINDOWS
        and hmac.compare_digest(mac, _pass_mac(event, int(window_text), pass_id, device))
    ):
        return pass_id
    raise StaleCode(
        _("Waktu registrasi ulang mandiri habis. Pindai ulang QR yang tampil di layar."),
        field="k",
    )


class PassUsed(StaleCode):
    """The pass already checked someone in: one pass, one check-in."""


@dataclass
class Identity:
    code: str | None  # ticket code (from the ticket link or typed)
    nip: str | None
    phone_digits: str | None = None  # with a NIP: the last digits of the phone on file
    nik: str | None = None  # non-ASN: a 16-digit NIK instead of the NIP, with the same digits

    @property
    def named(self) -> bool:
        """Whether answers may name the participant (their own ticket, not a typed NIP)."""
        return self.code is not None


def parse_identity(text: str | None, phone_digits: str | None = None) -> Identity:
    """What the participant typed: an 18-digit NIP (spaces allowed), or for non-ASN a 16-digit
    NIK, with the last digits of their phone number, or a ticket link/code."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError(_("Isi NIP atau tautan/kode tiket Anda."), field="identity")
    digits = raw.replace(" ", "").replace(".", "")
    if digits.isdigit():
        try:
            number = parse_id_number(digits)
        except (NIPError, NIKError) as exc:
            raise DomainError(f"{exc}.", field="identity") from exc
        phone = re.sub(r"\D", "", phone_digits or "")
        if len(phone) != PHONE_DIGITS:
            raise DomainError(
                _(
                    "Dengan NIP, isi juga %(n)d angka terakhir nomor HP Anda yang terdaftar.",
                    n=PHONE_DIGITS,
                ),
                field="phone_digits",
            )
        if isinstance(number, NIK):
            return Identity(code=None, nip=None, phone_digits=phone, nik=number.value)
        return Identity(code=None, nip=number.value, phone_digits=phone)
    code = parse_code(raw)
    if code is None:
        raise DomainError(
            _("Tidak dikenali. Isi NIP (18 angka) atau tempel tautan tiket Anda."),
            field="identity",
        )
    return Identity(code=code, nip=None)


def _no_match() -> Outcome:
    """The one answer to a NIP that is unknown, has no phone on file, or whose digits differ."""
    return Outcome(
        Result.UNKNOWN,
        _(
            "NIP dan nomor HP tidak cocok dengan pendaftaran acara ini. Gunakan tautan tiket "
            "Anda atau menuju meja registrasi ulang."
        ),
    )


def self_check_in(
    event: Event,
    identity: Identity,
    *,
    pass_id: str,
    device: str | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Check the participant in with method SELF; the pass must have been verified.

    The pass's id is the check-in's nonce: a second person on the same pass gets ``PassUsed``
    (even when the requests race, the unique nonce lets one row in). Answers to a NIP name no one.
    """
    ensure_enabled(event)
    code = identity.code
    if identity.nip or identity.nik:
        by_number = Person.nip == identity.nip if identity.nip else Person.nik == identity.nik
        row = db.session.execute(
            select(Registration.ticket_code, Person.phone)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event.id, by_number)
        ).first()
        on_file = re.sub(r"\D", "", (row.phone or "") if row else "")[-PHONE_DIGITS:]
        given = identity.phone_digits or ""
        # Compared even when nothing is on file, so the answer takes the same time.
        matches = hmac.compare_digest(on_file.rjust(PHONE_DIGITS, "x"), given)
        if row is None or len(on_file) < PHONE_DIGITS or not matches:
            return _no_match()
        code = row.ticket_code
    wanted = db.session.scalar(select(Registration.id).where(Registration.ticket_code == code))
    outcome = check_in(
        event,
        code,
        operator=None,
        method=CheckInMethod.SELF,
        nonce=f"self:{pass_id}",
        device=device,
        now=now,
    )
    if outcome.ticket is not None and outcome.ticket.registration_id != wanted:
        # The answer replayed the check-in this pass already made, for someone else.
        raise PassUsed(
            _(
                "Kode ini sudah dipakai untuk satu registrasi ulang. Setiap peserta memindai "
                "QR di layar dengan ponselnya sendiri."
            ),
            field="k",
        )
    if outcome.result is Result.OK:
        assert outcome.ticket is not None  # an accepted check-in names its ticket
        record(
            "checkin.self",
            actor=None,
            obj=db.session.get(CheckIn, outcome.checkin_id),
            summary=f"{outcome.ticket.name} ({event.title})",
            ip=ip,
            device=device,
            session_id=outcome.session.id if outcome.session else None,
        )
    if not identity.named:
        outcome.message = _unnamed_message(outcome)
    return outcome


def _unnamed_message(outcome: Outcome) -> str:
    if outcome.result is Result.OK:
        return str(_("Terima kasih, kehadiran Anda tercatat."))
    if outcome.result is Result.ALREADY and outcome.checked_in_at is not None:
        at = format_time(outcome.checked_in_at, zone=False)
        return str(_("Anda sudah registrasi ulang pukul %(time)s.", time=at))
    if outcome.result is Result.CANCELLED:
        return str(_("Pendaftaran Anda tidak aktif. Silakan menuju meja registrasi ulang."))
    return outcome.message


def set_self_checkin(
    event: Event, enabled: bool, *, actor: User | None, ip: str | None = None
) -> None:
    """Turn self check-in on or off for an event (the organizer decides per event)."""
    if enabled and event.status is EventStatus.CANCELLED:
        raise DomainError(_("Acara yang dibatalkan tidak dapat memakai registrasi ulang mandiri."))
    event.self_checkin_enabled = enabled
    db.session.flush()
    record(
        "event.self_checkin",
        actor=actor,
        obj=event,
        summary=event.title,
        enabled=event.self_checkin_enabled,
        ip=ip,
    )
