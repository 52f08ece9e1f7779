"""Time in Western Indonesia (WIB), and dates and numbers written the Indonesian way.

Stored times are UTC; people see WIB: "Jumat, 14 Februari 2025, 08.30 WIB". The words and
separators come from Babel's locale data (what Flask-Babel formats with), with the language passed
explicitly and the zone fixed to Asia/Jakarta (``BABEL_DEFAULT_TIMEZONE``), so that the same
functions serve pages, PDFs and the CLI, with or without a request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal as _babel_decimal

WIB = ZoneInfo("Asia/Jakarta")

DATE_PATTERN = "d MMMM y"  # 14 Februari 2025 / 14 February 2025
WEEKDAY_PATTERN = "EEEE, d MMMM y"  # Jumat, 14 Februari 2025
TIME_PATTERN = "HH.mm"  # 08.30: 24-hour clock with a dot, as Indonesian letters write it


def to_wib(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB)


def from_wib(day: date, at: time) -> datetime:
    """Combine a WIB calendar date and wall time into an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=WIB).astimezone(UTC)


def _lang(lang: object | None) -> str:
    return "en" if str(lang or "id").startswith("en") else "id"


def format_date(
    value: date | datetime | None, lang: str | None = "id", weekday: bool = True
) -> str:
    """``Jumat, 14 Februari 2025`` (or ``Friday, 14 February 2025``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_wib(value).date()
    return _babel_date(value, WEEKDAY_PATTERN if weekday else DATE_PATTERN, locale=_lang(lang))


def format_time(value: datetime | None, zone: bool = True) -> str:
    """``08.30 WIB`` in every language (the zone is named as the venue's signs name it)."""
    if value is None:
        return ""
    text = _babel_time(to_wib(value), TIME_PATTERN, tzinfo=WIB, locale="id")
    return f"{text} WIB" if zone else text


def format_datetime(value: datetime | None, lang: str | None = "id") -> str:
    if value is None:
        return ""
    return f"{format_date(value, lang)}, {format_time(value)}"


def format_range(start: datetime, end: datetime, lang: str | None = "id") -> str:
    """One line for an event's time: same day -> ``Jumat, 14 Februari 2025, 08.00-12.00 WIB``."""
    if to_wib(start).date() == to_wib(end).date():
        return f"{format_date(start, lang)}, {format_time(start, zone=False)}-{format_time(end)}"
    return f"{format_datetime(start, lang)} - {format_datetime(end, lang)}"


def format_number(
    value: int | float | Decimal | None, lang: str | None = "id", digits: int | None = 2
) -> str:
    """A decimal the way the language writes it: ``82,70`` and ``1.234,5`` in Indonesian,
    ``82.70`` in English. ``digits`` fixes the decimals shown (``None``: as many as needed)."""
    if value is None:
        return ""
    if digits is None:
        return _babel_decimal(value, locale=_lang(lang))
    # Half up, as people round by hand (Babel's default is half even: 12,25 -> 12,2).
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_decimal(number, format=pattern, locale=_lang(lang))
