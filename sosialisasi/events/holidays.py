"""Libur nasional and cuti bersama, kept as data (``holidays.json``, one list per year).

Used to warn an organizer who schedules an event on such a day (``holiday_warnings``) and by the
demo to keep its dates on working days. A year missing from the file gives no warning.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from ..common.wib import format_date, to_wib

DATA = Path(__file__).with_name("holidays.json")


@cache
def _table() -> dict[date, tuple[str, str]]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        date.fromisoformat(day): (kind, name)
        for year, rows in raw.items()
        if not year.startswith("_")
        for day, kind, name in rows
    }


def holiday_on(day: date) -> tuple[str, str] | None:
    """``("libur" | "cuti", name)`` when ``day`` is a libur nasional or cuti bersama."""
    return _table().get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_on(day) is None


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def holiday_warnings(starts_at: datetime, ends_at: datetime) -> list[str]:
    """One message per libur nasional / cuti bersama the event's days fall on."""
    first, last = to_wib(starts_at).date(), to_wib(ends_at).date()
    out: list[str] = []
    day = first
    while day <= last and len(out) < 10:
        found = holiday_on(day)
        if found is not None:
            kind, name = found
            out.append(
                _(
                    "%(day)s adalah %(kind)s (%(name)s): periksa kembali tanggal acara.",
                    day=format_date(day),
                    kind=_("hari libur nasional") if kind == "libur" else _("cuti bersama"),
                    name=name,
                )
            )
        day += timedelta(days=1)
    return out
