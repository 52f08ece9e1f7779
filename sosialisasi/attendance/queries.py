"""Attendance read models: who was present where, and who meets the event's attendance rule."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from ..checkin.models import CheckIn
from ..events.models import AttendanceRule, Event, EventSession
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus


def sessions_attended(event: Event) -> dict[int, set[int]]:
    """registration id -> ids of the sessions it checked in to (one query)."""
    rows = db.session.execute(
        select(CheckIn.registration_id, CheckIn.session_id)
        .join(EventSession, EventSession.id == CheckIn.session_id)
        .where(EventSession.event_id == event.id)
    )
    attended: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in rows:
        attended[registration_id].add(session_id)
    return attended


def required_sessions(event: Event) -> set[int]:
    if event.attendance_rule is AttendanceRule.ALL_SESSIONS:
        return {s.id for s in event.sessions}
    if event.attendance_rule is AttendanceRule.ALL_MANDATORY:
        mandatory = {s.id for s in event.sessions if s.mandatory}
        return mandatory or {s.id for s in event.sessions}
    return set()


def eligible_registration_ids(event: Event) -> set[int]:
    """Registrations that "memenuhi syarat" under the event's attendance rule."""
    attended = sessions_attended(event)
    active = set(
        db.session.scalars(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        )
    )
    required = required_sessions(event)
    if event.attendance_rule is AttendanceRule.ANY_SESSION:
        return {rid for rid in active if attended.get(rid)}
    return {rid for rid in active if required <= attended.get(rid, set())}
