"""In a real browser: self check-in from the projector QR, a stale code refused, and the live
dashboard updating itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sosialisasi.attendance import services
from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.common.types import utcnow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture()
def running_event(make_event, make_unit, make_person, make_registration):
    unit = make_unit("Dinas Kesehatan")
    other = make_unit("Kecamatan Cibitung")
    start = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    event = make_event(starts_at=start, hours=4, invite=[unit, other], self_checkin_enabled=True)
    person = make_person(
        "Siti Aminah, S.Kep.", unit=unit, nip="198609262015052001", phone="+6281234567890"
    )
    reg = make_registration(event, person)
    return event, reg


def test_participant_checks_in_from_projector_qr_and_stale_code_is_refused(
    page, live_server, browser_login, launch_browser, make_user, running_event, db
):
    event, reg = running_event
    organizer = make_user(Role.ORGANIZER)
    browser_login(organizer, PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/hadir-mandiri/layar")
    qr = page.locator("#self-checkin-qr")
    qr.wait_for()
    # (no wait_for_function: its polling evaluates strings, which the CSP forbids)
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    url = page.locator('[data-field="url"]').inner_text().strip()
    assert f"/hadir/{event.id}?k=" in url

    # The participant's own phone: not logged in.
    phone = launch_browser().new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    participant = phone.new_page()
    participant.set_default_timeout(10_000)
    participant.goto(url)
    participant.get_by_label("NIP atau tautan/kode tiket").fill("19860926 201505 2 001")
    participant.get_by_label("4 angka terakhir nomor HP").fill("7890")
    participant.get_by_role("button", name="Saya hadir").click()
    answer = participant.locator('#self-checkin-answer[data-result="ok"]')
    answer.wait_for()
    assert "text-bg-success" in answer.get_attribute("class")
    # A typed NIP: the answer thanks without naming anyone (issue 13).
    assert "kehadiran Anda tercatat" in answer.inner_text()
    assert "Siti Aminah" not in answer.inner_text()
    db.session.expire_all()
    row = db.session.scalar(select(CheckIn).where(CheckIn.registration_id == reg.id))
    assert row is not None and row.method is CheckInMethod.SELF

    # A photo of the QR sent over WhatsApp and opened later: the code is stale.
    old = services.token(event, services.window_number() - 3)
    participant.goto(f"{live_server}/hadir/{event.id}?k={old}")
    refused = participant.locator('#self-checkin-answer[data-result="refused"]')
    refused.wait_for()
    assert "Kode QR sudah kedaluwarsa" in refused.inner_text()
    assert participant.get_by_label("NIP atau tautan/kode tiket").count() == 0
    phone.close()


def test_dashboard_refreshes_itself_when_someone_checks_in(
    page, live_server, browser_login, make_user, make_person, make_registration, running_event, db
):
    event, reg = running_event
    organizer = make_user(Role.ORGANIZER)
    browser_login(organizer, PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/kehadiran")
    present = page.locator('.stat[data-field="present"]')
    assert present.inner_text() == "0"
    page.locator("#attendance-dashboard[data-loaded]").wait_for(state="attached")
    # The chart is drawn by the vendored Chart.js.
    assert page.evaluate("!!window.Chart && !!Chart.getChart('attendance-chart')")
    nobody = page.locator("#unit-rows tr.table-danger")
    assert nobody.count() == 2

    db.session.add(
        CheckIn(registration_id=reg.id, session_id=event.sessions[0].id, method=CheckInMethod.QR)
    )
    db.session.commit()
    expect(present).to_have_text("1", timeout=15_000)
    assert page.locator("#unit-rows tr.table-danger").count() == 1
    assert "Kecamatan Cibitung" in page.locator("#unit-rows tr.table-danger").inner_text()


def test_projector_swaps_the_qr_when_the_window_changes(
    page, live_server, browser_login, make_user, running_event, monkeypatch
):
    # Short windows so that the test sees a change quickly (the real window is 45 s).
    monkeypatch.setattr(services, "WINDOW_SECONDS", 2)
    event, _ = running_event
    browser_login(make_user(Role.ORGANIZER), PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/hadir-mandiri/layar")
    url = page.locator('[data-field="url"]')
    first = url.inner_text()
    expect(url).not_to_have_text(first, timeout=15_000)
    src = page.locator("#self-checkin-qr").get_attribute("src")
    assert src.endswith(f"w={page.locator('#self-checkin-display').get_attribute('data-window')}")
    assert page.locator('[data-field="error"]').is_hidden()
