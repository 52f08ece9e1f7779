"""Hooks for other areas' pages: the functions the follow-up partials they include call."""

from __future__ import annotations

from .. import queries
from . import bp
from .helpers import today as _today

# --- hooks for other areas' pages ----------------------------------------------------------


@bp.app_context_processor
def _followup_helpers() -> dict:
    """Functions the partials included by other areas' pages call (they get one variable)."""
    return {
        "followup_tasks_for_person": queries.tasks_for_person,
        "followup_event_summary": queries.event_followup_summary,
        "followup_unit_counts": queries.unit_task_counts,
        "followup_today": _today,
    }
