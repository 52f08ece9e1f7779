"""Frameworks are data: admins edit them in the UI and move them as XLSX."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from sosialisasi.followup.models import Framework, Indicator


def _export(client, framework) -> bytes:
    response = client.get(f"/tindak-lanjut/kerangka/{framework.id}/ekspor.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.data


def _import(client, data: bytes):
    return client.post(
        "/tindak-lanjut/kerangka/impor",
        data={"file": (io.BytesIO(data), "kerangka.xlsx")},
        content_type="multipart/form-data",
    )


def test_framework_exported_then_imported_as_a_new_year(client, login_as, ombudsman, db):
    login_as("admin")
    workbook = load_workbook(io.BytesIO(_export(client, ombudsman)))
    assert workbook.sheetnames == ["Kerangka", "Dimensi", "Indikator", "Pita"]
    assert workbook["Indikator"].max_row == 1 + len(ombudsman.indicators)
    head = workbook["Kerangka"]
    # (OMBUDSMAN-2025 is seeded now; the import makes a framework of another code.)
    head["A2"], head["B2"], head["D2"], head["E2"] = "UJI-2025", "Metode 2025", 2025, None
    workbook["Pita"]["B2"] = "90.00"  # A from 90
    workbook["Pita"]["C3"] = "89.99"  # B up to 89.99
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _import(client, buffer.getvalue())
    assert response.status_code == 302
    new = db.session.scalar(select(Framework).where(Framework.code == "UJI-2025"))
    assert new.year_from == 2025 and new.year_to is None
    assert len(new.indicators) == len(ombudsman.indicators)
    assert str(new.total_weight) == "100.00"
    assert {b.category: str(b.min_score) for b in new.bands}["A"] == "90.00"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Metode 2025" in page and "90,00-100,00" in page


def test_import_with_overlapping_bands_is_refused_and_nothing_saved(
    client, login_as, ombudsman, db
):
    login_as("admin")
    workbook = load_workbook(io.BytesIO(_export(client, ombudsman)))
    workbook["Kerangka"]["A2"] = "RUSAK-2025"
    workbook["Pita"]["B2"] = "87.00"  # A overlaps B
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _import(client, buffer.getvalue())
    assert response.status_code == 200
    assert "tumpang tindih" in response.get_data(as_text=True)
    assert db.session.scalar(select(Framework).where(Framework.code == "RUSAK-2025")) is None


def test_import_of_a_non_xlsx_file_is_refused(client, login_as, ombudsman):
    login_as("admin")
    response = _import(client, b"bukan excel")
    assert "XLSX" in response.get_data(as_text=True)


def test_admin_edits_an_indicator_and_limits_it_to_unit_kinds(client, login_as, ombudsman, db):
    login_as("admin")
    indicator = next(i for i in ombudsman.indicators if i.code == "PR-07")
    response = client.post(
        f"/tindak-lanjut/kerangka/{ombudsman.id}/indikator/{indicator.id}",
        data={
            "dimension_id": indicator.dimension_id,
            "code": "PR-07",
            "name": "Pelayanan khusus bagi difabel, lansia dan ibu hamil",
            "evidence_hint": "Foto loket prioritas",
            "unit_kinds": ["puskesmas", "rsud"],
            "position": 22,
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Indicator, indicator.id)
    assert edited.unit_kinds == ["puskesmas", "rsud"]
    assert not edited.applies_to("dinas") and edited.applies_to("rsud")
    # A code that is already used is refused next to the field.
    response = client.post(
        f"/tindak-lanjut/kerangka/{ombudsman.id}/indikator",
        data={"dimension_id": indicator.dimension_id, "code": "PR-01", "name": "Ganda"},
    )
    assert "Indikator PR-01 sudah ada." in response.get_data(as_text=True)


def test_dimension_weights_cannot_exceed_100(client, login_as, ombudsman):
    login_as("admin")
    response = client.post(
        f"/tindak-lanjut/kerangka/{ombudsman.id}/dimensi",
        data={"code": "EXTRA", "name": "Tambahan", "weight": "5"},
    )
    assert "lebih dari 100" in response.get_data(as_text=True)


def test_verifier_reads_frameworks_but_cannot_edit_them(client, login_as, ombudsman):
    login_as("verifier")
    page = client.get(f"/tindak-lanjut/kerangka/{ombudsman.id}").get_data(as_text=True)
    assert "21,85" in page and "Kualitas Tertinggi" in page
    assert client.get(f"/tindak-lanjut/kerangka/{ombudsman.id}/pita").status_code == 403
    assert client.post("/tindak-lanjut/kerangka/impor").status_code == 403


def test_a_framework_code_outside_latin1_still_exports(client, login_as, ombudsman, db):
    """Issue 13: ``IKM₂ 2026`` went raw into filename="..." and the export answered 500."""
    ombudsman.code = "IKM₂ 2026"
    db.session.commit()
    login_as("verifier")
    response = client.get(f"/tindak-lanjut/kerangka/{ombudsman.id}/ekspor.xlsx")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert header.isascii()
    assert 'filename="kerangka-ikm2-2026.xlsx"' in header
    assert "filename*=UTF-8''kerangka-ikm%E2%82%82%202026.xlsx" in header
    assert load_workbook(io.BytesIO(response.data))["Kerangka"]["A2"].value == "IKM₂ 2026"
