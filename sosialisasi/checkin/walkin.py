"""A walk-in: an official of an invited unit who came without registering is registered and
checked in at once, through the registration rules and the check-in rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..events.models import Event, EventSession
from ..registration import services as registration
from ..registration.models import EmployeeKind, RegistrationSource
from ..units.models import Unit
from .models import CheckInMethod
from .services import Outcome, Result, check_in


@dataclass
class WalkIn:
    name: str
    unit: Unit | None
    nip: str | None = None
    position: str | None = ""
    phone: str | None = None
    over_quota_reason: str | None = None
    kind: EmployeeKind | None = None  # None: PNS when a NIP is given, else non-ASN


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
    caller rolls back. The unit's quota is the rule of ``registration.register`` (a full unit
    needs a reason, which the registration keeps); the person comes from the identity service
    (``registration.people``), which holds the NIP rule for PNS/PPPK.
    """
    if not actor.has_role("organizer"):
        raise NotAllowed(_("Hanya panitia yang dapat mendaftarkan peserta yang datang langsung."))
    unit = data.unit
    if unit is None or registration.invitation_for(event, unit) is None:
        raise DomainError(_("Pilih perangkat daerah yang diundang ke acara ini."), field="unit_id")
    person = registration.find_or_create_person(
        name=data.name,
        nip=data.nip or None,
        unit=unit,
        kind=data.kind,
        position=data.position,
        phone=data.phone,
        actor=actor,
    )
    reg = registration.register(
        event,
        person=person,
        unit=unit,
        actor=actor,
        source=RegistrationSource.WALKIN,
        over_quota_reason=data.over_quota_reason,
        now=now,
    )
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
        session_id=outcome.session.id if outcome.session else None,
        unit_id=unit.id,
        over_quota_reason=reg.over_quota_reason,
    )
    return outcome
