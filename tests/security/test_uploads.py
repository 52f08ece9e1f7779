"""Uploads: size limits, content sniffed against the extension, random stored names outside
``static/``, downloads as attachments and only for those allowed."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from sosialisasi.config import ROOT
from sosialisasi.events.models import EventStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture()
def task(db, make_unit):
    from sosialisasi.followup.models import FollowUpTask

    unit = make_unit("Dinas Kependudukan dan Pencatatan Sipil")
    task = FollowUpTask(
        unit=unit, title="Unggah SK standar pelayanan", due_date=date.today() + timedelta(days=9)
    )
    db.session.add(task)
    db.session.commit()
    return task


def _upload(client, task, data: bytes, name: str):
    return client.post(
        f"/tindak-lanjut/tugas/{task.id}/bukti",
        data={"file": (io.BytesIO(data), name), "description": "uji"},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (HTML, "sk.pdf", "tidak sesuai dengan ekstensi"),
        (_png(), "sk.pdf", "tidak sesuai dengan ekstensi"),
        (PDF, "sk.png", "tidak sesuai dengan ekstensi"),
        (HTML, "sk.html", "Jenis berkas tidak diterima"),
        (b"PK\x03\x04broken", "rekap.xlsx", "tidak sesuai dengan ekstensi"),
        (PDF, "../../static/js/app.pdf", "tidak boleh berisi folder"),
        (b"", "kosong.pdf", "Pilih berkas|Berkas kosong"),
    ],
)
def test_evidence_content_must_match_its_extension(
    app, db, client, login_as, make_user, task, data, name, reason
):
    from sosialisasi.followup.models import Evidence

    login_as(make_user("unit_operator", unit=task.unit))
    page = _upload(client, task, data, name)
    assert page.status_code in (200, 400, 422)
    assert any(r in page.text for r in reason.split("|")), page.text[:300]
    assert db.session.query(Evidence).count() == 0


def test_a_crafted_docx_or_xlsx_is_refused_not_a_server_error(
    app, db, client, login_as, make_user, task, make_event
):
    """A ZIP claiming a future version made zipfile raise NotImplementedError (a 500)."""
    from openpyxl import Workbook

    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    at = data.index(b"PK\x01\x02")
    crafted = data[: at + 6] + (64).to_bytes(2, "little") + data[at + 8 :]
    login_as(make_user("unit_operator", unit=task.unit))
    page = _upload(client, task, crafted, "rekap.xlsx")
    assert page.status_code in (400, 422) and "tidak sesuai dengan ekstensi" in page.text
    event = make_event(status=EventStatus.RUNNING)
    login_as("organizer")
    done = client.post(
        f"/acara/{event.id}/dokumen/berkas",
        data={"kind": "material", "caption": "", "file": (io.BytesIO(crafted), "materi.docx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert done.status_code == 200 and "bukan PDF, DOCX atau PPTX" in done.text


def test_evidence_is_stored_under_a_random_name_outside_static_and_downloaded_as_attachment(
    app, db, client, login_as, make_user, task
):
    from sosialisasi.followup.models import Evidence

    operator = login_as(make_user("unit_operator", unit=task.unit))
    response = _upload(client, task, PDF, "SK Standar <Pelayanan>.pdf")
    assert response.status_code == 302
    evidence = db.session.query(Evidence).one()
    assert evidence.stored_name != evidence.original_name
    assert "Standar" not in evidence.stored_name and len(evidence.stored_name) >= 32
    stored = Path(app.config["UPLOAD_FOLDER"]) / "evidence" / evidence.stored_name
    assert stored.read_bytes() == PDF
    assert not stored.resolve().is_relative_to((ROOT / "static").resolve())

    download = client.get(f"/tindak-lanjut/bukti/{evidence.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    login_as("organizer")  # sees the task, but evidence files are the unit's and verifiers'
    assert client.get(f"/tindak-lanjut/bukti/{evidence.id}").status_code == 403
    login_as(make_user("unit_operator"))  # another unit
    assert client.get(f"/tindak-lanjut/bukti/{evidence.id}").status_code == 404
    assert operator.id == evidence.uploaded_by_id


def test_per_kind_size_limit_and_request_size_limit(
    app, db, client, login_as, make_user, task, monkeypatch
):
    from sosialisasi.followup import files

    login_as(make_user("unit_operator", unit=task.unit))
    monkeypatch.setattr(files, "MAX_BYTES", 1024)
    page = _upload(client, task, PDF + b"0" * 2048, "besar.pdf")
    assert "terlalu besar" in page.text
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = _upload(client, task, PDF + b"0" * 8192, "besar.pdf")
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.text


def test_event_material_is_sniffed_and_served_as_attachment(
    app, db, client, login_as, make_event, make_unit
):
    from sosialisasi.documents.models import EventFile

    event = make_event(status=EventStatus.RUNNING)
    login_as("organizer")
    url = f"/acara/{event.id}/dokumen/berkas"
    bad = client.post(
        url,
        data={"kind": "material", "caption": "", "file": (io.BytesIO(HTML), "materi.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "bukan PDF, DOCX atau PPTX" in bad.text
    assert db.session.query(EventFile).count() == 0
    good = client.post(
        url,
        data={"kind": "material", "caption": "", "file": (io.BytesIO(PDF), "../materi.pdf")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    saved = db.session.query(EventFile).one()
    assert ".." not in Path(saved.path).parts and "materi" not in Path(saved.path).name
    path = Path(app.config["UPLOAD_FOLDER"]) / saved.path
    assert path.read_bytes() == PDF
    assert not path.resolve().is_relative_to((ROOT / "static").resolve())
    download = client.get(f"/acara/{event.id}/dokumen/berkas/{saved.id}")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Cache-Control"].startswith("private")
