"""Ticket and badge PDFs (fpdf2). The QR always holds the absolute ticket URL.

Badges are A6 (105 x 148 mm) with a 52 mm QR at EC level Q (print). A whole event's badges must be
fast (500 in about a second): their QR images come from ``common.qrcodes.print_qr`` (one fixed
mask, built from the module matrix); the tests decode them with zxing-cpp.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import force_locale
from fpdf import FPDF

from ..common.pdf import A4, A6, new_pdf, pdf_bytes
from ..common.qrcodes import print_qr, qr_png
from ..common.wib import format_date, format_range, format_time
from .models import Registration

BADGE_QR_MM = 52
ROLE_COLOURS = {"peserta": (13, 110, 253), "narasumber": (25, 135, 84), "panitia": (220, 53, 69)}


def _fitted_size(pdf: FPDF, text: str, width: float, size: float, min_size: float = 7) -> float:
    """The font size at which ``text`` fits on ``width`` (long names and unit names)."""
    pdf.set_font_size(size)
    needed = pdf.get_string_width(text)
    return max(min_size, size * width / needed * 0.98) if needed > width else size


def _fit(pdf: FPDF, text: str, width: float, size: float, min_size: float = 7) -> None:
    pdf.set_font_size(_fitted_size(pdf, text, width, size, min_size))


def _centred(pdf: FPDF, x: float, y: float, w: float, h: float, text: str) -> None:
    """What ``cell(w, h, text, align="C")`` at (x, y) prints, without the cell machinery.

    A badge is seven one-line texts; ``cell`` lays each out as a styled line (markdown,
    shaping, links, box), which was a sixth of a 500-badge batch. ``text`` writes the string at
    the same baseline (``cell``'s own 0.5 h + 0.3 font size).
    """
    pdf.text(x + (w - pdf.get_string_width(text)) / 2, y + 0.5 * h + 0.3 * pdf.font_size, text)


@dataclass(frozen=True)
class _Header:
    """The event's lines at the top of every badge, measured once per event (not per badge)."""

    title: str
    title_size: float
    when: str
    venue: str
    venue_size: float


def _header(pdf: FPDF, event, width: float) -> _Header:
    pdf.set_font("DejaVu", "B", 9)
    title_size = _fitted_size(pdf, event.title, width, 9, 6)
    pdf.set_font("DejaVu", "", 7.5)
    venue_size = _fitted_size(pdf, event.venue, width, 7.5, 5)
    when = format_date(event.starts_at) + ", " + format_time(event.starts_at)
    return _Header(event.title, title_size, when, event.venue, venue_size)


def _badge_page(
    pdf: FPDF,
    reg: Registration,
    url: str,
    headers: dict[int, _Header],
    *,
    ox: float = 0,
    oy: float = 0,
    new_page: bool = True,
) -> None:
    """One A6 badge with its top-left corner at (ox, oy): a page of its own, or a quarter of A4."""
    if new_page:
        pdf.add_page()
    width = 105 - 16
    event = reg.event
    header = headers.get(event.id) or headers.setdefault(event.id, _header(pdf, event, width))
    colour = ROLE_COLOURS.get(reg.role.value, (13, 110, 253))
    pdf.set_fill_color(*colour)
    pdf.rect(ox, oy, 105, 14, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", header.title_size)
    _centred(pdf, ox + 8, oy + 3, width, 8, header.title)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 7.5)
    _centred(pdf, ox + 8, oy + 16, width, 4, header.when)
    pdf.set_font_size(header.venue_size)
    _centred(pdf, ox + 8, oy + 20, width, 4, header.venue)
    # QR, centred
    pdf.image(
        print_qr(url), x=ox + (105 - BADGE_QR_MM) / 2, y=oy + 27, w=BADGE_QR_MM, h=BADGE_QR_MM
    )
    y: float = oy + 27 + BADGE_QR_MM + 4
    pdf.set_font("DejaVu", "B", 15)
    name = reg.person.name
    _fit(pdf, name, width, 15, 8)
    _centred(pdf, ox + 8, y, width, 8, name)
    pdf.set_font("DejaVu", "", 9)
    y += 9
    for line in (reg.person.position or "", reg.unit.name if reg.unit else ""):
        if not line:
            continue
        pdf.set_font_size(9)
        _fit(pdf, line, width, 9, 6)
        _centred(pdf, ox + 8, y, width, 5, line)
        y += 5.5
    pdf.set_fill_color(*colour)
    pdf.rect(ox, oy + 148 - 16, 105, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 16)
    _centred(pdf, ox, oy + 148 - 14, 105, 12, reg.role.label.upper())
    pdf.set_text_color(0, 0, 0)


def _cut_marks(pdf: FPDF) -> None:
    """Cut marks for an A4 sheet of four A6 badges: ticks on the edges where the cuts run."""
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    for x in (105,):
        pdf.line(x, 0, x, 5)
        pdf.line(x, 297 - 5, x, 297)
    for y in (148,):
        pdf.line(0, y, 5, y)
        pdf.line(210 - 5, y, 210, y)


def badges_a4_pdf(registrations: Sequence[Registration], url_for_ticket: Callable) -> bytes:
    """Four A6 badges per A4 sheet, with cut marks (for an office printer and a guillotine)."""
    with force_locale("id"):
        pdf = new_pdf(format=A4, margin=0)
        pdf.set_auto_page_break(False)
        pdf.set_title("Kartu peserta (A4, 4 per lembar)")
        headers: dict[int, _Header] = {}
        spots = ((0, 0), (105, 0), (0, 148), (105, 148))
        for i, reg in enumerate(registrations):
            if i % 4 == 0:
                pdf.add_page()
                _cut_marks(pdf)
            ox, oy = spots[i % 4]
            _badge_page(pdf, reg, url_for_ticket(reg), headers, ox=ox, oy=oy, new_page=False)
        if not registrations:
            pdf.add_page()
            pdf.set_xy(8, 60)
            pdf.cell(194, 8, "Belum ada peserta terdaftar.", align="C")
        return pdf_bytes(pdf)


def badges_pdf(registrations: Sequence[Registration], url_for_ticket: Callable) -> bytes:
    """One A6 badge per registration (a whole event in one file), in Indonesian."""
    with force_locale("id"):  # role labels: the printed badge is Indonesian by design
        return _badges_pdf(registrations, url_for_ticket)


def _badges_pdf(registrations: Sequence[Registration], url_for_ticket: Callable) -> bytes:
    pdf = new_pdf(format=A6, margin=0)
    pdf.set_auto_page_break(False)
    pdf.set_title("Kartu peserta")
    headers: dict[int, _Header] = {}
    for reg in registrations:
        _badge_page(pdf, reg, url_for_ticket(reg), headers)
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
