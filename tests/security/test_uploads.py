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
    from sosialisasi.followup.services import evidence

    login_as(make_user("unit_operator", unit=task.unit))
    monkeypatch.setattr(evidence.POLICY, "max_bytes", 1024)
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


def _jpeg_with_gps() -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera, a date and where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Contoh Ponsel"  # Make
    exif[0x0132] = "2026:03:02 09:15:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (6.0, 14.0, 52.8), 3: "E", 4: (107.0, 8.0, 45.6)})
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the test image has GPS
    return data


def test_evidence_photos_are_stored_without_exif_or_location(
    app, db, client, login_as, make_user, task
):
    from sosialisasi.followup.models import Evidence

    login_as(make_user("unit_operator", unit=task.unit))
    assert _upload(client, task, _jpeg_with_gps(), "foto-papan-maklumat.jpg").status_code == 302
    evidence = db.session.query(Evidence).one()
    stored = (Path(app.config["UPLOAD_FOLDER"]) / "evidence" / evidence.stored_name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert b"Exif" not in stored and b"Contoh Ponsel" not in stored
    assert evidence.size == len(stored)
    download = client.get(f"/tindak-lanjut/bukti/{evidence.id}")
    assert download.data == stored


@pytest.mark.parametrize("control", ["\x01", "\x7f", "\x1b[31m", "\u200f"])
def test_evidence_names_with_control_characters_are_stored_clean_and_downloadable(
    app, db, client, login_as, make_user, task, control
):
    """Issue 13: such a name was stored as typed and its download answered 500."""
    from sosialisasi.followup.models import Evidence

    login_as(make_user("unit_operator", unit=task.unit))
    assert _upload(client, task, PDF, f"SK{control}Pelayanan.pdf").status_code == 302
    evidence = db.session.query(Evidence).one()
    assert evidence.original_name.startswith("SK") and evidence.original_name.endswith(".pdf")
    assert all(c.isprintable() for c in evidence.original_name)
    download = client.get(f"/tindak-lanjut/bukti/{evidence.id}")
    assert download.status_code == 200 and download.data == PDF
    header = download.headers["Content-Disposition"]
    assert header.startswith("attachment;") and header.isascii() and header.isprintable()


def test_an_evidence_name_stored_before_the_fix_still_downloads(
    app, db, client, login_as, make_user, task
):
    from sosialisasi.followup.models import Evidence

    login_as(make_user("unit_operator", unit=task.unit))
    _upload(client, task, PDF, "sk.pdf")
    evidence = db.session.query(Evidence).one()
    evidence.original_name = "SK\x01\x1bPelayanan \u2082.pdf"
    db.session.commit()
    download = client.get(f"/tindak-lanjut/bukti/{evidence.id}")
    assert download.status_code == 200
    header = download.headers["Content-Disposition"]
    assert "filename*=UTF-8''SK%20Pelayanan%20%E2%82%82.pdf" in header


# --- the store writes with the database ---------------------------------------------------------


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_a_stored_file_appears_only_when_the_session_commits(app, db):
    from sosialisasi.common import uploads

    root = Path(app.config["UPLOAD_FOLDER"])
    before = _files(root / "uji")
    relative = uploads.store("uji", PDF, "pdf")
    assert not (root / relative).exists()  # staged, not yet visible under its name
    db.session.commit()
    assert (root / relative).read_bytes() == PDF
    assert _files(root / "uji") - before == {Path(relative).name}  # no .part left behind


def test_a_stored_file_is_removed_when_the_transaction_fails(app, db, make_unit):
    from sqlalchemy.exc import IntegrityError

    from sosialisasi.common import uploads
    from sosialisasi.units.models import Unit, UnitKind

    root = Path(app.config["UPLOAD_FOLDER"])
    before = _files(root / "uji")
    uploads.store("uji", PDF, "pdf")
    db.session.rollback()
    assert _files(root / "uji") == before

    taken = make_unit("Dinas Contoh Satu")
    uploads.store("uji", PDF, "pdf")
    db.session.add(Unit(code=taken.code, name="Dinas Kembar", kind=UnitKind.DINAS))
    with pytest.raises(IntegrityError):
        db.session.commit()  # the commit itself fails
    db.session.rollback()
    assert _files(root / "uji") == before


def test_a_removal_waits_for_the_commit(app, db):
    from sosialisasi.common import uploads

    root = Path(app.config["UPLOAD_FOLDER"])
    relative = uploads.store("uji", PDF, "pdf")
    db.session.commit()
    uploads.discard(relative)
    db.session.rollback()
    assert (root / relative).exists()  # the row still points to it
    uploads.discard(relative)
    db.session.commit()
    assert not (root / relative).exists()


def test_a_refused_evidence_upload_leaves_no_file(
    app, db, client, login_as, make_user, task, monkeypatch
):
    """The service stored the file, then the commit failed: nothing is left in the folder."""
    from sosialisasi.followup.models import Evidence

    folder = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    before = _files(folder)
    login_as(make_user("unit_operator", unit=task.unit))
    real_commit = db.session.commit

    def failing_commit():
        db.session.rollback()
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = _upload(client, task, PDF, "sk.pdf")
    assert response.status_code == 500
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert db.session.query(Evidence).count() == 0
    assert _files(folder) == before
