"""A warning when an event falls on a libur nasional or cuti bersama (the list is data)."""

from __future__ import annotations

from datetime import date, time

from sosialisasi.common.wib import from_wib
from sosialisasi.events.holidays import holiday_on, holiday_warnings, next_working_day


def test_christmas_and_its_cuti_bersama_are_warned(app):
    with app.test_request_context():
        warnings = holiday_warnings(
            from_wib(date(2025, 12, 24), time(8, 0)), from_wib(date(2025, 12, 26), time(15, 0))
        )
    assert len(warnings) == 2
    assert "Hari Raya Natal" in warnings[0] and "hari libur nasional" in warnings[0]
    assert "cuti bersama" in warnings[1]


def test_an_ordinary_friday_is_no_holiday_and_the_demo_skips_holidays(app):
    with app.test_request_context():
        assert (
            holiday_warnings(
                from_wib(date(2025, 2, 14), time(8, 0)), from_wib(date(2025, 2, 14), time(12, 0))
            )
            == []
        )
    assert holiday_on(date(2025, 3, 31)) == ("libur", "Idul Fitri 1446 Hijriah")
    # 31 March to 7 April 2025: Idul Fitri, cuti bersama and a weekend.
    assert next_working_day(date(2025, 3, 31)) == date(2025, 4, 8)
