"""Official results: a unit's assessment for a year, the district's result."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...extensions import db
from ...units.models import Unit
from ..models import (
    Assessment,
    DistrictResult,
    Framework,
    IndicatorScore,
)
from .scores import ZERO, score_text, to_score


def record_assessment(
    unit: Unit,
    framework: Framework,
    *,
    year: int,
    score: object | None,
    dimension_points: dict[str, object] | None = None,
    indicator_scores: dict[int, int] | None = None,
    notes: str = "",
    actor: User | None,
) -> Assessment:
    """Record (or correct) the official result of a unit for a year."""
    if not framework.covers(year):
        raise DomainError(
            _(
                "Kerangka %(code)s berlaku %(years)s, bukan untuk tahun %(year)s.",
                code=framework.code,
                years=framework.years,
                year=year,
            ),
            field="year",
        )
    points: dict[str, str] = {}
    weights = {d.code: d.weight for d in framework.dimensions}
    for code, value in (dimension_points or {}).items():
        if value in (None, ""):
            continue
        if code not in weights:
            raise DomainError(
                _("Dimensi %(code)s tidak ada di kerangka.", code=code), field="score"
            )
        points[code] = str(to_score(value, field_name=f"dim_{code}", upper=weights[code]))
    if score in (None, ""):
        if not points:
            raise DomainError(_("Isi nilai total atau nilai per dimensi."), field="score")
        total = sum((Decimal(p) for p in points.values()), ZERO)
    else:
        total = to_score(score)
        if points and len(points) == len(weights):
            summed = sum((Decimal(p) for p in points.values()), ZERO)
            if abs(summed - total) > Decimal("0.05"):
                raise DomainError(
                    _(
                        "Jumlah nilai dimensi (%(summed)s) tidak sama dengan nilai total "
                        "(%(total)s).",
                        summed=score_text(summed),
                        total=score_text(total),
                    ),
                    field="score",
                )
    indicators = {i.id: i for i in framework.indicators}
    for indicator_id, value in (indicator_scores or {}).items():
        if indicator_id not in indicators:
            raise DomainError(_("Indikator bukan bagian kerangka ini."), field="score")
        if value not in (0, 1, 2, 3):
            raise DomainError(
                _("Nilai indikator %(code)s harus 0-3.", code=indicators[indicator_id].code),
                field="score",
            )
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.unit_id == unit.id, Assessment.year == year)
    )
    if assessment is None:
        assessment = Assessment(unit=unit, year=year, created_by_id=actor.id if actor else None)
        db.session.add(assessment)
    assessment.framework = framework
    assessment.score = total
    assessment.dimension_points = points
    assessment.notes = (notes or "").strip()
    if indicator_scores is not None:
        current = {s.indicator_id: s for s in assessment.scores}
        for indicator_id, value in indicator_scores.items():
            if indicator_id in current:
                current[indicator_id].score = value
            else:
                assessment.scores.append(IndicatorScore(indicator_id=indicator_id, score=value))
    db.session.flush()
    if actor is not None:
        record(
            "followup.assessment",
            actor=actor,
            obj=assessment,
            summary=f"{unit.name} {year}: {total}",
        )
    return assessment


def record_district_result(
    root: Unit, framework: Framework, *, year: int, score: object, notes: str = ""
) -> DistrictResult:
    """Record (or correct) the pemda's official result for a year."""
    if not framework.covers(year):
        raise DomainError(
            _(
                "Kerangka %(code)s tidak berlaku untuk tahun %(year)s.",
                code=framework.code,
                year=year,
            ),
            field="year",
        )
    value = to_score(score)
    row = db.session.scalar(
        select(DistrictResult).where(
            DistrictResult.root_unit_id == root.id, DistrictResult.year == year
        )
    )
    if row is None:
        row = DistrictResult(root_unit_id=root.id, year=year)
        db.session.add(row)
    row.framework, row.score, row.notes = framework, value, notes
    db.session.flush()
    return row
