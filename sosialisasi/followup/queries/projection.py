"""The readiness projection: what a unit would score if its verified tasks were assessed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, true

from ...extensions import db
from ...units.models import Unit
from ..models import (
    Assessment,
    FollowUpTask,
    Framework,
    Indicator,
    IndicatorScore,
    ScoreBand,
)
from ..services.scores import STEP, ZERO, band_for
from .tasks import VERIFIED


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
    # False when the unit has no official result at all: "belum dinilai", no score, and left
    # out of every average (a 0.00 / E would be a false, alarming grade).
    assessed: bool = True

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


def projections(
    framework: Framework, units: Sequence[Unit], *, assume_done: bool = False
) -> dict[int, Projection]:
    """Readiness per unit: each applicable indicator counts 1 when its task is verified, else
    its baseline from the latest official result (the indicator's score / 3, or else its
    dimension's points / weight, or else the total score / 100; this framework's latest result
    first, else any framework's); a unit never assessed gets no score ("belum dinilai"), never
    0 / E; a dimension gives its weight times the average; the total is scaled to the weights of
    dimensions that have indicators, then put in the framework's bands. Three queries for any
    number of units. ``assume_done`` counts every task as verified: what the unit would score
    once its open tasks are done.
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
                true() if assume_done else FollowUpTask.status == VERIFIED,
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
    # The latest result of this framework, else the latest of any (2025 starts from 2024).
    latest: dict[int, Assessment] = {}
    for assessment in db.session.scalars(
        select(Assessment)
        .where(Assessment.unit_id.in_(unit_ids))
        .order_by(Assessment.framework_id == framework.id, Assessment.year)
    ):
        latest[assessment.unit_id] = assessment
    dims = {d.id: d for d in framework.dimensions}
    result = {}
    three = Decimal(3)
    hundred = Decimal(100)

    def baseline(unit_id: int, indicator: Indicator) -> Decimal:
        """The indicator's share before follow-up (units here have an official result)."""
        if (unit_id, indicator.id) in scored:
            return Decimal(scored[(unit_id, indicator.id)]) / three
        official = latest[unit_id]
        dimension = dims[indicator.dimension_id]
        points = official.dimension_points.get(dimension.code)
        if points not in (None, "") and dimension.weight:
            return min(Decimal(points) / dimension.weight, Decimal(1))
        return official.score / hundred

    assessed_units = set(latest) | {unit_id for unit_id, _indicator in scored}
    for unit in units:
        assessed = unit.id in assessed_units
        shares = {d.id: DimensionShare(d.code, d.name, d.weight) for d in framework.dimensions}
        for indicator in indicators:
            if indicator.dimension_id not in dims or not indicator.applies_to(unit.kind.value):
                continue
            share = shares[indicator.dimension_id]
            share.indicators += 1
            if (unit.id, indicator.id) in verified:
                share.verified += 1
                share.value += 1
            elif assessed:
                share.value += baseline(unit.id, indicator)
        ordered = [shares[d.id] for d in framework.dimensions]
        counted = [s for s in ordered if s.indicators]
        projection = Projection(dimensions=ordered, assessed=assessed)
        if counted and assessed:
            weight = sum((s.weight for s in counted), ZERO)
            total = sum((s.points for s in counted), ZERO)
            full = framework.total_weight or weight
            projection.score = (
                (total * full / weight).quantize(STEP, ROUND_HALF_UP) if weight else ZERO
            )
            projection.band = band_for(framework, projection.score)
        result[unit.id] = projection
    return result
