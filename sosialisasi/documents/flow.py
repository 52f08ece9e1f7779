"""Text that flows over pages the way a typist breaks it (issue 15): a section never leaves one
of its lines alone on a page, and a heading never ends a page.

A section (its optional heading, then paragraphs, lists, plain lines) is measured line by line
first (fpdf2's dry run), the page breaks fpdf2 would make are simulated, and where a page would
hold a single line of the section a break is moved earlier: the last line takes the line before
it along, a lone first line goes over with its heading. Then the section is drawn with those
breaks (``add_page`` before a line that starts a block, a lowered page-break trigger inside a
paragraph so that fpdf2 keeps its own justification).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .markup import Block

LINE = 5.5  # body line height (mm)
HEADING_LINE = 6.0
EPSILON = 0.01


@dataclass
class _Row:
    """One printed line of the section: ``unit`` is the heading, paragraph or list item it
    belongs to (a unit is drawn by one ``multi_cell``)."""

    unit: int
    height: float
    gap: float  # vertical space before it
    heading: bool = False


@dataclass
class _Unit:
    kind: str  # "heading", "h1", "h2", "p", "item", "line"
    text: str
    marker: str = ""  # bullet or number of a list item
    ordered: bool = False
    gap: float = 0.0
    rows: int = 1


def _count_lines(pdf: FPDF, width: float, height: float, text: str) -> int:
    lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
    return max(1, len(lines))  # type: ignore[arg-type]  # output="LINES" gives a list


def _units(blocks: Iterable[Block], title: str | None) -> tuple[list[_Unit], float]:
    """The units to draw, and the space left after the last one."""
    units: list[_Unit] = []
    pending = 0.0
    if title:
        units.append(_Unit("heading", title, gap=2))
        pending = 1
    for block in blocks:
        if block.kind in ("h1", "h2"):
            units.append(_Unit(block.kind, block.text, gap=pending + 1.5))
            pending = 0
        elif block.kind == "p":
            units.append(_Unit("p", block.text, gap=pending))
            pending = 1.5
        elif block.kind == "lines":
            for item in block.items:
                units.append(_Unit("line", item, gap=pending))
                pending = 0
        else:
            for number, item in enumerate(block.items, start=block.start):
                ordered = block.kind == "ol"
                marker = f"{number}." if ordered else "•"
                units.append(_Unit("item", item, marker, ordered, gap=pending))
                pending = 0
            pending = 1.5
    return units, pending


def _simulate(rows: list[_Row], y: float, top: float, trigger: float, forced: set[int]):
    """The page (0 = the current one) each row lands on, as fpdf2 breaks pages."""
    page, pages = 0, []
    for i, row in enumerate(rows):
        y += row.gap
        if i in forced or (y + row.height > trigger + EPSILON and y > top + EPSILON):
            page += 1
            y = top
        y += row.height
        pages.append(page)
    return pages


def _problem(rows: list[_Row], pages: list[int], forced: set[int]) -> int | None:
    """A row before which to break so that no page holds a lone line, or None."""
    pieces: list[list[int]] = []
    for i, page in enumerate(pages):
        if not pieces or pages[pieces[-1][0]] != page:
            pieces.append([])
        pieces[-1].append(i)
    if len(pieces) < 2:
        return None
    body = sum(1 for r in rows if not r.heading)
    for number, piece in enumerate(pieces):
        last = piece[-1]
        if number < len(pieces) - 1 and rows[last].heading and last not in forced:
            return last  # a heading at the foot of a page goes over with its text
        lines = [i for i in piece if not rows[i].heading]
        if body < 2 or len(lines) != 1:
            continue
        if number == 0:  # one line under its heading at the foot: all of it goes over
            return piece[0] if piece[0] not in forced else None
        before = piece[0] - 1  # the last line alone: the line before it goes along
        if before not in forced:
            return before
    return None


def plan_breaks(rows: list[_Row], y: float, top: float, trigger: float) -> set[int]:
    """Rows before which a page starts, beyond fpdf2's own breaks."""
    forced: set[int] = set()
    for _ in range(len(rows) + 1):
        fix = _problem(rows, _simulate(rows, y, top, trigger, forced), forced)
        if fix is None or fix in forced:
            break
        forced.add(fix)
    return forced


def draw_blocks(
    pdf: FPDF,
    blocks: Iterable[Block],
    *,
    indent: float = 0,
    size: float = 10.5,
    title: str | None = None,
) -> None:
    """Draw a section: ``title`` (bold, the report's section heading) and ``blocks`` (notulen
    markup, or ``Block("lines", items=...)`` for plain indented lines)."""
    left = pdf.l_margin + indent
    width = pdf.w - pdf.r_margin - left
    full = pdf.w - pdf.r_margin - pdf.l_margin
    units, after = _units(blocks, title)
    rows: list[_Row] = []
    for number, unit in enumerate(units):
        if unit.kind == "heading":
            pdf.set_font("DejaVu", "B", 11)
            unit.rows = _count_lines(pdf, full, HEADING_LINE, unit.text)
            height = HEADING_LINE
        elif unit.kind in ("h1", "h2"):
            pdf.set_font("DejaVu", "B", size + (1 if unit.kind == "h1" else 0))
            unit.rows = _count_lines(pdf, width, HEADING_LINE, unit.text)
            height = HEADING_LINE
        else:
            pdf.set_font("DejaVu", "", size)
            text_width = width - 9 if unit.kind == "item" else width
            unit.rows = _count_lines(pdf, text_width, LINE, unit.text)
            height = LINE
        heading = unit.kind in ("heading", "h1", "h2")
        for line in range(unit.rows):
            rows.append(_Row(number, height, unit.gap if line == 0 else 0, heading))
    forced = plan_breaks(rows, pdf.get_y(), pdf.t_margin, pdf.page_break_trigger)

    first_row = 0
    for unit in units:
        span = range(first_row, first_row + unit.rows)
        first_row += unit.rows
        if unit.gap:
            pdf.ln(unit.gap)
        if span.start in forced and pdf.get_y() > pdf.t_margin + EPSILON:
            pdf.add_page()
        inside = [r for r in span if r in forced and r != span.start]
        saved = pdf.page_break_trigger
        if inside:  # break inside this paragraph: fpdf2 breaks where the trigger says
            keep = inside[0] - span.start
            pdf.page_break_trigger = pdf.get_y() + keep * _row_height(unit) + EPSILON
        try:
            _draw_unit(pdf, unit, left, width, full, size)
        finally:
            pdf.page_break_trigger = saved
    pdf.ln(after)
    pdf.set_font("DejaVu", "", size)


def _row_height(unit: _Unit) -> float:
    return HEADING_LINE if unit.kind in ("heading", "h1", "h2") else LINE


def _draw_unit(pdf: FPDF, unit: _Unit, left: float, width: float, full: float, size: float):
    nxt = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    if unit.kind == "heading":
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(full, HEADING_LINE, unit.text, **nxt)  # type: ignore[arg-type]
        pdf.set_font("DejaVu", "", 10.5)
        return
    pdf.set_x(left)
    if unit.kind in ("h1", "h2"):
        pdf.set_font("DejaVu", "B", size + (1 if unit.kind == "h1" else 0))
        pdf.multi_cell(width, HEADING_LINE, unit.text, **nxt)  # type: ignore[arg-type]
        pdf.set_font("DejaVu", "", size)
    elif unit.kind == "p":
        pdf.set_font("DejaVu", "", size)
        pdf.multi_cell(width, LINE, unit.text, align="J", **nxt)  # type: ignore[arg-type]
    elif unit.kind == "line":
        pdf.set_font("DejaVu", "", size)
        pdf.multi_cell(width, LINE, unit.text, **nxt)  # type: ignore[arg-type]
    else:
        pdf.set_font("DejaVu", "", size)
        y, page = pdf.get_y(), pdf.page_no()
        pdf.cell(8, LINE, unit.marker, align="R" if unit.ordered else "C")
        pdf.set_x(left + 9)
        pdf.multi_cell(width - 9, LINE, unit.text, **nxt)  # type: ignore[arg-type]
        if pdf.page_no() == page and pdf.get_y() < y + LINE:
            pdf.set_y(y + LINE)
