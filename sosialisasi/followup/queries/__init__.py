"""Read models of the follow-up: summaries per event, dashboards, projections, history.

Every function runs a fixed number of queries whatever the number of units or tasks (aggregates,
eager loading), so pages stay fast as data grows. The modules: ``tasks`` (counts, lists,
reminders), ``projection`` (readiness projection), ``dashboard`` (the readiness dashboard),
``history`` (official results over the years, a unit's events). Other areas' pages call
``tasks_for_person``, ``event_followup_summary`` and ``unit_task_counts`` by these names.
"""

from __future__ import annotations

from .dashboard import SORTS, dashboard, lagging_indicators
from .history import district_history, unit_events, unit_history
from .projection import DimensionShare, Projection, load_framework, projections
from .tasks import (
    FilterChoices,
    TaskFilters,
    attended_unit_ids,
    event_followup_summary,
    filter_choices,
    filtered_task_ids,
    reminder_batches,
    task_list,
    tasks_by_ids,
    tasks_for_person,
    unit_task_counts,
)

__all__ = [
    "SORTS",
    "DimensionShare",
    "FilterChoices",
    "Projection",
    "TaskFilters",
    "attended_unit_ids",
    "dashboard",
    "district_history",
    "event_followup_summary",
    "filter_choices",
    "filtered_task_ids",
    "lagging_indicators",
    "load_framework",
    "projections",
    "reminder_batches",
    "task_list",
    "tasks_by_ids",
    "tasks_for_person",
    "unit_events",
    "unit_history",
    "unit_task_counts",
]
