"""Frameworks, their dimensions and indicators; which framework applies to a year."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from ...common.errors import DomainError
from ...extensions import db
from ...units.models import UnitKind
from ..models import (
    Dimension,
    Framework,
    FrameworkKind,
    Indicator,
)
from .scores import HUNDRED, ZERO, to_score


def save_framework(
    framework: Framework | None,
    *,
    code: str,
    name: str,
    kind: FrameworkKind,
    year_from: int,
    year_to: int | None,
    description: str = "",
    active: bool = True,
    method: str | None = None,
    legal_basis: str | None = None,
    opinion_rule: bool | None = None,
) -> Framework:
    """Create or change a framework; ``None`` for method, legal basis or the Opini rule keeps
    what is stored (an old workbook without those columns does not erase them)."""
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Kode wajib diisi."), field="code")
    clash = db.session.scalar(select(Framework).where(Framework.code == code))
    if clash is not None and clash is not framework:
        raise DomainError(_("Kode %(code)s sudah dipakai kerangka lain.", code=code), field="code")
    if year_to is not None and year_to < year_from:
        raise DomainError(_("Tahun akhir tidak boleh sebelum tahun awal."), field="year_to")
    if framework is None:
        framework = Framework()
        db.session.add(framework)
    framework.code, framework.name, framework.kind = code, name.strip(), kind
    framework.year_from, framework.year_to = year_from, year_to
    framework.description, framework.active = description.strip(), active
    if method is not None:
        framework.method = method.strip()[:200]
    if legal_basis is not None:
        framework.legal_basis = legal_basis.strip()[:300]
    if opinion_rule is not None:
        framework.opinion_rule = opinion_rule
    db.session.flush()
    return framework


def save_dimension(
    framework: Framework,
    dimension: Dimension | None,
    *,
    code: str,
    name: str,
    weight: object,
    position: int = 0,
) -> Dimension:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Kode dimensi wajib diisi."), field="code")
    weight_value = to_score(weight, field_name="weight")
    for other in framework.dimensions:
        if other is not dimension and other.code == code:
            raise DomainError(_("Dimensi %(code)s sudah ada.", code=code), field="code")
    others = sum((d.weight for d in framework.dimensions if d is not dimension), ZERO)
    if others + weight_value > HUNDRED:
        raise DomainError(
            _(
                "Jumlah bobot menjadi %(total)s, lebih dari 100.",
                total=str(others + weight_value),
            ),
            field="weight",
        )
    if dimension is None:
        dimension = Dimension()
        framework.dimensions.append(dimension)
    dimension.code, dimension.name, dimension.weight = code, name.strip(), weight_value
    dimension.position = position
    db.session.flush()
    return dimension


def save_indicator(
    framework: Framework,
    indicator: Indicator | None,
    *,
    dimension: Dimension,
    code: str,
    name: str,
    evidence_hint: str = "",
    unit_kinds: Sequence[str] = (),
    position: int = 0,
    active: bool = True,
    service_only: bool | None = None,
    per_product: bool | None = None,
) -> Indicator:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Kode indikator wajib diisi."), field="code")
    if dimension.framework_id != framework.id:
        raise DomainError(_("Dimensi bukan bagian kerangka ini."), field="dimension_id")
    clash = db.session.scalar(
        select(Indicator).where(Indicator.framework_id == framework.id, Indicator.code == code)
    )
    if clash is not None and clash is not indicator:
        raise DomainError(_("Indikator %(code)s sudah ada.", code=code), field="code")
    valid_kinds = {k.value for k in UnitKind}
    bad = [k for k in unit_kinds if k not in valid_kinds]
    if bad:
        raise DomainError(
            _("Jenis unit tidak dikenal: %(kinds)s.", kinds=", ".join(bad)), field="unit_kinds"
        )
    if indicator is None:
        indicator = Indicator(framework=framework)
        db.session.add(indicator)
    indicator.dimension = dimension
    indicator.code, indicator.name = code, name.strip()
    indicator.evidence_hint = (evidence_hint or "").strip()
    indicator.unit_kinds = sorted(set(unit_kinds))
    indicator.position, indicator.active = position, active
    if service_only is not None:
        indicator.service_only = service_only
    if per_product is not None:
        indicator.per_product = per_product
    db.session.flush()
    return indicator


def current_framework(kind: FrameworkKind = FrameworkKind.ASSESSMENT) -> Framework | None:
    """The active framework of this kind that starts latest."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.kind == kind, Framework.active)
        .order_by(Framework.year_from.desc(), Framework.id.desc())
        .limit(1)
    )


def framework_for_year(year: int) -> Framework | None:
    candidates = db.session.scalars(
        select(Framework)
        .where(Framework.kind == FrameworkKind.ASSESSMENT, Framework.year_from <= year)
        .order_by(Framework.year_from.desc())
    ).all()
    return next((f for f in candidates if f.covers(year)), None)
