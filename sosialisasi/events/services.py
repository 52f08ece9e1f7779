"""Events and their agenda: the public face of the events area's rules.

The rules live in modules named for what they hold (issue 12: no module over ~450 lines):
``lifecycle`` (create, update, move, clone), ``status`` (transitions, buttons, warnings),
``overview`` (set-up checklist, organizer's first screen), ``agenda`` (sessions, speakers,
staff, which session a scan belongs to), ``scoping`` (who sees which event) and ``ics``
(calendar export). This module re-exports their names so the many callers of
``events.services.X`` keep working; new code may import from either. To replace one of these
functions in a test, patch it where it is defined (e.g. ``events.agenda``), since the other
event modules call it there.
"""

from __future__ import annotations

from .agenda import (
    add_speaker,
    current_session,
    delete_session,
    pick_session,
    remove_speaker,
    save_session,
    save_speaker,
    set_staff,
)
from .ics import agenda_text, to_ics
from .lifecycle import EventData, clone_event, create_event, move_event, update_event
from .overview import ChecklistItem, EventNumbers, organizer_overview, setup_checklist
from .scoping import can_see, can_see_event_id, get_event_or_404, visible_events
from .status import (
    BACKWARD,
    TRANSITIONS,
    StatusAction,
    allowed_transitions,
    change_status,
    date_warnings,
    status_actions,
    status_warnings,
)

__all__ = [
    "BACKWARD",
    "TRANSITIONS",
    "ChecklistItem",
    "EventData",
    "EventNumbers",
    "StatusAction",
    "add_speaker",
    "agenda_text",
    "allowed_transitions",
    "can_see",
    "can_see_event_id",
    "change_status",
    "clone_event",
    "create_event",
    "current_session",
    "date_warnings",
    "delete_session",
    "get_event_or_404",
    "move_event",
    "organizer_overview",
    "pick_session",
    "remove_speaker",
    "save_session",
    "set_staff",
    "setup_checklist",
    "status_actions",
    "status_warnings",
    "to_ics",
    "update_event",
    "save_speaker",
    "visible_events",
]
