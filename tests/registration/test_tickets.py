"""Public ticket page, QR images and PDFs: every QR decodes to the absolute ticket URL."""

from __future__ import annotations

import io

from pypdf import PdfReader

from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.registration import services


def _url(reg) -> str:
    return f"http://localhost/t/{reg.ticket_code}"


def test_ticket_page_is_public_and_shows_participant_event_agenda_venue(client, make_registration):
    reg = make_registration()
    response = client.get(f"/t/{reg.ticket_code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert reg.person.name in html
    assert reg.event.title in html
    assert "Hotel Primebiz Cikarang" in html
    assert "Acara utama" in html
    assert f"/t/{reg.ticket_code}/qr.svg" in html
    assert response.headers["Cache-Control"] == "private, no-store"


def test_unknown_ticket_is_a_404_page_in_indonesian(client):
    response = client.get("/t/tidak-ada-kode-seperti-ini")
    assert response.status_code == 404
    assert "Tiket tidak ditemukan" in response.get_data(as_text=True)


def test_ticket_url_uses_public_base_url_when_set(app, make_registration):
    reg = make_registration()
    app.config["PUBLIC_BASE_URL"] = "https://acara.bekasikab.go.id/"
    with app.test_request_context("/"):
        assert services.ticket_url(reg) == f"https://acara.bekasikab.go.id/t/{reg.ticket_code}"


def test_qr_png_decodes_to_the_ticket_url(client, make_registration, decode_qr):
    reg = make_registration()
    response = client.get(f"/t/{reg.ticket_code}/qr.png")
    assert response.mimetype == "image/png"
    assert decode_qr(response.data) == [_url(reg)]


def test_qr_svg_decodes_to_the_ticket_url(client, make_registration, decode_qr):
    """Rasterise the SVG path with Pillow (no extra dependency): qrcode's SvgPathImage writes
    one path of unit squares ``Mx,yHx2Vy2H..z`` in viewBox units."""
    import re

    from PIL import Image, ImageDraw

    reg = make_registration()
    response = client.get(f"/t/{reg.ticket_code}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    size = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    scale = 8
    image = Image.new("L", (int(size * scale), int(size * scale)), 255)
    draw = ImageDraw.Draw(image)
    squares = re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)", path)
    assert len(squares) > 100
    for x0, y0, x1, y1 in squares:
        box = [float(x0) * scale, float(y0) * scale, float(x1) * scale - 1, float(y1) * scale - 1]
        draw.rectangle(box, fill=0)
    assert decode_qr(image) == [_url(reg)]


def _pdf_qr_texts(data: bytes, decode_qr) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    texts = []
    for page in reader.pages:
        for image in page.images:
            texts += decode_qr(image.image)
    return texts


def test_ticket_pdf_and_badge_decode_to_the_ticket_url(client, make_registration, decode_qr):
    reg = make_registration()
    ticket = client.get(f"/t/{reg.ticket_code}/tiket.pdf")
    assert ticket.mimetype == "application/pdf"
    assert _pdf_qr_texts(ticket.data, decode_qr) == [_url(reg)]
    badge = client.get(f"/t/{reg.ticket_code}/kartu.pdf")
    reader = PdfReader(io.BytesIO(badge.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (105, 148)
    assert reg.person.name in reader.pages[0].extract_text()
    assert _pdf_qr_texts(badge.data, decode_qr) == [_url(reg)]


def test_person_page_lists_events_registered_and_attended(
    db, client, login_as, make_event, make_person, make_registration
):
    person = make_person("Rina Marlina, S.E.")
    first = make_registration(make_event("Sosialisasi 2024"), person)
    make_registration(make_event("Bimtek SKM"), person)
    db.session.add(
        CheckIn(registration=first, session=first.event.sessions[0], method=CheckInMethod.QR)
    )
    db.session.commit()
    login_as(Role.ORGANIZER)
    html = client.get(f"/peserta/{person.id}").get_data(as_text=True)
    assert "Sosialisasi 2024" in html and "Bimtek SKM" in html
    assert "2 terdaftar, 1 hadir" in html


def test_unit_operator_cannot_open_a_person_of_another_unit(
    client, login_as, make_person, make_unit
):
    person = make_person()
    login_as(Role.UNIT_OPERATOR, unit=make_unit())
    assert client.get(f"/peserta/{person.id}").status_code == 404
    own = login_as(Role.UNIT_OPERATOR, unit=person.unit)
    assert own.unit_id == person.unit_id
    assert client.get(f"/peserta/{person.id}").status_code == 200


def test_five_hundred_badges_are_fast_and_every_qr_reads(
    db, client, login_as, make_event, make_unit, decode_qr
):
    import time

    from sosialisasi.registration.models import Person, Registration

    event = make_event()
    unit = make_unit("Dinas Komunikasi, Informatika, Persandian dan Statistik")
    regs = []
    for i in range(500):
        person = Person(name=f"Peserta Nomor {i} dengan Nama Panjang, S.Kom., M.Si.", unit=unit)
        regs.append(Registration(event=event, person=person, unit=unit))
    db.session.add_all(regs)
    db.session.commit()
    codes = {r.ticket_code for r in regs}
    login_as(Role.ORGANIZER)
    started = time.perf_counter()
    response = client.get(f"/acara/{event.id}/kartu.pdf")
    elapsed = time.perf_counter() - started
    print(f"500 A6 badges through the page: {elapsed:.2f} s, {len(response.data) / 1e6:.1f} MB")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 500
    for index in (0, 250, 499):
        (text,) = decode_qr(reader.pages[index].images[0].image)
        assert text.startswith("http://localhost/t/") and text.rsplit("/", 1)[1] in codes
    assert elapsed < 20  # about 1 s on an idle 2-core machine


def test_ticket_page_and_pdf_do_not_disclose_nip_or_phone(client, make_registration, make_person):
    person = make_person("Wulan Sari", nip="198609262015052001", phone="+6281234567890")
    reg = make_registration(person=person)
    html = client.get(f"/t/{reg.ticket_code}").get_data(as_text=True)
    text = PdfReader(io.BytesIO(client.get(f"/t/{reg.ticket_code}/tiket.pdf").data)).pages[0]
    for shown in (html, text.extract_text()):
        assert "Wulan Sari" in shown
        assert "198609262015052001" not in shown and "81234567890" not in shown
