"""A visitor registers through the public link on a phone (and gets a neutral answer);
an operator registers a delegate and shares the tickets."""

from __future__ import annotations

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.registration.models import Registration
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def test_public_registration_on_a_phone_finds_the_unit_by_typing_and_answers_neutrally(
    page, live_server, db, make_unit, make_event
):
    units = [make_unit(f"Kecamatan Contoh {i}") for i in range(30)]
    dinkes = make_unit("Dinas Kesehatan", short_name="Dinkes")
    event = make_event(invite=[*units, dinkes], quota=2, public_registration=True)
    page.goto(f"{live_server}/daftar/{event.id}")
    # no inline script: the CSP stays strict and the page still works
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.get_by_label("Cari unit kerja").fill("dinkes")
    assert page.get_by_label("Unit kerja (perangkat daerah)").input_value() == str(dinkes.id)
    page.get_by_label("NIP").fill("1986")
    page.get_by_label("Nama lengkap dengan gelar").fill("dr. Ani Suryani")
    page.get_by_label("Nomor HP/WhatsApp").fill("0812-3456-7890")
    page.get_by_role("button", name="Daftar").click()
    # a wrong NIP is explained next to the field and the name typed is kept
    assert page.get_by_text("NIP harus 18 digit").is_visible()
    assert page.get_by_label("Nama lengkap dengan gelar").input_value() == "dr. Ani Suryani"
    page.get_by_label("NIP").fill("19860926 201505 2 001")
    page.get_by_label("Cari unit kerja").fill("dinkes")
    page.get_by_role("button", name="Daftar").click()
    # The same answer for a new and a known NIP (issue 13): no ticket page, no stored data; the
    # ticket goes by e-mail when SMTP is set, else the unit operator shares it.
    page.get_by_text("data Anda sudah kami terima").wait_for()
    assert page.url.endswith(f"/daftar/{event.id}")
    assert page.get_by_text("mintalah tautan tiket").is_visible()
    db.session.expire_all()
    reg = db.session.scalar(db.select(Registration))
    assert reg is not None and reg.person.name == "dr. Ani Suryani"
    assert reg.ticket_code not in page.content()
    assert not [e for e in errors if "Content Security Policy" in e]


def test_operator_registers_a_delegate_and_gets_whatsapp_links(
    page, live_server, browser_login, db, make_unit, make_event, make_user
):
    unit = make_unit("Dinas Sosial", short_name="Dinsos")
    event = make_event(invite=[unit], quota=2)
    operator = make_user(Role.UNIT_OPERATOR, unit=unit, name="Operator Dinsos")
    browser_login(operator, PASSWORD)
    # the home page leads the operator straight to their delegates
    page.locator(f'a[href="/acara/{event.id}/delegasi"]').first.click()
    page.wait_for_url(f"{live_server}/acara/{event.id}/delegasi")
    page.get_by_label("Nama lengkap dengan gelar").fill("Budi Santoso, S.Sos")
    page.get_by_label("NIP").fill("198701012010011002")
    page.get_by_label("Nomor HP/WhatsApp").fill("+62 813 1111 2222")
    page.get_by_role("button", name="Daftarkan").click()
    assert page.get_by_text("Pendaftaran Budi Santoso, S.Sos: Terdaftar.").is_visible()
    assert page.get_by_text("1/2 kuota terpakai").is_visible()
    link = page.get_by_role("link", name="WhatsApp", exact=True)
    assert link.get_attribute("href").startswith("https://wa.me/6281311112222?text=")
    assert page.get_by_role("link", name="Bagikan semua tiket via WhatsApp").is_visible()


def test_organizer_imports_a_spreadsheet_with_preview_in_the_browser(
    page, live_server, browser_login, db, make_unit, make_event, make_user, tmp_path
):
    import io

    from openpyxl import Workbook

    unit = make_unit("Dinas Kesehatan", short_name="Dinkes")
    event = make_event(invite=[unit], quota=10)
    organizer = make_user(Role.ORGANIZER)
    wb = Workbook()
    for row in (
        ["DAFTAR PESERTA"],
        ["Nama", "NIP", "OPD", "No HP"],
        ["Ani", "198609262015052001", "Dinkes", "0812-3456-7890"],
        ["Budi", 198701012010011002, "Dinkes", ""],
    ):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(buf.getvalue())
    browser_login(organizer, PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/impor")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(path))
    # the page shows that it is working and refuses a second click while the server reads
    page.evaluate(
        "() => document.addEventListener('submit', (e) => setTimeout(() => {"
        " const b = e.target.querySelector('button[type=submit]');"
        " sessionStorage.setItem('busy', b.disabled + '|' + b.textContent); }, 0))"
    )
    page.get_by_role("button", name="Pratinjau").click()
    page.get_by_text("Baru: 1").wait_for()
    assert page.evaluate("() => sessionStorage.getItem('busy')") == "true|Membaca berkas…"
    assert page.get_by_text("Kesalahan: 1").is_visible()
    assert page.get_by_text("NIP tersimpan sebagai angka").is_visible()
    page.get_by_role("button", name="Impor 1 baris yang benar").click()
    page.get_by_text("1 peserta baru, 1 baris bermasalah.").wait_for()
    db.session.expire_all()
    assert [r.person.name for r in db.session.scalars(db.select(Registration))] == ["Ani"]
