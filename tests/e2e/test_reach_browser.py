"""Reach every invited unit (issue 16 item 2) in a real browser at 390 px: the organizer makes
operator accounts for two invited units from a CSV, prints the sheet, and one operator logs in
and is made to choose a new password first. axe-core over the pages opened."""

from __future__ import annotations

import pytest

from sosialisasi.auth.models import Role
from tests.conftest import PASSWORD
from tests.e2e.axe import violations

pytestmark = pytest.mark.e2e


def test_accounts_from_a_csv_then_the_first_login_changes_the_password(
    page, live_server, browser_login, make_event, make_unit, make_user, tmp_path, db
):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES")
    dinsos = make_unit("Dinas Sosial", code="DINSOS")
    event = make_event(invite=[dinkes, dinsos])
    organizer = make_user(Role.ORGANIZER)
    csv = tmp_path / "operator.csv"
    csv.write_text(
        "nama;unit;e-mail;telepon\n"
        "Sari Operator;DINKES;sari@bekasikab.go.id;6281234567890\n"
        "Budi Operator;Dinas Sosial;;0813-1111-2222\n"
        "Salah Unit;Dinas Tidak Ada;;\n",
        encoding="utf-8",
    )
    browser_login(organizer, PASSWORD)

    page.goto(f"{live_server}/acara/{event.id}/akun-operator")
    page.get_by_role("link", name="buat dari berkas CSV").click()
    page.get_by_label("Berkas (.csv atau .xlsx)").set_input_files(str(csv))
    page.get_by_role("button", name="Pratinjau").click()
    page.get_by_text("2 baris siap dibuat, 1 baris bermasalah").wait_for()
    assert "tidak dikenal" in page.locator('tr[data-row="4"]').inner_text()
    assert not violations(page)
    page.get_by_role("button", name="Buat 2 akun operator").click()

    sheet = page.locator("#lembar-akun")
    sheet.wait_for()
    assert not violations(page)
    rows = {
        cells[0]: (cells[1], cells[2])
        for cells in (
            [c.strip() for c in row.split("\t")]
            for row in sheet.locator("tbody tr").all_inner_texts()
        )
    }
    assert set(rows) == {"Dinas Kesehatan", "Dinas Sosial"}
    username, password = rows["Dinas Kesehatan"]
    assert username == "op-dinkes"

    page.context.clear_cookies()  # the operator, on their own device
    page.goto(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server}/akun/kata-sandi")
    page.get_by_text("Ganti kata sandi awal Anda sebelum melanjutkan.").wait_for()
    page.goto(f"{live_server}/beranda")  # anything else leads back here
    page.wait_for_url(f"{live_server}/akun/kata-sandi")
    page.get_by_label("Kata sandi saat ini").fill(password)
    page.get_by_label("Kata sandi baru", exact=True).fill("Sandi-baru-2026")
    page.get_by_label("Ulangi kata sandi baru").fill("Sandi-baru-2026")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(f"{live_server}/beranda")
    page.get_by_text("Kata sandi berhasil diubah").wait_for()


def test_unit_link_copy_and_the_fixed_unit_form(
    page, live_server, browser_login, make_event, make_unit, make_user, db
):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES")
    dinsos = make_unit("Dinas Sosial", code="DINSOS")
    event = make_event(invite=[dinkes, dinsos])
    organizer = make_user(Role.ORGANIZER)
    browser_login(organizer, PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/tautan-unit")
    page.get_by_role("button", name="Buat untuk 2 unit tanpa operator").click()
    page.get_by_text("2 tautan unit dibuat.").wait_for()
    assert not violations(page)
    row = page.locator('#tautan-unit tr[data-unit="Dinas Sosial"]')
    url = row.get_by_role("textbox", name="Tautan untuk Dinas Sosial").input_value()
    row.get_by_role("button", name="Salin tautan").click()
    row.get_by_role("button", name="Tersalin").wait_for()
    assert (
        row.get_by_role("link", name="Kirim lewat WhatsApp")
        .get_attribute("href")
        .startswith("https://wa.me/?text=")
    )
    page.goto(f"{live_server}/acara/{event.id}/templat-pesan")
    page.get_by_label("Pesan").fill("Halo {unit}, {jam}")
    page.get_by_role("button", name="Pratinjau").click()
    page.get_by_text("Isian tidak dikenal: {jam}").wait_for()
    assert not violations(page)

    page.context.clear_cookies()  # a visitor from Dinas Sosial
    page.goto(url)
    page.locator("#unit-tetap").get_by_text("Dinas Sosial").wait_for()
    assert page.locator("select#unit_id").count() == 0
    assert not violations(page)
