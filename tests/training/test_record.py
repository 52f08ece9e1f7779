"""JP on the certificate, each person's learning record, the unit's yearly JP, the XLSX for the
BKPSDM, and the participant's own page."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from sosialisasi.auth.models import Role
from sosialisasi.events.models import EventKind, EventStatus
from sosialisasi.registration.models import EmployeeKind, Person
from sosialisasi.training import record
from tests.documents.conftest import pdf_text


def test_a_bimtek_certificate_states_its_jp(
    client, login_as, db, letterhead, ready_event, make_person, make_registration, check_in_all
):
    bimtek = ready_event(1, kind=EventKind.BIMTEK)  # one 4-hour session: 240 / 45 = 5,33 -> 5
    sosialisasi = ready_event(1)
    for event in (bimtek, sosialisasi):
        reg = make_registration(event, make_person(unit=event.invitations[0].unit))
        check_in_all(reg)
    login_as(Role.ORGANIZER)
    texts = {}
    for event in (bimtek, sosialisasi):
        client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
        response = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf")
        assert response.status_code == 200, response.text[:300]
        texts[event.kind] = pdf_text(response.data)
    assert "selama 5 JP (jam pelajaran @ 45 menit)" in texts[EventKind.BIMTEK]
    assert "JP" not in texts[EventKind.SOSIALISASI]  # a sosialisasi credits no JP by default


def _year_event(make_bimtek, title, year, month):
    day = datetime(year, month, 10, 1, 0, tzinfo=UTC)  # 08.00 WIB; 420 minutes -> 9 JP
    return make_bimtek(title, day=day, status=EventStatus.FINISHED)


def test_a_persons_record_across_two_years_with_jp_totals(
    db, make_bimtek, make_person, make_registration, check_in_all
):
    person = make_person("Rina Marlina, S.Kom.")
    e2025a = _year_event(make_bimtek, "Bimtek SIPP 2025", 2025, 3)
    e2025b = _year_event(make_bimtek, "Workshop Maklumat 2025", 2025, 9)
    e2026 = _year_event(make_bimtek, "Bimtek SKM 2026", 2026, 2)
    absent = _year_event(make_bimtek, "Bimtek yang tidak dihadiri", 2026, 4)
    for event in (e2025a, e2025b, e2026):
        check_in_all(make_registration(event, person))
    make_registration(absent, person)  # registered, never came: no JP
    rec = record.learning_record(person)
    assert [r.event.title for r in rec.rows] == [
        "Bimtek SIPP 2025",
        "Workshop Maklumat 2025",
        "Bimtek SKM 2026",
        "Bimtek yang tidak dihadiri",
    ]
    assert [float(r.jp) for r in rec.rows] == [9, 9, 9, 0]
    assert {y: float(v) for y, v in rec.jp_per_year.items()} == {2025: 18, 2026: 9}


def test_unit_report_lists_asn_below_20_jp(
    client, login_as, db, make_unit, make_bimtek, make_person, make_registration, check_in_all
):
    unit = make_unit("Dinas Komunikasi dan Informatika")
    other_unit = make_unit("Dinas Sosial")
    rina = make_person("Rina Marlina", unit=unit)
    budi = make_person("Budi Hartono", unit=unit)
    make_person("Sari Dewi", unit=unit, kind=EmployeeKind.PPPK)
    make_person("Honorer Satu", unit=unit, kind=EmployeeKind.NON_ASN, nip=None)
    make_person("Orang Dinsos", unit=other_unit)
    events = [_year_event(make_bimtek, f"Bimtek {m}", 2025, m) for m in (2, 5, 8)]
    for event in events:  # 3 x 9 = 27 JP
        check_in_all(make_registration(event, rina))
    check_in_all(make_registration(events[0], budi))  # 9 JP
    rows = record.unit_jp(unit, 2025)
    assert [(r.person.name, float(r.jp), r.below_minimum) for r in rows] == [
        ("Sari Dewi", 0, True),
        ("Budi Hartono", 9, True),
        ("Rina Marlina", 27, False),
    ]
    # the unit operator sees the same on the page, and only their own unit
    login_as(Role.UNIT_OPERATOR, unit=unit)
    page = client.get(f"/pelatihan/jp?tahun=2025&unit={other_unit.id}")
    assert page.status_code == 200
    assert "ASN dengan kurang dari 20 JP: 2 dari 3." in page.text
    assert "Orang Dinsos" not in page.text and "Honorer Satu" not in page.text
    xlsx = client.get("/pelatihan/jp.xlsx?tahun=2025")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "NIP",
        "Nama",
        "Kegiatan",
        "Jenis",
        "Tanggal mulai",
        "Tanggal selesai",
        "JP",
        "Nomor sertifikat",
        "Penyelenggara",
    )
    assert [(r[1], r[2], r[6]) for r in rows[1:]] == [
        ("Budi Hartono", "Bimtek 2", 9),
        ("Rina Marlina", "Bimtek 2", 9),
        ("Rina Marlina", "Bimtek 5", 9),
        ("Rina Marlina", "Bimtek 8", 9),
    ]
    assert rows[1][0] == budi.nip and rows[1][3] == "Bimbingan Teknis"


def test_own_page_shows_only_the_ticket_holders_record(
    client, db, make_bimtek, make_person, make_registration, check_in_all
):
    mine = make_person("Rina Marlina")
    theirs = make_person("Orang Lain Sekali")
    a = _year_event(make_bimtek, "Bimtek Milik Saya", 2025, 3)
    b = _year_event(make_bimtek, "Bimtek Orang Lain", 2025, 4)
    reg = make_registration(a, mine)
    check_in_all(reg)
    check_in_all(make_registration(b, theirs))
    page = client.get(f"/t/{reg.ticket_code}/saya")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Bimtek Milik Saya" in page.text and "Rina Marlina" in page.text
    assert "Bimtek Orang Lain" not in page.text and "Orang Lain Sekali" not in page.text
    assert client.get("/t/kode-karangan-sendiri/saya").status_code == 404


def test_certificates_wait_for_both_tests_when_the_event_requires_them(
    client, login_as, db, letterhead, ready_event, make_person, make_registration, check_in_all
):
    from sosialisasi.documents.models import Certificate
    from sosialisasi.training import jp

    event = ready_event(1, kind=EventKind.BIMTEK)
    reg = make_registration(event, make_person(unit=event.invitations[0].unit))
    check_in_all(reg)
    settings = jp.settings_for(event)
    settings.tests_required_for_certificate = True
    db.session.add(settings)
    db.session.commit()
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    assert db.session.query(Certificate).count() == 0  # present, but no pre-/post-test
    settings.tests_required_for_certificate = False
    db.session.commit()
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    assert db.session.query(Certificate).count() == 1


def _statements(db, action) -> int:
    from sqlalchemy import event as sa_event

    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", before)
    return len(seen)


def test_jp_report_and_export_ask_the_same_queries_for_2_or_6_events(
    db, make_unit, make_bimtek, make_person, make_registration, check_in_all
):
    """The BKPSDM export and the unit report of a district year (a hundred events) must not
    query once per event or person: the same number of statements for 2 and for 6 events."""
    unit = make_unit("Dinas Komunikasi dan Informatika")
    people = [make_person(f"Peserta {n}", unit=unit) for n in range(3)]

    def add_events(months):
        for m in months:
            event = _year_event(make_bimtek, f"Bimtek {m}", 2025, m)
            for person in people:
                check_in_all(make_registration(event, person))

    def measure():
        db.session.expire_all()
        export = _statements(db, lambda: record.jp_export_rows(year=2025))
        report = _statements(db, lambda: record.unit_jp(unit, 2025))
        own = _statements(db, lambda: record.learning_record(people[0]))
        return export, report, own

    add_events((2, 3))
    small = measure()
    assert len(record.jp_export_rows(year=2025)) == 6
    add_events((4, 5, 6, 7))
    assert measure() == small
    rows = record.jp_export_rows(year=2025)
    assert len(rows) == 18 and {r[6] for r in rows} == {9}
    assert [float(r.jp) for r in record.unit_jp(unit, 2025)] == [54, 54, 54]


def test_unit_report_of_a_large_unit_shows_pages_of_50_and_counts_everyone(
    client, login_as, db, make_unit, make_person, make_bimtek, make_registration, check_in_all
):
    """A district unit holds a thousand ASN: the page lists 50 at a time, fewest JP first, and
    the "below 20 JP" line still counts the whole unit (summed in SQL, not page by page)."""
    unit = make_unit("Dinas Pendidikan")
    for n in range(105):
        make_person(f"Guru {n:03d}", unit=unit)
    # Three bimtek of 9 JP each for the first guru: 27 JP, above the minimum, listed last.
    first_guru = db.session.query(Person).filter_by(name="Guru 000").one()
    for m in (2, 5, 8):
        check_in_all(
            make_registration(_year_event(make_bimtek, f"Bimtek {m}", 2025, m), first_guru)
        )
    login_as(Role.ORGANIZER)
    first = client.get(f"/pelatihan/jp?tahun=2025&unit={unit.id}").get_data(as_text=True)
    assert "ASN dengan kurang dari 20 JP: 104 dari 105." in first
    assert first.count("Guru ") == 50 and "Guru 001" in first and "Guru 000" not in first
    assert "Menampilkan 1-50 dari 105" in first
    last = client.get(f"/pelatihan/jp?tahun=2025&unit={unit.id}&page=3").get_data(as_text=True)
    assert last.count("Guru ") == 5 and "Guru 104" in last and "Guru 000" in last
    assert "Menampilkan 101-105 dari 105" in last and "ASN dengan kurang dari 20 JP: 104" in last
    assert "27" in last.split("Guru 000")[1].split("</tr>")[0]


def test_a_participant_held_back_by_the_tests_is_told_to_finish_both(
    client, db, letterhead, ready_event, make_person, make_registration, check_in_all
):
    """Issue 17: the refusal names the reason (pre-test and post-test), not the attendance rule."""
    from sosialisasi.training import jp

    event = ready_event(1, kind=EventKind.BIMTEK)
    present = make_registration(event, make_person(unit=event.invitations[0].unit))
    absent = make_registration(event, make_person(unit=event.invitations[0].unit))
    check_in_all(present)
    settings = jp.settings_for(event)
    settings.tests_required_for_certificate = True
    db.session.add(settings)
    db.session.commit()

    refused = client.get(f"/sertifikat/{present.ticket_code}.pdf")
    assert refused.status_code == 403
    assert "kedua tes, pre-test dan post-test" in refused.text
    ticket = client.get(f"/t/{present.ticket_code}").get_data(as_text=True)
    assert "kedua tes, pre-test dan post-test" in ticket
    assert "syarat kehadiran" not in ticket
    # Someone who did not attend is still told about attendance, not about the tests.
    other = client.get(f"/t/{absent.ticket_code}").get_data(as_text=True)
    assert "memenuhi syarat kehadiran" in other and "pre-test" not in other


def test_unit_report_credits_only_those_who_met_the_attendance_rule(
    db, make_unit, make_bimtek, make_person, make_registration, check_in_all
):
    """The totals summed in SQL follow the event's rule as the person's own record does: under
    "every session", a morning-only scan gets no JP; under "one scan", it gets the event's."""
    from sosialisasi.events.models import AttendanceRule

    unit = make_unit("Dinas Komunikasi dan Informatika")
    both, morning = make_person("Dua Sesi", unit=unit), make_person("Pagi Saja", unit=unit)
    strict = _year_event(make_bimtek, "Bimtek Ketat", 2025, 3)
    strict.attendance_rule = AttendanceRule.ALL_SESSIONS
    lenient = _year_event(make_bimtek, "Bimtek Longgar", 2025, 4)
    lenient.attendance_rule = AttendanceRule.ANY_SESSION
    db.session.commit()
    for event in (strict, lenient):
        check_in_all(make_registration(event, both))
        check_in_all(make_registration(event, morning), sessions=[event.sessions[0]])
    page = record.unit_jp(unit, 2025)
    totals = {r.person.name: (float(r.jp), r.events) for r in page}
    assert totals == {"Pagi Saja": (9, 1), "Dua Sesi": (18, 2)}
    assert page.total == 2 and page.below == 2
    assert float(record.learning_record(morning).jp_per_year[2025]) == 9
