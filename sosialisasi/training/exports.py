"""Files: survey results (PDF, XLSX), the JP list for the BKPSDM, meal and room numbers (XLSX)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from ..common.nip import format_nip
from ..common.pdf import new_pdf, pdf_bytes
from ..common.text import safe_cell
from ..common.wib import format_date, format_number, format_time
from ..events.models import Event
from .exams import ExamResults
from .record import SessionCount
from .surveys import SCALE, SurveyResults

JP_HEADINGS = (
    "NIP",
    "Nama",
    "Kegiatan",
    "Jenis",
    "Tanggal mulai",
    "Tanggal selesai",
    "JP",
    "Nomor sertifikat",
    "Penyelenggara",
)


def _xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> bytes:
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title[:31])
        for row in rows:
            ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _num(value) -> str:
    return "-" if value is None else format_number(value, "id", 2)


def _score(value) -> float | None:
    return None if value is None else float(value)


def exam_results_xlsx(event: Event, results: ExamResults) -> bytes:
    """The pre/post-test results for the report and the BKPSDM: one row per participant (with
    NIP and pass/fail against the event's threshold), then the means per perangkat daerah.
    Scores are numbers, so the sheet can be sorted and summed."""
    people: list[list[object]] = [
        [event.title],
        [f"Hasil pre-test dan post-test, {format_date(event.starts_at, 'id', weekday=False)}"],
        [f"Batas lulus post-test: {results.threshold}"],
        [],
        ["No", "Nama", "NIP", "Perangkat Daerah", "Pre-test", "Post-test", "Kenaikan", "Lulus"],
    ]
    for i, r in enumerate(results.rows, start=1):
        passed = "" if r.post is None else ("Ya" if r.post >= results.threshold else "Tidak")
        nip = format_nip(r.nip, prefix=False) if r.nip else ""
        people.append(
            [i, r.name, nip, r.unit, _score(r.pre), _score(r.post), _score(r.gain), passed]
        )
    people += [
        [],
        [
            "",
            "Rata-rata",
            "",
            "",
            _score(results.mean_pre),
            _score(results.mean_post),
            _score(results.mean_gain),
            f"{results.passed}/{results.took_post}",
        ],
    ]
    units: list[list[object]] = [["Perangkat Daerah", "Orang", "Pre-test", "Post-test", "Kenaikan"]]
    for u in results.units:
        units.append([u.unit, u.people, _score(u.pre), _score(u.post), _score(u.gain)])
    return _xlsx([("Per peserta", people), ("Per perangkat daerah", units)])


def survey_xlsx(event: Event, all_results: Sequence[SurveyResults]) -> bytes:
    sheets = []
    for i, res in enumerate(all_results, start=1):
        rows: list[list[object]] = [
            [event.title],
            [res.survey.title],
            ["Jumlah responden", res.responses],
            [],
            ["Unsur", "Rata-rata", "Nilai konversi", *[f"{v} ({SCALE[v]})" for v in SCALE]],
        ]
        for e in res.elements:
            rows.append(
                [
                    e.label,
                    float(e.mean) if e.mean is not None else None,
                    float(e.converted) if e.converted is not None else None,
                    *e.counts,
                ]
            )
        rows.append([])
        rows.append(["Indeks (x25)", float(res.index) if res.index is not None else None])
        rows.append(["Mutu", f"{res.grade} ({res.grade_label})" if res.grade else "-"])
        rows.append([])
        rows.append(["Saran dan komentar"])
        for who, text in res.comments:
            rows.append([who or "-", text])
        sheets.append((f"{i}. {res.survey.title}", rows))
    if not sheets:
        sheets.append(("Survei", [["Belum ada survei."]]))
    return _xlsx(sheets)


def survey_pdf(event: Event, all_results: Sequence[SurveyResults]) -> bytes:
    pdf = new_pdf()
    pdf.set_title(f"Hasil evaluasi - {event.title}")
    for res in all_results or []:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 6, "HASIL EVALUASI", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, res.survey.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, event.title, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, f"Jumlah responden: {res.responses}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 9)
        with pdf.table(col_widths=(60, 22, 22, 14, 14, 14, 14), text_align="LEFT") as table:
            table.row(["Unsur", "Rata-rata", "Konversi", "1", "2", "3", "4"])
            for e in res.elements:
                table.row([e.label, _num(e.mean), _num(e.converted), *[str(c) for c in e.counts]])
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        grade = f"{res.grade} ({res.grade_label})" if res.grade else "-"
        pdf.multi_cell(
            0, 6, f"Indeks: {_num(res.index)}   Mutu: {grade}", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("DejaVu", "I", 8)
        pdf.multi_cell(
            0,
            4,
            "Skala 1-4; indeks = rata-rata nilai unsur x 25 (PermenPANRB 14/2017): "
            "25,00-64,99 D Tidak Baik; 65,00-76,60 C Kurang Baik; 76,61-88,30 B Baik; "
            "88,31-100,00 A Sangat Baik.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if res.comments:
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 10)
            pdf.cell(0, 6, "Saran dan komentar", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 9)
            for who, text in res.comments:
                line = f"- {text}" + (f" ({who})" if who else "")
                pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    if not all_results:
        pdf.add_page()
        pdf.cell(0, 8, "Belum ada survei.")
    return pdf_bytes(pdf)


def jp_xlsx(rows: Sequence[Sequence[object]], *, year: int) -> bytes:
    return _xlsx([(f"JP {year}", [list(JP_HEADINGS), *rows])])


def headcount_xlsx(event: Event, counts: Sequence[SessionCount]) -> bytes:
    roles = list(counts[0].expected) if counts else []
    rows: list[list[object]] = [
        [event.title],
        [],
        [
            "Sesi",
            "Tanggal",
            "Jam",
            *[f"Terdaftar {r}" for r in roles],
            "Terdaftar total",
            *[f"Hadir {r}" for r in roles],
            "Hadir total",
        ],
    ]
    for c in counts:
        rows.append(
            [
                c.title,
                format_date(c.starts_at, "id", weekday=False),
                format_time(c.starts_at),
                *[c.expected[r] for r in roles],
                c.expected_total,
                *[c.actual[r] for r in roles],
                c.actual_total,
            ]
        )
    return _xlsx([("Konsumsi", rows)])
