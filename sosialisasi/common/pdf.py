"""PDF basics shared by every document: fpdf2 with the DejaVu fonts shipped in ``static/fonts``.

DejaVu covers every character of Indonesian names (and anything else people type), so no text is
ever dropped or replaced.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
A4 = "A4"
A6 = (105, 148)


def new_pdf(
    *, format: str | tuple[float, float] = A4, orientation: str = "portrait", margin: float = 15
) -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format=format)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(FONTS / "DejaVuSans-Oblique.ttf"))
    pdf.set_font("DejaVu", size=10)
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin=margin)
    pdf.set_creator("Sosialisasi")
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
