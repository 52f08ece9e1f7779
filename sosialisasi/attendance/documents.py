"""Daftar hadir: the attendance list as PDF (government paper layout) and as XLSX.

The PDF has one sheet per role (peserta, narasumber, panitia), each starting on a new page with the
event heading; rows are grouped by unit and numbered; the table heading repeats on every page; the
signature column alternates left and right like a paper list. ``blank=True`` prints the list for
hand signatures (no check-in times, a few empty rows for people added at the door).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace

from flask_babel import force_locale
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

from ..common.pdf import new_pdf, pdf_bytes
from ..common.text import safe_cell
from ..common.wib import format_date, format_time, to_wib
from ..events.models import Event, EventSession
from ..registration.models import RegistrationRole
from .queries import AttendeeRow, attendees

SHEETS = (
    (RegistrationRole.PESERTA, "DAFTAR HADIR PESERTA"),
    (RegistrationRole.NARASUMBER, "DAFTAR HADIR NARASUMBER"),
    (RegistrationRole.PANITIA, "DAFTAR HADIR PANITIA"),
)
BLANK_EXTRA_ROWS = 5
HEAD = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
GROUP = FontFace(emphasis="BOLD", fill_color=(243, 243, 243))


def _day_text(event: Event | EventSession) -> str:
    first, last = to_wib(event.starts_at).date(), to_wib(event.ends_at).date()
    if first == last:
        return format_date(first)
    return f"{format_date(first)} s.d. {format_date(last)}"


def _time_text(event: Event | EventSession) -> str:
    start, end = to_wib(event.starts_at), to_wib(event.ends_at)
    if start.date() == end.date():
        return f"{format_time(event.starts_at, zone=False)} - {format_time(event.ends_at)}"
    return f"Mulai pukul {format_time(event.starts_at)}"


def _multi_day(event: Event | EventSession) -> bool:
    return to_wib(event.starts_at).date() != to_wib(event.ends_at).date()


def _arrived(row: AttendeeRow, session: EventSession | None) -> datetime | None:
    if session is None:
        return row.first_at
    checkin = row.checkins.get(session.id)
    return checkin.at if checkin else None


def _checkin_text(row: AttendeeRow, multi_day: bool, session: EventSession | None) -> str:
    first = _arrived(row, session)
    if first is None:
        return "Tidak hadir"
    local = to_wib(first)
    return f"{local:%d/%m} {local:%H.%M}" if multi_day else f"{local:%H.%M}"


def _nip(value: str | None) -> str:
    """NIP grouped the way it is printed: 19860926 201505 1 001."""
    if value and len(value) == 18 and value.isdigit():
        return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"
    return value or "-"


def _heading(pdf: FPDF, event: Event, title: str, session: EventSession | None) -> None:
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 6, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 5.5, event.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    if session is not None and len(event.sessions) > 1:
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, f"Sesi: {session.title}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9.5)
    when = session or event
    venue = ", ".join(p for p in (event.venue, event.address) if p)
    for label, value in (
        ("Hari/Tanggal", _day_text(when)),
        ("Waktu", _time_text(when)),
        ("Tempat", venue),
    ):
        pdf.cell(28, 5, label)
        pdf.cell(4, 5, ":")
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _columns(pdf: FPDF, blank: bool) -> tuple[list[str], list[float]]:
    if blank:
        names = ["No", "Nama", "NIP", "Jabatan", "Unit Kerja", "Tanda Tangan"]
        parts = [6, 26, 19, 20, 18, 24]
    else:
        names = ["No", "Nama", "NIP", "Jabatan", "Unit Kerja", "Waktu Hadir", "Tanda Tangan"]
        parts = [6, 24, 19, 19, 17, 10, 19]
    scale = pdf.epw / sum(parts)
    return names, [p * scale for p in parts]


def _signature(number: int) -> tuple[str, str]:
    """Paper lists stagger the signature lines: odd numbers left, even numbers right."""
    return (f"{number}. ..........", "L") if number % 2 else (f"{number}. ..........", "R")


def _unit_name(row: AttendeeRow) -> str:
    reg = row.registration
    unit = reg.unit or reg.person.unit
    return unit.name if unit else "Tanpa unit"


def _sheet(
    pdf: FPDF,
    event: Event,
    title: str,
    rows: list[AttendeeRow],
    *,
    blank: bool,
    session: EventSession | None,
) -> None:
    pdf.add_page()
    pdf.start_section(title.title(), strict=False)
    _heading(pdf, event, title, session)
    names, widths = _columns(pdf, blank)
    multi_day = _multi_day(session or event)
    pdf.set_font("DejaVu", "", 8)
    number = 0
    present = 0
    with pdf.table(
        col_widths=widths,
        headings_style=HEAD,
        line_height=4,
        text_align="LEFT",
        v_align="MIDDLE",
        padding=(1.2, 1),
        min_row_height=10,
        repeat_headings=1,
    ) as table:
        head = table.row()
        for name in names:
            head.cell(name, align="C")
        current_unit = None
        for row in rows:
            unit = _unit_name(row)
            if unit != current_unit:
                current_unit = unit
                table.row().cell(unit, colspan=len(names), style=GROUP)
            number += 1
            person = row.registration.person
            cells = [
                str(number),
                person.name,
                _nip(person.nip),
                person.position or "-",
                unit,
            ]
            line = table.row()
            for text in cells:
                line.cell(text)
            if not blank:
                arrived = _arrived(row, session)
                line.cell(_checkin_text(row, multi_day, session), align="C")
                present += arrived is not None
            sig, align = _signature(number)
            line.cell("" if not blank and arrived is None else sig, align=align)
        if blank:
            extra = BLANK_EXTRA_ROWS if rows or title == SHEETS[0][1] else 0
            for _ in range(extra):
                number += 1
                line = table.row()
                line.cell(str(number))
                for _ in names[1:-1]:
                    line.cell("")
                sig, align = _signature(number)
                line.cell(sig, align=align)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9)
    if blank:
        pdf.cell(0, 5, f"Jumlah terdaftar: {len(rows)} orang", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(
            0,
            5,
            f"Jumlah terdaftar: {len(rows)} orang; hadir: {present} orang",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    _signatory(pdf, event)


def _signatory(pdf: FPDF, event: Event) -> None:
    if not event.signatory_name:
        return
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.ln(4)
    x = pdf.l_margin + pdf.epw * 0.55
    width = pdf.epw * 0.45
    pdf.set_font("DejaVu", "", 9.5)
    for text in (
        f"Bekasi, {format_date(event.starts_at, weekday=False)}",
        event.signatory_position or "",
    ):
        pdf.set_x(x)
        pdf.multi_cell(width, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.set_x(x)
    pdf.multi_cell(width, 5, event.signatory_name, align="C", new_x="LMARGIN", new_y="NEXT")
    if event.signatory_nip:
        pdf.set_font("DejaVu", "", 9.5)
        pdf.set_x(x)
        pdf.cell(width, 5, f"NIP {_nip(event.signatory_nip)}", align="C")
        pdf.ln(5)


def _speaker_row(speaker) -> SimpleNamespace:
    """A speaker of the agenda, shown on the narasumber sheet when none is registered."""
    person = SimpleNamespace(name=speaker.name, nip=None, position=speaker.title, unit=None)
    unit = SimpleNamespace(name=speaker.institution or "Narasumber")
    registration = SimpleNamespace(person=person, unit=unit)
    return SimpleNamespace(registration=registration, checkins={}, first_at=None, eligible=False)


def _split(event: Event, rows: Iterable[AttendeeRow]) -> dict[RegistrationRole, list]:
    by_role: dict[RegistrationRole, list] = {role: [] for role, _ in SHEETS}
    for row in rows:
        by_role[row.registration.role].append(row)
    if not by_role[RegistrationRole.NARASUMBER] and event.speakers:
        by_role[RegistrationRole.NARASUMBER] = [_speaker_row(s) for s in event.speakers]
    return by_role


def render_daftar_hadir(
    pdf: FPDF, event: Event, *, blank: bool = False, session: EventSession | None = None
) -> None:
    """Draw the daftar hadir onto ``pdf`` (from ``common.pdf.new_pdf``): one sheet per role.

    The peserta sheet always appears; narasumber and panitia sheets only when they have people.
    Without ``session`` the time shown is the first check-in of the event; with it, the list is
    that session's (its date and time in the heading, its check-in times), e.g. one per day.
    """
    by_role = _split(event, attendees(event))
    for role, title in SHEETS:
        rows = by_role[role]
        if rows or role is RegistrationRole.PESERTA:
            _sheet(pdf, event, title, rows, blank=blank, session=session)


def daftar_hadir_pdf(
    event: Event, *, blank: bool = False, session: EventSession | None = None
) -> bytes:
    """The daftar hadir PDF: an official document, Indonesian whatever the user's language."""
    with force_locale("id"):
        pdf = new_pdf()
        pdf.set_title(f"Daftar hadir - {event.title}")
        render_daftar_hadir(pdf, event, blank=blank, session=session)
        return pdf_bytes(pdf)


# --- XLSX ------------------------------------------------------------------------------------


def daftar_hadir_xlsx(event: Event) -> bytes:
    """Every registration with every check-in time per session (write-only, formula-safe).

    An official document: Indonesian (role labels included) whatever the user's language.
    """
    with force_locale("id"):
        return _daftar_hadir_xlsx(event)


def _daftar_hadir_xlsx(event: Event) -> bytes:
    rows = attendees(event)
    sessions = list(event.sessions)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Daftar hadir")
    bold = Font(bold=True)

    def strong(value: str) -> Cell:
        cell = WriteOnlyCell(ws, value=safe_cell(value))
        cell.font = bold
        return cell

    ws.append([strong("DAFTAR HADIR")])
    ws.append([strong(event.title)])
    ws.append([safe_cell(f"{_day_text(event)}, {_time_text(event)}")])
    ws.append([safe_cell(", ".join(p for p in (event.venue, event.address) if p))])
    ws.append([])
    head = ["No", "Nama", "NIP", "Jabatan", "Pangkat/Golongan", "Unit Kerja", "Peran"]
    for s in sessions:
        local = to_wib(s.starts_at)
        head.append(f"{s.title} ({local:%d/%m %H.%M})")
    head += ["Jumlah sesi hadir", "Memenuhi syarat"]
    ws.append([strong(h) for h in head])
    for number, row in enumerate(rows, start=1):
        reg, person = row.registration, row.registration.person
        values: list[str | int] = [
            number,
            person.name,
            person.nip or "",
            person.position or "",
            person.rank or "",
            _unit_name(row),
            reg.role.label,
        ]
        cells = [WriteOnlyCell(ws, value=safe_cell(v)) for v in values]
        for s in sessions:
            checkin = row.checkins.get(s.id)
            if checkin is None:
                cells.append(WriteOnlyCell(ws, value=safe_cell("")))
            else:
                cell = WriteOnlyCell(ws, value=safe_cell(to_wib(checkin.at).replace(tzinfo=None)))
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
                cells.append(cell)
        cells.append(WriteOnlyCell(ws, value=safe_cell(len(row.checkins))))
        cells.append(WriteOnlyCell(ws, value=safe_cell("Ya" if row.eligible else "Tidak")))
        ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
