"""The rules every registration obeys, one copy each: when registering is open, a unit's quota
(invitation) and the event's capacity. :func:`registrations.register` and the walk-in at the door
(``checkin.walkin.walk_in``, through ``register``) use these; the import applies them in bulk
with the same messages' meaning (``imports.plan``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..common.locking import lock_row
from ..common.types import utcnow
from ..common.wib import format_datetime
from ..events.models import Event, EventStatus, Invitation
from ..extensions import db
from ..units.models import Unit
from .errors import CapacityFull, EventCancelled, NotInvited, QuotaExceeded, RegistrationClosed
from .models import Registration, RegistrationRole, RegistrationSource
from .statuses import DECIDED_QUOTA_STATUSES, QUOTA_STATUSES, SEAT_STATUSES


def closes_at(event: Event) -> datetime:
    """When operators and the public can no longer register: the set time, else the start."""
    return event.registration_closes_at or event.starts_at


def registration_open(event: Event, *, now: datetime | None = None) -> bool:
    """Whether registering is open now (the ``open`` of :func:`registration_state`)."""
    return registration_state(event, now=now).open


@dataclass(frozen=True)
class RegistrationState:
    """Whether operators and the public may register now, and why, in words for every page."""

    open: bool
    reason: str

    def __str__(self) -> str:
        return self.reason


def registration_state(
    event: Event, *, unit: Unit | None = None, now: datetime | None = None
) -> RegistrationState:
    """The one answer every page gives: "dibuka sampai ...", "ditutup: kuota penuh", ...

    ``unit`` adds that unit's quota (what its operator sees). The checks that refuse a
    registration (:func:`check_open`, :func:`check_quota`) agree with it.
    """
    now = now or utcnow()
    lang = str(get_locale() or "id")
    status = event.status
    if status is EventStatus.DRAFT:
        return RegistrationState(False, _("belum dibuka: acara masih draf"))
    if status is EventStatus.CANCELLED:
        return RegistrationState(False, _("ditutup: acara dibatalkan"))
    if status in (EventStatus.FINISHED, EventStatus.REPORTED):
        return RegistrationState(False, _("ditutup: acara sudah selesai"))
    if status is EventStatus.RUNNING or (
        now >= closes_at(event) and closes_at(event) >= event.starts_at
    ):
        return RegistrationState(False, _("ditutup: acara sudah dimulai"))
    if status is EventStatus.CLOSED:
        return RegistrationState(False, _("ditutup oleh panitia"))
    if now >= closes_at(event):
        return RegistrationState(
            False,
            _(
                "ditutup: batas pendaftaran %(when)s sudah lewat",
                when=format_datetime(closes_at(event), lang),
            ),
        )
    if unit is not None:
        invitation = invitation_for(event, unit)
        if invitation is not None and count(event, QUOTA_STATUSES, unit) >= invitation.quota:
            return RegistrationState(False, _("ditutup: kuota penuh"))
    return RegistrationState(
        True, _("dibuka sampai %(when)s", when=format_datetime(closes_at(event), lang))
    )


def check_open(event: Event, source: RegistrationSource, privileged: bool, now: datetime) -> None:
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
        raise RegistrationClosed(
            _(
                "Pendaftaran sudah ditutup pada %(when)s.",
                when=format_datetime(closes_at(event), str(get_locale() or "id")),
            )
        )


def check_import_open(event: Event, *, now: datetime | None = None) -> None:
    """Refuse an import (by the organizer) into a cancelled, running or finished event."""
    check_open(event, RegistrationSource.IMPORT, True, now or utcnow())


def invitation_for(event: Event, unit: Unit | None) -> Invitation | None:
    if unit is None:
        return None
    return db.session.scalar(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.unit_id == unit.id)
    )


def count(event: Event, statuses, unit: Unit | None = None) -> int:
    """Peserta of the event in ``statuses`` (of one unit when given)."""
    stmt = select(func.count(Registration.id)).where(
        Registration.event_id == event.id,
        Registration.role == RegistrationRole.PESERTA,
        Registration.status.in_(statuses),
    )
    if unit is not None:
        stmt = stmt.where(Registration.unit_id == unit.id)
    return db.session.scalar(stmt) or 0


@dataclass
class QuotaCheck:
    invitation: Invitation | None
    over_quota_reason: str | None  # kept on the registration when the quota was exceeded


def check_quota(
    event: Event,
    unit: Unit,
    *,
    privileged: bool,
    over_quota_reason: str | None,
    confirming: bool = False,
) -> QuotaCheck:
    """The unit's quota (its invitation): a full or missing invitation refuses, unless an
    organizer (``privileged``) gives a reason, which the registration then keeps.

    ``confirming``: a pending registration is approved. It and the other pending ones are
    already counted; its place is confirmed while the unit's decided places (registered,
    waiting) leave room, so approving many stops at the quota (a quota lowered after people
    registered).

    The caller holds the event's lock; the invitation row is locked here too.
    """
    invitation = invitation_for(event, unit)
    reason = (over_quota_reason or "").strip()[:300] or None
    if invitation is not None:
        lock_row(Invitation, invitation.id)
        db.session.refresh(invitation, ["quota"])
    quota = invitation.quota if invitation is not None else 0
    used = count(event, DECIDED_QUOTA_STATUSES if confirming else QUOTA_STATUSES, unit)
    if used < quota:
        return QuotaCheck(invitation, None)
    if privileged and reason:
        return QuotaCheck(invitation, reason)
    if invitation is None:
        if privileged:
            msg = _(
                "%(unit)s tidak termasuk unit yang diundang ke acara ini. "
                "Tuliskan alasan untuk tetap mendaftarkan.",
                unit=unit.name,
            )
        else:
            msg = _("%(unit)s tidak termasuk unit yang diundang ke acara ini.", unit=unit.name)
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


def capacity_full(event: Event, *, waitlist: bool) -> bool:
    """Whether the event's seats are all taken. Without a waiting list (walk-ins at the door)
    a full event refuses; otherwise the caller puts the registration on the waiting list."""
    if event.capacity is None or count(event, SEAT_STATUSES) < event.capacity:
        return False
    if not waitlist:
        raise CapacityFull(
            _("Kapasitas acara (%(capacity)d orang) sudah penuh.", capacity=event.capacity),
            field="capacity",
        )
    return True
