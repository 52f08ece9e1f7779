"""Speakers of an event: added, edited and removed only through their own event's pages."""

from __future__ import annotations

from datetime import UTC, datetime

from sosialisasi.auth.models import Role
from sosialisasi.events.models import Speaker

START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)  # 08.00 WIB


def _add(client, event, name):
    return client.post(f"/acara/{event.id}/narasumber", data={"name": name, "institution": ""})


def test_a_speaker_of_another_event_is_not_found_and_stays_unchanged(
    client, login_as, make_event, db
):
    login_as(Role.ORGANIZER)
    mine, other = make_event(starts_at=START), make_event(starts_at=START)
    _add(client, other, "Dr. Ahmad")
    speaker = db.session.scalars(db.select(Speaker).where(Speaker.event_id == other.id)).one()

    edited = client.post(
        f"/acara/{mine.id}/narasumber/{speaker.id}",
        data={f"sp{speaker.id}-name": "Diubah lewat acara lain"},
    )
    removed = client.post(f"/acara/{mine.id}/narasumber/{speaker.id}/hapus")

    assert (edited.status_code, removed.status_code) == (404, 404)
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.id).name == "Dr. Ahmad"


def test_an_empty_name_is_refused_with_the_field_message(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(starts_at=START)
    _add(client, event, "Dr. Ahmad")
    speaker = db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id)).one()

    page = client.post(
        f"/acara/{event.id}/narasumber/{speaker.id}",
        data={f"sp{speaker.id}-name": "  ", f"sp{speaker.id}-institution": "Ombudsman RI"},
        follow_redirects=True,
    )

    assert "Nama narasumber: Wajib diisi." in page.text
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.id).institution == ""


def test_a_speaker_is_edited_and_removed(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(starts_at=START)
    _add(client, event, "Dr. Ahmad")
    speaker = db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id)).one()

    saved = client.post(
        f"/acara/{event.id}/narasumber/{speaker.id}",
        data={f"sp{speaker.id}-name": "Dr. Ahmad Fauzi", f"sp{speaker.id}-title": "Asisten"},
        follow_redirects=True,
    )
    assert "Narasumber disimpan." in saved.text and "Dr. Ahmad Fauzi" in saved.text

    client.post(f"/acara/{event.id}/narasumber/{speaker.id}/hapus")
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.id) is None
