"""Bagian Organisasi's bulk work in the browser (issue 16): filter the task list by indicator,
choose tasks, give them a new deadline (a past one needs a confirmation); the verified task is
left alone and the filter is still applied afterwards. And an evidence image shows inline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.followup.models import FollowUpTask
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services
from tests.conftest import PASSWORD
from tests.e2e.axe import violations
from tests.followup import conftest as followup_fixtures
from tests.followup.conftest import PDF, PNG

pytestmark = pytest.mark.e2e

ombudsman = followup_fixtures.ombudsman
SOON = date.today() + timedelta(days=20)


def test_filter_by_indicator_choose_tasks_and_change_their_deadline(
    page, live_server, browser_login, make_user, make_unit, ombudsman, db
):
    by_code = {i.code: i for i in ombudsman.indicators}
    dinkes = make_unit("Dinas Kesehatan Peramban", short_name="Dinkes P", public_service=True)
    dinsos = make_unit("Dinas Sosial Peramban", short_name="Dinsos P", public_service=True)
    verifier = make_user(Role.VERIFIER, name="Verifikator Peramban")
    operator = make_user(Role.UNIT_OPERATOR, unit=dinkes)

    def task(unit, code, title):
        return task_services.create_task(
            unit, title=title, indicator=by_code[code], due_date=SOON, actor=verifier
        )

    a = task(dinkes, "PR-06", "Maklumat Dinkes")
    b = task(dinsos, "PR-06", "Maklumat Dinsos")
    keep = task(dinsos, "PR-06", "Maklumat Dinsos cadangan")
    done = task(dinkes, "PR-06", "Maklumat Dinkes selesai")
    other = task(dinkes, "PG-03", "Pengaduan Dinkes")
    db.session.commit()
    evidence_services.add_evidence_link(done, url="https://contoh.go.id/m", actor=operator)
    task_services.submit_task(done, actor=operator)
    task_services.verify_task(done, actor=verifier)
    db.session.commit()

    browser_login(verifier, PASSWORD)
    page.goto(f"{live_server}/tindak-lanjut/tugas")
    page.locator("#f-indikator").select_option(str(by_code["PR-06"].id))
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url(f"**indikator={by_code['PR-06'].id}**")
    table = page.locator("#task-table tbody tr[data-task-id]")
    assert table.count() == 4  # the PG-03 task is filtered out
    assert page.locator(f'tr[data-task-id="{other.id}"]').count() == 0

    # Every task on the page, then one left out; the count follows.
    page.locator("#bulk-page").check()
    page.locator(f"#pilih-{keep.id}").uncheck()
    page.get_by_text("3 tugas dipilih di halaman ini.").wait_for()

    # A past deadline is refused with the choice kept.
    past = date.today() - timedelta(days=2)
    page.locator("#due_date").fill(past.isoformat())
    page.get_by_role("button", name="Ubah tenggat").click()
    page.get_by_text("sudah lewat: 2 tugas akan langsung terlambat").wait_for()
    assert page.locator(f"#pilih-{a.id}").is_checked()
    assert not page.locator(f"#pilih-{keep.id}").is_checked()
    assert page.locator("#confirm_past").is_visible()
    assert not violations(page)  # the list with its filters, bulk form and error

    new_due = date.today() + timedelta(days=40)
    page.locator("#due_date").fill(new_due.isoformat())
    page.get_by_role("button", name="Ubah tenggat").click()
    page.get_by_text(f"Tenggat 2 tugas diubah menjadi {new_due:%d-%m-%Y}.").wait_for()
    assert page.get_by_text("Dilewati 1 tugas: 1 sudah terverifikasi.").is_visible()
    # Back on the list with the indicator filter still applied.
    assert f"indikator={by_code['PR-06'].id}" in page.url
    assert page.locator("#f-indikator").input_value() == str(by_code["PR-06"].id)
    assert table.count() == 4

    db.session.expire_all()
    due = {t.id: db.session.get(FollowUpTask, t.id).due_date for t in (a, b, keep, done, other)}
    assert due == {a.id: new_due, b.id: new_due, keep.id: SOON, done.id: SOON, other.id: SOON}


def test_an_evidence_image_and_a_pdf_show_inline_on_the_task_page(
    page, live_server, browser_login, make_user, make_unit, db, app
):
    unit = make_unit("Dinas Foto Peramban", public_service=True)
    operator = make_user(Role.UNIT_OPERATOR, unit=unit)
    verifier = make_user(Role.VERIFIER)
    task = task_services.create_task(unit, title="Papan layanan", due_date=SOON, actor=verifier)
    evidence_services.add_evidence_file(
        task, filename="papan.png", data=PNG, upload_folder=app.config["UPLOAD_FOLDER"],
        actor=operator,
    )  # fmt: skip
    pdf = evidence_services.add_evidence_file(
        task, filename="sk.pdf", data=PDF, upload_folder=app.config["UPLOAD_FOLDER"],
        actor=operator,
    )  # fmt: skip
    db.session.commit()
    browser_login(verifier, PASSWORD)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server}/tindak-lanjut/tugas/{task.id}")
    thumbnail = page.locator(".evidence-preview summary img")
    thumbnail.wait_for()
    page.wait_for_function("document.querySelector('.evidence-preview summary img').complete")
    assert thumbnail.evaluate("img => img.naturalWidth") == 40  # the PNG loaded
    thumbnail.click()  # the larger view opens in place
    assert page.locator(".evidence-preview[open] img.img-fluid").is_visible()
    # The PDF frame: the inline response lets this page frame it (frame-ancestors 'self').
    with page.expect_response(f"**/bukti/{pdf.id}/lihat") as framed:
        page.get_by_text("Pratinjau PDF").click()
    assert framed.value.status == 200
    assert framed.value.headers["content-disposition"].startswith("inline")
    page.wait_for_function("document.querySelector('.evidence-preview[open] iframe') !== null")
    assert not blocked, blocked
    assert not violations(page)
