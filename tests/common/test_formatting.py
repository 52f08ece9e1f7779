"""Dates, times and decimals as people read them (Babel's locale data, WIB)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import render_template_string
from flask_babel import force_locale

from sosialisasi.common.wib import format_date, format_datetime, format_number, format_time

MOMENT = datetime(2025, 2, 14, 1, 0, tzinfo=UTC)  # 08.00 WIB


def test_dates_and_times_keep_the_indonesian_text():
    assert format_date(MOMENT) == "Jumat, 14 Februari 2025"
    assert format_date(date(2025, 2, 14), weekday=False) == "14 Februari 2025"
    assert format_time(MOMENT) == "08.00 WIB"
    assert format_time(MOMENT, zone=False) == "08.00"
    assert format_datetime(MOMENT) == "Jumat, 14 Februari 2025, 08.00 WIB"
    assert format_date(MOMENT, "en") == "Friday, 14 February 2025"
    assert format_date(datetime(2025, 2, 13, 18, 0, tzinfo=UTC)) == "Jumat, 14 Februari 2025"


def test_decimals_take_the_comma_in_indonesian_and_the_point_in_english():
    assert format_number(Decimal("82.7")) == "82,70"
    assert format_number(82.7, "en") == "82.70"
    assert format_number(Decimal("1234.5"), digits=1) == "1.234,5"
    assert format_number(3, digits=0) == "3"
    assert format_number(None) == ""
    assert format_number(Decimal("82.745")) == "82,75"  # half up, as by hand
    assert format_number(1234567.5, digits=None) == "1.234.567,5"


def test_the_angka_filter_follows_the_page_language(app):
    with app.test_request_context():
        page = "{{ score | angka }} · {{ weight | angka(1) }} · {{ when | tanggal }}"
        values = {"score": Decimal("82.7"), "weight": 12.25, "when": MOMENT}
        indonesian = render_template_string(page, **values)
        with force_locale("en"):
            english = render_template_string(page, **values)
    assert indonesian == "82,70 · 12,3 · Jumat, 14 Februari 2025"
    assert english == "82.70 · 12.3 · Friday, 14 February 2025"
