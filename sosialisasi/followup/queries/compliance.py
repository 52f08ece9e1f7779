"""The compliance year at a glance: the district's projection over the lokus, the trajectory
of official results, the gap to the target and the units whose open tasks would close it most."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...units.models import Unit
from ..models import Assessment, FollowUpTask, Framework, ScoreBand, SupervisionProduct
from ..services.scores import STEP, band_for, district_average
from ..services.years import gap_to, lokus_units, target_score, year_settings
from .history import district_history
from .projection import Projection, projections


@dataclass
class DistrictProjection:
    framework: Framework
    year: int
    units: list[Unit] = field(default_factory=list)  # the lokus
    per_unit: dict[int, Projection] = field(default_factory=dict)
    score: Decimal | None = None  # plain average over assessed lokus units
    band: ScoreBand | None = None

    @property
    def unassessed(self) -> list[Unit]:
        return [u for u in self.units if not self.per_unit[u.id].assessed]

    @property
    def counted(self) -> list[Unit]:
        return [u for u in self.units if self.per_unit[u.id].score is not None]


def district_projection(framework: Framework, year: int) -> DistrictProjection:
    """The district's projected score over the year's lokus, as the Ombudsman averages it;
    units never assessed are left out of the average."""
    units = lokus_units(year)
    result = DistrictProjection(framework=framework, year=year, units=units)
    if not units:
        return result
    result.per_unit = projections(framework, units)
    result.score = district_average(
        [p.score for p in result.per_unit.values() if p.score is not None]
    )
    result.band = band_for(framework, result.score)
    return result


def best_gains(district: DistrictProjection, limit: int = 10) -> list[dict]:
    """Lokus units by how much the district score rises when their open tasks are verified
    (largest weighted gain first)."""
    counted = district.counted
    if not counted:
        return []
    done = projections(district.framework, counted, assume_done=True)
    n = Decimal(len(counted))
    rows: list[dict[str, Any]] = []
    for unit in counted:
        now, then = district.per_unit[unit.id].score, done[unit.id].score
        gain = (then - now) if then is not None and now is not None else Decimal(0)
        if gain <= 0:
            continue
        rows.append(
            {
                "unit": unit,
                "now": now,
                "then": then,
                "gain": gain.quantize(STEP),
                "district_gain": (gain / n).quantize(STEP, ROUND_HALF_UP),
                "open": done[unit.id].verified - district.per_unit[unit.id].verified,
            }
        )
    rows.sort(key=lambda r: (-r["district_gain"], r["unit"].name))
    return rows[:limit]


def trajectory(
    root: Unit, district: DistrictProjection | None, history: list[dict] | None = None
) -> list[dict]:
    """Official district scores year by year, then the projection for the current year."""
    points = [
        {"label": str(h["year"]), "score": h["score"], "band": h["band"], "projection": False}
        for h in (district_history(root) if history is None else history)
        if h["score"] is not None
    ]
    if district is not None and district.score is not None:
        points.append(
            {
                "label": f"{district.year} (proyeksi)",
                "score": district.score,
                "band": district.band,
                "projection": True,
            }
        )
    return points


def year_overview(root: Unit, framework: Framework, year: int) -> dict:
    """Everything the year page and the nota dinas show about where the district stands."""
    settings = year_settings(year)
    district = district_projection(framework, year)
    target = target_score(settings, framework)
    history = district_history(root)
    official = next((h for h in history if h["year"] == year and h["score"] is not None), None)
    # The year's standing: its official result once recorded, else the projection.
    current = official["score"] if official else district.score
    return {
        "official": official,
        "current": current,
        "current_band": band_for(framework, current) if current is not None else None,
        "year": year,
        "framework": framework,
        "settings": settings,
        "district": district,
        "target": target,
        "target_band": band_for(framework, target) if target is not None else None,
        "gap": gap_to(target, current),
        "trajectory": trajectory(root, district if official is None else None, history),
        "gains": best_gains(district),
    }


def lokus_rows(overview: dict, *, today: date) -> list[dict]:
    """Per lokus unit: score (the year's official result, else the projection), category,
    open and overdue tasks, supervision products (total, blocking). Four queries."""
    from ..services.supervision import supervision_status
    from .tasks import count_columns

    district: DistrictProjection = overview["district"]
    year = overview["year"]
    ids = [u.id for u in district.units]
    if not ids:
        return []
    counts = {
        r.unit_id: r
        for r in db.session.execute(
            select(FollowUpTask.unit_id, *count_columns(today))
            .where(FollowUpTask.unit_id.in_(ids))
            .group_by(FollowUpTask.unit_id)
        )
    }
    official = dict(
        db.session.execute(
            select(Assessment.unit_id, Assessment.score).where(
                Assessment.unit_id.in_(ids), Assessment.year == year
            )
        ).all()
    )
    products: dict[int, int] = {}
    for unit_id in db.session.scalars(
        select(SupervisionProduct.unit_id).where(
            SupervisionProduct.year == year, SupervisionProduct.unit_id.in_(ids)
        )
    ):
        products[unit_id] = products.get(unit_id, 0) + 1
    blocking: dict[int, int] = {}
    for p in supervision_status(year, today=today).blocking:
        blocking[p.unit_id] = blocking.get(p.unit_id, 0) + 1
    rows = []
    for unit in district.units:
        projection = district.per_unit[unit.id]
        c = counts.get(unit.id)
        score = official.get(unit.id, projection.score)
        rows.append(
            {
                "unit": unit,
                "score": score,
                "official": unit.id in official,
                "assessed": projection.assessed or unit.id in official,
                "band": band_for(district.framework, score) if score is not None else None,
                "open": (int(c.tasks) - int(c.verified)) if c else 0,
                "overdue": int(c.overdue) if c else 0,
                "products": products.get(unit.id, 0),
                "blocking": blocking.get(unit.id, 0),
            }
        )
    return rows


def verifier_overview(root: Unit, *, today: date) -> dict:
    """The verifier's first screen, in numbers: tasks to verify, overdue tasks by unit,
    supervision products due this year, and the current year's projection against target."""
    from sqlalchemy import func

    from ...units.models import Unit as UnitModel
    from ..models import TaskStatus
    from ..services.frameworks import framework_for_year
    from ..services.supervision import supervision_status
    from .tasks import overdue_clause

    to_verify = db.session.scalar(
        select(func.count(FollowUpTask.id)).where(FollowUpTask.status == TaskStatus.SUBMITTED)
    )
    overdue_rows = db.session.execute(
        select(UnitModel, func.count(FollowUpTask.id).label("n"))
        .join(FollowUpTask, FollowUpTask.unit_id == UnitModel.id)
        .where(overdue_clause(today))
        .group_by(UnitModel.id)
        .order_by(func.count(FollowUpTask.id).desc(), UnitModel.name)
    ).all()
    year = today.year
    supervision = supervision_status(year, today=today)
    due_soon = [
        p
        for p in supervision.products
        if p.done_on is None and p.due_date is not None and p.due_date <= supervision.cutoff
    ]
    framework = framework_for_year(year)
    overview = year_overview(root, framework, year) if framework is not None else None
    return {
        "year": year,
        "to_verify": int(to_verify or 0),
        "overdue_total": sum(int(r.n) for r in overdue_rows),
        "overdue_by_unit": [(r[0], int(r.n)) for r in overdue_rows[:8]],
        "overdue_units": len(overdue_rows),
        "supervision": supervision,
        "products_due": due_soon,
        "overview": overview,
    }
