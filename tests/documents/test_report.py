"""Laporan kegiatan: recap, minutes, daftar hadir and photos in one PDF; "reported" needs it."""

from __future__ import annotations

import time
from datetime import date

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.events.models import Event, EventStatus
from sosialisasi.registration.models import RegistrationStatus

from .conftest import image_bytes, pdf_pages, pdf_text
from .test_minutes import REPORT_FORM, upload


@pytest.fixture()
def reported_event(
    client, login_as, letterhead, ready_event, make_person, make_registration, check_in_all
):
    """A finished event with minutes, two photos, and attendance from two of its three units."""
    login_as(Role.ORGANIZER)
    event = ready_event(3)
    dinkes, kecamatan, _rsud = (inv.unit for inv in event.invitations)
    present = make_registration(event, make_person("dr. Siti Aminah, M.Kes.", unit=dinkes))
    check_in_all(present)
    make_registration(event, make_person("Budi Santoso", unit=dinkes))  # registered, absent
    camat = make_registration(event, make_person("Drs. Ahmad Fauzi", unit=kecamatan))
    check_in_all(camat)
    make_registration(
        event, make_person("Batal Hadir", unit=kecamatan), status=RegistrationStatus.CANCELLED
    )
    assert client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM).status_code == 302
    upload(client, event, "photo", image_bytes("JPEG", size=(1200, 900)), "a.jpg", "Pembukaan")
    upload(client, event, "photo", image_bytes("PNG", size=(900, 1200)), "b.png", "Diskusi")
    return event


def test_report_pdf_holds_every_section_and_attachments(client, reported_event, db):
    event = reported_event
    response = client.post(f"/acara/{event.id}/dokumen/laporan", follow_redirects=True)
    assert "Laporan kegiatan dibuat." in response.text
    pdf = client.get(f"/acara/{event.id}/dokumen/laporan.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    for expected in (
        "LAPORAN KEGIATAN",
        "I. LATAR BELAKANG",
        "Ombudsman RI menilai kepatuhan setiap tahun.",
        "II. DASAR HUKUM",
        "Undang-Undang Nomor 25 Tahun 2009",
        "III. MAKSUD DAN TUJUAN",
        "IV. WAKTU DAN TEMPAT",
        "Jumat, 14 Februari 2025",
        "V. NARASUMBER",
        "Dedy Irsan, Kepala Perwakilan, Ombudsman RI Jakarta Raya",
        "VI. PESERTA",
        # 2 present from 2 units; 3 units invited with quota 2 each; 3 active registrations
        "Kegiatan diikuti oleh 2 orang peserta dari 2 perangkat daerah",
        "diundang 3 perangkat daerah dengan kuota 6 orang; terdaftar 3 orang",
        "Dinas Kesehatan 2 2 1",
        "RSUD Kabupaten Bekasi 2 0 0",
        "VII. SUSUNAN ACARA",
        "VIII. NOTULEN DAN HASIL PEMBAHASAN",
        "Paparan narasumber",
        "Dinkes bertanya <script>alert(1)</script>",  # plain text in a PDF, never markup
        "IX. KESIMPULAN",
        "Semua unit menyiapkan standar pelayanan.",
        "X. RENCANA TINDAK LANJUT",
        "Unggah bukti dalam 30 hari.",
        # Signed by the penanggung jawab, not the official who signed the invitation.
        "Kepala Bagian Organisasi, Rina Kurniasih, S.Sos., M.Si. Pembina (IV/a)",
        "NIP. 19780315 200501 2 003",
        "Kepada Yth. Bupati Bekasi melalui Sekretaris Daerah",
        # Dated the event's last day, not the day the PDF was produced.
        "Cikarang Pusat, 14 Februari 2025",
        "DAFTAR HADIR PESERTA",
        "dr. Siti Aminah, M.Kes.",
        "LAMPIRAN: DOKUMENTASI KEGIATAN",
        "Pembukaan",
        "Diskusi",
    ):
        assert expected in text, expected
    photo_pages = [p for p in pdf_pages(pdf.data) if "DOKUMENTASI" in (p.extract_text() or "")]
    assert len(photo_pages) == 1 and len(photo_pages[0].images) == 2


def test_missing_report_fields_are_named_before_producing(
    client, login_as, ready_event, letterhead, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    client.post(f"/acara/{event.id}/dokumen/notulen", data={"background": "Latar"})
    response = client.post(f"/acara/{event.id}/dokumen/laporan")
    assert response.status_code == 409
    for label in ("Dasar hukum", "Maksud dan tujuan", "Notulen", "Kesimpulan"):
        assert label in response.text
    assert f"/acara/{event.id}/dokumen/notulen" in response.text
    page = client.get(f"/acara/{event.id}/dokumen/laporan")
    assert "Kesimpulan" in page.text and "Buat laporan kegiatan" not in page.text


def test_reported_status_requires_a_produced_and_current_report(client, reported_event, db):
    event = reported_event
    page = client.post(
        f"/acara/{event.id}/status", data={"status": "reported"}, follow_redirects=True
    )
    assert "Status &#39;Dilaporkan&#39; memerlukan laporan kegiatan" in page.text
    assert db.session.get(Event, event.id).status is EventStatus.FINISHED

    client.post(f"/acara/{event.id}/dokumen/laporan")
    client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM | {"conclusions": "Baru"})
    page = client.post(
        f"/acara/{event.id}/status", data={"status": "reported"}, follow_redirects=True
    )
    assert "buat ulang laporan kegiatan" in page.text
    assert db.session.get(Event, event.id).status is EventStatus.FINISHED

    client.post(f"/acara/{event.id}/dokumen/laporan")
    page = client.post(
        f"/acara/{event.id}/status", data={"status": "reported"}, follow_redirects=True
    )
    assert "Status acara menjadi &#39;Dilaporkan&#39;." in page.text
    assert db.session.get(Event, event.id).status is EventStatus.REPORTED
    # Reported is final: the minutes are frozen.
    page = client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM)
    assert "Acara sudah dilaporkan" in page.text


def test_report_needs_a_finished_event(client, login_as, ready_event, letterhead):
    login_as(Role.ORGANIZER)
    event = ready_event(1, status=EventStatus.RUNNING)
    client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM)
    page = client.post(f"/acara/{event.id}/dokumen/laporan", follow_redirects=True)
    assert "Laporan kegiatan dibuat setelah acara berstatus &#39;Selesai&#39;" in page.text


def test_verifier_reads_the_report_unit_operator_cannot(
    client, login_as, reported_event, make_user
):
    event = reported_event
    client.post(f"/acara/{event.id}/dokumen/laporan")
    login_as(Role.VERIFIER)
    assert client.get(f"/acara/{event.id}/dokumen/laporan.pdf").status_code == 200
    assert client.post(f"/acara/{event.id}/dokumen/laporan").status_code == 403
    login_as(make_user(Role.UNIT_OPERATOR, unit=event.invitations[0].unit))
    assert client.get(f"/acara/{event.id}/dokumen/laporan.pdf").status_code == 403


def test_followup_tasks_are_summarised_per_unit(client, reported_event, db, make_user):
    from sosialisasi.followup import models as followup

    event = reported_event
    dinkes = event.invitations[0].unit
    statuses = (followup.TaskStatus.OPEN, followup.TaskStatus.VERIFIED, followup.TaskStatus.OPEN)
    for n, status in enumerate(statuses):
        db.session.add(
            followup.FollowUpTask(
                unit_id=dinkes.id,
                source_event_id=event.id,
                title=f"Publikasi standar pelayanan {n}",
                due_date=date(2025, 3, 31),
                status=status,
            )
        )
    db.session.commit()
    client.post(f"/acara/{event.id}/dokumen/laporan")
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/laporan.pdf").data)
    assert "Rekapitulasi tugas tindak lanjut per perangkat daerah" in text
    # unit, present, tasks, submitted, verified, overdue (due 31 March 2025 has passed), percent
    assert "Dinas Kesehatan Ya 3 0 1 2 33%" in text
    assert "RSUD Kabupaten Bekasi Tidak 0 0 0 0 0%" in text


def test_report_of_many_participants_keeps_queries_constant_and_is_fast(
    client, reported_event, make_person, make_registration, check_in_all, db
):
    from sqlalchemy import event as sa_event

    event = reported_event
    unit = event.invitations[2].unit
    for n in range(150):
        check_in_all(make_registration(event, make_person(f"Peserta Massal {n}", unit=unit)))
    counted = []
    engine = db.engine
    listener = lambda *args: counted.append(1)  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    started = time.perf_counter()
    try:
        response = client.post(f"/acara/{event.id}/dokumen/laporan")
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    print(f"laporan with 152 attendees: {len(counted)} queries, {elapsed:.2f} s")
    assert len(counted) < 60
    assert elapsed < 15
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/laporan.pdf").data)
    assert "Peserta Massal 149" in text
