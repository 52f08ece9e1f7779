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


def export_rows(rows: list[dict]) -> list[list]:
    """The dashboard rows (``queries.dashboard``) as plain values, in EXPORT_HEAD order."""
    out = []
    for r in rows:
        p = r["projection"]
        out.append(
            [
                r["unit"].name,
                f"{r['attended']}/{r['invited']}",
                r["verified"],
                r["tasks"],
                r["overdue"],
                float(p.score) if p.score is not None else None,
                p.band.category if p.band else "",
                float(r["latest"][1]) if r["latest"] else None,
            ]
        )
    return out


def dashboard_xlsx(
    framework: Framework, rows: list[dict], lagging: list[dict], today: date
) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kesiapan")
    ws.append([safe_cell(f"Kesiapan tindak lanjut - {framework.name}")])
    ws.append([safe_cell(f"Per {today:%d-%m-%Y}")])
    ws.append(EXPORT_HEAD)
    for row in export_rows(rows):
        ws.append([safe_cell(v) for v in row])
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
    from ..common.wib import format_date

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
    widths = (80, 28, 26, 22, 22, 28, 25, 36)
    with pdf.table(col_widths=widths, text_align="LEFT", repeat_headings=1) as table:
        table.row(EXPORT_HEAD)
        for values in export_rows(rows):
            table.row(["" if v is None else str(v) for v in values])
    return pdf_bytes(pdf)
