"""Score bands are exact at their boundaries; the district score is the plain unit average."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sosialisasi.cli import run_seed
from sosialisasi.common.errors import DomainError
from sosialisasi.followup import queries
from sosialisasi.followup.models import Assessment, Framework, ScoreBand
from sosialisasi.followup.services import assessments as assessment_services
from sosialisasi.followup.services.scores import BandData, band_for, check_bands
from sosialisasi.units.services import root_unit


@pytest.mark.parametrize(
    ("score", "category"),
    [
        ("100", "A"),
        ("88.00", "A"),
        ("87.99", "B"),
        ("78.00", "B"),
        ("77.99", "C"),
        ("54.00", "C"),
        ("53.99", "D"),
        ("32.00", "D"),
        ("31.99", "E"),
        ("0", "E"),
    ],
)
def test_ombudsman_band_boundaries_are_exact(ombudsman, score, category):
    band = band_for(ombudsman, Decimal(score))
    assert band.category == category


def test_three_zone_bands_of_2013_2021(ombudsman, db):
    zones = db.session.scalar(select(Framework).where(Framework.code == "OMBUDSMAN-2013"))
    assert band_for(zones, Decimal("81.00")).zone == "hijau"
    assert band_for(zones, Decimal("80.99")).zone == "kuning"
    assert band_for(zones, Decimal("51.00")).zone == "kuning"
    assert band_for(zones, Decimal("50.99")).zone == "merah"


def _rows(*bands):
    return [BandData(c, lo, hi, "z") for c, lo, hi in bands]


def test_band_tables_with_gaps_or_overlaps_are_refused():
    with pytest.raises(DomainError, match="celah antara pita B"):
        check_bands(_rows(("A", "88.01", "100"), ("B", "78", "87.99"), ("C", "0", "77.99")))
    with pytest.raises(DomainError, match="tumpang tindih"):
        check_bands(_rows(("A", "87.99", "100"), ("B", "78", "87.99"), ("C", "0", "77.99")))
    with pytest.raises(DomainError, match="nilai 0,00 sampai 0.99"):
        check_bands(_rows(("A", "1", "100")))
    with pytest.raises(DomainError, match="sampai 100,00"):
        check_bands(_rows(("A", "0", "99.98")))
    with pytest.raises(DomainError, match="dua kali"):
        check_bands(_rows(("A", "50", "100"), ("a", "0", "49.99")))
    assert len(check_bands(_rows(("A", "50", "100"), ("B", "0", "49.99")))) == 2


def test_admin_saving_a_band_table_with_a_gap_is_refused_and_nothing_changes(
    client, login_as, ombudsman, db
):
    login_as("admin")
    data = {}
    rows = [
        ("A", "88.01", "100", "hijau"),
        ("B", "78.00", "87.99", "hijau"),
        ("C", "0", "77.99", "kuning"),
    ]
    for n, (cat, lo, hi, zone) in enumerate(rows):
        data |= {
            f"bands-{n}-category": cat,
            f"bands-{n}-min_score": lo,
            f"bands-{n}-max_score": hi,
            f"bands-{n}-zone": zone,
        }
    response = client.post(f"/tindak-lanjut/kerangka/{ombudsman.id}/pita", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ada celah antara pita B (sampai 87,99) dan A (mulai 88,01)" in page
    assert 'value="88.01"' in page  # what was typed is kept
    count = db.session.scalar(
        select(func.count(ScoreBand.id)).where(ScoreBand.framework_id == ombudsman.id)
    )
    assert count == 5
    assert band_for(ombudsman, Decimal("88.00")).category == "A"


def test_admin_saves_a_valid_band_table(client, login_as, ombudsman, db):
    login_as("admin")
    data = {}
    rows = [
        ("A", "88.01", "100", "hijau tua"),
        ("B", "78.00", "88.00", "hijau muda"),
        ("C", "0", "77.99", "kuning"),
    ]
    for n, (cat, lo, hi, zone) in enumerate(rows):
        data |= {
            f"bands-{n}-category": cat,
            f"bands-{n}-min_score": lo,
            f"bands-{n}-max_score": hi,
            f"bands-{n}-zone": zone,
        }
    response = client.post(f"/tindak-lanjut/kerangka/{ombudsman.id}/pita", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert band_for(ombudsman, Decimal("88.00")).category == "B"
    assert {b.category for b in ombudsman.bands} == {"A", "B", "C"}


def test_bekasi_2022_average_is_73_02_category_c_and_history_shows_2023_2024(
    app, db, client, login_as
):
    run_seed()
    run_seed()  # idempotent
    db.session.commit()
    assert db.session.scalar(select(func.count(Assessment.id))) == 7
    history = {h["year"]: h for h in queries.district_history(root_unit())}
    assert history[2022]["average"] == Decimal("73.02")
    assert history[2022]["band"].category == "C"
    assert history[2022]["band"].zone == "kuning"
    assert history[2023]["score"] == Decimal("83.22")
    assert history[2023]["band"].category == "B"
    assert history[2024]["score"] == Decimal("87.88")
    assert history[2024]["band"].category == "B"  # 0.12 short of A
    login_as("verifier")
    page = client.get("/tindak-lanjut/penilaian").get_data(as_text=True)
    assert "73,02" in page and "PKM Cikarang" in page and "87,88" in page
    assert 'data-followup-chart="line"' in page


def test_recording_an_assessment_derives_its_category(client, login_as, ombudsman, make_unit, db):
    unit = make_unit("Dinas Uji")
    login_as("verifier")
    response = client.post(
        "/tindak-lanjut/penilaian/baru",
        data={
            "framework_id": ombudsman.id,
            "unit_id": unit.id,
            "year": 2024,
            "score": "87,99",
            "notes": "hasil resmi",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "87,99" in page and "Kualitas Tinggi" in page
    # A year outside the framework is refused next to the field, with input kept.
    response = client.post(
        "/tindak-lanjut/penilaian/baru",
        data={"framework_id": ombudsman.id, "unit_id": unit.id, "year": 2019, "score": "70"},
    )
    assert "bukan untuk tahun 2019" in response.get_data(as_text=True)


def test_dimension_points_must_fit_their_weight_and_sum_to_the_total(ombudsman, make_unit):
    unit = make_unit()
    with pytest.raises(DomainError, match="antara 0 dan 21.85"):
        assessment_services.record_assessment(
            unit, ombudsman, year=2023, score=None, dimension_points={"INPUT": "22"}, actor=None
        )
    points = {"INPUT": "20", "PROSES": "30", "OUTPUT": "20", "PENGADUAN": "10"}
    a = assessment_services.record_assessment(
        unit, ombudsman, year=2023, score=None, dimension_points=points, actor=None
    )
    assert a.score == Decimal("80.00")
    with pytest.raises(DomainError, match="tidak sama"):
        assessment_services.record_assessment(
            unit, ombudsman, year=2023, score="70", dimension_points=points, actor=None
        )
