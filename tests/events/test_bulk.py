"""Bulk work (issue 16, item 3): move the whole event, every quota in one save."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from sosialisasi.auth.models import Role
from sosialisasi.events.models import Event, EventSession, Invitation

START = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # Kamis 3 Desember 2026, 13.00 WIB


def test_moving_the_event_by_one_day_moves_every_session(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(starts_at=START, hours=3)
    event.sessions[0].ends_at = START + timedelta(hours=1)
    for h in (1, 2):
        event.sessions.append(
            EventSession(
                title=f"Sesi {h}",
                starts_at=START + timedelta(hours=h),
                ends_at=START + timedelta(hours=h + 1),
            )
        )
    event.registration_closes_at = START - timedelta(days=1)
    db.session.commit()
    before = [(s.starts_at, s.ends_at) for s in event.sessions]
    page = client.post(
        f"/acara/{event.id}/pindah",
        data={"move-start_date": "2026-12-04", "move-start_time": "13:00"},
        follow_redirects=True,
    )
    assert "Acara dan 3 sesi dipindahkan" in page.text
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    day = timedelta(days=1)
    assert [(s.starts_at, s.ends_at) for s in event.sessions] == [
        (a + day, b + day) for a, b in before
    ]
    assert event.starts_at == START + day and event.ends_at == START + day + timedelta(hours=3)
    assert event.registration_closes_at == START


def test_quotas_for_seventy_units_in_one_save(client, login_as, make_event, make_unit, db):
    login_as(Role.ORGANIZER)
    units = [make_unit() for _ in range(70)]
    event = make_event(starts_at=START, invite=units, quota=2)
    page = client.get(f"/acara/{event.id}/undangan").text
    assert page.count('form="kuota-semua"') == 70
    data = {f"quota-{inv.id}": str(3 + i % 2) for i, inv in enumerate(event.invitations)}
    done = client.post(f"/acara/{event.id}/undangan/kuota", data=data, follow_redirects=True)
    assert "Kuota disimpan: 70 unit berubah." in done.text
    quotas = sorted(q for (q,) in db.session.query(Invitation.quota))
    assert quotas == [3] * 35 + [4] * 35
    client.post(f"/acara/{event.id}/undangan/kuota", data={"semua": "2"})
    assert {q for (q,) in db.session.query(Invitation.quota)} == {2}


def test_a_quota_out_of_range_saves_nothing(client, login_as, make_event, make_unit, db):
    login_as(Role.ORGANIZER)
    a, b = make_unit("Dinas A"), make_unit("Dinas B")
    event = make_event(starts_at=START, invite=[a, b], quota=2)
    ia, ib = event.invitations
    page = client.post(
        f"/acara/{event.id}/undangan/kuota",
        data={f"quota-{ia.id}": "5", f"quota-{ib.id}": "900"},
        follow_redirects=True,
    )
    assert "harus antara 0 dan 500" in page.text
    assert {q for (q,) in db.session.query(Invitation.quota)} == {2}


def test_invitation_page_shows_which_units_have_no_operator(
    client, login_as, make_event, make_unit, make_user, db
):
    with_op, without = make_unit("Dinas Punya Operator"), make_unit("Dinas Tanpa Operator")
    make_user(Role.UNIT_OPERATOR, unit=with_op)
    event = make_event(starts_at=START, invite=[with_op, without])
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}/undangan").text
    assert "1 unit undangan belum punya akun operator aktif" in page
    assert page.count("Belum ada operator") == 1


def test_scanner_search_finds_people_by_unit_name(
    make_event, make_unit, make_person, make_registration
):
    from sosialisasi.checkin.queries import search

    event = make_event(starts_at=START)
    kesehatan = make_unit("Dinas Kesehatan", short_name="Dinkes")
    reg = make_registration(event, make_person("Rina Wulandari", unit=kesehatan))
    make_registration(event, make_person("Budi Santoso", unit=make_unit("Dinas Sosial")))
    assert [r.id for r in search(event, "kesehatan")] == [reg.id]
    assert [r.id for r in search(event, "dinkes")] == [reg.id]
    assert [r.id for r in search(event, "Rina")] == [reg.id]


def test_xlsx_phone_cell_reads_plus_62_without_an_apostrophe(
    client, login_as, make_event, make_unit, make_person, make_registration
):
    import io

    from openpyxl import load_workbook

    unit = make_unit()
    event = make_event(starts_at=START, invite=[unit])
    make_registration(event, make_person("Rina", unit=unit, phone="+6281234567890"))
    login_as(Role.ORGANIZER)
    ws = load_workbook(io.BytesIO(client.get(f"/acara/{event.id}/pendaftaran.xlsx").data)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value]
    phone = next(c for c in cells if "6281234567890" in str(c.value))
    assert phone.value == "+6281234567890" and phone.data_type == "s"


def test_a_session_has_several_speakers_and_speakers_can_be_edited(
    client, login_as, make_event, db
):
    login_as(Role.ORGANIZER)
    event = make_event(starts_at=START, hours=3)
    for name in ("Dr. Ahmad", "Ir. Budi"):
        client.post(f"/acara/{event.id}/narasumber", data={"name": name, "institution": ""})
    db.session.expire_all()
    ahmad, budi = db.session.get(Event, event.id).speakers
    session = event.sessions[0]
    saved_form = client.post(
        f"/acara/{event.id}/sesi/{session.id}",
        data={
            "title": "Panel diskusi",
            "date": "2026-12-03",
            "start_time": "13:00",
            "end_time": "14:00",
            "speaker_ids": [ahmad.id, budi.id],
            "mandatory": "y",
        },
    )
    assert saved_form.status_code == 302, re.findall(
        r"invalid-feedback[^>]*>([^<]*)", saved_form.text
    )
    client.post(
        f"/acara/{event.id}/narasumber/{budi.id}",
        data={
            f"sp{budi.id}-name": "Ir. Budi Santoso",
            f"sp{budi.id}-title": "Kepala Bagian",
            f"sp{budi.id}-institution": "Ombudsman RI",
        },
    )
    page = client.get(f"/acara/{event.id}").text
    assert "Dr. Ahmad, Ir. Budi Santoso" in page
    db.session.expire_all()
    saved = db.session.get(EventSession, session.id)
    assert saved.speaker.name == "Dr. Ahmad"  # the first, for letters and tickets
    assert saved.speakers[1].institution == "Ombudsman RI"
    assert 'placeholder="Perwakilan Ombudsman' not in page


def test_badges_as_an_a4_sheet_of_four_with_cut_marks(
    client, login_as, make_event, make_registration
):
    from pypdf import PdfReader

    event = make_event(starts_at=START)
    for _ in range(5):
        make_registration(event)
    login_as(Role.ORGANIZER)
    a4 = client.get(f"/acara/{event.id}/kartu.pdf?lembar=a4")
    assert a4.status_code == 200 and a4.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(a4.data)).pages
    assert len(pages) == 2  # 4 + 1
    box = pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210,
        297,
    )
    a6 = PdfReader(io.BytesIO(client.get(f"/acara/{event.id}/kartu.pdf").data)).pages
    assert len(a6) == 5
    assert "Kartu A4, 4 per lembar" in client.get(f"/acara/{event.id}/pendaftaran").text
