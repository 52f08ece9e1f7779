"""Registration rules: every way of registering (operator, organizer, public link, import, walk-in)
goes through :func:`register`, which enforces invitations and quotas per unit, the event's capacity
with a waiting list, approval, the closing time and duplicates.

Services flush and never commit; the caller commits once.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from flask import current_app, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import Role, User
from ..common.errors import DomainError, NotAllowed
from ..common.locking import lock_row
from ..common.nip import NIPError, parse_nip
from ..common.phone import PhoneError, normalize_phone, whatsapp_link
from ..common.text import fold
from ..common.types import utcnow
from ..common.wib import format_range
from ..events.models import Event, EventStatus, Invitation
from ..extensions import db
from ..units.models import Unit, UnitKind
from .models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)

log = logging.getLogger(__name__)

RS = RegistrationStatus
SEAT_STATUSES = (RS.REGISTERED, RS.PENDING)  # hold a seat of the capacity and of the quota
QUOTA_STATUSES = (RS.REGISTERED, RS.PENDING, RS.WAITLISTED)  # use the unit's quota
LIVE_STATUSES = QUOTA_STATUSES  # "already registered" for duplicates


# --- errors ------------------------------------------------------------------------------------


class RegistrationError(DomainError):
    code = "registration"


class QuotaExceeded(RegistrationError):
    code = "quota_exceeded"


class NotInvited(RegistrationError):
    code = "not_invited"


class RegistrationClosed(RegistrationError):
    code = "registration_closed"


class EventCancelled(RegistrationClosed):
    code = "event_cancelled"


class CapacityFull(RegistrationError):
    code = "capacity_full"


class AlreadyRegistered(RegistrationError):
    code = "already_registered"

    def __init__(self, message: str, *, registration: Registration, field: str | None = None):
        super().__init__(message, field=field)
        self.registration = registration


# --- people ------------------------------------------------------------------------------------


def clean_nip(raw: object, *, field: str = "nip") -> str | None:
    """The normalised NIP, None when empty; DomainError with the reason otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_nip(raw).value
    except NIPError as err:
        raise DomainError(_("NIP tidak valid: %(reason)s.", reason=err), field=field) from None


def clean_phone(raw: object, *, field: str = "phone") -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return normalize_phone(raw)
    except PhoneError as err:
        raise DomainError(_("Nomor HP tidak valid: %(reason)s.", reason=err), field=field) from None


_PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$"
)


def clean_email(raw: str | None, *, field: str = "email") -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) <= 254 and _PLAIN_EMAIL.match(text):
        # The common plain-ASCII case, decided without the full validator (10,000-row imports).
        local, domain = text.rsplit("@", 1)
        return f"{local}@{domain.lower()}"
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise DomainError(_("Alamat email tidak valid."), field=field) from None


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Nama wajib diisi."), field="name")
    if len(name) > 150:
        raise DomainError(_("Nama terlalu panjang (maks. 150 karakter)."), field="name")
    return name


def _gender_from_nip(nip: str | None, kind: EmployeeKind) -> str | None:
    if nip and kind in (EmployeeKind.PNS, EmployeeKind.PPPK):
        return "L" if nip[14] == "1" else "P"
    return None


def find_or_create_person(
    *,
    name: str,
    nip: object = None,
    unit: Unit | None,
    kind: EmployeeKind = EmployeeKind.PNS,
    position: str | None = "",
    rank: str | None = "",
    phone: object = None,
    email: str | None = None,
    gender: str | None = None,
    update: bool = True,
) -> Person:
    """The person with this NIP (or, without a NIP, this name in this unit), updated with the
    values given, or a new one. Invalid NIP, phone or email raise DomainError naming the field.

    ``update=False`` (the public form: anyone may type anyone's NIP) only fills empty fields of an
    existing person and never changes their name, unit or contacts."""
    name = _clean_name(name)
    nip_value = clean_nip(nip)
    phone_value = clean_phone(phone)
    email_value = clean_email(email)
    if gender not in (None, "", "L", "P"):
        raise DomainError(_("Jenis kelamin harus L atau P."), field="gender")
    gender = gender or _gender_from_nip(nip_value, kind)
    key = fold(name)
    person = None
    if nip_value:
        person = db.session.scalar(select(Person).where(Person.nip == nip_value))
    else:
        person = db.session.scalar(
            select(Person)
            .where(
                Person.nip.is_(None),
                Person.name_key == key,
                Person.unit_id == (unit.id if unit else None),
            )
            .limit(1)
        )
    if person is None:
        person = Person(nip=nip_value, name_key=key, name=name, kind=kind)
        try:
            with db.session.begin_nested():
                db.session.add(person)
                _fill(person, name, unit, kind, position, rank, phone_value, email_value, gender)
                db.session.flush()
        except IntegrityError:
            # Someone else created the same NIP a moment ago: use theirs.
            person = db.session.scalar(select(Person).where(Person.nip == nip_value))
            if person is None:  # pragma: no cover - the unique NIP is the only constraint
                raise
    if update:
        _fill(person, name, unit, kind, position, rank, phone_value, email_value, gender)
    else:
        person.position = person.position or (position or "").strip()[:200]
        person.rank = person.rank or (rank or "").strip()[:80]
        person.phone = person.phone or phone_value
        person.email = person.email or email_value
        person.unit = person.unit or unit
    db.session.flush()
    return person


def _fill(person, name, unit, kind, position, rank, phone, email, gender) -> None:
    person.name = name
    person.name_key = fold(name)
    if unit is not None:
        person.unit = unit
    person.kind = kind
    if position:
        person.position = position.strip()[:200]
    if rank:
        person.rank = rank.strip()[:80]
    if phone:
        person.phone = phone
    if email:
        person.email = email
    if gender:
        person.gender = gender


def update_person(
    person: Person,
    *,
    actor: User,
    name: str,
    nip: object = None,
    kind: EmployeeKind,
    position: str | None = "",
    rank: str | None = "",
    phone: object = None,
    email: str | None = None,
) -> Person:
    """Correct a person's data (organizer, or the operator of the person's unit)."""
    if actor.role is Role.UNIT_OPERATOR:
        if person.unit_id != actor.unit_id:
            raise NotAllowed(_("Data pegawai unit lain tidak dapat diubah."))
    elif not is_organizer(actor):
        raise NotAllowed(_("Anda tidak berhak mengubah data peserta."))
    name = _clean_name(name)
    nip_value = clean_nip(nip)
    if nip_value and nip_value != person.nip:
        other = db.session.scalar(select(Person).where(Person.nip == nip_value))
        if other is not None and other.id != person.id:
            raise DomainError(
                _("NIP ini sudah dipakai oleh %(name)s.", name=other.name), field="nip"
            )
    person.name = name
    person.nip = nip_value
    person.kind = kind
    person.gender = _gender_from_nip(nip_value, kind) or person.gender
    person.position = (position or "").strip()[:200]
    person.rank = (rank or "").strip()[:80]
    person.phone = clean_phone(phone)
    person.email = clean_email(email)
    db.session.flush()
    return person


# --- registering -------------------------------------------------------------------------------


def is_organizer(actor: User | None) -> bool:
    return actor is not None and actor.has_role(Role.ORGANIZER)


def closes_at(event: Event) -> datetime:
    """When operators and the public can no longer register: the set time, else the start."""
    return event.registration_closes_at or event.starts_at


def registration_open(event: Event, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return event.status is EventStatus.OPEN and now < closes_at(event)


def _check_open(event: Event, source: RegistrationSource, privileged: bool, now: datetime):
    if event.status is EventStatus.CANCELLED:
        raise EventCancelled(_("Acara ini dibatalkan; pendaftaran tidak dapat dilakukan."))
    if event.status in (EventStatus.FINISHED, EventStatus.REPORTED):
        raise RegistrationClosed(_("Acara sudah selesai; pendaftaran sudah ditutup."))
    if source is RegistrationSource.WALKIN:
        return
    if privileged:
        if event.status is EventStatus.RUNNING and source is not RegistrationSource.ORGANIZER:
            raise RegistrationClosed(
                _(
                    "Acara sedang berlangsung; daftarkan peserta yang datang langsung "
                    "dari halaman registrasi ulang."
                )
            )
        return
    if event.status is not EventStatus.OPEN:
        raise RegistrationClosed(
            _(
                "Pendaftaran belum dibuka atau sudah ditutup (status acara: %(status)s).",
                status=event.status.label,
            )
        )
    if source is RegistrationSource.PUBLIC and not event.public_registration:
        raise RegistrationClosed(_("Pendaftaran mandiri untuk acara ini tidak dibuka."))
    if now >= closes_at(event):
        from ..common.wib import format_datetime

        raise RegistrationClosed(
            _(
                "Pendaftaran sudah ditutup pada %(when)s.",
                when=format_datetime(closes_at(event), str(get_locale() or "id")),
            )
        )


def check_import_open(event: Event, *, now: datetime | None = None) -> None:
    """Refuse an import (by the organizer) into a cancelled, running or finished event."""
    _check_open(event, RegistrationSource.IMPORT, True, now or utcnow())


def invitation_for(event: Event, unit: Unit | None) -> Invitation | None:
    if unit is None:
        return None
    return db.session.scalar(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.unit_id == unit.id)
    )


def _count(event: Event, statuses, unit: Unit | None = None) -> int:
    stmt = select(func.count(Registration.id)).where(
        Registration.event_id == event.id,
        Registration.role == RegistrationRole.PESERTA,
        Registration.status.in_(statuses),
    )
    if unit is not None:
        stmt = stmt.where(Registration.unit_id == unit.id)
    return db.session.scalar(stmt) or 0


def _where_ticket(reg: Registration) -> str:
    unit = reg.unit.name if reg.unit else _("tanpa unit")
    return _(
        "%(name)s sudah terdaftar di acara ini (%(status)s, %(unit)s). "
        "Tiketnya dapat dibuka dari tautan tiket yang dikirim saat mendaftar, "
        "atau minta operator unit/panitia membagikan ulang tiket tersebut.",
        name=reg.person.name,
        status=reg.status.label,
        unit=unit,
    )


def register(
    event: Event,
    *,
    person: Person,
    unit: Unit | None,
    role: RegistrationRole = RegistrationRole.PESERTA,
    actor: User | None,
    source: RegistrationSource,
    over_quota_reason: str | None = None,
    substitute_for: Person | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register ``person`` for ``event`` on behalf of ``unit``.

    Operators register peserta of their own unit within its invitation quota; the public link does
    the same for invited units; organizers (and imports they run) may register anyone and exceed a
    quota with ``over_quota_reason``. When the event's capacity is full the registration waits
    (WAITLISTED); with ``requires_approval`` non-organizer registrations are PENDING. Walk-ins at
    the door are registered at once (no quota, but never past the capacity).
    """
    now = now or utcnow()
    privileged = is_organizer(actor) and source in (
        RegistrationSource.ORGANIZER,
        RegistrationSource.IMPORT,
        RegistrationSource.WALKIN,
    )
    if source is RegistrationSource.OPERATOR:
        if actor is None or actor.role is not Role.UNIT_OPERATOR and not is_organizer(actor):
            raise NotAllowed(_("Hanya operator unit yang dapat mendaftarkan dari halaman ini."))
        if actor.role is Role.UNIT_OPERATOR and (unit is None or unit.id != actor.unit_id):
            raise NotAllowed(_("Operator hanya dapat mendaftarkan pegawai unitnya sendiri."))
    if source in (RegistrationSource.ORGANIZER, RegistrationSource.IMPORT) and not is_organizer(
        actor
    ):
        raise NotAllowed(_("Hanya panitia yang dapat mendaftarkan peserta dari unit mana pun."))
    if role is not RegistrationRole.PESERTA and not privileged:
        raise NotAllowed(
            _("Narasumber dan panitia hanya dapat didaftarkan oleh panitia."), field="role"
        )
    if substitute_for is not None and substitute_for.id == person.id:
        raise DomainError(
            _("Peserta tidak dapat mewakili dirinya sendiri."), field="substitute_for_id"
        )
    _check_open(event, source, privileged, now)

    counted = role is RegistrationRole.PESERTA
    invitation = invitation_for(event, unit) if counted else None
    # Serialise concurrent registrations of this event before counting (quota and capacity).
    lock_row(Event, event.id)
    db.session.refresh(event, ["capacity", "status", "requires_approval"])

    existing = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.person_id == person.id
        )
    )
    if existing is not None and existing.status in LIVE_STATUSES:
        raise AlreadyRegistered(_where_ticket(existing), registration=existing, field="nip")

    reason = (over_quota_reason or "").strip()[:300] or None
    recorded_reason = None
    if counted and unit is not None and source is not RegistrationSource.WALKIN:
        if invitation is not None:
            lock_row(Invitation, invitation.id)
            db.session.refresh(invitation, ["quota"])
        quota = invitation.quota if invitation is not None else 0
        used = _count(event, QUOTA_STATUSES, unit)
        if used >= quota:
            if not (privileged and reason):
                if invitation is None:
                    if privileged:
                        msg = _(
                            "%(unit)s tidak termasuk unit yang diundang ke acara ini. "
                            "Tuliskan alasan untuk tetap mendaftarkan.",
                            unit=unit.name,
                        )
                    else:
                        msg = _(
                            "%(unit)s tidak termasuk unit yang diundang ke acara ini.",
                            unit=unit.name,
                        )
                    raise NotInvited(msg, field="over_quota_reason" if privileged else "unit_id")
                if privileged:
                    msg = _(
                        "Kuota %(unit)s sudah penuh (%(used)d dari %(quota)d orang). "
                        "Tuliskan alasan untuk melebihi kuota.",
                        unit=unit.name,
                        used=used,
                        quota=quota,
                    )
                else:
                    msg = _(
                        "Kuota %(unit)s sudah penuh (%(used)d dari %(quota)d orang). "
                        "Batalkan salah satu peserta atau hubungi panitia.",
                        unit=unit.name,
                        used=used,
                        quota=quota,
                    )
                raise QuotaExceeded(msg, field="over_quota_reason" if privileged else "unit_id")
            recorded_reason = reason

    status = RS.REGISTERED
    if counted and event.capacity is not None and _count(event, SEAT_STATUSES) >= event.capacity:
        if source is RegistrationSource.WALKIN:
            raise CapacityFull(
                _("Kapasitas acara (%(capacity)d orang) sudah penuh.", capacity=event.capacity),
                field="capacity",
            )
        status = RS.WAITLISTED
    if (
        status is RS.REGISTERED
        and event.requires_approval
        and source in (RegistrationSource.OPERATOR, RegistrationSource.PUBLIC)
        and not privileged
    ):
        status = RS.PENDING

    reg = existing or Registration(event_id=event.id, person_id=person.id)
    reg.event = event
    reg.person = person
    reg.unit = unit
    reg.role = role
    reg.status = status
    reg.source = source
    reg.substitute_for = substitute_for
    reg.over_quota_reason = recorded_reason
    reg.registered_by_id = actor.id if actor is not None else None
    reg.created_at = now
    reg.cancelled_at = reg.cancel_reason = None
    reg.decided_at = reg.decided_by_id = reg.decision_note = None
    if status is RS.REGISTERED and privileged and event.requires_approval:
        reg.decided_at, reg.decided_by_id = now, actor.id
    if existing is None:
        db.session.add(reg)
    if invitation is not None and invitation.responded_at is None:
        invitation.responded_at = now
    db.session.flush()
    return reg


def _promote_waitlist(event: Event, *, now: datetime) -> list[Registration]:
    """Move waiting registrations up, in order, while seats are free (the caller holds the lock)."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _count(event, SEAT_STATUSES)
        if free <= 0:
            return []
    stmt = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RS.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    )
    if free is not None:
        stmt = stmt.limit(free)
    promoted = list(db.session.scalars(stmt))
    for reg in promoted:
        needs_approval = event.requires_approval and reg.source in (
            RegistrationSource.OPERATOR,
            RegistrationSource.PUBLIC,
        )
        reg.status = RS.PENDING if needs_approval else RS.REGISTERED
    db.session.flush()
    return promoted


def _check_scope(registration: Registration, actor: User | None) -> None:
    if actor is None:
        raise NotAllowed(_("Perlu masuk untuk mengubah pendaftaran."))
    if actor.role is Role.UNIT_OPERATOR:
        if registration.unit_id != actor.unit_id:
            raise NotAllowed(_("Pendaftaran ini milik unit lain."))
    elif not is_organizer(actor):
        raise NotAllowed(_("Anda tidak berhak mengubah pendaftaran ini."))


def cancel(
    registration: Registration,
    *,
    actor: User | None,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[Registration]:
    """Cancel a registration; returns the registrations promoted from the waiting list."""
    now = now or utcnow()
    _check_scope(registration, actor)
    if registration.status in (RS.CANCELLED, RS.REJECTED):
        raise DomainError(_("Pendaftaran ini sudah dibatalkan atau ditolak."))
    event = registration.event
    lock_row(Event, event.id)
    db.session.refresh(registration, ["status"])
    held_seat = registration.status in SEAT_STATUSES
    registration.status = RS.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = (reason or "").strip()[:300] or None
    db.session.flush()
    if held_seat and registration.role is RegistrationRole.PESERTA:
        return _promote_waitlist(event, now=now)
    return []


def decide(
    registration: Registration,
    *,
    approve: bool,
    actor: User,
    note: str | None = None,
    now: datetime | None = None,
) -> list[Registration]:
    """Approve or reject a pending registration (organizer). Rejecting frees a seat."""
    now = now or utcnow()
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat menyetujui pendaftaran."))
    if registration.status is not RS.PENDING:
        raise DomainError(
            _(
                "Hanya pendaftaran yang menunggu persetujuan yang dapat diputuskan "
                "(status sekarang: %(status)s).",
                status=registration.status.label,
            )
        )
    if not approve and not (note or "").strip():
        raise DomainError(_("Tuliskan alasan penolakan."), field="note")
    registration.status = RS.REGISTERED if approve else RS.REJECTED
    registration.decided_at = now
    registration.decided_by_id = actor.id
    registration.decision_note = (note or "").strip()[:300] or None
    db.session.flush()
    if not approve and registration.role is RegistrationRole.PESERTA:
        lock_row(Event, registration.event_id)
        return _promote_waitlist(registration.event, now=now)
    return []


def approve_all(event: Event, *, actor: User, now: datetime | None = None) -> int:
    """Approve every pending registration of the event (they already hold their seats)."""
    now = now or utcnow()
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat menyetujui pendaftaran."))
    pending = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status == RS.PENDING
        )
    ).all()
    for reg in pending:
        reg.status = RS.REGISTERED
        reg.decided_at, reg.decided_by_id = now, actor.id
    db.session.flush()
    return len(pending)


def set_substitute(
    registration: Registration, substitute_for: Person | None, *, actor: User
) -> Registration:
    """Mark a delegate as coming in place of an invited official ("diwakilkan")."""
    _check_scope(registration, actor)
    if substitute_for is not None and substitute_for.id == registration.person_id:
        raise DomainError(
            _("Peserta tidak dapat mewakili dirinya sendiri."), field="substitute_for_id"
        )
    registration.substitute_for = substitute_for
    db.session.flush()
    return registration


# --- invitations -------------------------------------------------------------------------------


@dataclass
class InviteResult:
    created: int = 0
    updated: int = 0


def invite_units(
    event: Event,
    *,
    kinds: Iterable[UnitKind] = (),
    units: Iterable[Unit] = (),
    quota: int | None = None,
    actor: User,
) -> InviteResult:
    """Invite every active unit of ``kinds`` plus ``units``; existing invitations keep their
    quota unless ``quota`` is given."""
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat mengundang unit."))
    if event.status in (EventStatus.CANCELLED, EventStatus.FINISHED, EventStatus.REPORTED):
        raise DomainError(_("Acara ini tidak lagi menerima undangan baru."))
    if quota is not None and quota < 1:
        raise DomainError(_("Kuota per unit minimal 1."), field="quota")
    kinds = list(kinds)
    chosen: dict[int, Unit] = {u.id: u for u in units}
    if kinds:
        for unit in db.session.scalars(select(Unit).where(Unit.active, Unit.kind.in_(kinds))):
            chosen.setdefault(unit.id, unit)
    if not chosen:
        raise DomainError(_("Pilih minimal satu jenis unit atau satu unit."), field="unit_ids")
    existing = {
        inv.unit_id: inv
        for inv in db.session.scalars(select(Invitation).where(Invitation.event_id == event.id))
    }
    result = InviteResult()
    for unit_id, unit in chosen.items():
        inv = existing.get(unit_id)
        if inv is None:
            db.session.add(
                Invitation(event_id=event.id, unit_id=unit.id, quota=quota or event.default_quota)
            )
            result.created += 1
        elif quota is not None and inv.quota != quota:
            inv.quota = quota
            result.updated += 1
    db.session.flush()
    return result


def set_quota(invitation: Invitation, quota: int, *, actor: User) -> Invitation:
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat mengubah kuota."))
    if quota < 0:
        raise DomainError(_("Kuota tidak boleh negatif."), field="quota")
    invitation.quota = quota
    db.session.flush()
    return invitation


def remove_invitation(invitation: Invitation, *, actor: User) -> None:
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat menghapus undangan."))
    live = (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == invitation.event_id,
                Registration.unit_id == invitation.unit_id,
                Registration.status.in_(LIVE_STATUSES),
            )
        )
        or 0
    )
    if live:
        raise DomainError(
            _(
                "Unit ini sudah mendaftarkan %(count)d orang; batalkan pendaftarannya lebih dulu.",
                count=live,
            )
        )
    db.session.delete(invitation)
    db.session.flush()


# --- tickets and delivery ----------------------------------------------------------------------


def ticket_url(registration: Registration) -> str:
    """Absolute URL of the public ticket page (what the QR code holds)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        path = url_for("registration.public_ticket", code=registration.ticket_code)
        return base.rstrip("/") + path
    return url_for("registration.public_ticket", code=registration.ticket_code, _external=True)


def ticket_message(registration: Registration) -> str:
    """The message sent to the participant (email, WhatsApp): always Indonesian."""
    event = registration.event
    with force_locale("id"):
        role = registration.role.label.lower()
    return (
        f"Yth. {registration.person.name},\n"
        f"Anda terdaftar sebagai {role} pada acara "
        f'"{event.title}", {format_range(event.starts_at, event.ends_at)}, di {event.venue}.\n'
        f"Tunjukkan kode QR pada tiket berikut saat registrasi ulang:\n{ticket_url(registration)}"
    )


def whatsapp_ticket_link(registration: Registration) -> str:
    return whatsapp_link(registration.person.phone, ticket_message(registration))


def whatsapp_bulk_link(registrations: list[Registration], *, unit: Unit | None = None) -> str:
    """One message listing every delegate's ticket (for an operator's WhatsApp group)."""
    if not registrations:
        return whatsapp_link(None, "")
    event = registrations[0].event
    lines = [
        f'Tiket acara "{event.title}", {format_range(event.starts_at, event.ends_at)}, '
        f"{event.venue}" + (f" untuk {unit.name}" if unit else "") + ":"
    ]
    for reg in registrations:
        lines.append(f"- {reg.person.name}: {ticket_url(reg)}")
    return whatsapp_link(None, "\n".join(lines))


@dataclass
class Delivery:
    sent: bool
    recipient: str | None
    subject: str
    body: str


def send_ticket(registration: Registration, *, now: datetime | None = None) -> Delivery:
    """Email the ticket when SMTP is configured; otherwise log it for copying by hand."""
    config = current_app.config
    subject = f"Tiket: {registration.event.title}"
    body = ticket_message(registration)
    recipient = registration.person.email
    if not recipient:
        raise DomainError(
            _(
                "%(name)s belum memiliki alamat email; bagikan lewat WhatsApp.",
                name=registration.person.name,
            ),
            field="email",
        )
    if not config.get("MAIL_SERVER"):
        log.info("Email tiket tidak dikirim (MAIL_SERVER kosong) ke %s:\n%s", recipient, body)
        return Delivery(False, recipient, subject, body)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("MAIL_SENDER")
    message["To"] = recipient
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 587), timeout=20) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as err:
        log.warning("Email tiket ke %s gagal: %s", recipient, err)
        raise DomainError(
            _(
                "Email gagal dikirim (%(error)s); coba lagi nanti.",
                error=err.__class__.__name__,
            )
        ) from None
    registration.ticket_sent_at = now or utcnow()
    db.session.flush()
    return Delivery(True, recipient, subject, body)
