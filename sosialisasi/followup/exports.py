"""The readiness dashboard as files: an XLSX workbook and a landscape PDF (always Indonesian)."""

from __future__ import annotations

import io
from datetime import date

from ..common.text import safe_cell
from .models import Framework

EXPORT_HEAD = [
    "Perangkat daerah",
    "Hadir/diundang",
    "Terverifikasi",
    "Jumlah tugas",
    "Terlambat",
    "Proyeksi nilai",
    "Kategori proyeksi",
    "Nilai resmi terakhir",
]


UNASSESSED = "belum dinilai"
CATEGORY_COLUMN = EXPORT_HEAD.index("Kategori proyeksi")


def export_rows(rows: list[dict]) -> list[list]:
    """The dashboard rows (``queries.dashboard``) as plain values, in EXPORT_HEAD order.

    A unit never assessed reads "belum dinilai" with no score, never 0.00 / E.
    """
    out = []
    for r in rows:
        p = r["projection"]
        category = (p.band.category if p.band else "") if p.assessed else UNASSESSED
        out.append(
            [
                r["unit"].name,
                f"{r['attended']}/{r['invited']}",
                r["verified"],
                r["tasks"],
                r["overdue"],
                float(p.score) if p.score is not None else None,
                category,
                float(r["latest"][1]) if r["latest"] else None,
            ]
        )
    return out


def average_projection(rows: list[dict]) -> float | None:
    """The plain average of the assessed units' projections (unassessed units left out)."""
    from .services.scores import district_average

    avg = district_average([r["projection"].score for r in rows if r["projection"].assessed
                            and r["projection"].score is not None])  # fmt: skip
    return float(avg) if avg is not None else None


def band_fill(band) -> str | None:
    """The band's colour as an opaque openpyxl ARGB (``FF0B6B2F``), or None."""
    return "FF" + band.hex.lstrip("#").upper() if band is not None else None


def dashboard_xlsx(
    framework: Framework, rows: list[dict], lagging: list[dict], today: date
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kesiapan")
    ws.append([safe_cell(f"Kesiapan tindak lanjut - {framework.name}")])
    ws.append([safe_cell(f"Per {today:%d-%m-%Y}")])
    ws.append(EXPORT_HEAD)
    for r, row in zip(rows, export_rows(rows), strict=True):
        cells: list = [safe_cell(v) for v in row]
        fill = band_fill(r["projection"].band) if r["projection"].assessed else None
        if fill:
            cell = WriteOnlyCell(ws, value=cells[CATEGORY_COLUMN])
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            if r["projection"].band.color in ("hijau-tua", "danger"):
                cell.font = Font(color="FFFFFF", bold=True)
            cells[CATEGORY_COLUMN] = cell
        ws.append(cells)
    avg = average_projection(rows)
    ws.append(["Rata-rata unit yang sudah dinilai", None, None, None, None, avg])
    lag = wb.create_sheet("Indikator tertinggal")
    lag.append(["Kode", "Indikator", "Terverifikasi", "Jumlah tugas", "Terlambat"])
    for r in lagging:
        lag.append(
            [
                safe_cell(r["indicator"].code),
                safe_cell(r["indicator"].name),
                r["verified"],
                r["tasks"],
                r["overdue"],
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dashboard_pdf(framework: Framework, rows: list[dict], today: date) -> bytes:
    from ..common.pdf import new_pdf, pdf_bytes  # fpdf loads when a PDF is asked for
    from ..common.wib import format_date, format_number

    pdf = new_pdf(orientation="landscape")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(
        0,
        7,
        "Kesiapan Tindak Lanjut Penilaian Kepatuhan Pelayanan Publik",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0, 5, f"{framework.name} · per {format_date(today)}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    from fpdf.fonts import FontFace

    # Headings wrap between words only: "Hadir / diundang" gets spaces, and each column is as wide
    # as its longest word in bold 9 pt.
    widths = (70, 28, 30, 22, 24, 28, 29, 36)
    head = [h.replace("/", " / ") for h in EXPORT_HEAD]
    with pdf.table(col_widths=widths, text_align="LEFT", repeat_headings=1) as table:
        table.row(head)
        for r, values in zip(rows, export_rows(rows), strict=True):
            row = table.row()
            band = r["projection"].band if r["projection"].assessed else None
            for i, v in enumerate(values):
                text = "" if v is None else format_number(v) if isinstance(v, float) else str(v)
                if i == CATEGORY_COLUMN and band is not None:
                    white = band.color in ("hijau-tua", "danger")
                    row.cell(
                        text,
                        style=FontFace(
                            fill_color=band.hex,
                            color="#FFFFFF" if white else "#000000",
                            emphasis="BOLD",
                        ),
                    )
                else:
                    row.cell(text)
    avg = average_projection(rows)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        "Rata-rata proyeksi unit yang sudah dinilai: "
        + (format_number(avg) if avg is not None else "-")
        + ". Unit yang belum dinilai tidak ikut dirata-ratakan.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return pdf_bytes(pdf)
