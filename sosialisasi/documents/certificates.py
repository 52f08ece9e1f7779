"""Sertifikat: A4 landscape, one page per certificate, with a QR (EC Q) to the verification page."""

from __future__ import annotations

import io
from collections.abc import Callable

from ..common.pdf import new_pdf, pdf_bytes
from ..common.qrcodes import print_qr
from ..common.wib import format_date, to_wib
from ..events.models import Event
from ..training.jp import certificate_jp_line
from .layout import NEXT, draw_signer, event_signer, nip_text, organizer_text, place_date
from .models import Certificate, Letterhead

QR_MM = 34


def _period(event: Event) -> str:
    start, end = to_wib(event.starts_at).date(), to_wib(event.ends_at).date()
    if start == end:
        return format_date(start, "id", weekday=True)
    return f"{format_date(start, 'id', weekday=False)} s.d. {format_date(end, 'id', weekday=False)}"


def _page(
    pdf,
    event: Event,
    cert: Certificate,
    letterhead: Letterhead,
    logo,
    url: str,
    jp_line: str | None = None,
) -> None:
    pdf.add_page()
    w, h = pdf.w, pdf.h
    pdf.set_draw_color(20, 60, 120)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, w - 16, h - 16)
    pdf.set_line_width(0.4)
    pdf.rect(11.5, 11.5, w - 23, h - 23)
    pdf.set_draw_color(0, 0, 0)
    inner = w - 60
    x = 30
    y = 16
    if logo:
        pdf.image(io.BytesIO(logo), x=w / 2 - 10, y=y, h=20, w=20, keep_aspect_ratio=True)
    pdf.set_xy(x, y + 22)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(inner, 6, letterhead.government_name.upper(), align="C", **NEXT)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(inner, 5, letterhead.secretariat.upper(), align="C", **NEXT)
    pdf.ln(3)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "B", 30)
    pdf.set_text_color(20, 60, 120)
    pdf.cell(inner, 13, "SERTIFIKAT", align="C", **NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "", 10.5)
    pdf.cell(inner, 5.5, f"Nomor: {cert.number}", align="C", **NEXT)
    pdf.ln(3)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(inner, 6, "diberikan kepada", align="C", **NEXT)
    pdf.ln(1)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "B", 21)
    pdf.multi_cell(inner, 10, cert.name, align="C", **NEXT)
    pdf.set_font("DejaVu", "", 11)
    if cert.nip:
        pdf.set_x(x)
        pdf.cell(inner, 5.5, nip_text(cert.nip), align="C", **NEXT)
    if cert.unit_name:
        pdf.set_x(x)
        pdf.multi_cell(inner, 5.5, cert.unit_name, align="C", **NEXT)
    pdf.ln(3)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(
        inner, 6, f"atas partisipasinya sebagai {cert.role_label} dalam kegiatan", align="C", **NEXT
    )
    pdf.set_x(x)
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(inner, 7, event.title, align="C", **NEXT)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "", 11)
    venue = event.venue
    organizer_name = organizer_text(event.organizer_unit, letterhead)
    organizer = f" oleh {organizer_name}" if organizer_name else ""
    pdf.multi_cell(
        inner,
        5.5,
        f"yang diselenggarakan{organizer} pada {_period(event)} di {venue}",
        align="C",
        **NEXT,
    )
    if jp_line:  # training-type events state their JP
        pdf.set_x(x)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(inner, 6, jp_line, align="C", **NEXT)

    # QR to the verification page, bottom left; signature bottom right.
    qr_y = h - 20 - QR_MM - 9
    pdf.image(print_qr(url, border=4), x=24, y=qr_y, w=QR_MM, h=QR_MM)
    pdf.set_xy(18, qr_y + QR_MM + 0.5)
    pdf.set_font("DejaVu", "", 7)
    pdf.multi_cell(QR_MM + 12, 3.2, "Pindai untuk memeriksa keaslian sertifikat", align="C")
    sig_top = max(pdf.get_y() - 52, h - 72)
    pdf.set_y(min(sig_top, h - 70))
    draw_signer(
        pdf,
        event_signer(event),
        place_date=place_date(letterhead.city, to_wib(event.ends_at).date()),
        x=w - 30 - 100,
        width=100,
        space=18,
        keep=False,
    )


def render_certificates(
    event: Event,
    certificates: list[Certificate],
    letterhead: Letterhead,
    logo: bytes | None,
    verify_url: Callable[[str], str],
) -> bytes:
    pdf = new_pdf(orientation="landscape", margin=12)
    pdf.set_auto_page_break(False)
    pdf.set_title(f"Sertifikat - {event.title}")
    jp_line = certificate_jp_line(event)  # once per batch, e.g. "selama 16 JP (...)"
    for cert in certificates:
        _page(pdf, event, cert, letterhead, logo, verify_url(cert.code), jp_line)
    return pdf_bytes(pdf)
