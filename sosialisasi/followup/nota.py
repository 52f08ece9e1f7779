"""The nota dinas to the Sekda or the Bupati on the district's standing (PDF with the kop surat,
and the same table as XLSX). Always Indonesian: it is an official letter."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from ..common.text import safe_cell
from ..common.wib import format_date, format_number

ADDRESSEES = {
    "sekda": "Sekretaris Daerah Kabupaten Bekasi",
    "bupati": "Bupati Bekasi",
}
HEAD = [
    "No",
    "Unit lokus",
    "Nilai",
    "Kategori",
    "Tugas terbuka",
    "Terlambat",
    "Produk pengawasan",
    "Menghalangi",
]


@dataclass
class NotaData:
    number: str
    addressee: str  # key of ADDRESSEES
    signer_name: str
    signer_nip: str = ""
    signer_position: str = "Kepala Bagian Organisasi"
    day: date | None = None


def _score(value) -> str:
    return format_number(value, "id", 2) if value is not None else "belum dinilai"


def status_lines(overview: dict, supervision) -> list[str]:
    """The district's standing against the target, in sentences."""
    year = overview["year"]
    lines = []
    current, band = overview["current"], overview["current_band"]
    if current is None:
        lines.append(f"Nilai kabupaten tahun {year} belum dapat diproyeksikan (lokus belum diisi).")
    else:
        source = "nilai resmi" if overview["official"] else "proyeksi atas unit lokus"
        category = f" (kategori {band.category}, {band.zone})" if band else ""
        lines.append(f"Posisi tahun {year} ({source}): {_score(current)}{category}.")
    if overview["target"] is not None:
        settings = overview["settings"]
        label = f"kategori {settings.target_category}, " if settings.target_category else ""
        text = f"Target: {label}skor paling rendah {_score(overview['target'])}"
        gap = overview["gap"]
        if gap is not None:
            text += (
                "; target tercapai."
                if gap.reached
                else f"; kurang {format_number(gap.points, 'id', 2)} poin."
            )
        lines.append(text)
    if supervision is not None and overview["framework"].opinion_rule:
        if supervision.clean:
            lines.append(
                "Semua produk pengawasan Ombudsman yang jatuh tempo telah ditindaklanjuti: "
                "kabupaten masih memenuhi syarat opini \u201cTanpa Maladministrasi\u201d."
            )
        else:
            numbers = ", ".join(p.number for p in supervision.blocking)
            lines.append(
                f"{len(supervision.blocking)} produk pengawasan lewat tenggat tanpa tindak "
                f"lanjut ({numbers}); opini \u201cTanpa Maladministrasi\u201d terancam."
            )
    return lines


def table_values(rows: list[dict]) -> list[list]:
    return [
        [
            n,
            r["unit"].name,
            _score(r["score"]),
            r["band"].category if r["band"] else "-",
            r["open"],
            r["overdue"],
            r["products"],
            r["blocking"],
        ]
        for n, r in enumerate(rows, start=1)
    ]


def nota_pdf(overview: dict, rows: list[dict], supervision, data: NotaData) -> bytes:
    from fpdf.fonts import FontFace

    from ..common.pdf import new_pdf, pdf_bytes
    from ..documents.layout import (
        NEXT,
        content_width,
        draw_letterhead,
        label_rows,
        place_date,
        signature_block,
    )
    from ..documents.services import get_letterhead, logo_bytes

    letterhead = get_letterhead()
    pdf = new_pdf()
    pdf.add_page()
    if letterhead is not None:
        draw_letterhead(pdf, letterhead, logo_bytes(letterhead))
    pdf.set_font("DejaVu", "BU", 12)
    pdf.cell(0, 7, "NOTA DINAS", align="C", **NEXT)
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 10.5)
    year = overview["year"]
    day = data.day or date.today()
    label_rows(
        pdf,
        [
            ("Yth.", ADDRESSEES.get(data.addressee, ADDRESSEES["sekda"])),
            ("Dari", f"{data.signer_position} Sekretariat Daerah"),
            ("Nomor", data.number),
            ("Tanggal", format_date(day, "id", weekday=False)),
            ("Sifat", "Penting"),
            ("Lampiran", "1 (satu) berkas"),
            (
                "Hal",
                f"Posisi Kabupaten Bekasi dalam {overview['framework'].method or 'penilaian'} "
                f"Ombudsman RI Tahun {year}",
            ),
        ],
    )
    y = pdf.get_y() + 1
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(4)
    body = (
        "Dengan hormat, bersama ini kami laporkan posisi Kabupaten Bekasi dalam penilaian "
        f"Ombudsman RI tahun {year}"
    )
    if overview["framework"].legal_basis:
        body += f" berdasarkan {overview['framework'].legal_basis}"
    pdf.multi_cell(content_width(pdf), 5.5, body + ", sebagai berikut:", **NEXT)
    pdf.ln(1)
    for n, line in enumerate(status_lines(overview, supervision), start=1):
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(content_width(pdf) - 4, 5.5, f"{n}. {line}", **NEXT)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 8.5)
    if rows:
        widths = (8, 58, 18, 17, 18, 18, 22, 21)
        with pdf.table(col_widths=widths, text_align="LEFT", repeat_headings=1) as table:
            table.row(HEAD)
            for r, values in zip(rows, table_values(rows), strict=True):
                row = table.row()
                for i, v in enumerate(values):
                    band = r["band"]
                    if i == 3 and band is not None:
                        white = band.color in ("hijau-tua", "danger")
                        row.cell(
                            str(v),
                            style=FontFace(
                                fill_color=band.hex, color="#FFFFFF" if white else "#000000"
                            ),
                        )
                    else:
                        row.cell(str(v))
    else:
        pdf.multi_cell(0, 5, "Lokus tahun ini belum diisi.", **NEXT)
    pdf.set_font("DejaVu", "", 10.5)
    pdf.ln(3)
    pdf.multi_cell(
        content_width(pdf),
        5.5,
        "Demikian kami sampaikan, mohon arahan lebih lanjut.",
        **NEXT,
    )
    pdf.ln(4)
    city = letterhead.city if letterhead is not None and letterhead.city else "Cikarang Pusat"
    signature_block(
        pdf,
        position=data.signer_position,
        name=data.signer_name or "....................",
        nip=data.signer_nip or None,
        place_date=place_date(city, day),
    )
    return pdf_bytes(pdf)


def nota_xlsx(overview: dict, rows: list[dict], supervision, data: NotaData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.create_sheet(index=0)
    wb.remove(wb.worksheets[1])  # the default sheet: one typed sheet instead
    ws.title = f"Posisi {overview['year']}"
    ws.append([safe_cell(f"Nota dinas {data.number}")])
    ws.append([safe_cell(f"Yth. {ADDRESSEES.get(data.addressee, ADDRESSEES['sekda'])}")])
    for line in status_lines(overview, supervision):
        ws.append([safe_cell(line)])
    ws.append([])
    ws.append(HEAD)
    for r, values in zip(rows, table_values(rows), strict=True):
        ws.append([safe_cell(v) for v in values])
        if r["band"] is not None:
            colour = "FF" + r["band"].hex.lstrip("#").upper()
            ws.cell(ws.max_row, 4).fill = PatternFill("solid", start_color=colour, end_color=colour)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
