"""Data for the partials other areas include (unit page, home page), as template globals.

They call :mod:`..queries`; templates should call those query functions through their views
(the globals are kept until they do).
"""

from __future__ import annotations

from .. import queries
from . import bp


@bp.app_template_global("registration_unit_events")
def registration_unit_events(unit_id: int, limit: int = 10) -> list:
    """Events a unit was invited to, with quota and registered count (unit page)."""
    return queries.unit_invitation_summary(unit_id, limit)


@bp.app_template_global("registration_pending_total")
def registration_pending_total() -> int:
    """Registrations waiting for the organizer's approval, over upcoming events (home page)."""
    return queries.pending_total()
