"""The readiness dashboard: one row per unit, and the indicators that lag behind."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from ...checkin.queries import events_attended_per_unit
from ...common.types import utcnow
from ...common.wib import from_wib
from ...events.models import Event, EventStatus, Invitation
from ...extensions import db
from ...units.models import Unit
from ..models import (
    Assessment,
    FollowUpTask,
    Framework,
    Indicator,
)
from ..services.tasks import today_wib
from .projection import Projection, projections
from .tasks import count_columns


def framework_period(framework: Framework) -> tuple:
    """Conditions on ``Event.starts_at``: the event starts in the framework's years (WIB)."""
    conditions = [Event.starts_at >= from_wib(date(framework.year_from, 1, 1), time(0))]
    if framework.year_to is not None:
        conditions.append(Event.starts_at < from_wib(date(framework.year_to + 1, 1, 1), time(0)))
    return tuple(conditions)


SORTS = ("unit", "hadir", "tugas", "progres", "terlambat", "proyeksi")


def dashboard(
    framework: Framework,
    *,
    today: date | None = None,
    sort: str = "proyeksi",
    descending: bool = False,
    show_all: bool = False,
) -> list[dict]:
    """One row per unit: attendance, tasks verified of total, overdue, projection.

    Attendance ("hadir/diundang") counts the events held in the framework's years (the years it
    is the instrument of), not every event since the application started.
    Units shown: those with tasks, invitations or official results (all active units when
    ``show_all``). Seven queries whatever the number of units.
    """
    today = today or today_wib()
    now = utcnow()
    task_counts = {
        r.unit_id: r
        for r in db.session.execute(
            select(FollowUpTask.unit_id, *count_columns(today)).group_by(FollowUpTask.unit_id)
        )
    }
    live = (
        Event.status.not_in([EventStatus.CANCELLED, EventStatus.DRAFT]),
        Event.starts_at <= now,
        *framework_period(framework),
    )
    invited = dict(
        db.session.execute(
            select(Invitation.unit_id, func.count(Invitation.id))
            .join(Event, Event.id == Invitation.event_id)
            .where(*live)
            .group_by(Invitation.unit_id)
        ).all()
    )
    attended = events_attended_per_unit(*live)
    latest = {}
    for unit_id, year, score in db.session.execute(
        select(Assessment.unit_id, Assessment.year, Assessment.score).order_by(Assessment.year)
    ):
        latest[unit_id] = (year, score)
    stmt = select(Unit).order_by(Unit.name)
    if show_all:
        stmt = stmt.where(Unit.active)
    else:
        ids = set(task_counts) | set(invited) | set(latest)
        stmt = stmt.where(Unit.id.in_(ids))
    units = db.session.scalars(stmt).all()
    proj = projections(framework, units)
    rows = []
    for unit in units:
        c = task_counts.get(unit.id)
        tasks = int(c.tasks) if c else 0
        verified = int(c.verified) if c else 0
        p = proj.get(unit.id) or Projection()
        rows.append(
            {
                "unit": unit,
                "invited": invited.get(unit.id, 0),
                "attended": attended.get(unit.id, 0),
                "tasks": tasks,
                "verified": verified,
                "submitted": int(c.submitted) if c else 0,
                "overdue": int(c.overdue) if c else 0,
                "percent": round(100 * verified / tasks) if tasks else 0,
                "projection": p,
                "latest": latest.get(unit.id),
            }
        )
    keys = {
        "unit": lambda r: r["unit"].name.lower(),
        "hadir": lambda r: (r["attended"], r["invited"]),
        "tugas": lambda r: r["tasks"],
        "progres": lambda r: r["percent"],
        "terlambat": lambda r: r["overdue"],
        "proyeksi": lambda r: r["projection"].score if r["projection"].score is not None else -1,
    }
    rows.sort(key=keys.get(sort, keys["proyeksi"]), reverse=descending)
    return rows


def lagging_indicators(framework: Framework, *, today: date | None = None, limit: int = 10):
    """Indicators with the lowest share of verified tasks across units (one query)."""
    today = today or today_wib()
    rows = db.session.execute(
        select(Indicator, *count_columns(today))
        .join(FollowUpTask, FollowUpTask.indicator_id == Indicator.id)
        .where(Indicator.framework_id == framework.id)
        .group_by(Indicator.id)
    ).all()
    out = []
    for row in rows:
        tasks, verified = int(row.tasks), int(row.verified)
        out.append(
            {
                "indicator": row[0],
                "tasks": tasks,
                "verified": verified,
                "overdue": int(row.overdue),
                "pending": tasks - verified,
                "percent": round(100 * verified / tasks) if tasks else 0,
            }
        )
    out.sort(key=lambda r: (r["percent"], -r["overdue"], -r["pending"], r["indicator"].position))
    return [r for r in out if r["pending"]][:limit]
