"""The calendar file (.ics): what a calendar application reads back from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from sosialisasi.auth.models import Role
from sosialisasi.events.models import EventSession, EventStatus

DESCRIPTION = (
    "Sosialisasi standar pelayanan; hadirkan petugas loket, pengelola pengaduan, "
    "dan penanggung jawab website.\r\nBawa: laptop, surat tugas.\r\n\r\nCatatan \\ akhir"
)


def _ics(client, event, query: str = "") -> str:
    response = client.get(f"/acara/{event.id}/kalender.ics{query}")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return response.get_data(as_text=True)


def test_a_multi_line_description_reads_back_whole_without_stray_carriage_returns(
    client, login_as, make_event
):
    login_as(Role.ORGANIZER)
    event = make_event(title="Bimtek Standar Pelayanan, Hari 1", description=DESCRIPTION)
    body = _ics(client, event)
    lines = body.split("\r\n")
    assert lines[-1] == "" and all("\r" not in line and "\n" not in line for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)  # long lines are folded
    entry = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "Bimtek Standar Pelayanan, Hari 1"
    assert str(entry["DESCRIPTION"]) == DESCRIPTION.replace("\r\n", "\n")
    assert str(entry["LOCATION"]) == "Hotel Primebiz Cikarang"
    assert entry.decoded("DTSTART") == event.starts_at.replace(tzinfo=UTC)
    assert "SUMMARY:Bimtek Standar Pelayanan\\, Hari 1" in body


def test_each_session_is_an_entry_and_a_cancelled_event_says_so(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    start = datetime(2025, 2, 14, 1, 0, tzinfo=UTC)
    event = make_event(starts_at=start, hours=30, status=EventStatus.CANCELLED)
    event.sessions.append(
        EventSession(title="Hari kedua", starts_at=start + timedelta(days=1), ends_at=event.ends_at)
    )
    event.cancel_reason = "Banjir"
    db.session.commit()
    entries = Calendar.from_ical(_ics(client, event, "?per_sesi=1")).walk("VEVENT")
    assert [str(e["SUMMARY"]).split(": ")[-1] for e in entries] == ["Acara utama", "Hari kedua"]
    assert {str(e["STATUS"]) for e in entries} == {"CANCELLED"}
    assert len({str(e["UID"]) for e in entries}) == 2
    assert entries[1].decoded("DTSTART") == start + timedelta(days=1)


def test_by_default_one_entry_with_the_agenda_in_its_description(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    start = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    event = make_event(starts_at=start, hours=3, description="Bawa surat tugas.")
    event.sessions[0].title, event.sessions[0].ends_at = "Registrasi", start + timedelta(hours=1)
    event.sessions.append(
        EventSession(title="Paparan", starts_at=start + timedelta(hours=1), ends_at=event.ends_at)
    )
    db.session.commit()
    (entry,) = Calendar.from_ical(_ics(client, event)).walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTEND") == event.ends_at.replace(tzinfo=UTC)
    description = str(entry["DESCRIPTION"])
    assert description.startswith("Bawa surat tugas.\n\nSusunan acara:\n")
    assert "13.00-14.00 WIB Registrasi" in description and "Paparan" in description
