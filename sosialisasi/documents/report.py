"""Laporan kegiatan: one PDF with the report, the daftar hadir and the photos attached."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from fpdf.fonts import FontFace

from ..attendance.documents import render_daftar_hadir
from ..attendance.queries import attendance_summary, attendees
from ..common.pdf import new_pdf, pdf_bytes
from ..common.wib import format_date, format_time, to_wib
from ..events.models import Event
from ..followup.queries import event_followup_summary
from ..registration.models import RegistrationRole
from ..registration.snapshots import printed
from ..training.surveys import report_lines as evaluation_lines
from . import files
from .flow import draw_blocks
from .layout import (
    NEXT,
    content_width,
    draw_letterhead,
    draw_markup,
    draw_signer,
    heading,
    label_rows,
    place_date,
    region_name,
    report_signer,
)
from .markup import Block
from .models import EventReport, FileKind, Letterhead
from .queries import event_files

HEAD = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
TOTAL = FontFace(emphasis="BOLD")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class RecapRow:
    name: str
    quota: int | None
    registered: int
    present: int


def report_day(event: Event, report: EventReport) -> date:
    """The laporan's date: the one the organizer set, else the event's last day (never the day
    the PDF happens to be produced)."""
    return report.report_date or to_wib(event.ends_at).date()


def report_addressee(letterhead: Letterhead) -> str:
    """``Bupati Bekasi melalui Sekretaris Daerah``: a laporan goes up to the regional head."""
    region = region_name(letterhead)
    if region.startswith("Kabupaten "):
        head = f"Bupati {region[len('Kabupaten ') :]}"
    elif region.startswith("Kota "):
        head = f"Wali Kota {region[len('Kota ') :]}"
    else:
        head = f"Kepala Daerah {region}".strip()
    return f"{head} melalui Sekretaris Daerah"


def participant_recap(event: Event) -> list[RecapRow]:
    """Per unit: invited quota, registered and present (the attendance area's summary)."""
    summary = attendance_summary(event)
    rows = [
        RecapRow(u["name"], u["quota"], u["registered"], u["present"]) for u in summary["units"]
    ]
    rows.sort(key=lambda r: (r.quota is None, r.name.lower()))
    return rows


def task_summary(event: Event) -> list[dict]:
    """The follow-up area's per-unit progress of this event's tasks (rows, then the total row)."""
    rows = event_followup_summary(event)
    total = rows[-1] if rows and rows[-1].get("is_total") else None
    if total is None or not total["tasks"]:
        return []
    return rows


def _title(number: int, title: str) -> str:
    return f"{ROMAN[number]}. {title}"


def _section(pdf, number: int, title: str) -> None:
    heading(pdf, _title(number, title))


@dataclass
class Headcount:
    """Who was there, as the laporan counts them: peserta apart from narasumber and panitia;
    only real perangkat daerah (no "Tanpa unit", no outside bodies) counted as units."""

    participants: int
    units: int
    speakers: int
    committee: int


def headcount(event: Event) -> Headcount:
    participants, committee, speakers = 0, 0, 0
    units: set[str] = set()
    for row in attendees(event):
        if row.first_at is None:
            continue
        role = row.registration.role
        if role is RegistrationRole.NARASUMBER:
            speakers += 1
        elif role is RegistrationRole.PANITIA:
            committee += 1
        else:
            participants += 1
            who = printed(row.registration)
            if who.unit and not who.institution:
                units.add(who.unit)
    # The agenda's speakers who gave the talk without registering.
    speakers = max(speakers, len(event.speakers))
    return Headcount(participants, len(units), speakers, committee)


def _recap_table(pdf, event: Event, rows: list[RecapRow]) -> None:
    total_quota = sum(r.quota or 0 for r in rows)
    total_reg = sum(r.registered for r in rows)
    total_present = sum(r.present for r in rows)
    invited = sum(1 for r in rows if r.quota is not None)
    count = headcount(event)
    others = []
    if count.speakers:
        others.append(f"{count.speakers} orang narasumber")
    if count.committee:
        others.append(f"{count.committee} orang panitia")
    pdf.multi_cell(
        content_width(pdf),
        5.5,
        f"Kegiatan diikuti oleh {count.participants} orang peserta dari {count.units} "
        f"perangkat daerah (diundang {invited} perangkat daerah dengan kuota {total_quota} "
        f"orang; terdaftar {total_reg} orang)"
        + (f", didampingi {' dan '.join(others)}." if others else "."),
        align="L",
        **NEXT,
    )
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(
        col_widths=(10, 95, 25, 25, 25),
        text_align=("CENTER", "LEFT", "CENTER", "CENTER", "CENTER"),
        line_height=5.5,
        headings_style=HEAD,
        repeat_headings=1,
    ) as table:
        table.row(("No", "Perangkat Daerah", "Kuota undangan", "Terdaftar", "Hadir"))
        for number, r in enumerate(rows, start=1):
            table.row(
                (
                    str(number),
                    r.name,
                    str(r.quota) if r.quota is not None else "tidak diundang",
                    str(r.registered),
                    str(r.present),
                )
            )
        table.row(("", "Jumlah", str(total_quota), str(total_reg), str(total_present)), style=TOTAL)
    pdf.set_font("DejaVu", "", 10.5)


def _agenda_table(pdf, event: Event) -> None:
    pdf.set_font("DejaVu", "", 9.5)
    with pdf.table(
        col_widths=(40, 90, 50),
        text_align="LEFT",
        line_height=5.5,
        headings_style=HEAD,
        repeat_headings=1,
    ) as table:
        table.row(("Waktu", "Acara", "Narasumber"))
        for s in event.sessions:
            when = (
                f"{format_date(s.starts_at, 'id', weekday=False)}\n"
                f"{format_time(s.starts_at, zone=False)}-{format_time(s.ends_at)}"
            )
            table.row((when, s.title, s.speaker.name if s.speaker else "-"))
    pdf.set_font("DejaVu", "", 10.5)


def _task_table(pdf, rows: list[dict]) -> None:
    pdf.set_font("DejaVu", "", 8.5)
    with pdf.table(
        col_widths=(68, 18, 18, 20, 24, 18, 14),
        text_align=("LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER"),
        line_height=5,
        headings_style=HEAD,
        repeat_headings=1,
    ) as table:
        table.row(
            ("Perangkat Daerah", "Hadir", "Tugas", "Diajukan", "Terverifikasi", "Terlambat", "%")
        )
        for r in rows:
            attended = "" if r["attended"] is None else ("Ya" if r["attended"] else "Tidak")
            table.row(
                (
                    r["unit"],
                    attended,
                    str(r["tasks"]),
                    str(r["submitted"]),
                    str(r["verified"]),
                    str(r["overdue"]),
                    f"{r['percent']}%",
                ),
                style=TOTAL if r.get("is_total") else None,
            )
    pdf.set_font("DejaVu", "", 10.5)


def _photos(pdf, event: Event) -> int:
    photos = event_files(event, FileKind.PHOTO)
    if not photos:
        return 0
    box_w = content_width(pdf)
    box_h = (pdf.h - pdf.t_margin - pdf.b_margin - 30) / 2
    for index, photo in enumerate(photos):
        if index % 2 == 0:
            pdf.add_page()
            pdf.set_font("DejaVu", "B", 12)
            pdf.cell(box_w, 7, "LAMPIRAN: DOKUMENTASI KEGIATAN", align="C", **NEXT)
            pdf.ln(2)
        try:
            data = files.absolute(photo.path).read_bytes()
        except OSError:
            continue
        w, h = photo.width or 4, photo.height or 3
        scale = min(box_w / w, (box_h - 10) / h)
        draw_w, draw_h = w * scale, h * scale
        x = pdf.l_margin + (box_w - draw_w) / 2
        y = pdf.get_y()
        pdf.image(io.BytesIO(data), x=x, y=y, w=draw_w, h=draw_h)
        pdf.set_xy(pdf.l_margin, y + draw_h + 1.5)
        pdf.set_font("DejaVu", "I", 9)
        pdf.multi_cell(box_w, 4.5, photo.caption or photo.filename, align="C", **NEXT)
        pdf.ln(3)
    return len(photos)


def render_report(
    event: Event,
    report: EventReport,
    letterhead: Letterhead,
    logo: bytes | None,
    *,
    at: datetime,
) -> bytes:
    pdf = new_pdf()
    pdf.set_title(f"Laporan Kegiatan - {event.title}")
    pdf.add_page()
    draw_letterhead(pdf, letterhead, logo)
    width = content_width(pdf)
    day = report_day(event, report)
    place = place_date(letterhead.city, day)
    pdf.set_font("DejaVu", "", 10.5)
    pdf.cell(width, 5.5, place, align="R", **NEXT)
    label_rows(pdf, [("Nomor", report.number or "-")], label_w=22)
    pdf.ln(2)
    indent = pdf.l_margin + width / 2
    for line in ("Kepada", f"Yth. {report_addressee(letterhead)}", "di", "Tempat"):
        pdf.set_x(indent + (8 if line == "Tempat" else 0))
        pdf.multi_cell(width / 2, 5.5, line, align="L", **NEXT)
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(width, 7, "LAPORAN KEGIATAN", align="C", **NEXT)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(width, 6, event.title.upper(), align="C", **NEXT)
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 10.5)

    n = 0
    for title, text in (
        ("LATAR BELAKANG", report.background),
        ("DASAR HUKUM", report.legal_basis),
        ("MAKSUD DAN TUJUAN", report.purpose),
    ):
        draw_markup(pdf, text, indent=6, title=_title(n, title))
        n += 1

    _section(pdf, n, "WAKTU DAN TEMPAT")
    n += 1
    start, end = to_wib(event.starts_at), to_wib(event.ends_at)
    days = format_date(event.starts_at)
    if start.date() != end.date():
        days = f"{days} s.d. {format_date(event.ends_at)}"
    label_rows(
        pdf,
        [
            ("Hari/tanggal", days),
            (
                "Waktu",
                f"{format_time(event.starts_at, zone=False)} s.d. {format_time(event.ends_at)}",
            ),
            ("Tempat", ", ".join(p for p in (event.venue, event.address) if p)),
        ],
        label_w=30,
    )
    if event.organizer_unit:
        label_rows(pdf, [("Penyelenggara", event.organizer_unit.name)], label_w=30)

    speakers = [Block("ol", items=[sp.label for sp in event.speakers])] if event.speakers else []
    draw_blocks(
        pdf,
        speakers or [Block("lines", items=["Tidak ada narasumber yang tercatat."])],
        indent=6 if speakers else 0,
        title=_title(n, "NARASUMBER"),
    )
    n += 1

    _section(pdf, n, "PESERTA")
    n += 1
    _recap_table(pdf, event, participant_recap(event))

    _section(pdf, n, "SUSUNAN ACARA")
    n += 1
    _agenda_table(pdf, event)

    draw_markup(pdf, report.minutes, indent=6, title=_title(n, "NOTULEN DAN HASIL PEMBAHASAN"))
    n += 1

    draw_markup(pdf, report.conclusions, indent=6, title=_title(n, "KESIMPULAN"))
    n += 1

    if report.followup_plan:
        draw_markup(pdf, report.followup_plan, indent=6, title=_title(n, "RENCANA TINDAK LANJUT"))
    else:
        _section(pdf, n, "RENCANA TINDAK LANJUT")
    n += 1
    tasks = task_summary(event)
    if tasks:
        pdf.multi_cell(width, 5.5, "Rekapitulasi tugas tindak lanjut per perangkat daerah:", **NEXT)
        pdf.ln(1)
        _task_table(pdf, tasks)
    elif not report.followup_plan:
        pdf.multi_cell(width, 5.5, "Belum ada tugas tindak lanjut yang tercatat.", **NEXT)

    evaluation = evaluation_lines(event)  # the training area's surveys, when answered
    if evaluation:
        draw_blocks(
            pdf, [Block("lines", items=evaluation)], indent=6, title=_title(n, "HASIL EVALUASI")
        )
        n += 1

    photos = event_files(event, FileKind.PHOTO)
    attachments = ["Daftar hadir"] + (["Dokumentasi kegiatan"] if photos else [])
    closing = (
        "Demikian laporan kegiatan ini disampaikan sebagai bahan pertanggungjawaban dan tindak "
        "lanjut. Lampiran: " + "; ".join(attachments) + "."
    )
    draw_blocks(pdf, [Block("p", closing)], title=_title(n, "PENUTUP"))
    pdf.ln(4)
    signer = report_signer(event)
    if signer is not None:
        draw_signer(pdf, signer, place_date=place)

    render_daftar_hadir(pdf, event)
    _photos(pdf, event)
    return pdf_bytes(pdf)
