"""Requests to the organizers: a unit operator typed the NIP/NIK of another unit's person.

The operator is refused naming nobody ("NIP ini terdaftar di unit lain; hubungi panitia"), and
instead of leaving them to phone around, the request is recorded: who asked, for which event and
unit, which number. The organizers see it on a list (``/peserta/permintaan``) with the person found
and act: move the person into the asking unit, register them for the event under that unit, or
close the request. The operator is told that the request went to the panitia, and no more.

Services flush and never commit; the caller commits once.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..common.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..units.models import Unit
from . import people
from .models import IdentityRequest, RegistrationSource

ACTIONS = ("move", "register", "dismiss")


class SentToOrganizers(people.IdentityConflict):
    """The refusal the operator sees once the request is recorded (the caller commits)."""

    code = "sent_to_organizers"

    def __init__(self) -> None:
        super().__init__(sent_message(), field="nip")


def sent_message() -> str:
    return "{} {}".format(
        people.other_unit_message(),
        _(
            "Permintaan Anda sudah diteruskan ke panitia, yang akan memindahkan atau "
            "mendaftarkan orang tersebut."
        ),
    )


def ask_organizers(
    event: Event,
    *,
    unit: Unit,
    actor: User,
    refused: people.OtherUnitsPerson,
    typed_name: str = "",
) -> IdentityRequest:
    """Record (once per event, unit and number while open) what the operator asked for."""
    request = db.session.scalar(
        select(IdentityRequest).where(
            IdentityRequest.event_id == event.id,
            IdentityRequest.unit_id == unit.id,
            IdentityRequest.number == refused.number,
            IdentityRequest.resolved_at.is_(None),
        )
    )
    if request is None:
        request = IdentityRequest(
            event_id=event.id,
            unit_id=unit.id,
            number=refused.number,
            person_id=refused.person.id,
        )
        db.session.add(request)
    request.requested_by_id = actor.id
    request.typed_name = " ".join((typed_name or "").split())[:150]
    request.created_at = utcnow()
    db.session.flush()
    # The audit keeps the asking unit, never the name of the person found.
    record("identity.request", actor=actor, obj=request, summary=unit.name)
    return request


def open_requests() -> list[IdentityRequest]:
    """What the organizers have to act on, oldest first."""
    return list(
        db.session.scalars(
            select(IdentityRequest)
            .where(IdentityRequest.resolved_at.is_(None))
            .options(
                joinedload(IdentityRequest.event),
                joinedload(IdentityRequest.unit),
                joinedload(IdentityRequest.person),
                joinedload(IdentityRequest.requested_by),
            )
            .order_by(IdentityRequest.created_at, IdentityRequest.id)
        )
    )


def act(request: IdentityRequest, action: str, *, actor: User) -> str:
    """An organizer settles a request: ``move`` the person into the asking unit, ``register``
    them for the event under that unit, or ``dismiss`` it. Returns the message to show."""
    from .registrations import register  # registrations imports this module

    if not people.is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat menindaklanjuti permintaan ini."))
    if action not in ACTIONS:
        raise DomainError(_("Tindakan tidak dikenal."))
    if request.resolved_at is not None:
        raise DomainError(_("Permintaan ini sudah ditindaklanjuti."))
    person = request.person
    if action == "dismiss":
        message = _("Permintaan ditutup.")
    elif person is None:
        raise DomainError(_("Orang dengan nomor ini tidak ada lagi; tutup permintaannya."))
    elif action == "move":
        person.unit = request.unit
        person.instansi = None
        message = _(
            "%(name)s dipindahkan ke %(unit)s; operator unit itu kini dapat mendaftarkannya.",
            name=person.name,
            unit=request.unit.name,
        )
        record("person.move", actor=actor, obj=person, summary=request.unit.name)
    else:  # register
        reg = register(
            request.event,
            person=person,
            unit=request.unit,
            actor=actor,
            source=RegistrationSource.ORGANIZER,
        )
        message = _(
            "%(name)s didaftarkan untuk %(unit)s (%(status)s).",
            name=person.name,
            unit=request.unit.name,
            status=reg.status.label,
        )
    request.resolved_at = utcnow()
    request.resolved_by_id = actor.id
    request.resolution = {"move": "moved", "register": "registered"}.get(action, "dismissed")
    db.session.flush()
    return message
