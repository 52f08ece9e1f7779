"""Render every event document of the demo to PNG for reviewers: ``.venv/bin/python
docs/render_documents.py`` (needs ``pdftoppm`` from poppler-utils).

Builds a scratch SQLite database with the migrations, ``flask seed`` and ``flask demo``, produces
the surat undangan, daftar hadir, laporan kegiatan and one sertifikat of the demo Primebiz event
exactly as the app does, and writes docs/documents/<name>-<page>.png (110 dpi).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "documents"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="sos-docs-"))
    env = os.environ | {
        "SECRET_KEY": "documents",
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.db'}",
        "INSTANCE_PATH": str(tmp),
    }
    os.environ.update(env)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["seed"], ["demo"]):
        subprocess.run([*flask, *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603

    sys.path.insert(0, str(ROOT))
    from flask_babel import force_locale

    from sosialisasi import create_app
    from sosialisasi.attendance.documents import daftar_hadir_pdf
    from sosialisasi.auth.models import Role, User
    from sosialisasi.documents import files, services
    from sosialisasi.documents.letters import build, render_invitation
    from sosialisasi.events.models import Event, EventKind
    from sosialisasi.extensions import db

    app = create_app()
    pdfs: dict[str, bytes] = {}
    with app.app_context(), app.test_request_context():
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        past = db.session.scalar(db.select(Event).where(Event.kind == EventKind.SOSIALISASI))
        letterhead = services.get_letterhead()
        with force_locale("id"):
            content = build(past, services.get_letter(past), letterhead)
            pdfs["surat-undangan"] = render_invitation(content, services.logo_bytes(letterhead))
        pdfs["daftar-hadir"] = daftar_hadir_pdf(past)
        report = services.produce_report(past, actor=admin)
        db.session.commit()  # files are written when the transaction commits
        pdfs["laporan-kegiatan"] = files.absolute(report.pdf_path).read_bytes()
        certificates = services.issue_certificates(past, actor=admin)
        db.session.commit()
        pdfs["sertifikat"] = services.render_certificates_pdf(
            past,
            certificates[:1],
            verify_url=lambda code: f"https://sosialisasi.bekasikab.go.id/sertifikat/{code}",
        )
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    for name, data in pdfs.items():
        pdf = tmp / f"{name}.pdf"
        pdf.write_bytes(data)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "110", str(pdf), str(OUT / name)],  # noqa: S607
            check=True,
        )
        print(name, len(list(OUT.glob(f"{name}-*.png"))), "page(s)")


if __name__ == "__main__":
    main()
