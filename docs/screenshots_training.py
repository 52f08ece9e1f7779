"""Screenshots of the training pages: ``.venv/bin/python docs/screenshots_training.py``.

Like ``docs/screenshots.py``: a scratch SQLite database with the migrations, seed and demo data;
then the demo's first (past) event becomes a bimtek with a question bank, pre-/post-test answers
and survey answers made up here, and Debian's Chromium saves PNGs to docs/img/training-*.png.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
PASSWORD = "Panduan-2025"  # noqa: S105 - a scratch demo database only


def _prepare(app) -> tuple[int, str, int, tuple[int, int]]:
    from sosialisasi.auth.models import User
    from sosialisasi.common.types import utcnow
    from sosialisasi.events.models import Event, EventKind
    from sosialisasi.extensions import db
    from sosialisasi.registration.models import Registration, RegistrationStatus
    from sosialisasi.training import bank, exams, surveys
    from sosialisasi.training.models import ExamKind, QuestionKind

    rnd = random.Random(17)
    with app.app_context():
        for user in db.session.scalars(db.select(User)):
            user.set_password(PASSWORD)
        event = db.session.scalars(db.select(Event).order_by(Event.starts_at)).first()
        event.kind = EventKind.BIMTEK
        questions = [
            ("Berapa komponen standar pelayanan (UU 25/2009)?", ["14", "10", "8", "6"]),
            ("Siapa yang menetapkan maklumat pelayanan?", ["Pimpinan unit", "Ombudsman", "DPRD"]),
            (
                "Survei kepuasan masyarakat dilakukan paling sedikit?",
                ["Sekali setahun", "Lima tahun sekali"],
            ),
        ]
        for text, options in questions:
            bank.add_question(
                event, kind=QuestionKind.CHOICE, text=text, options=options, correct=0
            )
        bank.add_question(
            event,
            kind=QuestionKind.TRUE_FALSE,
            text="Standar pelayanan wajib dipublikasikan.",
            options=[],
            correct=0,
        )
        regs = db.session.scalars(
            db.select(Registration).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        ).all()
        now = utcnow()
        for kind, skill in ((ExamKind.PRE, 0.45), (ExamKind.POST, 0.8)):
            exams.open_exam(event, kind, now=now - timedelta(hours=2))
            exam = exams.exam_of(event, kind)
            for reg in regs[1:]:
                attempt = exams.start_attempt(exam, reg, now=now - timedelta(hours=1))
                for question_id, option_ids in attempt.layout:
                    q = bank.Question
                    question = db.session.get(q, question_id)
                    right = next(o.id for o in question.options if o.correct)
                    wrong = [o for o in option_ids if o != right]
                    pick = right if rnd.random() < skill or not wrong else rnd.choice(wrong)
                    exams.save_answer(
                        attempt,
                        question_id=question_id,
                        option_id=pick,
                        now=now - timedelta(hours=1),
                    )
                exams.submit_attempt(attempt, now=now - timedelta(hours=1))
            if kind is ExamKind.PRE:
                exams.close_exam(event, kind, now=now - timedelta(minutes=90))
        made = surveys.create_default_surveys(event)
        for survey in made:
            surveys.open_survey(survey, now=now - timedelta(hours=1))
            for reg in regs[1:]:
                values = {e.id: rnd.choice((2, 3, 3, 3, 4, 4, 4)) for e in survey.elements}
                comment = rnd.choice(
                    (
                        "",
                        "",
                        "Materi sangat bermanfaat.",
                        "Ruangan terlalu dingin.",
                        "Waktu praktik kurang.",
                    )
                )
                surveys.submit_response(
                    survey, reg, values=values, comment=comment, now=now - timedelta(minutes=30)
                )
        db.session.commit()
        from sosialisasi.attendance.queries import eligible_registration_ids

        came = eligible_registration_ids(event)
        shown = next((r for r in regs[1:] if r.id in came and r.unit_id), regs[1])
        return event.id, regs[0].ticket_code, made[0].id, (shown.unit_id or 0, event.starts_at.year)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="sos-shots-"))
    env = os.environ | {
        "SECRET_KEY": "screenshots",
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.db'}",
        "INSTANCE_PATH": str(tmp),
    }
    os.environ.update(env)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["seed"], ["demo"]):
        subprocess.run([*flask, *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from sosialisasi import create_app

    app = create_app()
    event_id, code, survey_id, (unit_id, year) = _prepare(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID")
        page = context.new_page()
        page.goto(f"{base}/masuk")
        page.get_by_label("Nama pengguna").fill("panitia")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{base}/beranda")
        for name, path in (
            ("training-overview", f"/acara/{event_id}/pelatihan"),
            ("training-exam-results", f"/acara/{event_id}/pelatihan/hasil-tes"),
            ("training-survey-results", f"/acara/{event_id}/pelatihan/survei/{survey_id}"),
            ("training-jp-report", f"/pelatihan/jp?unit={unit_id}&tahun={year}"),
        ):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"docs/img/{name}.png  <- {path}")
        context.close()
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        page = phone.new_page()
        page.goto(f"{base}/t/{code}/tes/post")
        page.get_by_role("button", name="Mulai Post-test").click()
        page.locator("input[type=radio]").first.check()
        page.wait_for_selector('#save-status[data-pending="0"]')
        page.screenshot(path=str(OUT / "training-exam-phone.png"))
        print("docs/img/training-exam-phone.png  <- /t/<kode>/tes/post")
        page.goto(f"{base}/t/{code}/saya")
        page.screenshot(path=str(OUT / "training-own-page.png"), full_page=True)
        print("docs/img/training-own-page.png  <- /t/<kode>/saya")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
