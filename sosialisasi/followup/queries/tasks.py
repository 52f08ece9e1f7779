"""Task read models: counts per unit or event, lists, a person's tasks, reminder batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from ...checkin.queries import checked_in
from ...common.http import bounded_int
from ...common.wib import to_wib
from ...events.models import Event, Invitation
from ...extensions import db
from ...registration.models import Person, Registration
from ...units.models import Unit
from ..models import (
    FollowUpTask,
    Framework,
    Indicator,
    TaskStatus,
)
from ..services.tasks import today_wib

VERIFIED = TaskStatus.VERIFIED


def overdue_clause(today: date):
    return and_(FollowUpTask.status != VERIFIED, FollowUpTask.due_date < today)


def count_columns(today: date):
    return (
        func.count(FollowUpTask.id).label("tasks"),
        func.coalesce(func.sum(case((FollowUpTask.status == VERIFIED, 1), else_=0)), 0).label(
            "verified"
        ),
        func.coalesce(
            func.sum(case((FollowUpTask.status == TaskStatus.SUBMITTED, 1), else_=0)), 0
        ).label("submitted"),
        func.coalesce(func.sum(case((overdue_clause(today), 1), else_=0)), 0).label("overdue"),
    )


def attended_unit_ids(event: Event) -> set[int]:
    """Units with at least one registration that checked in to the event."""
    return set(
        db.session.scalars(
            select(Registration.unit_id)
            .where(
                checked_in(Registration.id),
                Registration.event_id == event.id,
                Registration.unit_id.is_not(None),
            )
            .distinct()
        )
    )


def event_followup_summary(event: Event, *, today: date | None = None) -> list[dict]:
    """Progress of an event's follow-up, one dict per unit, then one totals dict.

    Unit rows: ``unit_id``, ``unit`` (name), ``short_name``, ``attended`` (bool), ``tasks``,
    ``verified``, ``submitted``, ``overdue``, ``percent`` (verified of tasks, int), and
    ``is_total`` False. The last row has ``unit`` "Jumlah", ``is_total`` True, the sums, and
    ``units`` / ``units_attended`` counts. Units are those invited plus any with tasks from the
    event; sorted by name. Four queries whatever the size.
    """
    today = today or today_wib()
    counts = {
        row.unit_id: row
        for row in db.session.execute(
            select(FollowUpTask.unit_id, *count_columns(today))
            .where(FollowUpTask.source_event_id == event.id)
            .group_by(FollowUpTask.unit_id)
        )
    }
    invited = set(
        db.session.scalars(select(Invitation.unit_id).where(Invitation.event_id == event.id))
    )
    ids = invited | set(counts)
    units = db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name)).all()
    attended = attended_unit_ids(event)
    rows = []
    total = {"tasks": 0, "verified": 0, "submitted": 0, "overdue": 0}
    for unit in units:
        c = counts.get(unit.id)
        row: dict[str, Any] = {
            "unit_id": unit.id,
            "unit": unit.name,
            "short_name": unit.short_name or unit.name,
            "attended": unit.id in attended,
            "tasks": int(c.tasks) if c else 0,
            "verified": int(c.verified) if c else 0,
            "submitted": int(c.submitted) if c else 0,
            "overdue": int(c.overdue) if c else 0,
            "is_total": False,
        }
        row["percent"] = round(100 * row["verified"] / row["tasks"]) if row["tasks"] else 0
        for key in total:
            total[key] += row[key]
        rows.append(row)
    rows.append(
        {
            "unit_id": None,
            "unit": "Jumlah",
            "short_name": "Jumlah",
            "attended": None,
            **total,
            "percent": round(100 * total["verified"] / total["tasks"]) if total["tasks"] else 0,
            "units": len(units),
            "units_attended": sum(1 for u in units if u.id in attended),
            "is_total": True,
        }
    )
    return rows


def task_options():
    return (
        db.joinedload(FollowUpTask.unit),
        db.joinedload(FollowUpTask.indicator),
        db.joinedload(FollowUpTask.source_event),
        db.joinedload(FollowUpTask.assignee),
    )


def tasks_for_person(person: Person) -> list[FollowUpTask]:
    """Tasks that name this person as the one in charge, latest deadline last."""
    return list(
        db.session.scalars(
            select(FollowUpTask)
            .where(FollowUpTask.assignee_person_id == person.id)
            .options(*task_options())
            .order_by(FollowUpTask.due_date, FollowUpTask.id)
        )
    )


@dataclass
class TaskFilters:
    """The filters of the task list, read from and written back to the query string (the
    names users see: ``unit``, ``status``, ``terlambat``, ``acara``, ``indikator``), so that
    pagination and the bulk actions' redirects keep them."""

    unit_id: int | None = None
    status: str = ""
    overdue: bool = False
    event_id: int | None = None
    indicator_id: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> TaskFilters:
        def number(key: str) -> int | None:
            try:
                value = bounded_int(args.get(key) or "")
            except ValueError:
                return None
            return value if value > 0 else None

        status = args.get("status") or ""
        return cls(
            unit_id=number("unit"),
            status=status if status in {s.value for s in TaskStatus} else "",
            overdue=args.get("terlambat") == "1",
            event_id=number("acara"),
            indicator_id=number("indikator"),
        )

    def to_args(self) -> dict[str, Any]:
        """The query-string arguments of the filters that are set (strings, for ``url_for``)."""
        args = {
            "unit": str(self.unit_id or ""),
            "status": self.status,
            "terlambat": "1" if self.overdue else "",
            "acara": str(self.event_id or ""),
            "indikator": str(self.indicator_id or ""),
        }
        return {k: v for k, v in args.items() if v}


def task_list(
    *,
    unit_id: int | None = None,
    status: str = "",
    overdue: bool = False,
    event_id: int | None = None,
    indicator_id: int | None = None,
    today: date | None = None,
):
    """A select of tasks with their unit, indicator, event and assignee loaded."""
    stmt = select(FollowUpTask).options(*task_options())
    stmt = filter_tasks(
        stmt,
        TaskFilters(unit_id, status, overdue, event_id, indicator_id),
        today=today or today_wib(),
    )
    return stmt.order_by(FollowUpTask.due_date, FollowUpTask.unit_id, FollowUpTask.id)


def filter_tasks(stmt: Select[Any], filters: TaskFilters, *, today: date) -> Select[Any]:
    """``stmt`` (a select over ``FollowUpTask``) narrowed to the filters."""
    if filters.unit_id:
        stmt = stmt.where(FollowUpTask.unit_id == filters.unit_id)
    if filters.event_id:
        stmt = stmt.where(FollowUpTask.source_event_id == filters.event_id)
    if filters.indicator_id:
        stmt = stmt.where(FollowUpTask.indicator_id == filters.indicator_id)
    if filters.status:
        stmt = stmt.where(FollowUpTask.status == TaskStatus(filters.status))
    if filters.overdue:
        stmt = stmt.where(overdue_clause(today))
    return stmt


def filtered_task_ids(filters: TaskFilters, *, today: date) -> list[int]:
    """The ids of every task the filters select (all pages): "pilih semua yang tersaring"."""
    stmt = filter_tasks(select(FollowUpTask.id), filters, today=today)
    return list(db.session.scalars(stmt.order_by(FollowUpTask.id)))


def tasks_by_ids(ids: list[int]) -> list[FollowUpTask]:
    """The tasks of these ids with their unit and indicator, in due-date order."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(FollowUpTask)
            .where(FollowUpTask.id.in_(ids))
            .options(db.joinedload(FollowUpTask.unit), db.joinedload(FollowUpTask.indicator))
            .order_by(FollowUpTask.due_date, FollowUpTask.unit_id, FollowUpTask.id)
        )
    )


@dataclass
class FilterChoices:
    """The options of the task list's select boxes: events and indicators that have tasks
    (within the unit, for a unit operator). Two queries whatever the number of tasks."""

    events: list[tuple[int, str]]
    indicators: list[tuple[int, str]]


def filter_choices(
    *,
    unit_id: int | None = None,
    keep_event_id: int | None = None,
    keep_indicator_id: int | None = None,
) -> FilterChoices:
    """``keep_*``: an event or indicator chosen already (a link from the event page) stays a
    choice even without tasks, so the select box shows the filter that is applied."""
    tasks = select(FollowUpTask)
    if unit_id:
        tasks = tasks.where(FollowUpTask.unit_id == unit_id)
    event_ids = tasks.with_only_columns(FollowUpTask.source_event_id).where(
        FollowUpTask.source_event_id.is_not(None)
    )
    indicator_ids = tasks.with_only_columns(FollowUpTask.indicator_id).where(
        FollowUpTask.indicator_id.is_not(None)
    )
    events = [
        (row.id, f"{row.title} ({to_wib(row.starts_at):%d-%m-%Y})")
        for row in db.session.execute(
            select(Event.id, Event.title, Event.starts_at)
            .where(Event.id.in_(event_ids) | (Event.id == (keep_event_id or -1)))
            .order_by(Event.starts_at.desc(), Event.id)
        )
    ]
    indicators = [
        (row.id, f"{row.code} {row.name} ({row.framework})")
        for row in db.session.execute(
            select(Indicator.id, Indicator.code, Indicator.name, Framework.code.label("framework"))
            .join(Framework, Framework.id == Indicator.framework_id)
            .where(Indicator.id.in_(indicator_ids) | (Indicator.id == (keep_indicator_id or -1)))
            .order_by(Framework.code, Indicator.position, Indicator.code)
        )
    ]
    return FilterChoices(events=events, indicators=indicators)


def unit_task_counts(unit: Unit, *, today: date | None = None) -> dict:
    today = today or today_wib()
    row = db.session.execute(
        select(*count_columns(today)).where(FollowUpTask.unit_id == unit.id)
    ).one()
    return {
        "tasks": int(row.tasks),
        "verified": int(row.verified),
        "submitted": int(row.submitted),
        "overdue": int(row.overdue),
    }


def reminder_batches(*, today: date, within_days: int = 7) -> dict[int, list[FollowUpTask]]:
    """unit id -> tasks not yet verified that are overdue or due within ``within_days``."""
    from datetime import timedelta

    limit = today + timedelta(days=within_days)
    tasks = db.session.scalars(
        select(FollowUpTask)
        .where(
            FollowUpTask.status.in_([TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.REJECTED]),
            FollowUpTask.due_date <= limit,
        )
        .options(*task_options())
        .order_by(FollowUpTask.unit_id, FollowUpTask.due_date)
    ).all()
    out: dict[int, list[FollowUpTask]] = defaultdict(list)
    for task in tasks:
        out[task.unit_id].append(task)
    return out
