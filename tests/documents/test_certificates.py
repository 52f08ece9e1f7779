"""Sertifikat: only for eligible attendees, QR to a public verification page, revocation."""

from __future__ import annotations

import pytest
import zxingcpp

from sosialisasi.auth.models import Role
from sosialisasi.documents.models import Certificate
from sosialisasi.events.models import EventStatus
from sosialisasi.registration.models import RegistrationRole, RegistrationStatus

from .conftest import pdf_pages, pdf_text


def qr_texts(data: bytes) -> list[str]:
    """Every QR code found in the PDF's images, decoded."""
    found = []
    for page in pdf_pages(data):
        for image in page.images:
            for result in zxingcpp.read_barcodes(image.image.convert("L")):
                if result.format == zxingcpp.BarcodeFormat.QRCode:
                    found.append(result.text)
    return found


@pytest.fixture()
def attendees(letterhead, ready_event, make_person, make_registration, check_in_all):
    """A finished event: one attendee, one absentee, one cancelled who still checked in."""
    event = ready_event(2)
    dinkes = event.invitations[0].unit
    present = make_registration(
        event,
        make_person("dr. Siti Aminah, M.Kes.", unit=dinkes, nip="198609262015052001"),
    )
    check_in_all(present)
    absent = make_registration(event, make_person("Budi Santoso", unit=dinkes))
    cancelled = make_registration(
        event, make_person("Batal Ikut", unit=dinkes), status=RegistrationStatus.CANCELLED
    )
    check_in_all(cancelled)
    speaker = make_registration(
        event, make_person("Dedy Irsan", unit=dinkes), role=RegistrationRole.NARASUMBER
    )
    check_in_all(speaker)
    return event, present, absent, cancelled, speaker


def test_certificates_exist_only_for_eligible_attendees(client, login_as, attendees, db):
    event, present, absent, cancelled, speaker = attendees
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}/dokumen/sertifikat")
    assert "Memenuhi syarat: 2 orang" in page.text
    page = client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan", follow_redirects=True)
    assert "2 sertifikat diterbitkan." in page.text
    certs = db.session.query(Certificate).order_by(Certificate.sequence).all()
    assert {c.registration_id for c in certs} == {present.id, speaker.id}
    # The default pattern {seq}/SERT/{event_code}/{year}: never the database id (issue 15).
    assert [c.number for c in certs] == ["001/SERT/SOS.0214/2025", "002/SERT/SOS.0214/2025"]
    assert len({c.code for c in certs}) == 2 and all(len(c.code) >= 22 for c in certs)
    # issuing again adds nobody
    page = client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan", follow_redirects=True)
    assert "Tidak ada peserta memenuhi syarat yang belum memiliki sertifikat." in page.text
    assert db.session.query(Certificate).count() == 2


def test_certificate_pdf_reads_back_with_a_qr_to_the_verification_page(
    client, login_as, attendees, db
):
    event, present, *_ = attendees
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    cert = db.session.query(Certificate).filter_by(registration_id=present.id).one()
    response = client.get(f"/acara/{event.id}/dokumen/sertifikat/{cert.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) == 1
    box = pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = pdf_text(response.data)
    for expected in (
        "SERTIFIKAT",
        f"Nomor: {cert.number}",
        "dr. Siti Aminah, M.Kes.",
        "NIP. 19860926 201505 2 001",
        "Dinas Kesehatan",
        "sebagai Peserta",
        "Sosialisasi Penilaian Kepatuhan Pelayanan Publik 2025",
        "Jumat, 14 Februari 2025",
        "Dr. H. Dedy Supriyadi, M.Si.",
        "Sekretaris Daerah Kabupaten Bekasi",
    ):
        assert expected in text, expected
    assert qr_texts(response.data) == [f"http://localhost/verifikasi/{cert.code}"]


def test_batch_pdf_has_one_page_per_valid_certificate(client, login_as, attendees, db):
    event, present, *_, speaker = attendees
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    data = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf").data
    assert len(pdf_pages(data)) == 2
    assert "sebagai Narasumber" in pdf_text(data)
    codes = {c.code for c in db.session.query(Certificate)}
    assert {url.rsplit("/", 1)[1] for url in qr_texts(data)} == codes


def test_verification_page_for_genuine_revoked_and_made_up_codes(client, login_as, attendees, db):
    event, present, *_ = attendees
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    cert = db.session.query(Certificate).filter_by(registration_id=present.id).one()
    with client.session_transaction() as session:
        session.clear()  # the public checks the code without logging in

    genuine = client.get(f"/verifikasi/{cert.code}")
    assert genuine.status_code == 200
    assert 'data-result="genuine"' in genuine.text
    assert "Sertifikat asli dan berlaku" in genuine.text
    assert "dr. Siti Aminah, M.Kes." in genuine.text and cert.number in genuine.text
    assert "198609262015052001" not in genuine.text  # the NIP stays private

    made_up = client.get("/verifikasi/AAAAAAAAAAAAAAAAAAAAAA")
    assert made_up.status_code == 404
    assert "Sertifikat tidak ditemukan" in made_up.text

    login_as(Role.ORGANIZER)
    page = client.post(
        f"/acara/{event.id}/dokumen/sertifikat/{cert.id}/cabut",
        data={"reason": "Salah penulisan nama"},
        follow_redirects=True,
    )
    assert f"Sertifikat {cert.number} dicabut." in page.text
    revoked = client.get(f"/verifikasi/{cert.code}")
    assert 'data-result="revoked"' in revoked.text
    assert "Sertifikat telah dicabut" in revoked.text
    # a revoked certificate is left out of the batch
    data = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf").data
    assert "dr. Siti Aminah" not in pdf_text(data)


def test_revoking_needs_a_reason(client, login_as, attendees, db):
    event, present, *_ = attendees
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    cert = db.session.query(Certificate).filter_by(registration_id=present.id).one()
    page = client.post(
        f"/acara/{event.id}/dokumen/sertifikat/{cert.id}/cabut",
        data={"reason": " "},
        follow_redirects=True,
    )
    assert "Tuliskan alasan pencabutan." in page.text
    assert db.session.get(Certificate, cert.id).revoked_at is None


def test_participant_downloads_own_certificate_by_ticket_code_only_when_eligible(
    client, attendees, db
):
    event, present, absent, cancelled, _ = attendees
    response = client.get(f"/sertifikat/{present.ticket_code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "dr. Siti Aminah, M.Kes." in pdf_text(response.data)
    cert = db.session.query(Certificate).filter_by(registration_id=present.id).one()
    assert qr_texts(response.data) == [f"http://localhost/verifikasi/{cert.code}"]
    # asking again gives the same certificate, not a new one
    client.get(f"/sertifikat/{present.ticket_code}.pdf")
    assert db.session.query(Certificate).count() == 1

    refused = client.get(f"/sertifikat/{absent.ticket_code}.pdf")
    assert refused.status_code == 403
    assert "memenuhi syarat kehadiran" in refused.text
    assert client.get(f"/sertifikat/{cancelled.ticket_code}.pdf").status_code == 403
    assert client.get("/sertifikat/tidak-ada-kode-seperti-ini.pdf").status_code == 404
    assert db.session.query(Certificate).count() == 1


def test_no_certificate_before_the_event_is_finished(
    client, letterhead, ready_event, make_registration, check_in_all, db
):
    event = ready_event(1, status=EventStatus.RUNNING)
    registration = make_registration(event)
    check_in_all(registration)
    response = client.get(f"/sertifikat/{registration.ticket_code}.pdf")
    assert response.status_code == 409
    assert "setelah acara selesai" in response.text
    assert db.session.query(Certificate).count() == 0


def test_ticket_page_shows_the_link_only_to_eligible_participants(client, attendees):
    # The certificate part of registration's public ticket page is filled in by documents'
    # before_render_template receiver (no template global runs a query from Jinja).
    event, present, absent, *_ = attendees
    shown = client.get(f"/t/{present.ticket_code}").get_data(as_text=True)
    hidden = client.get(f"/t/{absent.ticket_code}").get_data(as_text=True)
    assert f"/sertifikat/{present.ticket_code}.pdf" in shown
    assert "Unduh sertifikat (PDF)" in shown
    assert "/sertifikat/" not in hidden
    assert "Sertifikat hanya untuk peserta yang memenuhi syarat kehadiran" in hidden


def test_missing_signatory_is_named_before_printing(client, login_as, attendees, db):
    event, present, *_ = attendees
    event.signatory_nip = None
    event.signatory_name = ""
    db.session.commit()
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    response = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf")
    assert response.status_code == 409
    assert "Nama penanda tangan" in response.text and "NIP penanda tangan" in response.text
    public = client.get(f"/sertifikat/{present.ticket_code}.pdf")
    assert public.status_code == 409 and "Sertifikat belum tersedia" in public.text


def test_only_organizers_issue_and_revoke(client, login_as, attendees, make_user, db):
    event, *_ = attendees
    login_as(make_user(Role.UNIT_OPERATOR, unit=event.invitations[0].unit))
    assert client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan").status_code == 403
    assert client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf").status_code == 403
    login_as(Role.CHECKIN_STAFF)
    assert client.get(f"/acara/{event.id}/dokumen/sertifikat").status_code == 403
    assert db.session.query(Certificate).count() == 0


def test_batch_can_be_printed_one_unit_at_a_time(
    client, login_as, attendees, make_person, make_registration, check_in_all, db
):
    event, *_ = attendees
    kecamatan = event.invitations[1].unit
    check_in_all(make_registration(event, make_person("Camat Setu", unit=kecamatan)))
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    page = client.get(f"/acara/{event.id}/dokumen/sertifikat")
    assert f"/acara/{event.id}/dokumen/sertifikat.pdf?unit={kecamatan.id}" in page.text
    data = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf?unit={kecamatan.id}").data
    assert len(pdf_pages(data)) == 1
    assert "Camat Setu" in pdf_text(data) and "dr. Siti Aminah" not in pdf_text(data)


def test_batch_of_many_certificates_uses_constant_queries(
    client, login_as, attendees, make_person, make_registration, check_in_all, db
):
    import time

    from sqlalchemy import event as sa_event

    event, *_ = attendees
    unit = event.invitations[1].unit
    for n in range(60):
        check_in_all(make_registration(event, make_person(f"Peserta Massal {n}", unit=unit)))
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    assert db.session.query(Certificate).count() == 62
    counted = []
    listener = lambda *args: counted.append(1)  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    started = time.perf_counter()
    try:
        response = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    elapsed = time.perf_counter() - started
    print(f"62 certificates: {len(counted)} queries, {elapsed:.2f} s")
    assert len(pdf_pages(response.data)) == 62
    assert len(counted) < 15
