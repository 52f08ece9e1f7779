"""Official results over the years (unit and district) and a unit's events."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from ...checkin.queries import checked_in
from ...common.types import utcnow
from ...events.models import Event, EventStatus, Invitation
from ...extensions import db
from ...registration.models import Registration
from ...units.models import Unit
from ..models import (
    Assessment,
    DistrictResult,
    Framework,
)
from ..services.scores import band_for, district_average


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


def unit_events(unit: Unit, *, limit: int | None = None) -> list[dict]:
    """Events the unit was invited to, latest first (the latest ``limit``), with how many of
    its people checked in (two queries; the count reads those events' registrations only)."""
    stmt = (
        select(Invitation)
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.unit_id == unit.id, Event.status != EventStatus.DRAFT)
        .options(db.contains_eager(Invitation.event))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    invitations = db.session.scalars(stmt).all()
    present = dict(
        db.session.execute(
            select(Registration.event_id, func.count(func.distinct(Registration.id)))
            .where(
                Registration.event_id.in_([i.event_id for i in invitations]),
                Registration.unit_id == unit.id,
                checked_in(Registration.id),
            )
            .group_by(Registration.event_id)
        ).all()
    )
    now = utcnow()
    return [
        {
            "event": i.event,
            "present": present.get(i.event_id, 0),
            # Not yet held: neither present nor "tidak hadir".
            "upcoming": i.event.starts_at > now,
        }
        for i in invitations
    ]
