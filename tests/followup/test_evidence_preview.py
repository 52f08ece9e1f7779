"""Issue 16, item 6: evidence previews on the task page. Images show as thumbnails with a larger
view, PDFs in a frame, both from a protected route served inline; only for those who may
download the evidence, and never for other file types."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.followup.models import Evidence, EvidenceKind
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services

from .conftest import JPEG, PDF, PNG, office


@pytest.fixture()
def task_with_files(make_unit, make_user, client, db):
    unit = make_unit("Dinas Pratinjau", public_service=True)
    operator = make_user("unit_operator", unit=unit)
    task = task_services.create_task(
        unit, title="Maklumat", due_date=date.today() + timedelta(days=9), actor=operator
    )
    folder = client.application.config["UPLOAD_FOLDER"]
    files = {}
    for name, data in (("foto.png", PNG), ("papan.jpg", JPEG), ("sk.pdf", PDF),
                       ("laporan.docx", office("docx"))):  # fmt: skip
        files[name] = evidence_services.add_evidence_file(
            task, filename=name, data=data, upload_folder=folder, actor=operator
        )
    db.session.commit()
    return task, operator, files


def view(evidence) -> str:
    return f"/tindak-lanjut/bukti/{evidence.id}/lihat"


def test_images_and_pdfs_are_served_inline_with_a_narrow_policy(
    task_with_files, client, login_as, db
):
    task, operator, files = task_with_files
    login_as("verifier")
    for name, mimetype in (("foto.png", "image/png"), ("papan.jpg", "image/jpeg"),
                           ("sk.pdf", "application/pdf")):  # fmt: skip
        response = client.get(view(files[name]))
        assert response.status_code == 200, name
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"].startswith(f'inline; filename="{name}"')
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in csp and "default-src 'none'" in csp
        assert "script-src" not in csp  # nothing may run in it
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(view(files["sk.pdf"])).data == PDF
    # The file leaves the app as a download does: the audit log keeps who saw it.
    seen = db.session.scalars(
        select(AuditEntry.summary).where(AuditEntry.action == "followup.evidence_view")
    ).all()
    assert view(files["sk.pdf"]) in seen
    # The download stays an attachment, and the pages keep refusing to be framed.
    download = client.get(f"/tindak-lanjut/bukti/{files['sk.pdf'].id}")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    page = client.get(f"/tindak-lanjut/tugas/{task.id}")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_other_types_are_never_shown_inline(task_with_files, client, login_as, db):
    task, operator, files = task_with_files
    login_as("verifier")
    assert client.get(view(files["laporan.docx"])).status_code == 404
    # Even a stored row that claims to be an SVG or HTML is never served inline.
    for content_type, stored in (("image/svg+xml", "x.svg"), ("text/html", "x.html"),
                                 ("image/png", "x.html")):  # fmt: skip
        row = files["foto.png"]
        row.content_type, row.stored_name = content_type, stored
        db.session.commit()
        assert client.get(view(row)).status_code == 404, (content_type, stored)
    link = Evidence(kind=EvidenceKind.LINK, url="https://contoh.go.id", task=task)
    db.session.add(link)
    db.session.commit()
    assert client.get(view(link)).status_code == 404


def test_previews_follow_the_download_permission(
    task_with_files, client, login_as, make_user, make_unit
):
    task, operator, files = task_with_files
    pdf = files["sk.pdf"]
    login_as(operator)  # the unit's own operator
    assert client.get(view(pdf)).status_code == 200
    login_as(make_user("unit_operator", unit=make_unit("Dinas Lain")))
    assert client.get(view(pdf)).status_code == 404
    login_as("organizer")  # sees the task, may not download its evidence
    assert client.get(view(pdf)).status_code == 403
    html = client.get(f"/tindak-lanjut/tugas/{task.id}").get_data(as_text=True)
    assert "/lihat" not in html and "<iframe" not in html
    login_as("checkin_staff")
    assert client.get(view(pdf)).status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get(view(pdf)).status_code == 302  # to the login page


def test_the_task_page_shows_thumbnails_and_a_pdf_frame(task_with_files, client, login_as):
    task, operator, files = task_with_files
    login_as("verifier")
    html = client.get(f"/tindak-lanjut/tugas/{task.id}").get_data(as_text=True)
    for name in ("foto.png", "papan.jpg"):
        assert f'<img src="{view(files[name])}"' in html
    assert f'<iframe src="{view(files["sk.pdf"])}"' in html
    assert view(files["laporan.docx"]) not in html  # a download link only
    assert f'href="/tindak-lanjut/bukti/{files["laporan.docx"].id}"' in html
