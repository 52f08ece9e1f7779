# ruff: noqa: F811 (the training fixtures are imported by name)
"""On a phone-sized Chromium: the participant takes the pre-test and the post-test from the
ticket page, a dropped connection mid-test loses no answer, and the gain is shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from sosialisasi.auth.models import Role
from sosialisasi.training import exams
from sosialisasi.training.models import Answer, ExamKind
from tests.conftest import PASSWORD
from tests.training.conftest import make_bimtek, with_questions  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

WRONG = {"Soal 1": "10", "Pernyataan 2": "Salah", "Soal 3": "6", "Pernyataan 4": "Salah"}
RIGHT = {"Soal 1": "14", "Pernyataan 2": "Benar", "Soal 3": "14", "Pernyataan 4": "Benar"}


def _choose(page, question: str, option: str) -> None:
    page.locator("fieldset", has_text=question).get_by_label(option, exact=True).check()


def _answers(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Answer.id)))


def test_pre_and_post_test_on_a_phone_with_a_dropped_connection(
    app, page, live_server, db, make_bimtek, make_registration, make_user, with_questions
):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: every POST and fetch carries it
    event = make_bimtek()
    with_questions(event, 4)
    reg = make_registration(event)
    exams.open_exam(event, ExamKind.PRE, now=datetime.now(UTC))
    db.session.commit()

    # Pre-test: everything wrong.
    page.goto(f"{live_server}/t/{reg.ticket_code}")
    page.get_by_role("link", name="Kerjakan Pre-test").click()
    page.get_by_role("button", name="Mulai Pre-test").click()
    for question, option in WRONG.items():
        _choose(page, question, option)
    expect(page.locator("#save-status")).to_have_attribute("data-pending", "0")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_test_id("score")).to_have_text("0,00")

    exams.close_exam(event, ExamKind.PRE)
    exams.open_exam(event, ExamKind.POST)
    db.session.commit()
    before = _answers(db)

    # Post-test: the connection drops after the first answer and comes back.
    page.goto(f"{live_server}/t/{reg.ticket_code}")
    page.get_by_role("link", name="Kerjakan Post-test").click()
    page.get_by_role("button", name="Mulai Post-test").click()
    questions = list(RIGHT.items())
    _choose(page, *questions[0])
    expect(page.locator("#save-status")).to_have_attribute("data-pending", "0")
    page.context.set_offline(True)
    for question, option in questions[1:]:
        _choose(page, question, option)
    expect(page.locator("#save-status")).to_have_attribute("data-pending", "3")
    expect(page.locator("#save-status")).to_contain_text("menunggu koneksi")
    assert _answers(db) == before + 1  # only what was sent before the drop
    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_have_attribute("data-pending", "0", timeout=15_000)
    assert _answers(db) == before + 4  # nothing lost
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_test_id("score")).to_have_text("100,00")
    expect(page.get_by_test_id("gain")).to_have_text("100,00")

    # The organizer's results page shows the gain as well.
    organizer = make_user(Role.ORGANIZER)
    page.goto(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill(organizer.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server}/beranda")
    page.goto(f"{live_server}/acara/{event.id}/pelatihan/hasil-tes")
    expect(page.get_by_test_id("mean-gain")).to_have_text("100,00")
    expect(page.get_by_role("row", name=reg.person.name)).to_contain_text("100,00")
