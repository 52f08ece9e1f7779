"""Issue 14, part 2: frameworks from 2025 (Penilaian Maladministrasi, Opini Ombudsman RI)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from sosialisasi.followup.models import Framework, SupervisionKind
from sosialisasi.followup.services import supervision


def _fw(db, code):
    return db.session.scalar(select(Framework).where(Framework.code == code))


def test_seed_makes_2025_and_2026_frameworks_with_method_and_provisional_bands(ombudsman, db):
    for code, years in (("OMBUDSMAN-2025", "2025"), ("OMBUDSMAN-2026", "2026-")):
        fw = _fw(db, code)
        assert fw.years == years
        assert fw.method == "Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik"
        assert "Peraturan Ombudsman RI Nomor 61 Tahun 2025" in fw.legal_basis
        assert [d.code for d in fw.dimensions] == ["INPUT", "PROSES", "OUTPUT", "PENGADUAN"]
        assert all(d.indicators for d in fw.dimensions)
        assert fw.opinion_rule and fw.bands_provisional
        assert {b.category: (str(b.min_score), str(b.max_score)) for b in fw.bands}["A"] == (
            "88.00",
            "100.00",
        )
        colours = {b.category: b.hex for b in fw.bands}
        assert colours["A"] != colours["B"]


def test_framework_page_says_provisional_until_an_administrator_saves_the_bands(
    ombudsman, client, login_as, db
):
    fw = _fw(db, "OMBUDSMAN-2025")
    login_as("admin")
    page = client.get(f"/tindak-lanjut/kerangka/{fw.id}").get_data(as_text=True)
    assert "Peraturan Ombudsman RI Nomor 61 Tahun 2025" in page
    assert 'id="bands-provisional"' in page
    # An overlap is refused, naming the rows.
    zones = [("hijau tua", "Kualitas Tertinggi"), ("hijau muda", "Kualitas Tinggi"),
             ("kuning", "Kualitas Sedang"), ("merah", "Kualitas Rendah"),
             ("merah", "Kualitas Terendah")]  # fmt: skip

    def table(limits):
        data = {}
        for n, ((cat, low, high), (zone, opinion)) in enumerate(zip(limits, zones, strict=True)):
            data |= {f"bands-{n}-category": cat, f"bands-{n}-min_score": low,
                     f"bands-{n}-max_score": high, f"bands-{n}-zone": zone,
                     f"bands-{n}-opinion": opinion}  # fmt: skip
        return data

    bad = table([("A", "89.00", "100.00"), ("B", "78.00", "89.50"), ("C", "54.00", "77.99"),
                 ("D", "32.00", "53.99"), ("E", "0.00", "31.99")])  # fmt: skip
    response = client.post(f"/tindak-lanjut/kerangka/{fw.id}/pita", data=bad)
    assert response.status_code == 422
    assert "Pita B (78,00-89,50) dan A (89,00-100,00) tumpang tindih" in response.get_data(
        as_text=True
    )
    good = table([("A", "90.00", "100.00"), ("B", "78.00", "89.99"), ("C", "54.00", "77.99"),
                  ("D", "32.00", "53.99"), ("E", "0.00", "31.99")])  # fmt: skip
    assert client.post(f"/tindak-lanjut/kerangka/{fw.id}/pita", data=good).status_code == 302
    db.session.expire_all()
    assert not _fw(db, "OMBUDSMAN-2025").bands_provisional
    page = client.get(f"/tindak-lanjut/kerangka/{fw.id}").get_data(as_text=True)
    assert 'id="bands-provisional"' not in page


def test_framework_workbook_carries_method_legal_basis_and_product_flags(
    ombudsman, client, login_as, db
):
    fw = _fw(db, "OMBUDSMAN-2025")
    login_as("admin")
    data = client.get(f"/tindak-lanjut/kerangka/{fw.id}/ekspor.xlsx").data
    wb = load_workbook(io.BytesIO(data))
    head = [c.value for c in wb["Kerangka"][1]]
    row = dict(zip(head, [c.value for c in wb["Kerangka"][2]], strict=False))
    assert row["metode"] == fw.method and row["opini_tanpa_maladministrasi"] == "ya"
    ind_head = [c.value for c in wb["Indikator"][1]]
    assert "layanan_publik" in ind_head and "per_produk" in ind_head
    wb["Kerangka"].cell(2, head.index("dasar_hukum") + 1, "Perubahan dasar hukum")
    buffer = io.BytesIO()
    wb.save(buffer)
    response = client.post(
        "/tindak-lanjut/kerangka/impor",
        data={"file": (io.BytesIO(buffer.getvalue()), "k.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    fw = _fw(db, "OMBUDSMAN-2025")
    assert fw.legal_basis == "Perubahan dasar hukum" and fw.opinion_rule
    assert not fw.bands_provisional  # the administrator's workbook set the limits


def test_2025_result_reads_tanpa_maladministrasi_until_a_product_is_overdue(
    ombudsman, make_unit, client, login_as, db
):
    fw = _fw(db, "OMBUDSMAN-2025")
    unit = make_unit("Dinas Pelayanan Uji")
    verifier = login_as("verifier")
    response = client.post(
        "/tindak-lanjut/penilaian/baru",
        data={"framework_id": fw.id, "unit_id": unit.id, "year": 2025, "score": "90,10"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    supervision.save_product(
        None,
        kind=SupervisionKind.TINDAKAN_KOREKTIF,
        number="TK/01/2025",
        issued_on=date(2025, 3, 1),
        unit=unit,
        due_date=date(2025, 6, 30),
        followed_up_on=date(2025, 6, 1),
        actor=verifier,
    )
    supervision.save_product(  # no deadline: never blocks
        None,
        kind=SupervisionKind.SARAN_PERBAIKAN,
        number="SP/02/2025",
        issued_on=date(2025, 4, 1),
        unit=unit,
        actor=verifier,
    )
    db.session.commit()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Opini Kualitas Tertinggi Tanpa Maladministrasi" in page

    supervision.save_product(
        None,
        kind=SupervisionKind.REKOMENDASI,
        number="REK/03/2025",
        issued_on=date(2025, 5, 1),
        unit=unit,
        due_date=date(2025, 9, 30),
        actor=verifier,
    )
    db.session.commit()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tanpa Maladministrasi</span>" not in page
    assert '<span id="opinion" class="fw-semibold">Kualitas Tertinggi</span>' in page
    assert "REK/03/2025" in page


def test_district_2025_result_reads_the_opini(ombudsman, client, login_as, db):
    fw = _fw(db, "OMBUDSMAN-2025")
    login_as("verifier")
    response = client.post(
        "/tindak-lanjut/penilaian/kabupaten",
        data={"framework_id": fw.id, "year": 2025, "score": "90,50"},
    )
    assert response.status_code == 302
    page = client.get("/tindak-lanjut/penilaian").get_data(as_text=True)
    assert "<span data-opinion>Opini Kualitas Tertinggi Tanpa Maladministrasi</span>" in page
