"""What every document draws: kop surat, signature block, notulen markup, numbers in words."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..common.nip import format_nip
from ..common.wib import format_date
from . import markup
from .flow import draw_blocks


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
    """``NIP. 19860926 201505 1 001`` (the one format of ``common.nip.format_nip``)."""
    return format_nip(nip)


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


@dataclass(frozen=True)
class Signer:
    """Who signs a document, as Permendagri 1/2023 prints it: ``a.n. BUPATI BEKASI`` over the
    office (or ``Plt.``/``Plh.`` before it), the name, the pangkat and the NIP."""

    name: str
    position: str
    nip: str | None = None
    rank: str = ""
    capacity: str = ""  # "", "a.n.", "Plt.", "Plh."
    on_behalf: str = ""  # the office signed for (a.n.) or held temporarily (Plt./Plh.)

    @property
    def office_lines(self) -> list[str]:
        position = self.position.strip()
        if self.capacity == "a.n." and self.on_behalf:
            return [f"a.n. {self.on_behalf}", f"{position},"]
        if self.capacity in ("Plt.", "Plh."):
            return [f"{self.capacity} {self.on_behalf or position},"]
        return [f"{position},"] if position else []

    @property
    def lines_after_name(self) -> list[str]:
        return [line for line in (self.rank.strip(), nip_text(self.nip)) if line]


def event_signer(event) -> Signer:
    """The official who signs the surat undangan (and the certificates)."""
    return Signer(
        name=event.signatory_name or "",
        position=event.signatory_position or "",
        nip=event.signatory_nip,
        rank=event.signatory_rank or "",
        capacity=event.signatory_capacity or "",
        on_behalf=event.signatory_for or "",
    )


def report_signer(event) -> Signer | None:
    """The penanggung jawab who signs the daftar hadir and the laporan kegiatan."""
    if not event.report_signatory_name:
        return None
    return Signer(
        name=event.report_signatory_name,
        position=event.report_signatory_position or "",
        nip=event.report_signatory_nip,
        rank=event.report_signatory_rank or "",
    )


def signature_height(signer: Signer, *, place_date: str | None = None, space: float = 22) -> float:
    lines = len(signer.office_lines) + 1 + len(signer.lines_after_name) + (1 if place_date else 0)
    lines += sum(len(line) // 38 for line in signer.office_lines)
    return space + lines * 5.5 + 2


def draw_signer(
    pdf: FPDF,
    signer: Signer,
    *,
    place_date: str | None = None,
    x: float | None = None,
    width: float = 85,
    space: float = 22,
    size: float = 10.5,
    keep: bool = True,
) -> None:
    """The signature block. ``keep``: start a new page when it does not fit (callers that must
    never leave it alone move rows with it before calling)."""
    if keep and pdf.get_y() + signature_height(signer, place_date=place_date, space=space) > (
        pdf.h - pdf.b_margin
    ):
        pdf.add_page()
    x = x if x is not None else pdf.w - pdf.r_margin - width
    pdf.set_font("DejaVu", "", size)
    if place_date:
        pdf.set_x(x)
        pdf.cell(width, 5.5, place_date, align="C", **NEXT)
    for line in signer.office_lines:
        pdf.set_x(x)
        pdf.multi_cell(width, 5.5, line, align="C", **NEXT)
    pdf.ln(space)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "BU", size)
    pdf.cell(width, 5.5, signer.name, align="C", **NEXT)
    pdf.set_font("DejaVu", "", size)
    for line in signer.lines_after_name:
        pdf.set_x(x)
        pdf.cell(width, 5.5, line, align="C", **NEXT)


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
    draw_signer(
        pdf,
        Signer(name=name, position=position, nip=nip),
        place_date=place_date,
        x=x,
        width=width,
        space=space,
    )


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


def draw_markup(
    pdf: FPDF,
    text: str | None,
    *,
    indent: float = 0,
    size: float = 10.5,
    title: str | None = None,
) -> None:
    """Notulen markup as PDF paragraphs, headings and lists, under an optional section
    ``title``; pages break without leaving one line of the section alone (``flow``)."""
    draw_blocks(pdf, markup.parse(text), indent=indent, size=size, title=title)


def heading(pdf: FPDF, text: str, size: float = 11) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - 25:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(content_width(pdf), 6, text, **NEXT)
    pdf.set_font("DejaVu", "", 10.5)
    pdf.ln(1)


def region_name(letterhead) -> str:
    """``PEMERINTAH KABUPATEN BEKASI`` -> ``Kabupaten Bekasi``."""
    name = (getattr(letterhead, "government_name", "") or "").strip()
    if name.upper().startswith("PEMERINTAH "):
        name = name[len("PEMERINTAH ") :]
    return name.title() if name.isupper() else name


def organizer_text(unit, letterhead) -> str:
    """``Bagian Organisasi Sekretariat Daerah Kabupaten Bekasi``: the unit, the body above it
    and the region, as an outside reader needs them."""
    if unit is None:
        return ""
    parts = [unit.name]
    parent = unit.parent
    if parent is not None and parent.kind.value in ("setda", "setwan", "dinas", "badan"):
        parts.append(parent.name)
    region = region_name(letterhead)
    text = " ".join(parts)
    if region and region.lower() not in text.lower():
        text = f"{text} {region}"
    return text
