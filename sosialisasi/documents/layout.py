"""What every document draws: kop surat, signature block, notulen markup, numbers in words."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import TypedDict

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..common.nip import NIPError, parse_nip
from ..common.wib import format_date
from . import markup


class _NextLine(TypedDict):
    new_x: XPos
    new_y: YPos


NEXT: _NextLine = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}  # fpdf2: continue on the next line

_ONES = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
]  # fmt: skip


def terbilang(n: int) -> str:
    """Numbers in Indonesian words, as letters write quotas: 2 -> ``dua``, 115 -> ``seratus lima
    belas``."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {terbilang(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} ratus" + (f" {terbilang(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {terbilang(n - 1000)}" if n > 1000 else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return f"{terbilang(thousands)} ribu" + (f" {terbilang(rest)}" if rest else "")
    return str(n)


def nip_text(nip: str | None) -> str:
    if not nip:
        return ""
    try:
        return f"NIP. {parse_nip(nip).grouped}"
    except NIPError:
        return f"NIP. {nip}"


def content_width(pdf: FPDF) -> float:
    return pdf.w - pdf.l_margin - pdf.r_margin


def draw_letterhead(pdf: FPDF, letterhead, logo: bytes | None) -> None:
    """Kop surat: logo on the left, the names centred, a double rule underneath."""
    top = pdf.t_margin
    logo_w = 24
    if logo:
        pdf.image(io.BytesIO(logo), x=pdf.l_margin, y=top, h=26, keep_aspect_ratio=True, w=logo_w)
    text_x = pdf.l_margin + logo_w + 2
    text_w = content_width(pdf) - 2 * (logo_w + 2)
    pdf.set_xy(text_x, top)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(text_w, 6.5, letterhead.government_name.upper(), align="C", **NEXT)
    pdf.set_x(text_x)
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(text_w, 7.5, letterhead.secretariat.upper(), align="C", **NEXT)
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_x(text_x)
    pdf.multi_cell(text_w, 4.2, letterhead.address, align="C", **NEXT)
    contact = "  ".join(
        part
        for part in (
            f"Telepon {letterhead.phone}" if letterhead.phone else "",
            f"Laman {letterhead.website}" if letterhead.website else "",
            f"Pos-el {letterhead.email}" if letterhead.email else "",
        )
        if part
    )
    if contact:
        pdf.set_x(text_x)
        pdf.multi_cell(text_w, 4.2, contact, align="C", **NEXT)
    y = max(pdf.get_y(), top + 26) + 2
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.1, pdf.w - pdf.r_margin, y + 1.1)
    pdf.set_xy(pdf.l_margin, y + 5)
    pdf.set_font("DejaVu", "", 10.5)


def signature_block(
    pdf: FPDF,
    *,
    position: str,
    name: str,
    nip: str | None,
    place_date: str | None = None,
    x: float | None = None,
    width: float = 85,
    space: float = 22,
) -> None:
    """Position, room to sign, the name (bold, underlined) and the NIP."""
    lines = 2 + (1 if place_date else 0) + len(position) // 38
    if pdf.get_y() + space + lines * 5.5 + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    x = x if x is not None else pdf.w - pdf.r_margin - width
    pdf.set_font("DejaVu", "", 10.5)
    if place_date:
        pdf.set_x(x)
        pdf.cell(width, 5.5, place_date, align="C", **NEXT)
    pdf.set_x(x)
    pdf.multi_cell(width, 5.5, position, align="C", **NEXT)
    pdf.ln(space)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "BU", 10.5)
    pdf.cell(width, 5.5, name, align="C", **NEXT)
    pdf.set_font("DejaVu", "", 10.5)
    if nip:
        pdf.set_x(x)
        pdf.cell(width, 5.5, nip_text(nip), align="C", **NEXT)


def label_rows(pdf: FPDF, rows: Iterable[tuple[str, str]], label_w: float = 28) -> None:
    """``Nomor    : 005/...`` lines, values wrapping under themselves."""
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        y = pdf.get_y()
        pdf.cell(label_w, 5.5, label)
        pdf.cell(4, 5.5, ":")
        pdf.multi_cell(content_width(pdf) - label_w - 4, 5.5, value or "-", align="L", **NEXT)
        pdf.set_y(max(pdf.get_y(), y + 5.5))


def place_date(city: str, day: date | None) -> str:
    return f"{city}, {format_date(day, 'id', weekday=False)}" if day else city


def draw_markup(pdf: FPDF, text: str | None, *, indent: float = 0, size: float = 10.5) -> None:
    """Notulen markup as PDF paragraphs, headings and lists."""
    left = pdf.l_margin + indent
    width = pdf.w - pdf.r_margin - left
    for block in markup.parse(text):
        pdf.set_x(left)
        if block.kind in ("h1", "h2"):
            pdf.ln(1.5)
            pdf.set_x(left)
            pdf.set_font("DejaVu", "B", size + (1 if block.kind == "h1" else 0))
            pdf.multi_cell(width, 6, block.text, **NEXT)
            pdf.set_font("DejaVu", "", size)
        elif block.kind == "p":
            pdf.set_font("DejaVu", "", size)
            pdf.multi_cell(width, 5.5, block.text, align="J", **NEXT)
            pdf.ln(1.5)
        else:
            pdf.set_font("DejaVu", "", size)
            for number, item in enumerate(block.items, start=block.start):
                bullet = "•" if block.kind == "ul" else f"{number}."
                pdf.set_x(left)
                y = pdf.get_y()
                pdf.cell(8, 5.5, bullet, align="R" if block.kind == "ol" else "C")
                pdf.set_x(left + 9)
                pdf.multi_cell(width - 9, 5.5, item, **NEXT)
                pdf.set_y(max(pdf.get_y(), y + 5.5))
            pdf.ln(1.5)
    pdf.set_font("DejaVu", "", size)


def heading(pdf: FPDF, text: str, size: float = 11) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - 25:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(content_width(pdf), 6, text, **NEXT)
    pdf.set_font("DejaVu", "", 10.5)
    pdf.ln(1)
