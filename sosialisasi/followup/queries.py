"""Read models of the follow-up: summaries per event, dashboards, projections, history.

Every function runs a fixed number of queries whatever the number of units or tasks (aggregates,
eager loading), so pages stay fast as data grows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, select

from ..checkin.models import CheckIn
from ..common.types import utcnow
from ..events.models import Event, EventStatus, Invitation
from ..extensions import db
from ..registration.models import Person, Registration
from ..units.models import Unit
from .models import (
    Assessment,
    DistrictResult,
    FollowUpTask,
    Framework,
    Indicator,
    IndicatorScore,
    ScoreBand,
    TaskStatus,
)
from .services.scores import STEP, ZERO, band_for, district_average
from .services.tasks import today_wib

VERIFIED = TaskStatus.VERIFIED


def _overdue(today: date):
    return and_(FollowUpTask.status != VERIFIED, FollowUpTask.due_date < today)


def _count_columns(today: date):
    return (
        func.count(FollowUpTask.id).label("tasks"),
        func.coalesce(func.sum(case((FollowUpTask.status == VERIFIED, 1), else_=0)), 0).label(
            "verified"
        ),
        func.coalesce(
            func.sum(case((FollowUpTask.status == TaskStatus.SUBMITTED, 1), else_=0)), 0
        ).label("submitted"),
        func.coalesce(func.sum(case((_overdue(today), 1), else_=0)), 0).label("overdue"),
    )


def attended_unit_ids(event: Event) -> set[int]:
    """Units with at least one registration that checked in to the event."""
    return set(
        db.session.scalars(
            select(Registration.unit_id)
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .where(Registration.event_id == event.id, Registration.unit_id.is_not(None))
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
            select(FollowUpTask.unit_id, *_count_columns(today))
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
        row = {
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


def _task_options():
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
            .options(*_task_options())
            .order_by(FollowUpTask.due_date, FollowUpTask.id)
        )
    )


def task_list(
    *,
    unit_id: int | None = None,
    status: str = "",
    overdue: bool = False,
    event_id: int | None = None,
    today: date | None = None,
):
    """A select of tasks with their unit, indicator, event and assignee loaded."""
    today = today or today_wib()
    stmt = select(FollowUpTask).options(*_task_options())
    if unit_id:
        stmt = stmt.where(FollowUpTask.unit_id == unit_id)
    if event_id:
        stmt = stmt.where(FollowUpTask.source_event_id == event_id)
    if status in {s.value for s in TaskStatus}:
        stmt = stmt.where(FollowUpTask.status == TaskStatus(status))
    if overdue:
        stmt = stmt.where(_overdue(today))
    return stmt.order_by(FollowUpTask.due_date, FollowUpTask.unit_id, FollowUpTask.id)


# --- readiness projection ------------------------------------------------------------------


@dataclass
class DimensionShare:
    code: str
    name: str
    weight: Decimal
    indicators: int = 0
    verified: int = 0
    value: Decimal = ZERO  # sum of indicator values (0..1 each)

    @property
    def points(self) -> Decimal:
        if not self.indicators:
            return ZERO
        return (self.weight * self.value / self.indicators).quantize(STEP, ROUND_HALF_UP)

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.indicators) if self.indicators else 0


@dataclass
class Projection:
    dimensions: list[DimensionShare] = field(default_factory=list)
    score: Decimal | None = None
    band: ScoreBand | None = None

    @property
    def indicators(self) -> int:
        return sum(d.indicators for d in self.dimensions)

    @property
    def verified(self) -> int:
        return sum(d.verified for d in self.dimensions)


def load_framework(framework_id: int) -> Framework | None:
    return db.session.scalar(
        select(Framework)
        .where(Framework.id == framework_id)
        .options(
            db.selectinload(Framework.dimensions),
            db.selectinload(Framework.indicators),
            db.selectinload(Framework.bands),
        )
    )


def projections(framework: Framework, units: list[Unit]) -> dict[int, Projection]:
    """Readiness per unit: each applicable indicator counts 1 when its task is verified, else
    its baseline from the latest official result of this framework (the indicator's score / 3,
    or else its dimension's points / weight, or else the total score / 100; 0 when never
    assessed); a dimension gives its weight times the average; the total is scaled to the weights
    of dimensions that have indicators, then put in the framework's bands. Three queries for any
    number of units.
    """
    unit_ids = [u.id for u in units]
    indicators = [i for i in framework.indicators if i.active]
    if not unit_ids or not indicators:
        return {u.id: Projection() for u in units}
    indicator_ids = [i.id for i in indicators]
    verified = set(
        db.session.execute(
            select(FollowUpTask.unit_id, FollowUpTask.indicator_id)
            .where(
                FollowUpTask.unit_id.in_(unit_ids),
                FollowUpTask.indicator_id.in_(indicator_ids),
                FollowUpTask.status == VERIFIED,
            )
            .distinct()
        ).all()
    )
    scored: dict[tuple[int, int], int] = {}
    for unit_id, indicator_id, score in db.session.execute(
        select(Assessment.unit_id, IndicatorScore.indicator_id, IndicatorScore.score)
        .join(Assessment, Assessment.id == IndicatorScore.assessment_id)
        .where(Assessment.unit_id.in_(unit_ids), IndicatorScore.indicator_id.in_(indicator_ids))
        .order_by(Assessment.year)
    ):
        scored[(unit_id, indicator_id)] = score  # later years overwrite earlier ones
    latest: dict[int, Assessment] = {}
    for assessment in db.session.scalars(
        select(Assessment)
        .where(Assessment.unit_id.in_(unit_ids), Assessment.framework_id == framework.id)
        .order_by(Assessment.year)
    ):
        latest[assessment.unit_id] = assessment
    dims = {d.id: d for d in framework.dimensions}
    result = {}
    three = Decimal(3)
    hundred = Decimal(100)

    def baseline(unit_id: int, indicator: Indicator) -> Decimal:
        if (unit_id, indicator.id) in scored:
            return Decimal(scored[(unit_id, indicator.id)]) / three
        official = latest.get(unit_id)
        if official is None:
            return ZERO
        dimension = dims[indicator.dimension_id]
        points = official.dimension_points.get(dimension.code)
        if points not in (None, "") and dimension.weight:
            return min(Decimal(points) / dimension.weight, Decimal(1))
        return official.score / hundred

    for unit in units:
        shares = {d.id: DimensionShare(d.code, d.name, d.weight) for d in framework.dimensions}
        for indicator in indicators:
            if indicator.dimension_id not in dims or not indicator.applies_to(unit.kind.value):
                continue
            share = shares[indicator.dimension_id]
            share.indicators += 1
            if (unit.id, indicator.id) in verified:
                share.verified += 1
                share.value += 1
            else:
                share.value += baseline(unit.id, indicator)
        ordered = [shares[d.id] for d in framework.dimensions]
        counted = [s for s in ordered if s.indicators]
        projection = Projection(dimensions=ordered)
        if counted:
            weight = sum((s.weight for s in counted), ZERO)
            total = sum((s.points for s in counted), ZERO)
            full = framework.total_weight or weight
            projection.score = (
                (total * full / weight).quantize(STEP, ROUND_HALF_UP) if weight else ZERO
            )
            projection.band = band_for(framework, projection.score)
        result[unit.id] = projection
    return result


# --- dashboard -----------------------------------------------------------------------------

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

    Units shown: those with tasks, invitations or official results (all active units when
    ``show_all``). Seven queries whatever the number of units.
    """
    today = today or today_wib()
    now = utcnow()
    task_counts = {
        r.unit_id: r
        for r in db.session.execute(
            select(FollowUpTask.unit_id, *_count_columns(today)).group_by(FollowUpTask.unit_id)
        )
    }
    live = (Event.status.not_in([EventStatus.CANCELLED, EventStatus.DRAFT]), Event.starts_at <= now)
    invited = dict(
        db.session.execute(
            select(Invitation.unit_id, func.count(Invitation.id))
            .join(Event, Event.id == Invitation.event_id)
            .where(*live)
            .group_by(Invitation.unit_id)
        ).all()
    )
    attended = dict(
        db.session.execute(
            select(Registration.unit_id, func.count(func.distinct(Registration.event_id)))
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .join(Event, Event.id == Registration.event_id)
            .where(*live, Registration.unit_id.is_not(None))
            .group_by(Registration.unit_id)
        ).all()
    )
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
        select(Indicator, *_count_columns(today))
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


# --- history -------------------------------------------------------------------------------


def unit_history(unit: Unit) -> list[dict]:
    rows = db.session.scalars(
        select(Assessment)
        .where(Assessment.unit_id == unit.id)
        .options(db.selectinload(Assessment.framework).selectinload(Framework.bands))
        .order_by(Assessment.year)
    ).all()
    return [{"assessment": a, "band": band_for(a.framework, a.score)} for a in rows]


def district_history(root: Unit) -> list[dict]:
    """Per year: units assessed, their plain average, the recorded official score, the band."""
    assessments = db.session.scalars(
        select(Assessment)
        .options(
            db.selectinload(Assessment.framework).selectinload(Framework.bands),
            db.joinedload(Assessment.unit),
        )
        .order_by(Assessment.year, Assessment.score.desc())
    ).all()
    official = {
        r.year: r
        for r in db.session.scalars(
            select(DistrictResult)
            .where(DistrictResult.root_unit_id == root.id)
            .options(db.selectinload(DistrictResult.framework).selectinload(Framework.bands))
        )
    }
    by_year: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_year[a.year].append(a)
    out = []
    for year in sorted(set(by_year) | set(official)):
        units = by_year.get(year, [])
        average = district_average([a.score for a in units])
        result = official.get(year)
        score = result.score if result is not None else average
        framework = result.framework if result is not None else units[0].framework
        out.append(
            {
                "year": year,
                "units": units,
                "average": average,
                "official": result.score if result is not None else None,
                "score": score,
                "framework": framework,
                "band": band_for(framework, score),
            }
        )
    return out


def unit_events(unit: Unit) -> list[dict]:
    """Events the unit was invited to, with how many of its people checked in (two queries)."""
    invitations = db.session.scalars(
        select(Invitation)
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.unit_id == unit.id, Event.status != EventStatus.DRAFT)
        .options(db.contains_eager(Invitation.event))
        .order_by(Event.starts_at.desc())
    ).all()
    present = dict(
        db.session.execute(
            select(Registration.event_id, func.count(func.distinct(Registration.id)))
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .where(Registration.unit_id == unit.id)
            .group_by(Registration.event_id)
        ).all()
    )
    return [{"event": i.event, "present": present.get(i.event_id, 0)} for i in invitations]


def unit_task_counts(unit: Unit, *, today: date | None = None) -> dict:
    today = today or today_wib()
    row = db.session.execute(
        select(*_count_columns(today)).where(FollowUpTask.unit_id == unit.id)
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
        .options(*_task_options())
        .order_by(FollowUpTask.unit_id, FollowUpTask.due_date)
    ).all()
    out: dict[int, list[FollowUpTask]] = defaultdict(list)
    for task in tasks:
        out[task.unit_id].append(task)
    return out
