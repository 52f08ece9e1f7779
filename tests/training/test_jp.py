"""JP: 1 JP = 45 minutes, rounded down to a half JP, from the sessions that count; editable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sosialisasi.common.errors import DomainError
from sosialisasi.events.models import EventKind
from sosialisasi.training import jp


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "0"),
        (22, "0"),
        (44, "0.5"),
        (45, "1"),
        (67, "1"),
        (68, "1.5"),
        (90, "2"),
        (420, "9"),
        (720, "16"),
    ],
)
def test_minutes_round_down_to_half_a_jp(minutes, expected):
    assert jp.round_down_half(minutes) == Decimal(expected)


def test_kind_decides_the_defaults(db, make_bimtek):
    bimtek = make_bimtek()
    rakor = make_bimtek("Rapat Koordinasi", kind=EventKind.RAKOR)
    sosialisasi = make_bimtek("Sosialisasi SP4N-LAPOR", kind=EventKind.SOSIALISASI)
    b, r, s = jp.settings_for(bimtek), jp.settings_for(rakor), jp.settings_for(sosialisasi)
    assert (b.tests_enabled, b.surveys_enabled, b.jp_credited) == (True, True, True)
    assert (r.tests_enabled, r.surveys_enabled, r.jp_credited) == (False, False, False)
    assert (s.tests_enabled, s.surveys_enabled, s.jp_credited) == (False, True, False)
    assert jp.jp_of(bimtek) == Decimal(9)  # 240 + 180 minutes = 9,33 -> 9
    assert jp.credited_jp(rakor) == 0
    assert jp.certificate_jp_line(bimtek) == "selama 9 JP (jam pelajaran @ 45 menit)"
    assert jp.certificate_jp_line(sosialisasi) is None


def _data(**kw):
    base = {
        "tests_enabled": True,
        "surveys_enabled": True,
        "jp_credited": True,
        "jp_override": None,
        "excluded_session_ids": [],
        "pass_threshold": 70,
        "tests_required_for_certificate": False,
    }
    base.update(kw)
    return jp.SettingsData(**base)


def test_sessions_left_out_and_the_organizers_figure(db, make_bimtek):
    event = make_bimtek()
    afternoon = event.sessions[1]
    jp.save_settings(event, _data(excluded_session_ids=[afternoon.id]))
    db.session.commit()
    assert jp.jp_of(event) == Decimal("5")  # 240 minutes = 5,33 -> 5
    jp.save_settings(event, _data(jp_override=Decimal("2.5")))
    db.session.commit()
    assert jp.jp_of(event) == Decimal("2.5")
    assert jp.certificate_jp_line(event) == "selama 2,5 JP (jam pelajaran @ 45 menit)"


def test_bad_jp_is_refused_and_nothing_saved(db, make_bimtek):
    event = make_bimtek()
    with pytest.raises(DomainError, match="setengah JP"):
        jp.save_settings(event, _data(jp_override=Decimal("2.3")))
    db.session.rollback()
    assert jp.settings_for(event).id is None  # still the defaults, no row


def test_the_sql_rule_for_credited_jp_agrees_with_the_settings(db, make_bimtek):
    """The year lists read only the events whose settings credit JP: saved settings decide,
    else the kind's default; the SQL and ``settings_for`` say the same of every event."""
    from sqlalchemy import select

    from sosialisasi.events.models import Event

    default_bimtek = make_bimtek("Bimtek SKM")
    default_sosialisasi = make_bimtek("Sosialisasi SP4N-LAPOR", kind=EventKind.SOSIALISASI)
    bimtek_turned_off = make_bimtek("Bimtek tanpa JP")
    jp.save_settings(bimtek_turned_off, _data(jp_credited=False))
    rakor_turned_on = make_bimtek("Rakor dengan JP", kind=EventKind.RAKOR)
    jp.save_settings(rakor_turned_on, _data(jp_credited=True))
    db.session.commit()
    events = [default_bimtek, default_sosialisasi, bimtek_turned_off, rakor_turned_on]

    in_sql = set(db.session.scalars(select(Event.id).where(jp.credits_jp_clause())))
    assert in_sql == {e.id for e in events if jp.settings_for(e).jp_credited}
    assert in_sql == {default_bimtek.id, rakor_turned_on.id}
