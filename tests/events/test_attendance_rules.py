"""Attendance rules a door can satisfy (issue 16, item 1)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sosialisasi.attendance.queries import eligible_registration_ids
from sosialisasi.attendance.rules import describe, rule_change, warnings
from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.checkin.services import check_in
from sosialisasi.events.models import AttendanceRule, Event, EventSession
from sosialisasi.events.services import current_session

START = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # Kamis 3 Desember 2026, 13.00 WIB


def _agenda(make_event, db, **kw):
    """Registrasi 13.00 (not wajib), Pembukaan 13.30, Paparan 14.00, Diskusi 15.00 (wajib)."""
    event = make_event(starts_at=START, hours=3, **kw)
    first = event.sessions[0]
    first.title, first.ends_at, first.mandatory = "Registrasi", START + timedelta(minutes=30), False
    for title, start, end in (
        ("Pembukaan", 30, 60),
        ("Paparan", 60, 120),
        ("Diskusi", 120, 180),
    ):
        event.sessions.append(
            EventSession(
                title=title,
                starts_at=START + timedelta(minutes=start),
                ends_at=START + timedelta(minutes=end),
                mandatory=True,
            )
        )
    db.session.commit()
    return event


def test_new_event_counts_one_scan_for_the_whole_event(client, login_as, db):
    from tests.events.test_events import FORM

    login_as(Role.ORGANIZER)
    form = {k: v for k, v in FORM.items() if k != "attendance_rule"}
    page = client.get("/acara/baru")
    assert re.search(
        r'<option selected value="any_session"|value="any_session" selected', page.text
    )
    client.post("/acara/baru", data=form | {"attendance_rule": "any_session"})
    event = db.session.query(Event).one()
    assert event.attendance_rule is AttendanceRule.ANY_SESSION
    assert Event(title="x").attendance_rule in (None, AttendanceRule.ANY_SESSION)


def test_one_scan_at_the_door_is_eligible_under_the_default_rule(
    make_event, make_registration, make_user, db
):
    event = _agenda(make_event, db, attendance_rule=AttendanceRule.ANY_SESSION)
    staff = make_user(Role.CHECKIN_STAFF)
    reg = make_registration(event)
    outcome = check_in(
        event,
        reg.ticket_code,
        operator=staff,
        method=CheckInMethod.QR,
        now=START + timedelta(minutes=5),
    )
    db.session.commit()
    assert outcome.ticket is not None
    assert eligible_registration_ids(event) == {reg.id}
    assert "satu kali di pintu" in describe(event)


def test_scan_goes_to_the_session_running_now_not_the_earliest_open(make_event, db):
    event = _agenda(make_event, db, attendance_rule=AttendanceRule.ALL_MANDATORY)
    # 13.40: Registrasi's check-in window is still open, but Pembukaan is running.
    assert current_session(event, START + timedelta(minutes=40)).title == "Pembukaan"
    # 13.05: Registrasi is running.
    assert current_session(event, START + timedelta(minutes=5)).title == "Registrasi"
    # 12.30: nothing runs yet; the next one about to start.
    assert current_session(event, START - timedelta(minutes=30)).title == "Registrasi"
    # 15.10: Diskusi.
    assert current_session(event, START + timedelta(minutes=130)).title == "Diskusi"


def test_per_day_rule_needs_a_scan_on_each_day(make_event, make_registration, db):
    event = make_event(starts_at=START, hours=30, attendance_rule=AttendanceRule.PER_DAY)
    day1 = event.sessions[0]
    day1.ends_at = START + timedelta(hours=4)
    day2 = EventSession(
        title="Hari 2", starts_at=START + timedelta(hours=24), ends_at=START + timedelta(hours=28)
    )
    event.sessions.append(day2)
    db.session.commit()
    both, one = make_registration(event), make_registration(event)
    for reg, session in ((both, day1), (both, day2), (one, day1)):
        db.session.add(
            CheckIn(
                registration_id=reg.id,
                session_id=session.id,
                at=session.starts_at,
                method=CheckInMethod.QR,
            )
        )
    db.session.commit()
    assert eligible_registration_ids(event) == {both.id}
    assert "(2 hari)" in describe(event)


def test_per_session_rule_with_one_scan_point_warns(make_event, make_user, db):
    event = _agenda(make_event, db, attendance_rule=AttendanceRule.ALL_MANDATORY)
    assert any("hanya ada satu titik pindai" in w for w in warnings(event))
    event.attendance_rule = AttendanceRule.ANY_SESSION
    assert warnings(event) == []


def test_changing_the_rule_says_who_gains_or_loses(
    client, login_as, make_event, make_registration, db
):
    from tests.events.test_events import FORM

    event = _agenda(make_event, db, attendance_rule=AttendanceRule.ALL_MANDATORY)
    door_only, every = make_registration(event), make_registration(event)
    db.session.add(
        CheckIn(
            registration_id=door_only.id,
            session_id=event.sessions[0].id,
            at=START,
            method=CheckInMethod.QR,
        )
    )
    for s in event.sessions[1:]:
        db.session.add(
            CheckIn(
                registration_id=every.id, session_id=s.id, at=s.starts_at, method=CheckInMethod.QR
            )
        )
    db.session.commit()
    assert (
        rule_change(event, AttendanceRule.ANY_SESSION).gained,
        rule_change(event, AttendanceRule.ANY_SESSION).lost,
    ) == (1, 0)
    assert rule_change(event, AttendanceRule.ALL_SESSIONS).lost == 1

    login_as(Role.ORGANIZER)
    form = FORM | {
        "start_date": "2026-12-03",
        "start_time": "13:00",
        "end_date": "2026-12-03",
        "end_time": "16:00",
        "attendance_rule": "any_session",
    }
    page = client.post(f"/acara/{event.id}/ubah", data=form, follow_redirects=True)
    assert "1 orang kini memenuhi syarat sertifikat, 0 orang tidak lagi" in page.text
    assert "dipindai satu kali di pintu" in page.text


def test_a_long_registration_item_does_not_take_the_scans_of_the_running_session(make_event, db):
    event = _agenda(make_event, db, attendance_rule=AttendanceRule.ALL_MANDATORY)
    event.sessions[0].ends_at = START + timedelta(hours=3)  # "Registrasi" open all afternoon
    db.session.commit()
    assert current_session(event, START + timedelta(minutes=40)).title == "Pembukaan"
    assert current_session(event, START + timedelta(minutes=10)).title == "Registrasi"
