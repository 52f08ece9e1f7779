"""Daftar hadir PDF and XLSX, read back the way a user (or an auditor) would."""

from __future__ import annotations

import io
import time

from openpyxl import load_workbook
from pypdf import PdfReader

from sosialisasi.attendance.documents import daftar_hadir_pdf, daftar_hadir_xlsx
from sosialisasi.events.models import Speaker
from sosialisasi.registration.models import RegistrationRole, RegistrationStatus


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _setup(two_session_event, make_unit, make_person, make_registration, check):
    dinkes, camat = make_unit("Dinas Kesehatan"), make_unit("Kecamatan Cibitung")
    event = two_session_event(invite=[dinkes, camat], venue="Hotel Primebiz Cikarang")
    s1, s2 = event.sessions
    ani = make_registration(
        event,
        make_person(
            "Dr. Ani Rahmawati, M.Kes.",
            unit=dinkes,
            nip="198609262015052001",
            position="Kepala Seksi",
        ),
    )
    budi = make_registration(event, make_person("Budi Santoso, S.E.", unit=camat))
    make_registration(event, make_person("Citra Lestari", unit=dinkes))
    make_registration(
        event, make_person("Orang Batal", unit=dinkes), status=RegistrationStatus.CANCELLED
    )
    make_registration(
        event, make_person("Panitia Satu", unit=dinkes), role=RegistrationRole.PANITIA
    )
    check(ani, s1, minutes=-12)  # 07.48 WIB
    check(budi, s1, minutes=20)  # 08.20 WIB
    check(budi, s2, minutes=3)
    return event


def test_pdf_has_heading_columns_units_and_sheets(
    two_session_event, make_unit, make_person, make_registration, check, db
):
    event = _setup(two_session_event, make_unit, make_person, make_registration, check)
    event.speakers.append(
        Speaker(name="Ir. Joko Widodo", title="Asisten", institution="Ombudsman RI")
    )
    db.session.commit()
    pages = _pages(daftar_hadir_pdf(event))
    first = pages[0]
    assert "DAFTAR HADIR PESERTA" in first
    assert "Jumat, 14 Februari 2025" in first
    assert "Hotel Primebiz Cikarang" in first
    # No "Unit Kerja" column: the unit is the heading of its rows (issue 15: rows a typist
    # would make, not each unit name wrapped over five lines in every row).
    for column in ("No", "Nama", "NIP", "Jabatan", "Pangkat/", "Waktu Hadir", "Tanda Tangan"):
        assert column in first
    # Grouped by unit: the Dinas Kesehatan people come under its heading, before the kecamatan.
    assert first.index("Dinas Kesehatan") < first.index("Dr. Ani Rahmawati")
    assert first.index("Citra Lestari") < first.index("Kecamatan Cibitung") < first.index("Budi")
    assert "07.48" in first and "08.20" in first
    assert "19860926 201505 2 001" in first
    assert "Orang Batal" not in "".join(pages)
    assert "hadir: 2 orang" in first
    # Separate sheets for narasumber (from the agenda) and panitia.
    assert any("DAFTAR HADIR NARASUMBER" in p and "Ir. Joko Widodo" in p for p in pages)
    panitia = [p for p in pages if "DAFTAR HADIR PANITIA" in p]
    assert panitia and "Panitia Satu" in panitia[0] and "Panitia Satu" not in first


def test_blank_version_has_no_times_and_room_for_walk_ins(
    two_session_event, make_unit, make_person, make_registration, check
):
    event = _setup(two_session_event, make_unit, make_person, make_registration, check)
    first = _pages(daftar_hadir_pdf(event, blank=True))[0]
    assert "Waktu Hadir" not in first and "07.48" not in first
    assert "Budi Santoso" in first and "Tanda Tangan" in first
    # 3 peserta + 5 empty numbered rows for people added at the door.
    assert "8. ....." in first


def test_headings_repeat_on_every_page_and_500_rows_are_fast(make_event, make_unit, db):
    from sosialisasi.registration.models import Person, Registration

    units = [make_unit(f"Unit {i:02d}") for i in range(20)]
    event = make_event(invite=units)
    people = [Person(name=f"Peserta Nomor {i:03d}", unit=units[i % 20]) for i in range(500)]
    db.session.add_all(people)
    db.session.add_all(Registration(event=event, person=p, unit=p.unit) for p in people)
    db.session.commit()
    started = time.perf_counter()
    data = daftar_hadir_pdf(event)
    elapsed = time.perf_counter() - started
    pages = _pages(data)
    assert len(pages) > 5
    assert all("Tanda Tangan" in p for p in pages[:-1])
    assert "Peserta Nomor 499" in "".join(pages)
    started = time.perf_counter()
    workbook = load_workbook(io.BytesIO(daftar_hadir_xlsx(event)))
    xlsx_elapsed = time.perf_counter() - started
    assert workbook.active.max_row == 6 + 500
    print(
        f"daftar hadir: 500 rows, PDF {len(pages)} pages in {elapsed:.2f} s, "
        f"XLSX written and read back in {xlsx_elapsed:.2f} s"
    )
    # ~1 s on an idle laptop; the bound only catches a pathological regression on a busy CI.
    assert elapsed < 10 and xlsx_elapsed < 10


def test_xlsx_has_every_checkin_time_per_session_and_is_formula_safe(
    two_session_event, make_unit, make_person, make_registration, check
):
    event = _setup(two_session_event, make_unit, make_person, make_registration, check)
    make_registration(event, make_person('=HYPERLINK("http://x")', unit=event.invitations[0].unit))
    wb = load_workbook(io.BytesIO(daftar_hadir_xlsx(event)))
    rows = list(wb.active.iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "No")
    assert head[:7] == ("No", "Nama", "NIP", "Jabatan", "Pangkat/Golongan", "Unit Kerja", "Peran")
    assert head[7].startswith("Pembukaan dan paparan") and head[8].startswith("Diskusi")
    by_name = {r[1]: r for r in rows[rows.index(head) + 1 :]}
    budi = by_name["Budi Santoso, S.E."]
    assert budi[7].strftime("%H.%M") == "08.20" and budi[8].strftime("%H.%M") == "10.03"
    assert budi[9] == 2 and budi[10] == "Ya"
    assert by_name["Citra Lestari"][10] == "Tidak"
    assert '\'=HYPERLINK("http://x")' in by_name


def test_list_for_one_session_shows_that_session_and_its_times(
    two_session_event, make_unit, make_person, make_registration, check, client, login_as
):
    event = _setup(two_session_event, make_unit, make_person, make_registration, check)
    s2 = event.sessions[1]
    login_as("organizer")
    response = client.get(f"/acara/{event.id}/daftar-hadir.pdf?sesi={s2.id}")
    assert response.status_code == 200
    first = _pages(response.data)[0]
    assert "Sesi: Diskusi" in first and "10.00 - 12.00 WIB" in first
    # Budi came to the discussion at 10.03; Ani came only to the opening.
    assert "10.03" in first and "07.48" not in first
    assert "hadir: 1 orang" in first
