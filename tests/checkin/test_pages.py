"""Door pages: who opens the scanner, the history with undo, walk-ins, the service worker."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.checkin.services import check_in
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import EventSession, EventStatus
from sosialisasi.registration.models import Registration, RegistrationSource


def count(db) -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


@pytest.fixture()
def dinkes(make_unit):
    return make_unit("Dinas Kesehatan")


@pytest.fixture()
def event(make_event, dinkes):
    starts = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    return make_event(starts_at=starts, hours=4, status=EventStatus.RUNNING, invite=[dinkes])


@pytest.fixture()
def staff(db, make_user, event):
    user = make_user("checkin_staff", name="Petugas Pintu")
    event.staff = [user]
    db.session.commit()
    return user


def test_scanner_is_for_organizers_and_the_assigned_staff(
    client, login_as, make_user, event, staff
):
    url = f"/registrasi-ulang/{event.id}"
    login_as(staff)
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cari nama, NIP, atau unit" in html
    assert "<script>" not in html and "<script >" not in html  # no inline code (CSP)
    root = re.search(r'<div id="scanner"([^>]*)>', html)[1]
    sessions = json.loads(unescape(re.search(r'data-sessions="([^"]*)"', root)[1]))
    assert [s["id"] for s in sessions] == [event.sessions[0].id]
    assert f'data-current-session="{event.sessions[0].id}"' in root
    assert "walk-in" not in html  # staff do not register people
    index = client.get("/registrasi-ulang/").get_data(as_text=True)
    assert event.title in index

    login_as(make_user("checkin_staff"))
    assert client.get(url).status_code == 404
    assert event.title not in client.get("/registrasi-ulang/").get_data(as_text=True)
    login_as(make_user("unit_operator"))
    assert client.get(url).status_code == 403
    login_as(make_user("organizer"))
    html = client.get(url).get_data(as_text=True)
    assert "Peserta datang langsung" in html


def test_event_page_links_to_the_scanner(client, login_as, event, staff):
    login_as(staff)
    html = client.get(f"/acara/{event.id}").get_data(as_text=True)
    assert f'href="/registrasi-ulang/{event.id}"' in html
    assert "Pindai tiket (registrasi ulang)" in html
    assert 'href="/registrasi-ulang/"' in client.get("/beranda").get_data(as_text=True)


def test_service_worker_covers_the_scanner_and_lists_vendored_files(client):
    r = client.get("/registrasi-ulang/sw.js")
    assert r.status_code == 200
    assert r.mimetype == "text/javascript"
    body = r.get_data(as_text=True)
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", body)[1])
    paths = [a.split("?v=")[0] for a in assets]
    assert "/static/vendor/zxing-wasm/zxing_reader.wasm" in paths
    assert "/static/js/scanner.js" in paths
    assert "/*VERSION*/" not in body
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_history_lists_checkins_with_operator_and_device_in_constant_queries(
    client, db, login_as, event, staff, make_registration, app
):
    regs = [make_registration(event) for _ in range(3)]
    for reg in regs:
        check_in(event, reg.ticket_code, operator=staff, method=CheckInMethod.QR, device="HP Pintu")
    db.session.commit()
    login_as(staff)

    def statements(url: str) -> tuple[int, str]:
        seen = []

        def log(conn, cursor, statement, *args):
            seen.append(statement)

        sa_event.listen(db.engine, "before_cursor_execute", log)
        try:
            html = client.get(url).get_data(as_text=True)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", log)
        return len(seen), html

    n_small, html = statements(f"/registrasi-ulang/{event.id}/riwayat")
    assert all(reg.person.name in html for reg in regs)
    assert "Petugas Pintu" in html and "HP Pintu" in html
    assert "Batalkan" not in html  # staff cannot undo
    more = [make_registration(event) for _ in range(10)]
    for reg in more:
        check_in(event, reg.ticket_code, operator=staff, method=CheckInMethod.QR)
    db.session.commit()
    n_big, _ = statements(f"/registrasi-ulang/{event.id}/riwayat")
    assert n_big == n_small
    _, html = statements(f"/registrasi-ulang/{event.id}/riwayat?q={regs[0].person.name}")
    assert regs[0].person.name in html and regs[1].person.name not in html


def test_organizer_undoes_a_checkin_with_a_reason(
    client, db, login_as, make_user, event, staff, make_registration
):
    reg = make_registration(event)
    check_in(event, reg.ticket_code, operator=staff, method=CheckInMethod.QR, device="HP Pintu")
    db.session.commit()
    row_id = db.session.scalar(select(CheckIn.id))
    url = f"/registrasi-ulang/{event.id}/riwayat/{row_id}/batal"

    login_as(staff)
    assert client.post(url, data={"reason": "salah"}).status_code == 403

    organizer = login_as(make_user("organizer", name="Panitia Organisasi"))
    r = client.post(url, data={"reason": ""}, follow_redirects=True)
    assert "Tuliskan alasan pembatalan registrasi ulang." in r.get_data(as_text=True)
    assert count(db) == 1

    r = client.post(url, data={"reason": "Salah orang dipindai"}, follow_redirects=True)
    assert f"Registrasi ulang {reg.person.name} dibatalkan" in r.get_data(as_text=True)
    assert count(db) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.undo"))
    assert entry.actor_id == organizer.id
    assert entry.data["reason"] == "Salah orang dipindai"
    assert entry.data["checkin_device"] == "HP Pintu"
    # The ticket can be scanned again.
    assert (
        check_in(event, reg.ticket_code, operator=staff, method=CheckInMethod.QR).result.value
        == "ok"
    )


def test_undo_of_another_events_checkin_is_refused(
    client, db, login_as, make_event, make_registration, staff
):
    other = make_event("Rakor", starts_at=utcnow() - timedelta(minutes=5))
    reg = make_registration(other)
    check_in(other, reg.ticket_code, operator=staff, method=CheckInMethod.QR)
    mine = make_event("Bimtek", starts_at=utcnow())
    db.session.commit()
    row_id = db.session.scalar(select(CheckIn.id))
    login_as("organizer")
    r = client.post(f"/registrasi-ulang/{mine.id}/riwayat/{row_id}/batal", data={"reason": "uji"})
    assert r.status_code == 302
    assert count(db) == 1


def test_walk_in_registers_and_checks_in_at_once(client, db, login_as, make_user, event, dinkes):
    organizer = login_as(make_user("organizer"))
    form = client.get(f"/registrasi-ulang/{event.id}/walk-in").get_data(as_text=True)
    assert "Dinas Kesehatan (0/2)" in form
    r = client.post(
        f"/registrasi-ulang/{event.id}/walk-in",
        data={
            "unit_id": dinkes.id,
            "name": "Rina Marlina, S.KM.",
            "nip": "19900215 201503 2 001",
            "position": "Pengelola Layanan",
            "phone": "0812-3456-7890",
            "session_id": event.sessions[0].id,
        },
    )
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/registrasi-ulang/{event.id}")
    reg = db.session.scalar(select(Registration))
    assert reg.source is RegistrationSource.WALKIN
    assert reg.person.nip == "199002152015032001"
    assert reg.unit_id == dinkes.id
    row = db.session.scalar(select(CheckIn))
    assert (row.registration_id, row.method, row.operator_id) == (
        reg.id,
        CheckInMethod.WALKIN,
        organizer.id,
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.walkin"))
    assert entry.actor_id == organizer.id and "Rina Marlina" in entry.summary
    html = client.get(f"/registrasi-ulang/{event.id}").get_data(as_text=True)
    assert "terdaftar sebagai peserta datang langsung dan sudah registrasi ulang pukul" in html


def test_walk_in_form_refuses_a_pns_without_nip(client, db, login_as, event, dinkes):
    login_as("organizer")
    data = {"unit_id": dinkes.id, "name": "Andi Wijaya", "session_id": event.sessions[0].id}
    r = client.post(f"/registrasi-ulang/{event.id}/walk-in", data={**data, "kind": "pns"})
    assert r.status_code == 200
    assert "NIP wajib diisi untuk PNS dan PPPK." in r.get_data(as_text=True)
    assert count(db) == 0
    r = client.post(f"/registrasi-ulang/{event.id}/walk-in", data={**data, "kind": "non_asn"})
    assert r.status_code == 302 and count(db) == 1


def test_walk_in_over_quota_needs_a_reason_and_keeps_it(
    client, db, login_as, make_registration, make_person, event, dinkes
):
    for _ in range(2):
        make_registration(event, make_person(unit=dinkes))
    login_as("organizer")
    data = {"unit_id": dinkes.id, "name": "Andi Wijaya", "session_id": event.sessions[0].id}
    r = client.post(f"/registrasi-ulang/{event.id}/walk-in", data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Kuota Dinas Kesehatan sudah penuh (2 dari 2 orang)" in html
    assert 'value="Andi Wijaya"' in html  # what was typed is kept
    assert count(db) == 0
    data["over_quota_reason"] = "Kepala dinas menugaskan tambahan"
    assert client.post(f"/registrasi-ulang/{event.id}/walk-in", data=data).status_code == 302
    reg = db.session.scalar(
        select(Registration).where(Registration.source == RegistrationSource.WALKIN)
    )
    assert reg.over_quota_reason == "Kepala dinas menugaskan tambahan"
    assert count(db) == 1


def test_walk_in_refuses_uninvited_units_and_closed_sessions(
    client, db, login_as, make_unit, event, dinkes
):
    login_as("organizer")
    stranger = make_unit("Dinas Perhubungan")
    r = client.post(
        f"/registrasi-ulang/{event.id}/walk-in",
        data={"unit_id": stranger.id, "name": "Joko", "session_id": event.sessions[0].id},
    )
    assert r.status_code == 200
    assert "Pilih perangkat daerah yang diundang ke acara ini." in r.get_data(as_text=True)
    assert count(db) == 0
    later = EventSession(
        title="Diskusi sore",
        starts_at=utcnow() + timedelta(hours=2, minutes=30),
        ends_at=utcnow() + timedelta(hours=3, minutes=30),
    )
    event.sessions.append(later)
    db.session.commit()
    r = client.post(
        f"/registrasi-ulang/{event.id}/walk-in",
        data={"unit_id": dinkes.id, "name": "Joko Susilo", "session_id": later.id},
    )
    assert "baru dibuka pukul" in r.get_data(as_text=True)
    assert count(db) == 0
    assert db.session.scalar(select(func.count(Registration.id))) == 0  # nothing half done


def test_walk_in_is_for_organizers_only(client, login_as, event, staff):
    login_as(staff)
    assert client.get(f"/registrasi-ulang/{event.id}/walk-in").status_code == 403


def test_history_search_with_odd_characters(client, login_as, event, staff):
    login_as(staff)
    r = client.get(f"/registrasi-ulang/{event.id}/riwayat?q=Budi%00%25_")
    assert r.status_code == 200
    assert "Belum ada registrasi ulang." in r.get_data(as_text=True)
