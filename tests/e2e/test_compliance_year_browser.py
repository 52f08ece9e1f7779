"""Bagian Organisasi's compliance year in the browser (issue 14): set the target, enter the
lokus, create a plan from its preview, verify evidence, download the bundle and the nota dinas."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sosialisasi.auth.models import Role
from sosialisasi.documents.services import seed_letterhead
from sosialisasi.followup.models import FollowUpTask, Framework
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services
from sosialisasi.followup.services.assessments import record_assessment
from sosialisasi.units.models import ServiceProduct
from tests.conftest import PASSWORD
from tests.followup import conftest as followup_fixtures
from tests.followup.conftest import PDF

pytestmark = pytest.mark.e2e

ombudsman = followup_fixtures.ombudsman
past_event = followup_fixtures.past_event
check_in = followup_fixtures.check_in


def test_bagian_organisasi_runs_the_year(
    page, live_server, browser_login, make_user, make_unit, make_person, make_registration,
    ombudsman, past_event, check_in, db, app,
):  # fmt: skip
    seed_letterhead()
    capil = make_unit("Dinas Kependudukan Uji", short_name="Capil Uji", public_service=True)
    capil.products.append(ServiceProduct(name="KTP-el"))
    dinsos = make_unit("Dinas Sosial Uji", public_service=True)
    hukum = make_unit("Bagian Hukum Uji")
    record_assessment(capil, ombudsman, year=2024, score="86.00", actor=None)
    event = past_event(capil, dinsos, hukum, title="Sosialisasi Penilaian Maladministrasi")
    check_in(make_registration(event, make_person("Rina Lestari", unit=capil)))
    verifier = make_user(Role.VERIFIER, name="Verifikator Organisasi")
    operator = make_user(Role.UNIT_OPERATOR, unit=capil, name="Operator Capil")
    db.session.commit()
    year = event.starts_at.year
    fw = db.session.scalar(select(Framework).where(Framework.code == f"OMBUDSMAN-{year}"))
    by_code = {i.code: i for i in fw.indicators}

    browser_login(verifier, PASSWORD)
    # 1. The target of the year.
    page.goto(f"{live_server}/tindak-lanjut/tahun/{year}")
    page.get_by_label("Target kategori (mis. A)").fill("A")
    page.get_by_label("Target skor (mis. 90,00)").fill("90,00")
    page.get_by_role("button", name="Simpan target").click()
    page.get_by_text(f"Target dan batas waktu tahun {year} disimpan.").wait_for()
    # 2. The lokus, pasted from the Ombudsman's list.
    page.locator("#lokus").fill("Capil Uji; KTP-el\nDinas Sosial Uji")
    page.get_by_role("button", name="Simpan lokus").click()
    page.get_by_text(f"Lokus {year} disimpan: 2 baris.").wait_for()
    standing = page.locator("#standing").inner_text()
    assert "kurang" in standing and "Dinas Sosial Uji" in standing  # belum dinilai, left out

    # 3. The plan from the event, previewed first.
    page.goto(f"{live_server}/tindak-lanjut/acara/{event.id}")
    page.locator(f"#ind-{by_code['M-PR-03'].id}").check()  # per service product
    page.locator(f"#ind-{by_code['M-PG-03'].id}").check()  # management: every unit
    page.get_by_role("button", name="Pratinjau jumlah tugas").click()
    preview = page.locator("#plan-preview")
    preview.wait_for()
    # Capil: KTP-el + M-PG-03; Dinsos: M-PR-03 + M-PG-03 + catch-up; Hukum: M-PG-03 + catch-up.
    assert page.locator("#preview-total").inner_text() == "7"
    page.get_by_role("button", name="Simpan rencana dan buat tugas").click()
    page.get_by_text("Rencana tindak lanjut disimpan: 7 tugas baru").wait_for()

    # 4. The unit uploads its evidence (service calls), the verifier verifies in the browser.
    task = db.session.scalar(
        select(FollowUpTask).where(
            FollowUpTask.unit_id == capil.id, FollowUpTask.service_product_id.is_not(None)
        )
    )
    evidence_services.add_evidence_file(
        task, filename="papan-ktp-el.pdf", data=PDF,
        upload_folder=app.config["UPLOAD_FOLDER"], actor=operator,
    )  # fmt: skip
    db.session.commit()
    task_services.submit_task(task, actor=operator)
    db.session.commit()
    page.goto(f"{live_server}/tindak-lanjut/tugas/{task.id}")
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_text("Tugas terverifikasi.").wait_for()

    # 5. The evidence bundle for the field visit.
    page.goto(f"{live_server}/tindak-lanjut/unit/{capil.id}")
    page.locator("#bundle-link").click()  # made by a job (issue 18): its page offers the ZIP
    page.wait_for_url("**/tugas/*")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh hasil").click()
    with open(download.value.path(), "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert any(n.endswith("/KTP-el/papan-ktp-el.pdf") for n in names)
    assert "00-indeks-bukti.pdf" in names

    # 6. The nota dinas to the Sekda.
    page.goto(f"{live_server}/tindak-lanjut/tahun/{year}")
    page.locator("#nota-nomor").fill("000.8/45/Org")
    page.locator("#nota-nama").fill("Kepala Bagian Contoh")
    with page.expect_download() as download:
        page.locator("#nota-pdf").click()
    with open(download.value.path(), "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(handle).pages)
    assert "NOTA DINAS" in text and "000.8/45/Org" in text and "Kepala Bagian Contoh" in text
