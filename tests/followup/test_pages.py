"""Every follow-up page opens for the roles that use it, in Indonesian, without inline scripts."""

from __future__ import annotations

from datetime import date, timedelta

from sosialisasi.cli import run_seed
from sosialisasi.followup.models import Assessment, Framework
from sosialisasi.followup.services import tasks as task_services


def test_every_followup_page_renders_for_an_admin(client, login_as, db, past_event, make_user):
    run_seed()
    db.session.commit()
    framework = db.session.query(Framework).filter_by(code="OMBUDSMAN-2022").one()
    assessment = db.session.query(Assessment).order_by(Assessment.id).first()
    event = past_event()
    unit = event.invitations[0].unit
    task = task_services.create_task(
        unit,
        title="Publikasikan SK standar pelayanan",
        due_date=date.today() + timedelta(days=9),
        actor=make_user("verifier"),
    )
    db.session.commit()
    login_as("admin")
    dim, ind = framework.dimensions[0], framework.indicators[0]
    pages = {
        "/tindak-lanjut/dasbor": "Kesiapan tindak lanjut perangkat daerah",
        "/tindak-lanjut/dasbor?semua=1&urut=unit": "Sekretariat Daerah",
        f"/tindak-lanjut/unit/{unit.id}": "Publikasikan SK standar pelayanan",
        "/tindak-lanjut/tugas": "Publikasikan SK standar pelayanan",
        "/tindak-lanjut/tugas?terlambat=1": "Tidak ada tugas.",
        "/tindak-lanjut/tugas/baru": "Tugas tindak lanjut baru",
        f"/tindak-lanjut/tugas/{task.id}": "Bukti",
        f"/tindak-lanjut/acara/{event.id}": "Buat rencana",
        "/tindak-lanjut/kerangka": "Daftar periksa standar pelayanan",
        f"/tindak-lanjut/kerangka/{framework.id}": "Pengaduan",
        "/tindak-lanjut/kerangka/baru": "Kerangka baru",
        f"/tindak-lanjut/kerangka/{framework.id}/ubah": "Ubah kerangka",
        f"/tindak-lanjut/kerangka/{framework.id}/dimensi": "Dimensi baru",
        f"/tindak-lanjut/kerangka/{framework.id}/dimensi/{dim.id}": "21,85",
        f"/tindak-lanjut/kerangka/{framework.id}/indikator": "Indikator baru",
        f"/tindak-lanjut/kerangka/{framework.id}/indikator/{ind.id}": ind.name,
        f"/tindak-lanjut/kerangka/{framework.id}/pita": "Kualitas Tertinggi",
        "/tindak-lanjut/kerangka/impor": "Impor kerangka dari XLSX",
        "/tindak-lanjut/penilaian": "73.02",
        "/tindak-lanjut/penilaian/baru": "Catat hasil penilaian resmi",
        f"/tindak-lanjut/penilaian/{assessment.id}": "Kualitas",
        "/beranda": "Tindak lanjut",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert text in html, url
        assert "<script>" not in html, url  # no inline scripts (CSP)


def test_unit_operator_event_page_links_to_their_tasks(client, login_as, past_event, db):
    event = past_event()
    unit = event.invitations[0].unit
    login_as("unit_operator", unit=unit)
    html = client.get(f"/acara/{event.id}").get_data(as_text=True)
    assert f"/tindak-lanjut/tugas?acara={event.id}" in html
    assert client.get(f"/tindak-lanjut/acara/{event.id}").status_code == 403
