"""Time in Western Indonesia (WIB) and dates written the Indonesian way.

Stored times are UTC; people see WIB: "Jumat, 14 Februari 2025, 08.30 WIB".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")

DAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "id": [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip


def to_wib(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB)


def from_wib(day: date, at: time) -> datetime:
    """Combine a WIB calendar date and wall time into an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=WIB).astimezone(UTC)


def _lang(lang: str | None) -> str:
    return "en" if (lang or "id").startswith("en") else "id"


def format_date(
    value: date | datetime | None, lang: str | None = "id", weekday: bool = True
) -> str:
    """``Jumat, 14 Februari 2025`` (or ``Friday, 14 February 2025``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_wib(value).date()
    lang = _lang(lang)
    text = f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"
    if weekday:
        text = f"{DAYS[lang][value.weekday()]}, {text}"
    return text


def format_time(value: datetime | None, zone: bool = True) -> str:
    """``08.30 WIB``: 24-hour clock with a dot, as Indonesian letters write it."""
    if value is None:
        return ""
    local = to_wib(value)
    text = f"{local:%H.%M}"
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
