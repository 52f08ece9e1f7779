"""The organizer ticks registrations on the list, runs "Setujui" and reads the counts
(issue 16, bulk work); the rows of the page can be ticked at once."""

from __future__ import annotations

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.registration.models import Registration, RegistrationStatus
from tests.conftest import PASSWORD
from tests.e2e.axe import violations

pytestmark = pytest.mark.e2e
RS = RegistrationStatus


def test_organizer_selects_rows_and_approves_them(
    page,
    live_server,
    browser_login,
    db,
    make_unit,
    make_event,
    make_user,
    make_person,
    make_registration,
):
    unit = make_unit("Dinas Sosial", short_name="Dinsos")
    event = make_event(invite=[unit], quota=3, requires_approval=True)
    names = ["Ani Lestari", "Budi Santoso", "Citra Dewi", "Dedi Kurnia"]
    regs = [
        make_registration(event, make_person(name, unit=unit), status=RS.PENDING) for name in names
    ]
    organizer = make_user(Role.ORGANIZER, name="Panitia")
    browser_login(organizer, PASSWORD)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/acara/{event.id}/pendaftaran?status=pending")
    assert not violations(page)

    # Tick every row of the page, then leave Dedi out: three are selected.
    page.get_by_label("Pilih semua di halaman ini").check()
    page.get_by_text("4 dipilih di halaman ini").wait_for()
    page.get_by_label("Pilih Dedi Kurnia").uncheck()
    page.get_by_text("3 dipilih di halaman ini").wait_for()
    page.locator("#bulk").get_by_role("button", name="Setujui", exact=True).click()

    # Back on the same filtered list, with the counts.
    page.get_by_text("3 pendaftaran disetujui.").wait_for()
    assert "status=pending" in page.url
    assert page.locator("tbody").get_by_text("Dedi Kurnia").is_visible()
    assert page.locator("tbody").get_by_text("Ani Lestari").count() == 0

    # The quota of three is now used: approving Dedi is skipped, and the message says why.
    page.get_by_label("Pilih Dedi Kurnia").check()
    page.locator("#bulk").get_by_role("button", name="Setujui", exact=True).click()
    page.get_by_text("0 pendaftaran disetujui; 1 dilewati: kuota unit penuh.").wait_for()

    # Cancelling asks first, saying how many people in which states.
    page.get_by_label("Pilih Dedi Kurnia").check()
    page.locator("#bulk").get_by_role("button", name="Batalkan", exact=True).click()
    page.get_by_text("1 orang akan dibatalkan:").wait_for()
    assert "Menunggu persetujuan: 1" in page.locator("#bulk-confirm-summary").inner_text()
    assert not violations(page)
    page.get_by_role("link", name="Kembali").click()
    page.wait_for_url("**/pendaftaran?status=pending")

    db.session.expire_all()
    statuses = {r.person.name: db.session.get(Registration, r.id).status for r in regs}
    assert statuses == {
        "Ani Lestari": RS.REGISTERED,
        "Budi Santoso": RS.REGISTERED,
        "Citra Dewi": RS.REGISTERED,
        "Dedi Kurnia": RS.PENDING,
    }
    assert not [e for e in errors if "Content Security Policy" in e]
