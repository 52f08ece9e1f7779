"""Dashboard, attendee list, downloads and the unit page, through the test client."""

from __future__ import annotations

import io

from pypdf import PdfReader

from sosialisasi.auth.models import Role


def _event_with_two_units(two_session_event, make_unit, make_person, make_registration, check):
    mine, other = make_unit("Dinas Komunikasi dan Informatika"), make_unit("Kecamatan Tambun Utara")
    event = two_session_event(invite=[mine, other], quota=2)
    s1 = event.sessions[0]
    ani = make_registration(event, make_person("Ani Mine", unit=mine))
    make_registration(event, make_person("Budi Other", unit=other))
    check(ani, s1, minutes=30)
    return event, mine, other


def test_organizer_dashboard_shows_counts_units_and_highlights_absent_unit(
    client, login_as, two_session_event, make_unit, make_person, make_registration, check
):
    event, mine, other = _event_with_two_units(
        two_session_event, make_unit, make_person, make_registration, check
    )
    login_as(Role.ORGANIZER)
    s1 = event.sessions[0]
    page = client.get(f"/acara/{event.id}/kehadiran?sesi={s1.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-field="present">1<' in html and 'data-field="late">1<' in html
    assert "Kecamatan Tambun Utara" in html and "Dinas Komunikasi dan Informatika" in html
    # The unit with nobody present is marked.
    marker = html.index(f'data-unit="{other.id}"')
    row = html[marker - 40 : marker]
    assert "table-danger" in row
    assert "chart.umd.min.js" in html and "js/attendance.js" in html
    assert "<script>" not in html  # CSP: no inline scripts

    data = client.get(f"/acara/{event.id}/kehadiran/data?sesi={s1.id}").get_json()
    assert data["present"] == 1 and data["absent"] == 1 and data["late"] == 1
    assert [u["name"] for u in data["units_without_attendance"]] == ["Kecamatan Tambun Utara"]


def test_unit_operator_sees_only_own_unit_and_not_other_events(
    client,
    login_as,
    two_session_event,
    make_unit,
    make_person,
    make_registration,
    check,
    make_event,
):
    event, mine, other = _event_with_two_units(
        two_session_event, make_unit, make_person, make_registration, check
    )
    login_as(Role.UNIT_OPERATOR, unit=mine)
    data = client.get(f"/acara/{event.id}/kehadiran/data?sesi=0").get_json()
    assert [u["name"] for u in data["units"]] == ["Dinas Komunikasi dan Informatika"]
    assert data["registered"] == 1
    people = client.get(f"/acara/{event.id}/kehadiran/peserta").get_data(as_text=True)
    assert "Ani Mine" in people and "Budi Other" not in people
    # Not invited to this one: 404, and the daftar hadir is for organizers and verifiers.
    elsewhere = make_event(invite=[other])
    assert client.get(f"/acara/{elsewhere.id}/kehadiran").status_code == 404
    assert client.get(f"/acara/{event.id}/daftar-hadir.pdf").status_code == 403


def test_checkin_staff_sees_dashboard_only_for_assigned_events(
    client, login_as, make_event, make_user, db
):
    staff = make_user(Role.CHECKIN_STAFF)
    assigned, other = make_event(), make_event()
    assigned.staff.append(staff)
    db.session.commit()
    login_as(staff)
    assert client.get(f"/acara/{assigned.id}/kehadiran").status_code == 200
    assert client.get(f"/acara/{other.id}/kehadiran").status_code == 404
    # Counts only: no browsable list of everyone for door staff.
    assert client.get(f"/acara/{assigned.id}/kehadiran/peserta").status_code == 403
    assert "/kehadiran/peserta" not in client.get(f"/acara/{assigned.id}/kehadiran").text


def test_people_list_filters_by_attendance_rule(
    client, login_as, two_session_event, make_person, make_registration, check
):
    event = two_session_event()
    s1, s2 = event.sessions
    check(make_registration(event, make_person("Hadir Wajib")), s1)
    check(make_registration(event, make_person("Hanya Diskusi")), s2)
    check(make_registration(event, make_person("Datang Telat")), s1, minutes=20)
    login_as(Role.VERIFIER)
    html = client.get(f"/acara/{event.id}/kehadiran/peserta?tampil=memenuhi").get_data(as_text=True)
    assert "Hadir Wajib" in html and "Hanya Diskusi" not in html
    assert "2 dari 3 peserta memenuhi syarat" in html
    assert "08.00<" in html and "08.20*" in html  # on time, and late (after 08.15)
    html = client.get(f"/acara/{event.id}/kehadiran/peserta?tampil=belum").get_data(as_text=True)
    assert "Hanya Diskusi" in html and "Hadir Wajib" not in html


def test_verifier_downloads_pdf_and_xlsx(
    client, login_as, two_session_event, make_unit, make_person, make_registration, check
):
    event, *_ = _event_with_two_units(
        two_session_event, make_unit, make_person, make_registration, check
    )
    login_as(Role.VERIFIER)
    pdf = client.get(f"/acara/{event.id}/daftar-hadir.pdf?kosong=1")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Ani Mine" in text and "Waktu Hadir" not in text
    xlsx = client.get(f"/acara/{event.id}/daftar-hadir.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    assert xlsx.data[:2] == b"PK"


def test_event_page_links_and_unit_page_lists_events_attended(
    client, login_as, two_session_event, make_unit, make_person, make_registration, check
):
    event, mine, _ = _event_with_two_units(
        two_session_event, make_unit, make_person, make_registration, check
    )
    login_as(Role.ORGANIZER)
    detail = client.get(f"/acara/{event.id}").get_data(as_text=True)
    assert f"/acara/{event.id}/kehadiran" in detail and "daftar-hadir.pdf?kosong=1" in detail
    html = client.get(f"/unit/{mine.id}").get_data(as_text=True)
    assert "Kehadiran di acara" in html and event.title in html
    overview = client.get("/kehadiran").get_data(as_text=True)
    assert event.title in overview and "1 hadir" in overview and "2 terdaftar" in overview


def test_dashboard_queries_do_not_grow_with_participants(
    client,
    login_as,
    two_session_event,
    make_unit,
    make_person,
    make_registration,
    check,
    count_queries,
    db,
):
    units = [make_unit() for _ in range(4)]
    event = two_session_event(invite=units)
    s1 = event.sessions[0]
    login_as(Role.ORGANIZER)

    def add(n):
        for i in range(n):
            check(make_registration(event, make_person(unit=units[i % 4])), s1, minutes=i)

    add(2)
    event_id = event.id
    client.get(f"/acara/{event_id}/kehadiran")
    with count_queries() as small:
        client.get(f"/acara/{event_id}/kehadiran")
        client.get(f"/acara/{event_id}/kehadiran/peserta")
    add(20)
    with count_queries() as large:
        client.get(f"/acara/{event_id}/kehadiran")
        client.get(f"/acara/{event_id}/kehadiran/peserta")
    short = [q[:60] for q in small]
    long = [q[:60] for q in large]
    assert len(large) == len(small), "\n".join(short) + "\n----\n" + "\n".join(long)


def test_unit_page_shows_ten_newest_events_with_a_pager_and_constant_queries(
    client, login_as, make_unit, make_event, make_person, make_registration, count_queries
):
    from datetime import UTC, datetime, timedelta

    unit = make_unit()
    person = make_person(unit=unit)
    base = datetime(2025, 1, 6, 2, tzinfo=UTC)

    def add(first, n):
        for i in range(first, first + n):
            event = make_event(f"Acara Unit Nomor {i:02d}", starts_at=base + timedelta(days=7 * i))
            make_registration(event, person)

    add(0, 3)
    login_as(Role.ORGANIZER)
    client.get(f"/unit/{unit.id}")
    with count_queries() as small:
        client.get(f"/unit/{unit.id}")
    add(3, 9)
    client.get(f"/unit/{unit.id}")
    with count_queries() as large:
        html = client.get(f"/unit/{unit.id}").get_data(as_text=True)
    assert len(large) == len(small), "\n".join(q[:70] for q in small + ["--"] + large)
    # Newest first, ten of the twelve, and the pager says so.
    assert "Acara Unit Nomor 11" in html and "Acara Unit Nomor 02" in html
    assert "Acara Unit Nomor 01" not in html and "Acara Unit Nomor 00" not in html
    assert "Menampilkan 1-10 dari 12" in html and "page=2" in html
    older = client.get(f"/unit/{unit.id}?page=2").get_data(as_text=True)
    assert "Acara Unit Nomor 01" in older and "Acara Unit Nomor 00" in older
    assert "Acara Unit Nomor 11" not in older and "Menampilkan 11-12 dari 12" in older
    assert client.get(f"/unit/{unit.id}?page=abc").status_code == 200
