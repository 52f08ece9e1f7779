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
        _compliance_year(db)
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
        "verifikator": [
            ("followup-dashboard", "/tindak-lanjut/dasbor"),
            ("verifier-home", "/beranda"),
            ("compliance-year", "/tindak-lanjut/tahun/2025"),
            ("supervision-products", "/tindak-lanjut/produk-pengawasan"),
        ],
        "operator.dinkes": [("operator-home", "/beranda")],
    }
    # SHOTS=name,name takes only those (the others stay as they are).
    only = {n for n in os.environ.get("SHOTS", "").split(",") if n}
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
                if only and name not in only:
                    continue
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/img/{name}.png  <- {path}")
            context.close()
        if not only or "login-phone" in only:
            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
            page = phone.new_page()
            page.goto(f"{base}/masuk")
            page.screenshot(path=str(OUT / "login-phone.png"))
            print("docs/img/login-phone.png  <- /masuk")
        browser.close()
    server.shutdown()


def _compliance_year(db) -> None:
    """Bagian Organisasi's 2025: target A / 90, the lokus of the public-service units, a
    supervision product and the field visit on the calendar."""
    from datetime import date, timedelta

    from sosialisasi.followup.models import MilestoneKind, SupervisionKind
    from sosialisasi.followup.services import supervision, years
    from sosialisasi.units.models import Unit

    units = db.session.scalars(db.select(Unit).where(Unit.public_service)).all()
    years.save_year(2025, target_category="A", target_score="90", actor=None)
    years.set_lokus(2025, [(u, None) for u in units], actor=None)
    capil = next((u for u in units if u.code == "DISDUKCAPIL"), units[0])
    supervision.save_product(
        None, kind=SupervisionKind.TINDAKAN_KOREKTIF, number="TK/0012/PW.06/2025",
        issued_on=date(2025, 3, 10), unit=capil, due_date=date(2025, 5, 10),
        finding="Standar pelayanan KTP-el belum dipublikasikan daring", actor=None,
    )  # fmt: skip
    years.save_milestone(
        2025, kind=MilestoneKind.FIELD_VISIT, on_date=date.today() + timedelta(days=5),
        title="Pengambilan data lokus", actor=None,
    )  # fmt: skip
    db.session.commit()


if __name__ == "__main__":
    main()
