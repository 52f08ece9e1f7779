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


def test_the_lists_match_the_skb_counts_and_cite_their_source():
    """Checked against the published SKB lists (issue 15): 2025 has 17 libur nasional and 10 cuti
    bersama plus the cuti bersama of 18 August added by the August 2025 amendment; 2026 has 17
    and 8. Each year names its SKB."""
    import json
    from collections import Counter

    from sosialisasi.events.holidays import DATA

    raw = json.loads(DATA.read_text(encoding="utf-8"))
    counts = {year: Counter(kind for _day, kind, _name in raw[year]) for year in ("2025", "2026")}
    assert counts["2025"] == {"libur": 17, "cuti": 11}
    assert counts["2026"] == {"libur": 17, "cuti": 8}
    assert (
        "1017 Tahun 2024" in raw["_sources"]["2025"]
        and "14 Oktober 2024" in raw["_sources"]["2025"]
    )
    assert "933 Tahun 2025" in raw["_sources"]["2025"]  # the amendment adding 18 August
    assert "1497 Tahun 2025" in raw["_sources"]["2026"]
    assert holiday_on(date(2025, 8, 18))[0] == "cuti"
    assert holiday_on(date(2026, 3, 20)) == ("cuti", "Cuti bersama Idul Fitri")
    assert holiday_on(date(2026, 12, 24))[0] == "cuti" and holiday_on(date(2026, 12, 26)) is None
    for year in ("2025", "2026"):
        days = [day for day, _kind, _name in raw[year]]
        assert days == sorted(set(days)) and all(day.startswith(year) for day in days)
