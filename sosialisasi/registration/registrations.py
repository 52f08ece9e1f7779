"""Registering and the life of a registration: register (every door), the public form, cancel,
approve or reject, substitutes, the waiting list. Changes are audited here, so the CLI, the API and
the pages leave the same trail.

Services flush and never commit; the caller commits once. The module passes ~450 lines because
every door's registration (operator, organizer, public form, unit link, import, walk-in) goes
through the one ``register`` here, with its life afterwards: split, the rules would be too.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..auth.models import Role, User
from ..common.errors import DomainError, NotAllowed
from ..common.locking import lock_row
from ..common.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..units.models import Unit
from . import delivery, identity_requests, people, rules
from .errors import AlreadyRegistered, NoCapacity, NotPeserta, WrongStatus
from .models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)
from .people import is_organizer
from .statuses import LIVE_STATUSES, SEAT_STATUSES, WAITLISTABLE_STATUSES

RS = RegistrationStatus


def _where_ticket(reg: Registration) -> str:
    unit = reg.unit.name if reg.unit else _("tanpa unit")
    return _(
        "%(name)s sudah mendaftar di acara ini (status: %(status)s, %(unit)s). "
        "Tiketnya dapat dibuka dari tautan tiket yang dikirim saat mendaftar, "
        "atau minta operator unit/panitia membagikan ulang tiket tersebut.",
        name=reg.person.name,
        status=reg.status.label,
        unit=unit,
    )


def _check_actor(
    source: RegistrationSource, actor: User | None, unit: Unit | None, role, privileged
) -> None:
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
    ip: str | None = None,
) -> Registration:
    """Register ``person`` for ``event`` on behalf of ``unit``.

    Operators register peserta of their own unit within its invitation quota; the public link does
    the same for invited units; organizers (and imports they run, and walk-ins they register at the
    door) may register anyone and exceed a quota with ``over_quota_reason``. When the event's
    capacity is full the registration waits (WAITLISTED), except a walk-in, which is refused; with
    ``requires_approval`` non-organizer registrations are PENDING.

    Audited as ``registration.create`` (``registration.public`` for the public link); a walk-in is
    audited by the door (``checkin.walkin``).
    """
    now = now or utcnow()
    privileged = is_organizer(actor) and source in (
        RegistrationSource.ORGANIZER,
        RegistrationSource.IMPORT,
        RegistrationSource.WALKIN,
    )
    _check_actor(source, actor, unit, role, privileged)
    if substitute_for is not None and substitute_for.id == person.id:
        raise DomainError(
            _("Peserta tidak dapat mewakili dirinya sendiri."), field="substitute_for_id"
        )
    rules.check_open(event, source, privileged, now)

    counted = role is RegistrationRole.PESERTA
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

    invitation = None
    recorded_reason = None
    if counted and unit is not None:
        quota = rules.check_quota(
            event, unit, privileged=privileged, over_quota_reason=over_quota_reason
        )
        invitation, recorded_reason = quota.invitation, quota.over_quota_reason

    status = RS.REGISTERED
    if counted and rules.capacity_full(event, waitlist=source is not RegistrationSource.WALKIN):
        status = RS.WAITLISTED
    if (
        status is RS.REGISTERED
        and event.requires_approval
        and source
        in (RegistrationSource.OPERATOR, RegistrationSource.PUBLIC, RegistrationSource.UNIT_LINK)
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
    if status is RS.REGISTERED and privileged and actor is not None and event.requires_approval:
        reg.decided_at, reg.decided_by_id = now, actor.id
    if existing is None:
        db.session.add(reg)
    if invitation is not None and invitation.responded_at is None:
        invitation.responded_at = now
    db.session.flush()
    if source in (RegistrationSource.PUBLIC, RegistrationSource.UNIT_LINK):
        record(
            "registration.public",
            actor=None,
            obj=reg,
            summary=person.name,
            ip=ip,
            via=source.value,
        )
    elif source is not RegistrationSource.WALKIN:
        record("registration.create", actor=actor, obj=reg, summary=person.name, ip=ip)
    return reg


@dataclass
class PersonData:
    """What a form typed about a person (the operator's, the organizer's or the public form)."""

    name: str
    nip: str | None = None
    kind: EmployeeKind | None = None
    position: str | None = ""
    rank: str | None = ""
    phone: str | None = None
    email: str | None = None
    instansi: str | None = None  # people from outside the Pemkab (no unit)

    def find_or_create(self, unit: Unit | None, *, actor, update: bool = True) -> Person:
        """The person these values name, through the identity service (:mod:`.people`)."""
        return people.find_or_create_person(
            name=self.name,
            nip=self.nip,
            unit=unit,
            kind=self.kind,
            position=self.position,
            rank=self.rank,
            phone=self.phone,
            email=self.email,
            update=update,
            actor=actor,
            instansi=self.instansi,
        )


@dataclass
class PublicAnswer:
    """What the public form may tell: whether a ticket e-mail really went out. It never carries
    stored data; ``registration`` is for the caller's logs and tests, not for the visitor."""

    registration: Registration | None
    sent: bool


def register_public(
    event: Event,
    data: PersonData,
    *,
    unit: Unit | None,
    ip: str | None = None,
    now: datetime | None = None,
    source: RegistrationSource = RegistrationSource.PUBLIC,
) -> PublicAnswer:
    """The public link: an anonymous visitor registers for an invited unit.

    Anyone can type anyone's NIP, so the answer never depends on what is stored: what was typed is
    checked first (format, NIP rule), then the event and the unit's quota; only then is the person
    found or created. A stored person is linked as stored (never changed, never shown); one of
    another unit, or whose name differs, is not registered; one already registered gets the
    ticket again. The ticket goes by e-mail to the address on file (for a new person: the one
    typed) when a mail server is configured; ``sent`` says whether it really went.

    ``source`` is ``UNIT_LINK`` for a unit's own link (:mod:`.unit_links`): the same rules,
    whether or not the event's public link is open.
    """
    now = now or utcnow()
    if unit is None:
        raise DomainError(
            _("Pilih unit kerja Anda dari daftar unit yang diundang."), field="unit_id"
        )
    rules.check_open(event, source, False, now)
    lock_row(Event, event.id)
    rules.check_quota(event, unit, privileged=False, over_quota_reason=None)
    try:
        person = data.find_or_create(unit, actor=None, update=False)
    except people.IdentityConflict:
        return PublicAnswer(None, False)
    if person.unit_id != unit.id:  # another unit's person: not on this unit's quota
        return PublicAnswer(None, False)
    try:
        reg = register(
            event,
            person=person,
            unit=unit,
            actor=None,
            source=source,
            now=now,
            ip=ip,
        )
    except AlreadyRegistered as err:
        reg = err.registration
    sent = False
    if person.email and delivery.can_email():
        with contextlib.suppress(DomainError):  # logged by common.mail
            sent = delivery.send_ticket(reg).sent
    return PublicAnswer(reg, sent)


def enrol(
    event: Event,
    *,
    person: Person | None,
    data: PersonData | None = None,
    unit: Unit | None,
    actor: User,
    source: RegistrationSource,
    role: RegistrationRole = RegistrationRole.PESERTA,
    over_quota_reason: str | None = None,
    substitute_for: Person | None = None,
) -> Registration:
    """The operator's and the organizer's form: an existing ``person`` picked from the list, or
    one found or created from what was typed (``data``), registered through :func:`register`.

    A unit operator who typed the NIP/NIK of another unit's person is refused naming nobody, and
    the request goes to the organizers: :class:`identity_requests.SentToOrganizers` (the caller
    commits, so that the request is kept)."""
    if person is None:
        if data is None:
            raise DomainError(_("Nama wajib diisi."), field="name")
        if role is RegistrationRole.PESERTA and unit is not None:
            # The event and the quota refuse before anyone is created: a delegate refused for a
            # full quota is not added to the unit's people (on SQLite the person's savepoint
            # would otherwise outlive the rollback). ``register`` checks again under its lock.
            privileged = is_organizer(actor) and source is RegistrationSource.ORGANIZER
            rules.check_open(event, source, privileged, utcnow())
            lock_row(Event, event.id)
            rules.check_quota(
                event, unit, privileged=privileged, over_quota_reason=over_quota_reason
            )
        try:
            person = data.find_or_create(unit, actor=actor)
        except people.OtherUnitsPerson as refused:
            if unit is None or actor.role is not Role.UNIT_OPERATOR:
                raise
            identity_requests.ask_organizers(
                event, unit=unit, actor=actor, refused=refused, typed_name=data.name
            )
            raise identity_requests.SentToOrganizers() from None
    return register(
        event,
        person=person,
        unit=unit,
        role=role,
        actor=actor,
        source=source,
        over_quota_reason=over_quota_reason,
        substitute_for=substitute_for,
    )


# --- after registering ---------------------------------------------------------------------------


def _promote_waitlist(event: Event, *, now: datetime) -> list[Registration]:
    """Move waiting registrations up, in order, while seats are free (the caller holds the lock)."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - rules.count(event, SEAT_STATUSES)
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
    if registration.status not in LIVE_STATUSES:
        raise WrongStatus(
            _("Pendaftaran ini sudah dibatalkan atau ditolak."), state=registration.status
        )
    event = registration.event
    lock_row(Event, event.id)
    db.session.refresh(registration, ["status"])
    held_seat = registration.status in SEAT_STATUSES
    registration.status = RS.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = (reason or "").strip()[:300] or None
    db.session.flush()
    record("registration.cancel", actor=actor, obj=registration, summary=registration.person.name)
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
    """Approve or reject a pending registration (organizer). Rejecting frees a seat.

    Approving a peserta confirms its place within the unit's quota
    (``rules.check_quota(confirming=True)``): when the quota was lowered below the people
    waiting for a decision, the organizer's ``note`` is the reason to exceed it."""
    now = now or utcnow()
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat menyetujui pendaftaran."))
    if registration.status is not RS.PENDING:
        raise WrongStatus(
            _(
                "Hanya pendaftaran yang menunggu persetujuan yang dapat diputuskan "
                "(status sekarang: %(status)s).",
                status=registration.status.label,
            ),
            state=registration.status,
        )
    if not approve and not (note or "").strip():
        raise DomainError(_("Tuliskan alasan penolakan."), field="note")
    if approve and registration.role is RegistrationRole.PESERTA and registration.unit:
        lock_row(Event, registration.event_id)
        quota = rules.check_quota(
            registration.event,
            registration.unit,
            privileged=True,
            over_quota_reason=note,
            confirming=True,
        )
        if quota.over_quota_reason:
            registration.over_quota_reason = quota.over_quota_reason
    registration.status = RS.REGISTERED if approve else RS.REJECTED
    registration.decided_at = now
    registration.decided_by_id = actor.id
    registration.decision_note = (note or "").strip()[:300] or None
    db.session.flush()
    record(
        "registration.approve" if approve else "registration.reject",
        actor=actor,
        obj=registration,
        summary=registration.person.name,
    )
    if not approve and registration.role is RegistrationRole.PESERTA:
        lock_row(Event, registration.event_id)
        return _promote_waitlist(registration.event, now=now)
    return []


def move_to_waitlist(
    registration: Registration, *, actor: User | None, now: datetime | None = None
) -> Registration:
    """Put a peserta who holds a seat (registered or pending) on the waiting list (organizer).

    The place keeps its registration time, so it waits in the order it registered; nobody is
    promoted in its stead (the organizer frees the seat on purpose). Audited as
    ``registration.waitlist``."""
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat memindahkan ke daftar tunggu."))
    if registration.role is not RegistrationRole.PESERTA:
        raise NotPeserta(_("Hanya peserta yang dapat dipindahkan ke daftar tunggu."))
    lock_row(Event, registration.event_id)
    db.session.refresh(registration.event, ["capacity"])
    if registration.event.capacity is None:  # every waiting person would move up at once
        raise NoCapacity(
            _("Acara ini tidak membatasi kapasitas, jadi tidak memakai daftar tunggu."),
            field="capacity",
        )
    db.session.refresh(registration, ["status"])
    if registration.status not in WAITLISTABLE_STATUSES:
        raise WrongStatus(
            _(
                "Hanya pendaftaran yang terdaftar atau menunggu persetujuan yang dapat "
                "dipindahkan ke daftar tunggu (status sekarang: %(status)s).",
                status=registration.status.label,
            ),
            state=registration.status,
        )
    registration.status = RS.WAITLISTED
    registration.decided_at = registration.decided_by_id = None
    db.session.flush()
    record("registration.waitlist", actor=actor, obj=registration, summary=registration.person.name)
    return registration


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


def note_download(
    event: Event, *, actor: User, action: str, summary: str, ip: str | None, **data
) -> None:
    """Personal data (NIP, phone, e-mail) leaves the app: the audit log keeps who took it."""
    record(action, actor=actor, obj=event, summary=summary, ip=ip, **data)
