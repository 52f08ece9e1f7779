"""Scores and bands: exact two-place scores, the band of a score, bands that tile 0-100."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import get_locale
from flask_babel import gettext as _

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...common.wib import format_number
from ...extensions import db
from ..models import (
    Framework,
    ScoreBand,
)

STEP = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def score_text(value: Decimal, digits: int | None = 2) -> str:
    """A score in a message, written the way the reader's language writes it (``87,99``)."""
    return format_number(value, str(get_locale() or "id"), digits)


def to_score(value: object, *, field_name: str = "score", upper: Decimal = HUNDRED) -> Decimal:
    """A score as an exact Decimal with two places (``87.99``), within 0..upper."""
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise DomainError(_("Nilai harus berupa angka, mis. 82,70."), field=field_name)
    number = number.quantize(STEP, rounding=ROUND_HALF_UP)
    if number < ZERO or number > upper:
        raise DomainError(
            _("Nilai harus antara 0 dan %(upper)s.", upper=score_text(upper, None)),
            field=field_name,
        )
    return number


def band_for(framework: Framework, score: Decimal | None) -> ScoreBand | None:
    """The band whose closed range [min, max] holds the score (scores have two places)."""
    if score is None:
        return None
    score = Decimal(score).quantize(STEP, rounding=ROUND_HALF_UP)
    for band in framework.bands:
        if band.min_score <= score <= band.max_score:
            return band
    return None


@dataclass
class BandData:
    category: str
    min_score: object
    max_score: object
    zone: str
    opinion: str = ""
    colour: str = ""  # "#0b6b2f"; empty: drawn from the zone


def check_bands(rows: list[BandData]) -> list[tuple[str, Decimal, Decimal, str, str, str | None]]:
    """Bands must tile 0.00-100.00 exactly: no gap, no overlap (steps of 0.01)."""
    clean = []
    seen = set()
    for row in rows:
        category = (row.category or "").strip()
        if not category:
            raise DomainError(_("Setiap pita harus punya kategori."), field="bands")
        if category.upper() in seen:
            raise DomainError(
                _("Kategori %(category)s tercantum dua kali.", category=category), field="bands"
            )
        seen.add(category.upper())
        low = to_score(row.min_score, field_name="bands")
        high = to_score(row.max_score, field_name="bands")
        if low > high:
            raise DomainError(
                _(
                    "Pita %(category)s: batas bawah %(low)s lebih besar dari batas atas %(high)s.",
                    category=category,
                    low=score_text(low),
                    high=score_text(high),
                ),
                field="bands",
            )
        zone = (row.zone or "").strip()
        if not zone:
            raise DomainError(
                _("Pita %(category)s: zona wajib diisi.", category=category), field="bands"
            )
        colour = (row.colour or "").strip().lower()
        if colour and not re.fullmatch(r"#[0-9a-f]{6}", colour):
            raise DomainError(
                _(
                    "Pita %(category)s: warna %(colour)s bukan kode warna seperti #0b6b2f.",
                    category=category,
                    colour=colour,
                ),
                field="bands",
            )
        clean.append((category, low, high, zone, (row.opinion or "").strip(), colour or None))
    if not clean:
        return clean
    clean.sort(key=lambda b: b[1])
    if clean[0][1] != ZERO:
        raise DomainError(
            _(
                "Ada celah: nilai 0,00 sampai %(upto)s tidak masuk pita mana pun.",
                upto=score_text(clean[0][1] - STEP),
            ),
            field="bands",
        )
    for prev, nxt in zip(clean, clean[1:], strict=False):
        if nxt[1] <= prev[2]:
            raise DomainError(
                _(
                    "Pita %(a)s (%(a_min)s-%(a_max)s) dan %(b)s (%(b_min)s-%(b_max)s) "
                    "tumpang tindih.",
                    a=prev[0],
                    a_min=score_text(prev[1]),
                    a_max=score_text(prev[2]),
                    b=nxt[0],
                    b_min=score_text(nxt[1]),
                    b_max=score_text(nxt[2]),
                ),
                field="bands",
            )
        if nxt[1] != prev[2] + STEP:
            raise DomainError(
                _(
                    "Ada celah antara pita %(a)s (sampai %(a_max)s) dan %(b)s (mulai %(b_min)s).",
                    a=prev[0],
                    a_max=score_text(prev[2]),
                    b=nxt[0],
                    b_min=score_text(nxt[1]),
                ),
                field="bands",
            )
    if clean[-1][2] != HUNDRED:
        raise DomainError(
            _(
                "Ada celah: nilai di atas %(above)s sampai 100,00 tidak masuk pita mana pun.",
                above=score_text(clean[-1][2]),
            ),
            field="bands",
        )
    return clean


def save_bands(framework: Framework, rows: list[BandData], *, actor: User) -> Framework:
    clean = check_bands(rows)
    by_category = {b.category.upper(): b for b in framework.bands}
    keep = set()
    for category, low, high, zone, opinion, colour in clean:
        band = by_category.get(category.upper())
        if band is None:
            band = ScoreBand(category=category)
            framework.bands.append(band)
        band.category, band.min_score, band.max_score = category, low, high
        band.zone, band.opinion = zone, opinion
        if colour is not None:
            band.colour = colour
        keep.add(category.upper())
    for key, band in by_category.items():
        if key not in keep:
            framework.bands.remove(band)
    # Limits entered by an administrator are no longer the provisional copy of 2022-2024.
    framework.bands_provisional = False
    db.session.flush()
    record("followup.bands", actor=actor, obj=framework, summary=f"pita nilai {framework.code}")
    return framework


def district_average(scores: list[Decimal]) -> Decimal | None:
    """The pemda's score: the plain average of its assessed units, to two places."""
    if not scores:
        return None
    return (sum(scores, ZERO) / len(scores)).quantize(STEP, rounding=ROUND_HALF_UP)
