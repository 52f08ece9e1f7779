"""Which events a user may see."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, exists, select

from ..auth.models import Role, User
from ..extensions import db
from .models import (
    Event,
    EventStaff,
    EventStatus,
    Invitation,
)


def visible_events(user: User) -> Select[Event]:
    """A select of the events this user may see."""
    stmt = select(Event)
    if user.role is Role.UNIT_OPERATOR:
        stmt = stmt.where(
            exists().where(Invitation.event_id == Event.id, Invitation.unit_id == user.unit_id),
            Event.status != EventStatus.DRAFT,
        )
    elif user.role is Role.CHECKIN_STAFF:
        stmt = stmt.where(
            exists().where(EventStaff.event_id == Event.id, EventStaff.user_id == user.id)
        )
    return stmt


def can_see(user: User, event: Event) -> bool:
    return can_see_event_id(user, event.id)


def can_see_event_id(user: User, event_id: int) -> bool:
    """Whether the user may see the event with this id (no query for organizers and up)."""
    if user.role in (Role.ADMIN, Role.ORGANIZER, Role.VERIFIER):
        return True
    return (
        db.session.scalar(
            visible_events(user).where(Event.id == event_id).with_only_columns(Event.id)
        )
        is not None
    )


def get_event_or_404(event_id: int, user: User) -> Event:
    """The event, or 404 when it does not exist or the user may not see it."""
    event = db.session.get(Event, event_id)
    if event is None or not can_see(user, event):
        abort(404)
    return event
