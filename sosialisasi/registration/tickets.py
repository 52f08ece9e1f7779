"""Ticket and badge PDFs (fpdf2). The QR always holds the absolute ticket URL.

Badges are A6 (105 x 148 mm) with a 52 mm QR at EC level Q (print); each QR image is built once
(``qr_png`` is cached) and embedded as PNG, so 500 badges take well under a second or two.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from fpdf import FPDF

from ..common.pdf import A4, A6, new_pdf, pdf_bytes
from ..common.qrcodes import qr_png
from ..common.wib import format_date, format_range, format_time
from .models import Registration

BADGE_QR_MM = 52
ROLE_COLOURS = {"peserta": (13, 110, 253), "narasumber": (25, 135, 84), "panitia": (220, 53, 69)}


def _fit(pdf: FPDF, text: str, width: float, size: float, min_size: float = 7) -> None:
    """Shrink the font until ``text`` fits on ``width`` (long names and unit names)."""
    while size > min_size and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font_size(size)


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
    qr = qr_png(url, level="Q", box_size=6, border=2)
    pdf.image(io.BytesIO(qr), x=(105 - BADGE_QR_MM) / 2, y=27, w=BADGE_QR_MM, h=BADGE_QR_MM)
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
    """One A6 badge per registration (a whole event in one file)."""
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
    """An A4 e-ticket: QR (EC Q, 60 mm), participant, event, agenda and venue."""
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
        ("NIP", reg.person.nip or "-"),
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
