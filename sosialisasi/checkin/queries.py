"""Read models for the door: the offline roster, the search by name or NIP, counters, history.

Each function runs a constant number of queries, however many people registered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnExpressionArgument, Exists, Select, exists, func, or_, select
from sqlalchemy.orm import joinedload

from ..common.text import fold
from ..common.types import iso_utc
from ..events.models import Event, EventSession
from ..extensions import db
from ..registration.models import Person, Registration
from ..units.models import Unit
from .models import CheckIn

SEARCH_LIMIT = 8


# Every API answer spells UTC the same way (``Z``): the one helper, under the name callers know.
iso = iso_utc


def session_has_checkins(session_id: int) -> bool:
    """Whether anyone checked in to this session (a session with attendance cannot go)."""
    return bool(db.session.scalar(select(exists().where(CheckIn.session_id == session_id))))


def attended_registrations() -> Select[tuple[int]]:
    """Ids of registrations with at least one check-in, as a subquery. Reads every check-in
    ever made: to filter registrations, prefer :func:`checked_in`."""
    return select(CheckIn.registration_id)


def checked_in(registration_id: ColumnExpressionArgument[int]) -> Exists:
    """A condition: the registration (a column such as ``Registration.id``) has a check-in.

    A correlated ``EXISTS``, one probe of the (registration, session) unique index per
    registration, for other areas' aggregates (``.where(checked_in(Registration.id))``) without
    querying ``CheckIn``; ``IN (SELECT registration_id FROM checkins)`` would read every
    check-in of the district's years for one event's page.
    """
    return exists().where(CheckIn.registration_id == registration_id)


def events_attended_per_unit(*conditions: ColumnExpressionArgument[bool]) -> dict[int, int]:
    """unit id -> how many events (those matching ``conditions`` on ``Event``) at least one of
    its registrations checked in to (one aggregate).

    From the events through their sessions to the check-ins, both indexed, so that a year's
    column never reads every registration of the district's years.
    """
    rows = db.session.execute(
        select(Registration.unit_id, func.count(func.distinct(EventSession.event_id)))
        .select_from(Event)
        .join(EventSession, EventSession.event_id == Event.id)
        .join(CheckIn, CheckIn.session_id == EventSession.id)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(*conditions, Registration.unit_id.is_not(None))
        .group_by(Registration.unit_id)
    )
    return {unit_id: int(count) for unit_id, count in rows if unit_id is not None}


def checkin_counts(registration_ids: Iterable[int]) -> dict[int, int]:
    """registration id -> how many sessions it checked in to (one query; absent: none).

    For other areas' pages (a person's history), so that they need not query ``CheckIn``."""
    ids = list(registration_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(CheckIn.registration_id, func.count(CheckIn.id))
        .where(CheckIn.registration_id.in_(ids))
        .group_by(CheckIn.registration_id)
    )
    return dict(rows.all())


def _unit_label(reg: Registration) -> str:
    unit = reg.unit or reg.person.unit
    if unit is None:
        return ""
    return unit.name


def registration_json(reg: Registration) -> dict:
    return {"name": reg.person.name, "unit": _unit_label(reg), "role": reg.role.value}


def roster(event: Event) -> list[dict]:
    """Every registration of the event with its ticket code and the sessions it checked in to.

    Two queries. The scanner keeps this on the phone to answer while the network is down.
    """
    regs = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(
            joinedload(Registration.person).joinedload(Person.unit),
            joinedload(Registration.unit),
        )
        .order_by(Registration.id)
    ).all()
    checked: dict[int, dict[str, str]] = defaultdict(dict)
    rows = db.session.execute(
        select(CheckIn.registration_id, CheckIn.session_id, CheckIn.at)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event.id)
    )
    for registration_id, session_id, at in rows:
        checked[registration_id][str(session_id)] = iso(at)
    return [
        {
            "id": reg.id,
            "code": reg.ticket_code,
            "name": reg.person.name,
            "nip": reg.person.nip,
            "unit": _unit_label(reg),
            "role": reg.role.value,
            "status": reg.status.value,
            "checkins": checked.get(reg.id, {}),
        }
        for reg in regs
    ]


def _units_matching(event: Event, key: str) -> list[int]:
    """Ids of the units of the event's registrations (or of their people) whose name, short name
    or an alias contains ``key`` (folded: case, accents, punctuation and spaces do not matter,
    on SQLite as on PostgreSQL). One query over the event's units, compared here."""
    unit_ids = select(Registration.unit_id).where(Registration.event_id == event.id)
    person_units = (
        select(Person.unit_id)
        .join(Registration, Registration.person_id == Person.id)
        .where(Registration.event_id == event.id, Registration.unit_id.is_(None))
    )
    rows = db.session.execute(
        select(Unit.id, Unit.name, Unit.short_name, Unit.aliases).where(
            or_(Unit.id.in_(unit_ids), Unit.id.in_(person_units))
        )
    )
    found = []
    for unit_id, name, short_name, aliases in rows:
        names = [name, short_name or "", *(aliases or [])]
        if any(key in fold(n) for n in names):
            found.append(unit_id)
    return found


def search(event: Event, text: str, *, limit: int = SEARCH_LIMIT) -> list[Registration]:
    """Registrations of the event matching a name or a unit's name (3+ letters), or a NIP
    (4+ digits). The unit is the registration's (else the person's), by name, short name or
    alias (:func:`_units_matching`).

    Matches only: an empty or too short query returns nothing, so nobody browses the whole list.
    """
    text = (text or "").replace("\x00", "").strip()
    digits = text.replace(" ", "")
    stmt = (
        select(Registration)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event.id)
        .options(
            joinedload(Registration.person).joinedload(Person.unit),
            joinedload(Registration.unit),
        )
        .order_by(Person.name)
        .limit(limit)
    )
    if digits.isdigit():
        if len(digits) < 4:
            return []
        stmt = stmt.where(Person.nip.contains(digits, autoescape=True))
    else:
        key = fold(text)
        if len(key) < 3:
            return []
        unit_ids = _units_matching(event, key)
        conditions = [
            Person.name_key.contains(key, autoescape=True),
            func.lower(Person.name).contains(text.lower(), autoescape=True),
        ]
        if unit_ids:
            conditions.append(Registration.unit_id.in_(unit_ids))
            conditions.append(Registration.unit_id.is_(None) & Person.unit_id.in_(unit_ids))
        stmt = stmt.where(or_(*conditions))
    return list(db.session.scalars(stmt).unique())


def checkins_stmt(event: Event, *, session_id: int | None = None, text: str = ""):
    """Check-ins of the event, newest first, with person, unit, session and operator loaded."""
    stmt = (
        select(CheckIn)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event.id)
        .options(
            joinedload(CheckIn.registration).joinedload(Registration.person),
            joinedload(CheckIn.registration).joinedload(Registration.unit),
            joinedload(CheckIn.session),
            joinedload(CheckIn.operator),
        )
        .order_by(CheckIn.at.desc(), CheckIn.id.desc())
    )
    if session_id:
        stmt = stmt.where(CheckIn.session_id == session_id)
    text = (text or "").replace("\x00", "").strip()
    if text:
        digits = text.replace(" ", "")
        if digits.isdigit():
            stmt = stmt.where(Person.nip.contains(digits, autoescape=True))
        else:
            stmt = stmt.where(func.lower(Person.name).contains(text.lower(), autoescape=True))
    return stmt
