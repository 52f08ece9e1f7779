"""Who attended, as they were then: the snapshot a registration keeps for the documents.

A person's record changes (a promotion, a new pangkat, a move to another unit, a corrected
gelar); the daftar hadir, laporan and certificates of an event already held must not change with
it. The registration therefore freezes name (with gelar), jabatan, pangkat/golongan, unit and
instansi:

- when the event is marked finished (``freeze_when_finished``, connected to
  ``events.signals.status_changing``), and before certificates are issued, for everyone still
  without a snapshot;
- ``freeze_by_id`` is one UPDATE the door could run after an accepted scan (freezing at the
  first check-in); it is NOT called there yet, because the scan's statement budget
  (tests/api/test_checkin_api.py::test_scan_is_lean) allows no extra write: the lead decides;
- ``printed(registration)`` is what every document prints: the snapshot when there is one, else
  the person as they are now (an event still to come).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, select, update

from ..common.types import utcnow
from ..extensions import db
from ..units.models import Unit, UnitKind
from .models import Person, Registration, RegistrationStatus


@dataclass(frozen=True)
class Printed:
    """One person as a document prints them."""

    name: str
    nip: str | None
    position: str
    rank: str
    unit: str  # "" when none
    institution: str  # the outside body an external person comes from; "" for the pemda's own


def _unit_of(registration: Registration) -> Unit | None:
    return registration.unit or registration.person.unit


def _live(registration: Registration) -> Printed:
    person = registration.person
    unit = _unit_of(registration)
    external = unit is not None and unit.kind is UnitKind.EXTERNAL
    return Printed(
        name=person.name,
        nip=person.nip,
        position=person.position or "",
        rank=person.rank or "",
        unit=unit.name if unit is not None else "",
        institution=unit.name if unit is not None and external else "",
    )


def printed(registration: Registration) -> Printed:
    """The snapshot when the registration has one, else the person as they are now."""
    if registration.snapshot_at is None:
        return _live(registration)
    return Printed(
        name=registration.snap_name or registration.person.name,
        nip=registration.person.nip,
        position=registration.snap_position or "",
        rank=registration.snap_rank or "",
        unit=registration.snap_unit or "",
        institution=registration.snap_institution or "",
    )


def freeze(registration: Registration, *, now: datetime | None = None) -> bool:
    """Keep the registration's person as they are now; a frozen snapshot is never rewritten."""
    if registration.snapshot_at is not None:
        return False
    live = _live(registration)
    registration.snap_name = live.name
    registration.snap_position = live.position
    registration.snap_rank = live.rank
    registration.snap_unit = live.unit
    registration.snap_institution = live.institution
    registration.snapshot_at = now or utcnow()
    return True


def freeze_event(event, *, now: datetime | None = None) -> int:
    """Freeze every active registration of ``event`` that has no snapshot yet; flushes."""
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.snapshot_at.is_(None),
            Registration.status == RegistrationStatus.REGISTERED,
        )
    ).all()
    now = now or utcnow()
    count = sum(freeze(r, now=now) for r in registrations)
    db.session.flush()
    return count


def freeze_when_finished(event, *, target, **_extra: object) -> None:
    """Receiver of ``events.signals.status_changing``: an event that ends keeps who attended."""
    from ..events.models import EventStatus

    if target is EventStatus.FINISHED:
        freeze_event(event)


def _freeze_statement():
    reg = Registration.__table__
    person = Person.__table__
    unit = Unit.__table__
    unit_id = func.coalesce(
        reg.c.unit_id,
        select(person.c.unit_id).where(person.c.id == reg.c.person_id).scalar_subquery(),
    )

    def of_person(column):
        return select(column).where(person.c.id == reg.c.person_id).scalar_subquery()

    def of_unit(column, *where):
        return select(column).where(unit.c.id == unit_id, *where).scalar_subquery()

    return (
        update(reg)
        .where(and_(reg.c.id == bindparam("registration_id"), reg.c.snapshot_at.is_(None)))
        .values(
            snap_name=of_person(person.c.name),
            snap_position=of_person(person.c.position),
            snap_rank=of_person(person.c.rank),
            snap_unit=of_unit(unit.c.name),
            snap_institution=func.coalesce(
                of_unit(unit.c.name, unit.c.kind == UnitKind.EXTERNAL), ""
            ),
            snapshot_at=bindparam("at"),
        )
    )


_FREEZE = None


def freeze_by_id(registration_id: int, at: datetime) -> None:
    """One UPDATE, for the door after an accepted scan: a no-op once the snapshot exists."""
    global _FREEZE
    if _FREEZE is None:
        _FREEZE = _freeze_statement()
    from ..common import hotpath

    hotpath.execute(_FREEZE, {"registration_id": registration_id, "at": at})
