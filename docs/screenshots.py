"""Take the user guide's screenshots from the demo data: ``.venv/bin/python docs/screenshots.py``.

Builds a scratch SQLite database with the migrations, seed and demo data, serves the app on
127.0.0.1 (a free port), logs in as each role in Debian's Chromium and saves PNGs to docs/img/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
PASSWORD = "Panduan-2025"  # noqa: S105 - a scratch demo database only


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
    from werkzeug.serving import make_server

    from sosialisasi import create_app
    from sosialisasi.auth.models import User
    from sosialisasi.events.models import Event
    from sosialisasi.extensions import db

    app = create_app()
    with app.app_context():
        for user in db.session.scalars(db.select(User)):
            user.set_password(PASSWORD)
        db.session.commit()
        events = db.session.scalars(db.select(Event).order_by(Event.starts_at)).all()
        past, upcoming = events[0].id, events[-1].id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    from playwright.sync_api import sync_playwright

    shots = {
        "panitia": [
            ("events", "/acara/?waktu=all"),
            ("event-detail", f"/acara/{past}"),
            ("registrations", f"/acara/{past}/pendaftaran"),
            ("attendance", f"/acara/{past}/kehadiran"),
            ("scanner", f"/registrasi-ulang/{upcoming}"),
        ],
        "verifikator": [("followup-dashboard", "/tindak-lanjut/dasbor")],
        "operator.dinkes": [("operator-home", "/beranda")],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        for username, pages in shots.items():
            context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID")
            page = context.new_page()
            page.goto(f"{base}/masuk")
            page.get_by_label("Nama pengguna").fill(username)
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_url(f"{base}/beranda")
            for name, path in pages:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/img/{name}.png  <- {path}")
            context.close()
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        page = phone.new_page()
        page.goto(f"{base}/masuk")
        page.screenshot(path=str(OUT / "login-phone.png"))
        print("docs/img/login-phone.png  <- /masuk")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
