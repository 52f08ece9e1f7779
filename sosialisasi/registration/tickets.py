"""Ticket and badge PDFs (fpdf2). The QR always holds the absolute ticket URL.

Badges are A6 (105 x 148 mm) with a 52 mm QR at EC level Q (print). A whole event's badges must be
fast (500 in about a second), and the QR symbols dominate that time: ``qrcode`` tries all eight
mask patterns to pick the "best", which costs 8x the encoding. For badges we use one fixed mask
(valid QR; the choice only tunes penalty scores) and build each image straight from the module
matrix at 4 px per module, embedded without interpolation; the tests decode them with zxing-cpp.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache

import qrcode
from flask_babel import force_locale
from fpdf import FPDF
from PIL import Image
from qrcode.constants import ERROR_CORRECT_Q

from ..common.pdf import A4, A6, new_pdf, pdf_bytes
from ..common.qrcodes import qr_png
from ..common.wib import format_date, format_range, format_time
from .models import Registration

BADGE_QR_MM = 52
ROLE_COLOURS = {"peserta": (13, 110, 253), "narasumber": (25, 135, 84), "panitia": (220, 53, 69)}


@lru_cache(maxsize=2048)
def badge_qr(url: str, *, scale: int = 4, border: int = 2) -> Image.Image:
    """The QR of ``url`` at EC Q as a greyscale image, one fixed mask (see the module note)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=border, mask_pattern=2)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def _fit(pdf: FPDF, text: str, width: float, size: float, min_size: float = 7) -> None:
    """Shrink the font so that ``text`` fits on ``width`` (long names and unit names)."""
    pdf.set_font_size(size)
    needed = pdf.get_string_width(text)
    if needed > width:
        pdf.set_font_size(max(min_size, size * width / needed * 0.98))


def _badge_page(pdf: FPDF, reg: Registration, url: str) -> None:
    pdf.add_page()
    width = 105 - 16
    event = reg.event
    colour = ROLE_COLOURS.get(reg.role.value, (13, 110, 253))
    pdf.set_fill_color(*colour)
    pdf.rect(0, 0, 105, 14, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_xy(8, 3)
    title = event.title
    _fit(pdf, title, width, 9, 6)
    pdf.cell(width, 8, title, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 7.5)
    pdf.set_xy(8, 16)
    pdf.cell(
        width, 4, format_date(event.starts_at) + ", " + format_time(event.starts_at), align="C"
    )
    pdf.set_xy(8, 20)
    venue = event.venue
    _fit(pdf, venue, width, 7.5, 5)
    pdf.cell(width, 4, venue, align="C")
    # QR, centred
    pdf.image(badge_qr(url), x=(105 - BADGE_QR_MM) / 2, y=27, w=BADGE_QR_MM, h=BADGE_QR_MM)
    y = 27 + BADGE_QR_MM + 4
    pdf.set_font("DejaVu", "B", 15)
    name = reg.person.name
    _fit(pdf, name, width, 15, 8)
    pdf.set_xy(8, y)
    pdf.cell(width, 8, name, align="C")
    pdf.set_font("DejaVu", "", 9)
    y += 9
    for line in (reg.person.position or "", reg.unit.name if reg.unit else ""):
        if not line:
            continue
        pdf.set_font_size(9)
        _fit(pdf, line, width, 9, 6)
        pdf.set_xy(8, y)
        pdf.cell(width, 5, line, align="C")
        y += 5.5
    pdf.set_fill_color(*colour)
    pdf.rect(0, 148 - 16, 105, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_xy(0, 148 - 14)
    pdf.cell(105, 12, reg.role.label.upper(), align="C")
    pdf.set_text_color(0, 0, 0)


def badges_pdf(registrations: Sequence[Registration], url_for_ticket: Callable) -> bytes:
    """One A6 badge per registration (a whole event in one file), in Indonesian."""
    with force_locale("id"):  # role labels: the printed badge is Indonesian by design
        return _badges_pdf(registrations, url_for_ticket)


def _badges_pdf(registrations: Sequence[Registration], url_for_ticket: Callable) -> bytes:
    pdf = new_pdf(format=A6, margin=0)
    pdf.set_auto_page_break(False)
    pdf.set_title("Kartu peserta")
    for reg in registrations:
        _badge_page(pdf, reg, url_for_ticket(reg))
    if not registrations:
        pdf.add_page()
        pdf.set_xy(8, 60)
        pdf.cell(89, 8, "Belum ada peserta terdaftar.", align="C")
    return pdf_bytes(pdf)


def ticket_pdf(reg: Registration, url: str) -> bytes:
    """An A4 e-ticket: QR (EC Q, 60 mm), participant, event, agenda and venue.

    No NIP, phone or email: tickets get forwarded in WhatsApp groups. Always Indonesian."""
    with force_locale("id"):  # role and status labels: the ticket is Indonesian by design
        return _ticket_pdf(reg, url)


def _ticket_pdf(reg: Registration, url: str) -> bytes:
    event = reg.event
    pdf = new_pdf(format=A4)
    pdf.set_title(f"Tiket {event.title}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, "E-TIKET", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7, event.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0, 5, format_range(event.starts_at, event.ends_at), new_x="LMARGIN", new_y="NEXT"
    )
    place = event.venue + (f", {event.address}" if event.address else "")
    pdf.multi_cell(0, 5, place, new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 4
    qr = qr_png(url, level="Q", box_size=8, border=2)
    pdf.image(io.BytesIO(qr), x=15, y=y, w=60, h=60)
    pdf.set_xy(80, y + 2)
    rows = [
        ("Nama", reg.person.name),
        ("Pangkat/golongan", reg.person.rank or "-"),
        ("Jabatan", reg.person.position or "-"),
        ("Unit kerja", reg.unit.name if reg.unit else "-"),
        ("Peran", reg.role.label),
        ("Status", reg.status.label),
    ]
    for label, value in rows:
        pdf.set_x(80)
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(0, 4, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(80)
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(115, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), y + 62))
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 4, url, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, "Susunan acara", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(col_widths=(45, 90, 45), text_align="LEFT") as table:
        table.row(["Waktu", "Sesi", "Narasumber"])
        for s in event.sessions:
            when = (
                f"{format_date(s.starts_at, weekday=False)} "
                f"{format_time(s.starts_at, zone=False)}-{format_time(s.ends_at)}"
            )
            table.row([when, s.title, s.speaker.name if s.speaker else ""])
    pdf.ln(4)
    pdf.set_font("DejaVu", "I", 8)
    pdf.multi_cell(
        0,
        4,
        "Tunjukkan kode QR ini kepada petugas saat registrasi ulang. "
        "Jangan membagikan tiket ini kepada orang lain.",
    )
    return pdf_bytes(pdf)
