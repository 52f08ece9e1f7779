"""Letterhead settings and the surat undangan (preview and PDF)."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import delete

from sosialisasi.auth.models import Role
from sosialisasi.documents.layout import terbilang
from sosialisasi.documents.models import Letterhead

from .conftest import image_bytes, pdf_pages, pdf_text

LETTERHEAD_FORM = {
    "government_name": "PEMERINTAH KABUPATEN BEKASI",
    "secretariat": "SEKRETARIAT DAERAH",
    "address": "Jl. Deltamas Boulevard, Cikarang Pusat",
    "city": "Cikarang Pusat",
    "phone": "(021) 89970000",
    "website": "bekasikab.go.id",
    "email": "setda@bekasikab.go.id",
}


def test_admin_configures_letterhead_with_logo_stored_outside_static(app, client, login_as, db):
    login_as(Role.ADMIN)
    data = LETTERHEAD_FORM | {"logo": (io.BytesIO(image_bytes("JPEG")), "logo.jpg")}
    response = client.post("/pengaturan/kop-surat", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    letterhead = db.session.query(Letterhead).one()
    stored = Path(app.config["UPLOAD_FOLDER"]) / letterhead.logo_path
    assert stored.exists() and "static" not in stored.parts
    assert letterhead.logo_mime == "image/png"  # re-encoded
    page = client.get("/pengaturan/kop-surat")
    assert "SEKRETARIAT DAERAH" in page.text
    logo = client.get("/pengaturan/kop-surat/logo")
    assert logo.status_code == 200 and logo.data.startswith(b"\x89PNG")


def test_fake_logo_is_refused_next_to_the_field_and_input_kept(client, login_as, db):
    login_as(Role.ADMIN)
    data = LETTERHEAD_FORM | {"logo": (io.BytesIO(b"MZ\x90\x00 not an image"), "logo.png")}
    page = client.post("/pengaturan/kop-surat", data=data, content_type="multipart/form-data")
    assert page.status_code == 200
    assert "Berkas bukan gambar JPEG atau PNG yang valid." in page.text
    assert 'value="Jl. Deltamas Boulevard, Cikarang Pusat"' in page.text
    seeded = db.session.query(Letterhead).one()  # as `flask seed` left it: no address, no logo
    assert not seeded.address and seeded.logo_path is None


def test_only_admins_configure_the_letterhead(client, login_as):
    login_as(Role.ORGANIZER)
    assert client.get("/pengaturan/kop-surat").status_code == 403
    assert client.post("/pengaturan/kop-surat", data=LETTERHEAD_FORM).status_code == 403


def test_missing_letterhead_and_signatory_are_named_not_a_broken_pdf(
    client, login_as, make_event, make_unit, db
):
    db.session.execute(delete(Letterhead))  # a database where `flask seed` never ran
    db.session.commit()
    login_as(Role.ORGANIZER)
    event = make_event(invite=[make_unit()])
    response = client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf")
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    for label in (
        "Nama pemerintah daerah pada kop surat",
        "Logo pada kop surat",
        "Nomor surat undangan",
        "Tanggal surat undangan",
        "Nama penanda tangan",
        "Jabatan penanda tangan",
        "NIP penanda tangan",
    ):
        assert label in response.text
    assert f"/acara/{event.id}/ubah" in response.text  # a link to fix the event's fields
    assert "diisi oleh administrator" in response.text  # organizers cannot edit the letterhead


def test_invitation_letter_pdf_holds_what_the_letter_must_say(
    client, login_as, letterhead, ready_event
):
    login_as(Role.ORGANIZER)
    event = ready_event(3)
    response = client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in (
        "PEMERINTAH KABUPATEN BEKASI",
        "SEKRETARIAT DAERAH",
        "005/123/Org",
        "Cikarang Pusat, 7 Februari 2025",
        "Penting",
        "Undangan Sosialisasi",
        "Kepala Dinas Kesehatan",
        "Camat Cikarang Selatan",
        "Direktur RSUD Kabupaten Bekasi",
        "Jumat, 14 Februari 2025",
        "08.00 s.d. 12.00 WIB",
        "Hotel Primebiz Cikarang",
        "2 (dua) orang",
        "Dr. H. Dedy Supriyadi, M.Si.",
        "Sekretaris Daerah Kabupaten Bekasi",
        "NIP. 19700101 199003 1 005",
    ):
        assert expected in text, expected
    assert "DAFTAR UNDANGAN" not in text  # few invitees: addressed directly, no appendix
    assert len(pdf_pages(response.data)) == 1


def test_many_invited_units_go_to_an_appendix(client, login_as, letterhead, ready_event):
    login_as(Role.ORGANIZER)
    event = ready_event(8)
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf").data)
    assert "Para Kepala Perangkat Daerah sebagaimana daftar terlampir" in text
    assert "1 (satu) berkas" in text  # lampiran
    assert "DAFTAR UNDANGAN" in text
    assert "Kepala Dinas Contoh 4" in text


def test_letter_texts_are_edited_and_previewed(client, login_as, letterhead, ready_event, db):
    login_as(Role.ORGANIZER)
    event = ready_event(2)
    response = client.post(
        f"/acara/{event.id}/dokumen/surat-undangan",
        data={
            "nature": "Segera",
            "subject": "Undangan Sosialisasi Kepatuhan",
            "note": "Peserta mengenakan PDH batik.",
        },
    )
    assert response.status_code == 302
    preview = client.get(f"/acara/{event.id}/dokumen/surat-undangan")
    assert "Segera" in preview.text and "Peserta mengenakan PDH batik." in preview.text
    assert "Kepala Dinas Kesehatan" in preview.text
    assert "NIP. 19700101 199003 1 005" in preview.text
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf").data)
    assert "Segera" in text and "PDH batik" in text
    page = client.post(
        f"/acara/{event.id}/dokumen/surat-undangan", data={"nature": "Segera", "subject": ""}
    )
    assert "Wajib diisi." in page.text


def test_unit_operators_cannot_produce_letters(client, login_as, ready_event, letterhead):
    event = ready_event(1)
    login_as(Role.UNIT_OPERATOR, unit=event.invitations[0].unit)
    assert client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf").status_code == 403
    assert client.get(f"/acara/{event.id}/dokumen/surat-undangan").status_code == 403


def test_numbers_in_words():
    assert terbilang(2) == "dua"
    assert terbilang(11) == "sebelas"
    assert terbilang(15) == "lima belas"
    assert terbilang(40) == "empat puluh"
    assert terbilang(115) == "seratus lima belas"
    assert terbilang(1250) == "seribu dua ratus lima puluh"


def test_seed_names_the_letterhead_and_leaves_address_and_logo_to_the_admin(db):
    from sosialisasi.documents import services

    db.session.execute(delete(Letterhead))  # the seeder's first run
    assert services.seed_letterhead().startswith("letterhead: created")
    assert services.seed_letterhead() == "letterhead: already configured"
    db.session.commit()
    assert db.session.query(Letterhead).count() == 1
    missing = [m.label for m in services.missing_letterhead(services.get_letterhead())]
    assert missing == ["Alamat pada kop surat", "Logo pada kop surat"]


def test_letter_without_invited_units_links_to_the_invitations(
    client, login_as, letterhead, ready_event, db
):
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    event.invitations.clear()
    db.session.commit()
    response = client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf")
    assert response.status_code == 409
    assert "Perangkat daerah yang diundang" in response.text
    assert f"/acara/{event.id}/undangan" in response.text


def test_a_logo_lost_from_disk_is_named_as_missing(app, client, login_as, letterhead, ready_event):
    (Path(app.config["UPLOAD_FOLDER"]) / letterhead.logo_path).unlink()
    login_as(Role.ORGANIZER)
    event = ready_event(1)
    response = client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf")
    assert response.status_code == 409 and "Logo pada kop surat" in response.text


def test_multi_day_event_letter_gives_the_dates_of_the_agenda(
    client, login_as, letterhead, ready_event, db
):
    from datetime import timedelta

    from sosialisasi.events.models import EventSession

    login_as(Role.ORGANIZER)
    event = ready_event(1)
    event.ends_at = event.starts_at + timedelta(days=1, hours=4)
    day_two = event.starts_at + timedelta(days=1)
    event.sessions.append(
        EventSession(title="Bimbingan teknis", starts_at=day_two, ends_at=event.ends_at)
    )
    db.session.commit()
    text = pdf_text(client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf").data)
    assert "Jumat, 14 Februari 2025 s.d. Sabtu, 15 Februari 2025" in text
    assert "15 Februari 2025, 08.00-12.00 WIB Bimbingan teknis" in text
