"""One follow-up task walked in the browser: planned from an event, evidenced, verified."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.units.models import UnitKind
from tests.conftest import PASSWORD
from tests.followup import conftest as followup_fixtures
from tests.followup.conftest import PDF

pytestmark = pytest.mark.e2e

# The follow-up fixtures, shared with tests/followup.
ombudsman = followup_fixtures.ombudsman
past_event = followup_fixtures.past_event
check_in = followup_fixtures.check_in


def test_task_from_plan_to_evidence_to_verification(
    page,
    live_server,
    browser_login,
    make_user,
    make_unit,
    make_person,
    make_registration,
    ombudsman,
    past_event,
    check_in,
    tmp_path,
):
    # Public-service units: the service-standard indicators apply to them (issue 14).
    unit = make_unit("Dinas Pendidikan Uji", short_name="Disdik Uji", public_service=True)
    pkm = make_unit("Puskesmas Uji", kind=UnitKind.PUSKESMAS, public_service=True)
    event = past_event(unit, pkm, title="Sosialisasi Penilaian Kepatuhan 2025")
    check_in(make_registration(event, make_person("Ani Rahmawati", unit=unit)))
    verifier = make_user(Role.VERIFIER, name="Verifikator Organisasi")
    operator = make_user(Role.UNIT_OPERATOR, unit=unit, name="Operator Disdik")

    # Bagian Organisasi plans the follow-up from the event page.
    browser_login(verifier, PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}")
    page.locator("#followup-event-link").click()
    # The plan opens on the framework of the event's year; this test uses the 2022-2024 one.
    page.get_by_label("Kerangka").select_option(str(ombudsman.id))
    page.wait_for_url(f"**framework_id={ombudsman.id}**")
    page.get_by_label("Maklumat pelayanan (publikasi dan substansi)").check()
    page.get_by_label("Tenggat").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Simpan rencana dan buat tugas").click()
    # One task per unit, plus a catch-up task for the puskesmas that did not attend.
    page.get_by_text("Rencana tindak lanjut disimpan: 3 tugas baru").wait_for()
    assert page.locator("#plan-progress").get_by_text("tidak hadir").is_visible()  # the puskesmas

    # The unit operator finds the task, uploads the signed maklumat and submits.
    page.context.clear_cookies()
    browser_login(operator, PASSWORD)
    page.goto(f"{live_server}/tindak-lanjut/")
    page.get_by_role("link", name="Maklumat pelayanan (publikasi dan substansi)").click()
    assert page.get_by_text("Ani Rahmawati").is_visible()  # who attended is in charge
    bad = tmp_path / "maklumat.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    page.get_by_label("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; maks. 10 MB)").set_input_files(bad)
    page.get_by_role("button", name="Unggah berkas").click()
    page.get_by_text("Isi berkas tidak sesuai dengan ekstensi .pdf").wait_for()
    good = tmp_path / "maklumat-ttd.pdf"
    good.write_bytes(PDF)
    page.get_by_label("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; maks. 10 MB)").set_input_files(good)
    page.get_by_role("button", name="Unggah berkas").click()
    page.get_by_text("Bukti diunggah.").wait_for()
    assert page.get_by_role("link", name="maklumat-ttd.pdf").is_visible()
    page.get_by_label("Catatan untuk verifikator").fill("Maklumat sudah dipajang di loket.")
    page.get_by_role("button", name="Ajukan").click()
    page.get_by_text("Tugas diajukan untuk diverifikasi.").wait_for()
    assert page.locator("#task-status").inner_text() == "Diajukan"
    task_url = page.url

    # The verifier opens the evidence and verifies.
    page.context.clear_cookies()
    browser_login(verifier, PASSWORD)
    page.goto(task_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="maklumat-ttd.pdf").click()
    assert download.value.suggested_filename == "maklumat-ttd.pdf"
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_text("Tugas terverifikasi.").wait_for()
    assert page.locator("#task-status").inner_text() == "Terverifikasi"
    history = page.locator("#task-history").inner_text()
    assert "Operator Disdik" in history and "Verifikator Organisasi" in history

    # The dashboard counts it, and draws its chart.
    page.goto(f"{live_server}/tindak-lanjut/dasbor")
    row = page.locator("#readiness tr", has_text="Dinas Pendidikan Uji")
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "1/1" and "1/1" in cells[3]  # attended 1 of 1 event; 1 of 1 verified
    page.locator("canvas[data-drawn='1']").wait_for(state="attached")
