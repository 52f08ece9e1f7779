"""The attendance summary behind the live dashboard and the API."""

from __future__ import annotations

from datetime import timedelta

from sosialisasi.attendance.queries import attendance_summary, eligible_registration_ids
from sosialisasi.events.models import AttendanceRule
from sosialisasi.registration.models import RegistrationStatus


def _by_id(rows, key="id"):
    return {r[key]: r for r in rows}


def test_counts_per_session_and_unit_with_late_and_absent_units(
    two_session_event, make_unit, make_person, make_registration, check, db
):
    dinkes, camat, bappeda = (
        make_unit("Dinas Kesehatan"),
        make_unit("Kecamatan Cibitung"),
        make_unit("Bappeda"),
    )
    event = two_session_event(invite=[dinkes, camat, bappeda], quota=3, late_tolerance_minutes=15)
    s1, s2 = event.sessions
    a = make_registration(event, make_person("Ani", unit=dinkes))
    b = make_registration(event, make_person("Budi", unit=dinkes))
    c = make_registration(event, make_person("Citra", unit=camat))
    make_registration(event, make_person("Dodi", unit=camat), status=RegistrationStatus.CANCELLED)
    check(a, s1, minutes=-20)  # early
    check(b, s1, minutes=16)  # late: after 08.15
    check(c, s2, minutes=15)  # exactly at the tolerance: not late

    data = attendance_summary(event, s1)
    assert data["registered"] == 3
    first, second = data["sessions"]
    assert (first["present"], first["absent"], first["late"]) == (2, 1, 1)
    assert (second["present"], second["absent"], second["late"]) == (1, 2, 0)
    assert data["session"]["id"] == s1.id

    units = _by_id(data["units"])
    assert (
        units[dinkes.id]["quota"],
        units[dinkes.id]["registered"],
        units[dinkes.id]["present"],
    ) == (3, 2, 2)
    # In session 1 nobody of the kecamatan is present; Bappeda registered nobody.
    assert units[camat.id]["present"] == 0 and units[bappeda.id]["registered"] == 0
    absent = {u["name"] for u in data["units_without_attendance"]}
    assert absent == {"Kecamatan Cibitung", "Bappeda"}
    # Over the whole event, the kecamatan came (to session 2).
    whole = attendance_summary(event)
    assert {u["name"] for u in whole["units_without_attendance"]} == {"Bappeda"}


def test_attendance_rule_decides_who_is_eligible(two_session_event, make_registration, check, db):
    event = two_session_event(attendance_rule=AttendanceRule.ALL_MANDATORY)
    s1, s2 = event.sessions
    only_first, only_second, both = (make_registration(event) for _ in range(3))
    check(only_first, s1)
    check(only_second, s2)
    check(both, s1)
    check(both, s2)

    assert eligible_registration_ids(event) == {only_first.id, both.id}
    assert attendance_summary(event)["eligible"]["count"] == 2

    event.attendance_rule = AttendanceRule.ALL_SESSIONS
    db.session.commit()
    assert attendance_summary(event)["eligible"]["count"] == 1
    event.attendance_rule = AttendanceRule.ANY_SESSION
    db.session.commit()
    summary = attendance_summary(event)
    assert summary["eligible"]["count"] == 3
    assert summary["eligible"]["label"] == "Satu kali pindai untuk seluruh acara"


def test_unit_scope_shows_only_that_unit(
    two_session_event, make_unit, make_person, make_registration, check
):
    mine, other = make_unit("Dinas Mine"), make_unit("Dinas Other")
    event = two_session_event(invite=[mine, other])
    s1 = event.sessions[0]
    check(make_registration(event, make_person(unit=mine)), s1)
    check(make_registration(event, make_person(unit=other)), s1)
    make_registration(event, make_person(unit=other))

    data = attendance_summary(event, s1, unit=mine)
    assert [u["name"] for u in data["units"]] == ["Dinas Mine"]
    assert data["registered"] == 1 and data["sessions"][0]["present"] == 1


def test_query_count_does_not_grow_with_participants(
    two_session_event, make_unit, make_person, make_registration, check, count_queries, db
):
    units = [make_unit() for _ in range(3)]
    event = two_session_event(invite=units)
    s1, s2 = event.sessions

    def add(n):
        for i in range(n):
            reg = make_registration(event, make_person(unit=units[i % 3]))
            check(reg, s1, minutes=i)
            if i % 2:
                check(reg, s2)

    add(3)
    db.session.expire_all()
    with count_queries() as small:
        attendance_summary(event, s1)
    add(30)
    db.session.expire_all()
    with count_queries() as large:
        data = attendance_summary(event, s1)
    assert data["registered"] == 33
    assert len(large) == len(small) <= 8


def test_eligible_per_unit_agrees_with_the_rule_for_every_rule(
    two_session_event, make_unit, make_person, make_registration, check, db
):
    """The dashboard counts eligibility in SQL; ``meets_rule`` (through
    ``eligible_registration_ids``) is the rule itself: both say the same, unit by unit."""
    dinkes, camat = make_unit("Dinas Kesehatan"), make_unit("Kecamatan Cibitung")
    event = two_session_event(invite=[dinkes, camat], quota=5)
    s1, s2 = event.sessions
    s2.mandatory = False
    people = {}
    for name, unit, sessions in (
        ("Ani", dinkes, (s1,)),
        ("Budi", dinkes, (s2,)),
        ("Citra", dinkes, (s1, s2)),
        ("Dodi", camat, (s2,)),
        ("Eka", camat, ()),
    ):
        reg = make_registration(event, make_person(name, unit=unit))
        for s in sessions:
            check(reg, s)
        people[name] = reg
    db.session.commit()

    def agree():
        eligible = eligible_registration_ids(event)
        for chosen in (None, s1, s2):
            units = _by_id(attendance_summary(event, chosen)["units"])
            for unit in (dinkes, camat):
                expected = sum(
                    1 for r in people.values() if r.unit_id == unit.id and r.id in eligible
                )
                assert units[unit.id]["eligible"] == expected, (event.attendance_rule, unit.name)
        return len(eligible)

    for rule in AttendanceRule:
        event.attendance_rule = rule
        db.session.commit()
        agree()
    # Two days: the per-day rule asks for a scan on each day (Citra only).
    s2.starts_at += timedelta(days=1)
    s2.ends_at += timedelta(days=1)
    event.ends_at = s2.ends_at
    event.attendance_rule = AttendanceRule.PER_DAY
    db.session.commit()
    assert agree() == 1
    # the mandatory rule: session 1 only is mandatory, so Ani and Citra (Dinkes) meet it
    event.attendance_rule = AttendanceRule.ALL_MANDATORY
    db.session.commit()
    assert _by_id(attendance_summary(event)["units"])[dinkes.id]["eligible"] == 2
