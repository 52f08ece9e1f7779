"""Daftar hadir: the attendance list as PDF (government paper layout) and as XLSX.

The PDF has one sheet per role (peserta, narasumber, panitia), each starting on a new page with the
event heading; rows are grouped by unit and numbered; the table heading repeats on every page; the
signature column alternates left and right like a paper list. ``blank=True`` prints the list for
hand signatures (no check-in times, a few empty rows for people added at the door).

Its size is earned: the page-break rules a typist follows (a unit heading kept with its first rows,
the signature block never alone) need their own small table engine, kept beside the one document
that uses it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import cast

from flask_babel import force_locale
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

from ..common.nip import format_nip
from ..common.pdf import new_pdf, pdf_bytes
from ..common.text import safe_cell
from ..common.wib import format_date, format_time, to_wib
from ..documents.layout import Signer, draw_signer, place_date, report_signer, signature_height
from ..events.models import Event, EventSession
from ..registration.models import RegistrationRole
from ..registration.snapshots import Printed, printed
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
    """NIP grouped the way it is printed everywhere: 19860926 201505 1 001."""
    return format_nip(value, prefix=False) or "-"


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
    """No unit column: the rows sit under their unit's heading, as on a typed list."""
    if blank:
        names = ["No", "Nama", "NIP", "Jabatan", "Pangkat/\nGol.", "Tanda Tangan"]
        parts = [6, 30, 20, 26, 16, 24]
    else:
        names = ["No", "Nama", "NIP", "Jabatan", "Pangkat/\nGol.", "Waktu Hadir", "Tanda Tangan"]
        parts = [6, 27, 19, 24, 15, 11, 20]
    scale = pdf.epw / sum(parts)
    return names, [p * scale for p in parts]


def _signature(number: int) -> tuple[str, str]:
    """Paper lists stagger the signature lines: odd numbers left, even numbers right."""
    return (f"{number}. ..........", "L") if number % 2 else (f"{number}. ..........", "R")


def _unit_name(row: AttendeeRow) -> str:
    """The group a row is printed under: the unit as it was (snapshot), an outside speaker's
    instansi, never "Tanpa unit" for a narasumber."""
    who = _who(row)
    if who.unit:
        return who.unit
    if who.institution:
        return who.institution
    if row.registration.role is RegistrationRole.NARASUMBER:
        return "Narasumber"
    return "Tanpa unit"


def _who(row: AttendeeRow) -> Printed:
    reg = row.registration
    if isinstance(reg, SimpleNamespace):  # a speaker of the agenda
        return reg.printed
    return printed(reg)


def _name_text(row: AttendeeRow) -> str:
    name = _who(row).name
    substitute = getattr(row.registration, "substitute_for", None)
    if substitute is not None:
        extra = f", {substitute.position}" if substitute.position else ""
        return f"{name}\n(mewakili {substitute.name}{extra})"
    return name


# --- a table that breaks where a typist would ------------------------------------------------

LINE = 4
PAD = 1.2
MIN_ROW = 10
KEEP_WITH_HEADING = 2  # rows kept with a unit heading
KEEP_WITH_SIGNATURE = 2  # rows moved with the signature block


@dataclass
class _Line:
    cells: list[tuple[str, str]]  # (text, align)
    group: str | None = None  # a unit heading row instead of cells
    height: float = 0
    bold: bool = False
    size: float = 8
    counts: list[int] | None = None  # wrapped lines per cell, found by ``measure``


class _Table:
    """Draws rows with fpdf cells; the caller decides where pages break."""

    def __init__(self, pdf: FPDF, names: list[str], widths: list[float]) -> None:
        self.pdf, self.names, self.widths = pdf, names, widths

    @property
    def limit(self) -> float:
        return self.pdf.h - self.pdf.b_margin

    def _lines(self, width: float, text: str) -> int:
        pdf = self.pdf
        if not text:
            return 1
        room = width - 2 * PAD - 2 * pdf.c_margin  # what multi_cell leaves for the text
        if "\n" not in text and pdf.get_string_width(text) < room - 0.1:
            return 1  # fits on one line: no need to wrap it (most cells of a 500-row list)
        lines = pdf.multi_cell(width - 2 * PAD, LINE, text, dry_run=True, output="LINES")
        return len(cast(list[str], lines))

    def measure(self, line: _Line) -> float:
        self.pdf.set_font("DejaVu", "B" if line.group or line.bold else "", line.size)
        if line.group is not None:
            line.height = max(self._lines(sum(self.widths), line.group) * LINE + 2 * PAD, 6)
        else:
            line.counts = [
                self._lines(w, text) for w, (text, _a) in zip(self.widths, line.cells, strict=True)
            ]
            line.height = max(max(line.counts) * LINE + 2 * PAD, MIN_ROW)
        self.pdf.set_font("DejaVu", "", 8)
        return line.height

    def head(self) -> None:
        line = _Line([(n, "C") for n in self.names], bold=True, size=7.5)
        self.measure(line)
        self._draw(line, fill=(225, 225, 225))

    def row(self, line: _Line) -> None:
        if line.group is not None:
            self._draw_group(line)
        else:
            self._draw(line)

    def _draw_group(self, line: _Line) -> None:
        pdf = self.pdf
        x, y, w = pdf.l_margin, pdf.get_y(), sum(self.widths)
        pdf.set_fill_color(243, 243, 243)
        pdf.rect(x, y, w, line.height, style="DF")
        pdf.set_font("DejaVu", "B", 8)
        pdf.set_xy(x + PAD, y + PAD)
        pdf.multi_cell(w - 2 * PAD, LINE, line.group or "", align="L")
        pdf.set_font("DejaVu", "", 8)
        pdf.set_xy(x, y + line.height)

    def _draw(self, line: _Line, *, fill=None) -> None:
        pdf = self.pdf
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_font("DejaVu", "B" if line.bold else "", line.size)
        counts = line.counts or [
            self._lines(w, text) for w, (text, _a) in zip(self.widths, line.cells, strict=True)
        ]
        for w, (text, align), n in zip(self.widths, line.cells, counts, strict=True):
            if fill:
                pdf.set_fill_color(*fill)
            pdf.rect(x, y, w, line.height, style="DF" if fill else "D")
            top = y + (line.height - n * LINE) / 2
            pdf.set_xy(x + PAD, top)
            if text:
                pdf.multi_cell(w - 2 * PAD, LINE, text, align=align)
            x += w
        pdf.set_font("DejaVu", "", 8)
        pdf.set_xy(pdf.l_margin, y + line.height)


def _layout(table: _Table, lines: list[_Line], footer: float) -> None:
    """Draw ``lines`` under the column heading, breaking pages the way a typist would: a unit
    heading stays with its first rows (and is repeated, "lanjutan", on the next page); the last
    rows go over with the signature block rather than leaving it alone on a page."""
    pdf = table.pdf
    for line in lines:
        table.measure(line)
    rows = [i for i, line in enumerate(lines) if line.group is None]
    tail_from = rows[-KEEP_WITH_SIGNATURE] if len(rows) >= KEEP_WITH_SIGNATURE else 0
    tail_height = sum(line.height for line in lines[tail_from:]) + footer
    current_group: _Line | None = None
    table.head()
    for i, line in enumerate(lines):
        need = line.height
        if line.group is not None:
            current_group = line
            following = [
                lines[j].height
                for j in range(i + 1, min(i + 1 + KEEP_WITH_HEADING, len(lines)))
                if lines[j].group is None
            ]
            need += sum(following)
        if i == tail_from:
            need = max(need, tail_height)
        if pdf.get_y() + need > table.limit and pdf.get_y() > pdf.t_margin + 30:
            pdf.add_page()
            table.head()
            if line.group is None and current_group is not None:
                table.row(_Line([], group=f"{current_group.group} (lanjutan)", height=6))
        table.row(line)


def _sheet(
    pdf: FPDF,
    event: Event,
    title: str,
    rows: list[AttendeeRow],
    *,
    blank: bool,
    session: EventSession | None,
    place: str,
    signer: Signer | None,
) -> None:
    pdf.add_page()
    pdf.start_section(title.title(), strict=False)
    _heading(pdf, event, title, session)
    names, widths = _columns(pdf, blank)
    multi_day = _multi_day(session or event)
    speakers = title == "DAFTAR HADIR NARASUMBER"
    lines: list[_Line] = []
    number = 0
    present = 0
    current_unit = None
    for row in rows:
        unit = _unit_name(row)
        if unit != current_unit:
            current_unit = unit
            lines.append(_Line([], group=unit))
        number += 1
        who = _who(row)
        cells = [
            (str(number), "C"),
            (_name_text(row), "L"),
            (_nip(who.nip), "L"),
            (who.position or "-", "L"),
            (who.rank or "-", "L"),
        ]
        sig, align = _signature(number)
        if not blank:
            arrived = _arrived(row, session)
            present += arrived is not None
            if speakers:
                # The narasumber gave the talk: a line to sign, whether or not they scanned.
                time_text = _checkin_text(row, multi_day, session) if arrived else ""
                cells.append((time_text, "C"))
                cells.append((sig, align))
            else:
                cells.append((_checkin_text(row, multi_day, session), "C"))
                cells.append(("" if arrived is None else sig, align))
        else:
            cells.append((sig, align))
        lines.append(_Line(cells))
    if blank:
        extra = BLANK_EXTRA_ROWS if rows or title == SHEETS[0][1] else 0
        for _ in range(extra):
            number += 1
            sig, align = _signature(number)
            lines.append(
                _Line([(str(number), "C")] + [("", "L")] * (len(names) - 2) + [(sig, align)])
            )
    footer = 9 + (signature_height(signer, place_date=place, space=16) + 4 if signer else 0)
    _layout(_Table(pdf, names, widths), lines, footer)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9)
    if speakers:
        pdf.cell(0, 5, f"Jumlah narasumber: {len(rows)} orang", new_x="LMARGIN", new_y="NEXT")
    elif blank:
        pdf.cell(0, 5, f"Jumlah terdaftar: {len(rows)} orang", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(
            0,
            5,
            f"Jumlah terdaftar: {len(rows)} orang; hadir: {present} orang",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if signer is not None:
        pdf.ln(4)
        draw_signer(
            pdf,
            signer,
            place_date=place,
            x=pdf.l_margin + pdf.epw * 0.55,
            width=pdf.epw * 0.45,
            space=16,
            size=9.5,
        )


def _speaker_row(speaker) -> SimpleNamespace:
    """A speaker of the agenda, shown on the narasumber sheet when none is registered."""
    who = Printed(
        name=speaker.name,
        nip=None,
        position=speaker.title or "",
        rank="",
        unit="",
        institution=speaker.institution or "",
    )
    registration = SimpleNamespace(
        printed=who, role=RegistrationRole.NARASUMBER, substitute_for=None
    )
    return SimpleNamespace(registration=registration, checkins={}, first_at=None, eligible=False)


def _split(event: Event, rows: Iterable[AttendeeRow]) -> dict[RegistrationRole, list]:
    by_role: dict[RegistrationRole, list] = {role: [] for role, _ in SHEETS}
    for row in rows:
        by_role[row.registration.role].append(row)
    if not by_role[RegistrationRole.NARASUMBER] and event.speakers:
        by_role[RegistrationRole.NARASUMBER] = [_speaker_row(s) for s in event.speakers]
    return by_role


def _place() -> str:
    """Where documents are signed: the letterhead's city (one place on every document)."""
    from ..documents.services import get_letterhead

    letterhead = get_letterhead()
    return (letterhead.city if letterhead is not None else "") or ""


def render_daftar_hadir(
    pdf: FPDF, event: Event, *, blank: bool = False, session: EventSession | None = None
) -> None:
    """Draw the daftar hadir onto ``pdf`` (from ``common.pdf.new_pdf``): one sheet per role.

    The peserta sheet always appears; narasumber and panitia sheets only when they have people.
    Without ``session`` the time shown is the first check-in of the event; with it, the list is
    that session's (its date and time in the heading, its check-in times), e.g. one per day.
    """
    by_role = _split(event, attendees(event))
    city = _place()
    day = to_wib((session or event).ends_at).date()
    place = place_date(city, day) if city else format_date(day, weekday=False)
    signer = report_signer(event)
    for role, title in SHEETS:
        rows = by_role[role]
        if rows or role is RegistrationRole.PESERTA:
            _sheet(
                pdf, event, title, rows, blank=blank, session=session, place=place, signer=signer
            )


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
        reg, who = row.registration, printed(row.registration)
        values: list[str | int] = [
            number,
            who.name,
            who.nip or "",
            who.position or "",
            who.rank or "",
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
