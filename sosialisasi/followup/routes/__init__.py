"""Follow-up pages, one module per kind of page; they all hang on the single blueprint ``bp``.

- ``dashboards``: the readiness dashboard (page, XLSX, PDF) and a unit's page;
- ``tasks``: task lists, a new task, the task page and its workflow steps;
- ``bulk``: bulk actions on the task list (a new deadline, reminders now);
- ``evidence``: evidence files and links (upload, remove, download);
- ``plans``: an event's follow-up plan;
- ``frameworks``: frameworks, dimensions, indicators, bands, XLSX export and import;
- ``assessments``: official unit and district results, tasks from weak indicators;
- ``years``: Bagian Organisasi's year (target, lokus, trajectory, gap) and the supervision
  products register;
- ``partials``: the follow-up data other areas' pages get through ``before_render_template``.
"""

from __future__ import annotations

from . import (  # the modules register their views on bp
    assessments,
    bulk,
    dashboards,
    evidence,
    frameworks,
    partials,
    plans,
    tasks,
    years,
)
from .blueprint import bp

__all__ = [
    "assessments",
    "bp",
    "bulk",
    "dashboards",
    "evidence",
    "frameworks",
    "partials",
    "plans",
    "tasks",
    "years",
]
