"""Notulen (small safe markup), photos and speakers' materials."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image

from sosialisasi.auth.models import Role
from sosialisasi.documents.markup import parse
from sosialisasi.documents.models import EventFile, EventReport, FileKind
from sosialisasi.events.models import EventStatus

from .conftest import image_bytes

REPORT_FORM = {
    "background": "Ombudsman RI menilai kepatuhan setiap tahun.",
    "legal_basis": "1. Undang-Undang Nomor 25 Tahun 2009\n2. Perpres 76/2013",
    "purpose": "- Memahami indikator penilaian",
    "minutes": "# Paparan narasumber\n- Dimensi input\n- Dimensi proses\n\n"
    "# Diskusi\n1. Dinkes bertanya <script>alert(1)</script>\n2. Disdukcapil bertanya",
    "conclusions": "Semua unit menyiapkan standar pelayanan.",
    "followup_plan": "Unggah bukti dalam 30 hari.",
}


def office_zip(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "ppt/presentation.xml", "<x/>")
    return out.getvalue()


def upload(client, event, kind, data, name, caption=""):
    return client.post(
        f"/acara/{event.id}/dokumen/berkas",
        data={"kind": kind, "file": (io.BytesIO(data), name), "caption": caption},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_markup_gives_headings_lists_and_paragraphs():
    blocks = parse("# Judul\nbaris satu\nbaris dua\n\n- a\n- b\n\n3. tiga\n4. empat\n## Sub")
    assert [(b.kind, b.text, b.items) for b in blocks] == [
        ("h1", "Judul", []),
        ("p", "baris satu baris dua", []),
        ("ul", "", ["a", "b"]),
        ("ol", "", ["tiga", "empat"]),
        ("h2", "Sub", []),
    ]
    assert blocks[3].start == 3


def test_organizer_writes_minutes_shown_escaped(client, login_as, ready_event, db):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    response = client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM)
    assert response.status_code == 302
    page = client.get(f"/acara/{event.id}/dokumen")
    assert '<h3 class="h6 fw-bold mt-3">Paparan narasumber</h3>' in page.text
    assert "<li>Dimensi input</li>" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    report = db.session.query(EventReport).one()
    assert report.legal_basis.startswith("1. Undang-Undang")


def test_minutes_cannot_be_written_before_the_event_runs(client, login_as, ready_event, db):
    login_as(Role.ORGANIZER)
    event = ready_event(1, status=EventStatus.OPEN)
    page = client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM)
    assert "Notulen dan dokumentasi diisi setelah acara berlangsung" in page.text
    assert db.session.query(EventReport).count() == 0


def test_photo_is_verified_resized_and_stored_outside_static(
    app, client, login_as, ready_event, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    page = upload(
        client, event, "photo", image_bytes("PNG", size=(4000, 3000)), "pembukaan.png", "Pembukaan"
    )
    assert "Foto kegiatan diunggah: pembukaan.jpg." in page.text
    photo = db.session.query(EventFile).one()
    stored = Path(app.config["UPLOAD_FOLDER"]) / photo.path
    assert stored.exists() and "static" not in stored.parts
    with Image.open(stored) as image:
        assert image.format == "JPEG" and max(image.size) == 1600
    served = client.get(f"/acara/{event.id}/dokumen/berkas/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"


def test_fake_photo_and_renamed_files_are_refused(client, login_as, ready_event, db):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    page = upload(client, event, "photo", b"GIF89a not really", "foto.jpg")
    assert "Berkas bukan gambar JPEG atau PNG yang valid." in page.text
    page = upload(client, event, "photo", image_bytes("GIF"), "foto.gif")
    assert "Berkas bukan gambar JPEG atau PNG yang valid." in page.text
    page = upload(client, event, "material", b"MZ\x90\x00 program", "materi.pdf")
    assert "Isi berkas bukan PDF, DOCX atau PPTX yang valid" in page.text
    page = upload(client, event, "material", office_zip("docx"), "materi.pptx")
    assert "Isi berkas adalah DOCX, tidak sesuai dengan nama berkas (.pptx)." in page.text
    page = upload(client, event, "material", b"%PDF-1.7 ...", "materi.exe")
    assert "Materi harus berupa PDF, DOCX atau PPTX." in page.text
    assert db.session.query(EventFile).count() == 0


def test_materials_by_content_and_downloads_scoped_to_invited_units(
    client, login_as, ready_event, make_unit, make_user, db
):
    organizer = login_as(Role.ORGANIZER)
    event = ready_event(1)
    upload(client, event, "material", b"%PDF-1.7\n%test", "Paparan Ombudsman.pdf")
    upload(client, event, "material", office_zip("pptx"), "slide.pptx")
    upload(client, event, "material", office_zip("docx"), "notulen.docx")
    files = {f.filename: f for f in db.session.query(EventFile)}
    assert set(files) == {"Paparan Ombudsman.pdf", "slide.pptx", "notulen.docx"}
    assert files["slide.pptx"].mime.endswith("presentationml.presentation")
    pdf_id = files["Paparan Ombudsman.pdf"].id
    url = f"/acara/{event.id}/dokumen/berkas/{pdf_id}"

    invited = make_user(Role.UNIT_OPERATOR, unit=event.invitations[0].unit)
    login_as(invited)
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-1.7")
    assert "attachment" in response.headers["Content-Disposition"]
    page = client.get(f"/acara/{event.id}/dokumen")
    assert "Paparan Ombudsman.pdf" in page.text and "Unggah berkas" not in page.text

    login_as(Role.UNIT_OPERATOR, unit=make_unit("Dinas Lain"))
    assert client.get(url).status_code == 404
    assert client.get(f"/acara/{event.id}/dokumen").status_code == 404
    assert organizer is not None


def test_anonymous_users_cannot_download_materials(client, login_as, ready_event, db):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    upload(client, event, "material", b"%PDF-1.7\n%test", "materi.pdf")
    file_id = db.session.query(EventFile).one().id
    with client.session_transaction() as session:
        session.clear()
    response = client.get(f"/acara/{event.id}/dokumen/berkas/{file_id}")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_unit_operators_cannot_upload_or_delete(client, login_as, ready_event, db):
    event = ready_event(1)
    login_as(Role.UNIT_OPERATOR, unit=event.invitations[0].unit)
    response = client.post(
        f"/acara/{event.id}/dokumen/berkas",
        data={"kind": "photo", "file": (io.BytesIO(image_bytes()), "x.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert client.post(f"/acara/{event.id}/dokumen/notulen", data=REPORT_FORM).status_code == 403
    assert db.session.query(EventFile).count() == 0


def test_organizer_deletes_a_photo_and_its_file(app, client, login_as, ready_event, db):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    upload(client, event, "photo", image_bytes("JPEG"), "a.jpg")
    photo = db.session.query(EventFile).one()
    stored = Path(app.config["UPLOAD_FOLDER"]) / photo.path
    page = client.post(f"/acara/{event.id}/dokumen/berkas/{photo.id}/hapus", follow_redirects=True)
    assert "Berkas dihapus: a.jpg." in page.text
    assert not stored.exists()
    assert db.session.query(EventFile).filter_by(kind=FileKind.PHOTO).count() == 0


def test_new_minutes_start_from_the_previous_reports_background_and_legal_basis(
    client, login_as, ready_event, make_event, db
):
    login_as(Role.ORGANIZER)
    earlier = ready_event(1)
    client.post(f"/acara/{earlier.id}/dokumen/notulen", data=REPORT_FORM)
    later = make_event("Bimbingan Teknis Standar Pelayanan", status=EventStatus.FINISHED)
    page = client.get(f"/acara/{later.id}/dokumen/notulen")
    assert f'data-prefilled-from="{earlier.id}"' in page.text
    assert "Undang-Undang Nomor 25 Tahun 2009" in page.text
    assert "Dimensi input" not in page.text  # the minutes themselves are never copied
    assert db.session.query(EventReport).count() == 1  # nothing saved until the organizer does
