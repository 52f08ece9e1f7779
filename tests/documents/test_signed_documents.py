"""Issue 15: documents an official signs without correcting them by hand.

Each test reads the produced PDF back (pypdf, text per page) the way a reviewer would.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from sosialisasi.attendance.documents import daftar_hadir_pdf
from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckInMethod
from sosialisasi.checkin.services import check_in
from sosialisasi.documents import services
from sosialisasi.documents.letters import _render, build, render_invitation
from sosialisasi.documents.models import Certificate, InvitationLetter
from sosialisasi.events import services as event_services
from sosialisasi.events.models import EventSession, EventStatus
from sosialisasi.registration.models import RegistrationRole
from sosialisasi.units.models import UnitKind

from .conftest import pdf_text
from .test_minutes import REPORT_FORM


def pages_of(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


# --- 1. signatories are people ---------------------------------------------------------------


def test_signatory_nip_goes_through_the_nip_parser(client, login_as, ready_event, letterhead, db):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    url = f"/acara/{event.id}/dokumen/penanda-tangan"
    form = {
        "signatory_capacity": "",
        "report_signatory_name": "Rina Kurniasih, S.Sos., M.Si.",
        "report_signatory_position": "Kepala Bagian Organisasi",
        "report_signatory_nip": "999999999999999999",
    }
    page = client.post(url, data=form)
    assert page.status_code == 200 and "tanggal lahir" in page.text
    db.session.refresh(event)
    assert event.report_signatory_nip == "197803152005012003"  # unchanged

    page = client.post(url, data=form | {"report_signatory_nip": "NIP. 19780315.200501.2.003"})
    assert page.status_code == 302
    db.session.refresh(event)
    assert event.report_signatory_nip == "197803152005012003"
    # One NIP format on the page as in the documents.
    assert "NIP. 19700101 199003 1 005" in client.get(url).text


def test_event_form_refuses_a_signatory_nip_that_is_no_nip(app):
    from wtforms.validators import ValidationError

    from sosialisasi.events.forms import checked_nip

    with app.test_request_context():
        with pytest.raises(ValidationError):
            checked_nip("999999999999999999")
        assert checked_nip("NIP. 19700101.199003.1.005") == "197001011990031005"
        assert checked_nip("") is None


# --- 2. snapshots -----------------------------------------------------------------------------


def test_a_person_promoted_after_the_event_keeps_the_old_jabatan_in_its_documents(
    client, login_as, ready_event, letterhead, make_person, make_registration, make_unit, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(2, status=EventStatus.RUNNING)
    dinkes = event.invitations[0].unit
    person = make_person(
        "Siti Aminah, S.Kep.",
        unit=dinkes,
        nip="198609262015052001",
        position="Kepala Seksi Pelayanan Kesehatan",
        rank="Penata (III/c)",
    )
    registration = make_registration(event, person)
    session = event.sessions[0]
    outcome = check_in(
        event,
        registration.ticket_code,
        operator=None,
        method=CheckInMethod.QR,
        now=session.starts_at + timedelta(minutes=5),
    )
    assert outcome.result.value == "ok"
    db.session.commit()
    event_services.change_status(event, EventStatus.FINISHED)
    db.session.commit()

    # After the event: a promotion, a new gelar, a move to another unit.
    person.name = "Dr. Siti Aminah, S.Kep., M.Kes."
    person.position = "Kepala Dinas Kesehatan"
    person.rank = "Pembina Utama Muda (IV/c)"
    person.unit = make_unit("Dinas Sosial")
    db.session.commit()

    daftar = pdf_text(daftar_hadir_pdf(event))
    assert "Kepala Seksi Pelayanan Kesehatan" in daftar and "Penata (III/c)" in daftar
    assert "Kepala Dinas Kesehatan" not in daftar and "Dinas Sosial" not in daftar

    assert client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM).status_code == 302
    assert client.post(f"/acara/{event.id}/dokumen/laporan").status_code == 302
    laporan = pdf_text(client.get(f"/acara/{event.id}/dokumen/laporan.pdf").data)
    assert "Kepala Seksi Pelayanan Kesehatan" in laporan
    assert "Kepala Dinas Kesehatan" not in laporan

    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    cert = db.session.query(Certificate).one()
    assert cert.name == "Siti Aminah, S.Kep." and cert.unit_name == "Dinas Kesehatan"
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/sertifikat/{cert.id}.pdf").data)
    assert "Siti Aminah, S.Kep." in text and "Dr. Siti" not in text
    assert "Dinas Sosial" not in text


# --- 3. tata naskah dinas ---------------------------------------------------------------------


def test_laporan_counts_participants_apart_from_speakers_and_committee(
    client, login_as, ready_event, letterhead, make_person, make_registration, check_in_all, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(2)
    dinkes = event.invitations[0].unit
    for name in ("Peserta Satu", "Peserta Dua"):
        check_in_all(make_registration(event, make_person(name, unit=dinkes)))
    check_in_all(
        make_registration(
            event, make_person("Panitia Satu", unit=dinkes), role=RegistrationRole.PANITIA
        )
    )
    check_in_all(
        make_registration(
            event, make_person("Narasumber Dua", unit=dinkes), role=RegistrationRole.NARASUMBER
        )
    )
    # A walk-in with no unit: a person, never a perangkat daerah.
    nobody = make_registration(event, make_person("Tamu Tanpa Unit", unit=dinkes))
    nobody.unit = None
    nobody.person.unit = None
    db.session.commit()
    check_in_all(nobody)
    client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM)
    assert client.post(f"/acara/{event.id}/dokumen/laporan").status_code == 302
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/laporan.pdf").data)
    assert "Kegiatan diikuti oleh 3 orang peserta dari 1 perangkat daerah" in text
    assert "didampingi 1 orang narasumber dan 1 orang panitia" in text


def test_certificate_number_follows_the_configured_pattern(
    client, login_as, ready_event, letterhead, make_person, make_registration, check_in_all, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    dinkes = event.invitations[0].unit
    dinkes.code = "DINKES"
    check_in_all(make_registration(event, make_person("Peserta Satu", unit=dinkes)))
    url = f"/acara/{event.id}/dokumen/penanda-tangan"
    base = {"signatory_capacity": "", "report_signatory_nip": "197803152005012003"}
    bad = client.post(url, data=base | {"certificate_pattern": "{seq}/{id}"})
    assert bad.status_code == 200 and "{id}" in bad.text
    ok = client.post(
        url,
        data=base
        | {
            "document_code": "SOSKEP",
            "classification_code": "000.1.2",
            "certificate_pattern": "{klasifikasi}/{seq}/{unit_code}/{event_code}/{year}",
        },
    )
    assert ok.status_code == 302
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    cert = db.session.query(Certificate).one()
    assert cert.number == "000.1.2/001/DINKES/SOSKEP/2025"
    assert str(event.id) not in cert.number.split("/")
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/sertifikat/{cert.id}.pdf").data)
    assert "Nomor: 000.1.2/001/DINKES/SOSKEP/2025" in text
    assert (
        "Bagian Organisasi Sekretariat Daerah Kabupaten Bekasi" in text
        or event.organizer_unit is None
    )


def test_addressees_are_titled_and_in_protocol_order(ready_event, letterhead, make_unit, db):
    from sosialisasi.events.models import Invitation

    event = ready_event(3)  # Dinkes, Kecamatan Cikarang Selatan, RSUD Kabupaten Bekasi
    units = [
        make_unit(name, kind=kind)
        for name, kind in (
            ("Inspektorat Daerah", UnitKind.INSPEKTORAT),
            ("Puskesmas Cibatu", UnitKind.PUSKESMAS),
            ("Sekretariat DPRD", UnitKind.SETWAN),
            ("Sekretariat Daerah", UnitKind.SETDA),
        )
    ]
    db.session.refresh(event)
    event.invitations.extend(Invitation(unit=u, quota=1) for u in units)
    event.signatory_position = "Pj. Sekretaris Daerah"
    db.session.commit()
    heads = [a.head for a in services.addressees(event)]
    assert heads == [
        "Sekretaris DPRD",
        "Inspektur",
        "Kepala Dinas Kesehatan",
        "Direktur RSUD Kabupaten Bekasi",
        "Camat Cikarang Selatan",
        "Kepala UPTD Puskesmas Cibatu",
    ]  # the Sekretaris Daerah does not invite themself


def test_undangan_signature_block_has_pangkat_and_an_and_tembusan(
    client, login_as, ready_event, letterhead, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(2)
    event.signatory_rank = "Pembina Utama Madya (IV/d)"
    event.signatory_capacity = "a.n."
    event.signatory_for = "BUPATI BEKASI"
    db.session.add(
        InvitationLetter(
            event_id=event.id,
            nature="Penting",
            subject="Undangan",
            copies="Bupati Bekasi (sebagai laporan)\nInspektur Kabupaten Bekasi",
        )
    )
    db.session.commit()
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf").data)
    assert "a.n. BUPATI BEKASI Sekretaris Daerah Kabupaten Bekasi," in text
    assert "Dr. H. Dedy Supriyadi, M.Si. Pembina Utama Madya (IV/d) NIP. 19700101 199003 1 005" in (
        text
    )
    assert "Tembusan: 1. Bupati Bekasi (sebagai laporan); 2. Inspektur Kabupaten Bekasi." in text


def test_daftar_hadir_signed_by_the_penanggung_jawab_at_the_letterhead_place(
    ready_event, letterhead, make_person, make_registration, make_unit, db
):
    event = ready_event(1)
    dinkes = event.invitations[0].unit
    budi = make_person("Budi Santoso", unit=dinkes, position="Kepala Dinas Kesehatan")
    make_registration(
        event,
        make_person("Ani Lestari", unit=dinkes, rank="Penata Tk. I (III/d)"),
        substitute_for=budi,
    )
    ombudsman = make_unit("Ombudsman RI Perwakilan Jakarta Raya", kind=UnitKind.EXTERNAL)
    make_registration(
        event,
        make_person("Dedy Irsan", unit=ombudsman),
        role=RegistrationRole.NARASUMBER,
    )
    pages = pages_of(daftar_hadir_pdf(event))
    peserta = next(p for p in pages if "DAFTAR HADIR PESERTA" in p)
    assert "Pangkat/" in peserta and "Penata Tk. I (III/d)" in peserta
    assert "(mewakili Budi Santoso, Kepala Dinas Kesehatan)" in peserta
    assert "Cikarang Pusat, 14 Februari 2025" in peserta and "Bekasi," not in peserta
    assert "Kepala Bagian Organisasi, Rina Kurniasih" in peserta
    assert "Dedy Supriyadi" not in peserta
    speakers = next(p for p in pages if "DAFTAR HADIR NARASUMBER" in p)
    # The speaker did not scan a ticket but gave the talk: a line to sign, not "Tidak hadir".
    assert "Tidak hadir" not in speakers and "1. ........" in speakers
    assert "Ombudsman RI Perwakilan Jakarta Raya" in speakers and "Tanpa unit" not in speakers


# --- 4. page breaks ---------------------------------------------------------------------------


def _daftar_hadir_of(event, db, make_unit, make_person, make_registration, n: int, units: int):
    from sosialisasi.events.models import Invitation

    made = [make_unit(f"Unit Uji {i:02d}") for i in range(units)]
    event.invitations.extend(Invitation(unit=u, quota=50) for u in made)
    for i in range(n):
        make_registration(event, make_person(f"Peserta Nomor {i:03d}", unit=made[i % units]))
    db.session.commit()
    return pages_of(daftar_hadir_pdf(event))


@pytest.mark.parametrize("n", [15, 18, 19, 20, 21, 22, 23, 38, 40, 41])
def test_daftar_hadir_breaks_pages_where_a_typist_would(
    n, ready_event, letterhead, make_unit, make_person, make_registration, db
):
    event = ready_event(0)
    event.speakers.clear()
    pages = _daftar_hadir_of(event, db, make_unit, make_person, make_registration, n, 4)
    for number, page in enumerate(pages):
        # A unit heading never ends a page: after the last row drawn, no other unit is named.
        if "Peserta Nomor" in page:
            tail = page[page.rindex("Peserta Nomor") :]
            assert not [u for u in range(4) if f"Unit Uji {u:02d}" in tail], number
    # The signature block never stands alone: its page also holds numbered rows.
    signed = [p for p in pages if "Rina Kurniasih" in p]
    assert len(signed) == 1 and "Peserta Nomor" in signed[0]


def test_undangan_with_a_one_line_note_keeps_its_signature_on_page_1(ready_event, letterhead, db):
    """Grow the agenda until the plain layout would push the signature alone onto page 2:
    the letter is then laid out tighter and the signature stays on page 1."""
    event = ready_event(3)
    letter = InvitationLetter(
        event_id=event.id,
        nature="Penting",
        subject="Undangan Sosialisasi",
        note="Peserta mengenakan pakaian dinas harian.",
    )
    db.session.add(letter)
    start = event.sessions[0].starts_at
    found = False
    for extra in range(1, 14):
        event.sessions.append(
            EventSession(
                title=f"Paparan materi bagian {extra}",
                starts_at=start + timedelta(minutes=10 * extra),
                ends_at=start + timedelta(minutes=10 * extra + 10),
            )
        )
        db.session.commit()
        content = build(event, letter, letterhead)
        _pdf, moved = _render(content, None, tight=False)
        if not moved:
            continue
        _pdf, moved_tight = _render(content, None, tight=True)
        if moved_tight:
            break  # too long even when tight: a real second page
        found = True
        pages = pages_of(render_invitation(content, None))
        assert "Dr. H. Dedy Supriyadi" in pages[0]
        assert all("Dedy Supriyadi" not in p for p in pages[1:])
        break
    assert found, "no agenda length put the signature alone on page 2"


def test_an_administrator_overrides_one_units_title_and_place(
    client, login_as, ready_event, letterhead, db
):
    event = ready_event(3)
    rsud = next(inv.unit for inv in event.invitations if inv.unit.kind is UnitKind.RSUD)
    login_as(Role.ADMIN)
    response = client.post(
        "/pengaturan/sapaan-surat",
        data={
            "unit_id": rsud.id,
            "title": "Direktur Utama RSUD Kabupaten Bekasi",
            "protocol_rank": 1,
        },
    )
    assert response.status_code == 302
    assert "Direktur Utama RSUD Kabupaten Bekasi" in client.get("/pengaturan/sapaan-surat").text
    heads = [a.head for a in services.addressees(event)]
    assert heads[0] == "Direktur Utama RSUD Kabupaten Bekasi"


def test_freeze_by_id_keeps_the_person_as_at_the_scan(
    ready_event, make_person, make_registration, make_unit, db
):
    from sosialisasi.common.types import utcnow
    from sosialisasi.registration.snapshots import freeze_by_id, printed

    event = ready_event(1, status=EventStatus.RUNNING)
    ombudsman = make_unit("Perwakilan Ombudsman RI Jakarta Raya", kind=UnitKind.EXTERNAL)
    person = make_person("Dedy Irsan", unit=ombudsman, position="Kepala Keasistenan")
    registration = make_registration(event, person)
    freeze_by_id(registration.id, utcnow())
    db.session.commit()
    person.position = "Kepala Perwakilan"
    db.session.commit()
    db.session.refresh(registration)
    who = printed(registration)
    assert who.position == "Kepala Keasistenan"
    assert who.unit == who.institution == "Perwakilan Ombudsman RI Jakarta Raya"
    freeze_by_id(registration.id, utcnow())  # a second scan rewrites nothing
    db.session.commit()
    db.session.refresh(registration)
    assert printed(registration).position == "Kepala Keasistenan"
