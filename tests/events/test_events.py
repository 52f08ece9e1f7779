from datetime import UTC, datetime

from sosialisasi.auth.models import Role
from sosialisasi.events.models import Event, EventSession, EventStatus

FORM = {
    "title": "Sosialisasi Penilaian Kepatuhan Pelayanan Publik",
    "kind": "sosialisasi",
    "venue": "Hotel Primebiz Cikarang",
    "address": "Cikarang Selatan",
    "start_date": "2025-02-14",
    "start_time": "08:00",
    "end_date": "2025-02-14",
    "end_time": "12:00",
    "organizer_unit_id": 0,
    "default_quota": 2,
    "checkin_opens_minutes": 60,
    "late_tolerance_minutes": 15,
    "attendance_rule": "all_mandatory",
    "confirm_past": "y",  # 14 Februari 2025 is in the past: the form asks to confirm it
}


def test_organizer_creates_event_with_default_session(client, login_as, db):
    login_as(Role.ORGANIZER)
    response = client.post("/acara/baru", data=FORM)
    assert response.status_code == 302
    event = db.session.query(Event).one()
    assert event.status is EventStatus.DRAFT
    assert event.starts_at == datetime(2025, 2, 14, 1, 0, tzinfo=UTC)  # 08.00 WIB
    assert len(event.sessions) == 1 and event.sessions[0].ends_at == event.ends_at
    page = client.get(response.headers["Location"])
    assert "Jumat, 14 Februari 2025, 08.00-12.00 WIB" in page.text


def test_end_before_start_is_refused_and_input_kept(client, login_as, db):
    login_as(Role.ORGANIZER)
    page = client.post("/acara/baru", data=FORM | {"end_time": "07:00"})
    assert page.status_code == 200
    assert "Waktu selesai harus setelah waktu mulai." in page.text
    assert 'value="Hotel Primebiz Cikarang"' in page.text
    assert db.session.query(Event).count() == 0


def test_missing_fields_are_named_in_indonesian(client, login_as):
    login_as(Role.ORGANIZER)
    page = client.post("/acara/baru", data=FORM | {"title": "", "start_date": "kemarin"})
    assert "Wajib diisi." in page.text
    assert "Tanggal tidak valid." in page.text


def test_session_outside_event_is_refused(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(starts_at=datetime(2025, 2, 14, 1, 0, tzinfo=UTC), hours=4)
    page = client.post(
        f"/acara/{event.id}/sesi/baru",
        data={
            "title": "Sesi malam",
            "date": "2025-02-14",
            "start_time": "19:00",
            "end_time": "20:00",
            "speaker_id": 0,
        },
    )
    assert "Sesi harus berada di dalam waktu acara" in page.text
    assert db.session.query(EventSession).count() == 1


def test_agenda_with_speaker_shows_on_detail(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(starts_at=datetime(2025, 2, 14, 1, 0, tzinfo=UTC), hours=4)
    client.post(
        f"/acara/{event.id}/narasumber",
        data={"name": "Tim Ombudsman", "institution": "Perwakilan Ombudsman RI Jakarta Raya"},
    )
    speaker = event.speakers[0]
    client.post(
        f"/acara/{event.id}/sesi/baru",
        data={
            "title": "Paparan penilaian kepatuhan",
            "date": "2025-02-14",
            "start_time": "09:00",
            "end_time": "11:00",
            "speaker_id": speaker.id,
            "mandatory": "y",
        },
    )
    page = client.get(f"/acara/{event.id}")
    assert "Paparan penilaian kepatuhan" in page.text
    assert "Perwakilan Ombudsman RI Jakarta Raya" in page.text
    assert "09.00-11.00 WIB" in page.text


def test_last_session_cannot_be_deleted(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event()
    page = client.post(
        f"/acara/{event.id}/sesi/{event.sessions[0].id}/hapus", follow_redirects=True
    )
    assert "minimal satu sesi" in page.text
    assert db.session.query(EventSession).count() == 1


def test_status_follows_allowed_transitions(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(status=EventStatus.DRAFT)
    bad = client.post(
        f"/acara/{event.id}/status", data={"status": "finished"}, follow_redirects=True
    )
    assert "tidak dapat diubah" in bad.text
    no_reason = client.post(
        f"/acara/{event.id}/status", data={"status": "cancelled"}, follow_redirects=True
    )
    assert "alasan pembatalan" in no_reason.text
    asks = client.post(
        f"/acara/{event.id}/status",
        data={"status": "cancelled", "reason": "Bentrok dengan rapat pimpinan"},
    )
    assert "Acara dibatalkan: 0 unit undangan" in asks.text  # cancelling asks first
    db.session.refresh(event)
    assert event.status is EventStatus.DRAFT
    client.post(
        f"/acara/{event.id}/status",
        data={"status": "cancelled", "reason": "Bentrok dengan rapat pimpinan", "confirm": "y"},
    )
    db.session.refresh(event)
    assert event.status is EventStatus.CANCELLED
    assert "Bentrok dengan rapat pimpinan" in client.get(f"/acara/{event.id}").text


def test_clone_shifts_agenda_and_keeps_invitations(client, login_as, make_event, make_unit, db):
    login_as(Role.ORGANIZER)
    unit = make_unit()
    event = make_event(starts_at=datetime(2025, 2, 14, 1, 0, tzinfo=UTC), invite=[unit])
    response = client.post(
        f"/acara/{event.id}/salin", data={"start_date": "2025-03-03", "start_time": "09:00"}
    )
    copy = db.session.get(Event, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy.status is EventStatus.DRAFT and copy.cloned_from_id == event.id
    assert copy.starts_at == datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
    assert copy.sessions[0].starts_at == copy.starts_at
    assert [i.unit_id for i in copy.invitations] == [unit.id]


def test_ics_export_lists_each_session(client, login_as, make_event):
    login_as(Role.ORGANIZER)
    event = make_event(title="Bimtek Standar Pelayanan, Hari 1")
    response = client.get(f"/acara/{event.id}/kalender.ics")
    assert response.mimetype == "text/calendar"
    body = response.text
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Bimtek Standar Pelayanan\\, Hari 1" in body
    assert f"DTSTART:{event.starts_at:%Y%m%dT%H%M%SZ}" in body


def test_unit_operator_sees_only_events_their_unit_is_invited_to(
    client, login_as, make_event, make_unit
):
    unit = make_unit("Dinas Kesehatan")
    other = make_unit("Dinas Sosial")
    mine = make_event("Acara untuk Dinkes", invite=[unit])
    theirs = make_event("Acara untuk Dinsos", invite=[other])
    login_as(Role.UNIT_OPERATOR, unit=unit)
    listing = client.get("/acara/?waktu=all")
    assert "Acara untuk Dinkes" in listing.text and "Acara untuk Dinsos" not in listing.text
    assert client.get(f"/acara/{mine.id}").status_code == 200
    assert client.get(f"/acara/{theirs.id}").status_code == 404
    home = client.get("/beranda")
    assert "Undangan untuk Dinas Kesehatan" in home.text and "0/2 terdaftar" in home.text


def test_checkin_staff_sees_only_assigned_events(client, login_as, make_event, make_user, db):
    staff = make_user(Role.CHECKIN_STAFF)
    assigned = make_event("Acara dijaga")
    other = make_event("Acara lain")
    assigned.staff = [staff]
    db.session.commit()
    login_as(staff)
    assert client.get(f"/acara/{assigned.id}").status_code == 200
    assert client.get(f"/acara/{other.id}").status_code == 404
