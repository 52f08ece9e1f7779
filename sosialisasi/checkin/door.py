"""The door's own types and statements: what a check-in reads, as labelled plain columns.

The check-in API answers hundreds of scans a minute; materialising ORM objects for the event, its
agenda and the ticket cost more than the rest of a scan (docs/performance.md). So the door reads
plain columns in one Core statement and keeps them in small frozen dataclasses. Every column has
a label and every row is read by that label, never by position: a column added to a statement
cannot shift another one.

Names: ``DOOR_ROLES`` are the roles that work at the door (pages and API); ``EVENT_AGENDA`` is the
statement of an event and its sessions; ``DoorEvent``/``DoorSession``/``Ticket`` are what it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

from ..events.models import Event, EventSession, EventStatus
from ..events.services import pick_session
from ..registration.models import Person, Registration, RegistrationRole, RegistrationStatus
from ..units.models import Unit

# The roles that work at the door: the scanner pages and the check-in API.
DOOR_ROLES = ("organizer", "checkin_staff")


@dataclass(frozen=True, slots=True)
class DoorSession:
    """A session as the door sees it: plain values, no ORM state."""

    id: int
    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def of(cls, session: EventSession) -> DoorSession:
        return cls(session.id, session.event_id, session.title, session.starts_at, session.ends_at)


@dataclass(frozen=True, slots=True)
class DoorEvent:
    """What a check-in needs of an event: its status, check-in window and agenda."""

    id: int
    status: EventStatus
    checkin_opens_minutes: int
    sessions: tuple[DoorSession, ...]

    def session(self, session_id: int) -> DoorSession | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def current_session(self, now: datetime) -> DoorSession | None:
        """The session running at ``now``, else the next one, else the last (events' rule)."""
        return pick_session(self.sessions, self.checkin_opens_minutes, now)

    @classmethod
    def of(cls, event: Event) -> DoorEvent:
        """From the ORM event (walk-in, self check-in: the page has loaded it already)."""
        return cls(
            event.id,
            event.status,
            event.checkin_opens_minutes,
            tuple(DoorSession.of(s) for s in event.sessions),
        )

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> DoorEvent | None:
        """From the rows of ``EVENT_AGENDA`` (or a select extending it): one row per session."""
        if not rows:
            return None
        first = rows[0]
        event_id = first.event_id
        sessions = tuple(
            DoorSession(
                row.session_id, event_id, row.session_title, row.session_starts, row.session_ends
            )
            for row in rows
            if row.session_id is not None
        )
        return cls(event_id, first.event_status, first.checkin_opens_minutes, sessions)


# The event and its agenda, one row per session (the check-in extends it with the ticket).
EVENT_AGENDA = (
    select(
        Event.id.label("event_id"),
        Event.status.label("event_status"),
        Event.checkin_opens_minutes.label("checkin_opens_minutes"),
        EventSession.id.label("session_id"),
        EventSession.title.label("session_title"),
        EventSession.starts_at.label("session_starts"),
        EventSession.ends_at.label("session_ends"),
    )
    .outerjoin(EventSession, EventSession.event_id == Event.id)
    .where(Event.id == bindparam("event_id"))
    .order_by(EventSession.starts_at, EventSession.id)
)


@dataclass(frozen=True, slots=True)
class Ticket:
    """What the door shows of a ticket, read as plain columns in one query (no ORM objects)."""

    registration_id: int
    event_id: int
    status: RegistrationStatus
    role: RegistrationRole
    name: str
    unit: str  # the registration's unit, else the person's; "" when neither is known

    def json(self) -> dict:
        return {"name": self.name, "unit": self.unit, "role": self.role.value}

    @classmethod
    def from_row(cls, row: Row) -> Ticket | None:
        """From a row of ``TICKET_COLUMNS`` (or one extending it); None when no ticket matched."""
        if row.registration_id is None:
            return None
        return cls(
            row.registration_id,
            row.ticket_event_id,
            row.registration_status,
            row.registration_role,
            row.person_name,
            row.unit_label,
        )


_PERSON_UNIT = aliased(Unit)
# The ticket's columns, labelled; built once (building a statement costs more than running it).
TICKET_COLUMNS = (
    select(
        Registration.id.label("registration_id"),
        Registration.event_id.label("ticket_event_id"),
        Registration.status.label("registration_status"),
        Registration.role.label("registration_role"),
        Person.name.label("person_name"),
        func.coalesce(Unit.name, _PERSON_UNIT.name, "").label("unit_label"),
    )
    .join(Person, Person.id == Registration.person_id)
    .outerjoin(Unit, Unit.id == Registration.unit_id)
    .outerjoin(_PERSON_UNIT, _PERSON_UNIT.id == Person.unit_id)
)
