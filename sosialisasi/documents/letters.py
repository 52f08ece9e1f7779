"""Surat undangan (invitation letter) as a PDF, and the same content for the HTML preview."""

from __future__ import annotations

from dataclasses import dataclass

from ..common.pdf import new_pdf, pdf_bytes
from ..common.wib import format_date, format_time, to_wib
from ..events.models import Event
from .layout import (
    NEXT,
    Signer,
    content_width,
    draw_letterhead,
    draw_signer,
    event_signer,
    label_rows,
    nip_text,
    place_date,
    signature_height,
    terbilang,
)
from .models import InvitationLetter, Letterhead
from .services import APPENDIX_AFTER, Addressee, addressees, attachment_text


@dataclass
class LetterContent:
    """Everything the letter says, shared by the preview page and the PDF."""

    event: Event
    letter: InvitationLetter
    letterhead: Letterhead
    addressees: list[Addressee]
    attachment: str
    appendix: bool
    quota_text: str
    opening: str
    details: list[tuple[str, str]]
    agenda: list[str]
    closing: str
    signer: Signer
    copies: list[str]

    @property
    def signatory_nip(self) -> str:
        return nip_text(self.event.signatory_nip)

    @property
    def place_date(self) -> str:
        return place_date(self.letterhead.city, self.event.letter_date)


def _day_text(event: Event) -> str:
    start, end = to_wib(event.starts_at), to_wib(event.ends_at)
    if start.date() == end.date():
        return format_date(event.starts_at)
    return f"{format_date(event.starts_at)} s.d. {format_date(event.ends_at)}"


def _time_text(event: Event) -> str:
    return f"{format_time(event.starts_at, zone=False)} s.d. {format_time(event.ends_at)}"


def build(event: Event, letter: InvitationLetter, letterhead: Letterhead) -> LetterContent:
    people = addressees(event)
    appendix = len(people) > APPENDIX_AFTER
    quotas = {a.quota for a in people}
    if len(quotas) == 1:
        n = quotas.pop()
        quota_text = f"{n} ({terbilang(n)}) orang pejabat/pegawai"
    else:
        quota_text = "pejabat/pegawai sebanyak jumlah yang tercantum pada lampiran"
    opening = letter.opening or (
        f"Dalam rangka pelaksanaan kegiatan {event.title}, bersama ini kami mengundang "
        f"Bapak/Ibu untuk menugaskan {quota_text} di lingkungan unit kerja Bapak/Ibu "
        "untuk menghadiri kegiatan tersebut yang akan dilaksanakan pada:"
    )
    venue = ", ".join(p for p in (event.venue, event.address) if p)
    agenda = []
    multi_day = to_wib(event.starts_at).date() != to_wib(event.ends_at).date()
    if len(event.sessions) > 1:
        for s in event.sessions:
            line = f"{format_time(s.starts_at, zone=False)}-{format_time(s.ends_at)} {s.title}"
            if multi_day:
                line = f"{format_date(s.starts_at, 'id', weekday=False)}, {line}"
            if s.speaker:
                line += f" ({s.speaker.name})"
            agenda.append(line)
    details = [
        ("Hari/tanggal", _day_text(event)),
        ("Waktu", _time_text(event)),
        ("Tempat", venue),
        ("Acara", event.title if not agenda else "sebagaimana susunan acara berikut"),
    ]
    closing = (
        "Mengingat pentingnya kegiatan tersebut, dimohon kehadiran tepat waktu. Demikian "
        "disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
    )
    return LetterContent(
        event=event,
        letter=letter,
        letterhead=letterhead,
        addressees=people,
        attachment=attachment_text(letter, len(people)),
        appendix=appendix,
        quota_text=quota_text,
        opening=opening,
        details=details,
        agenda=agenda,
        closing=closing,
        signer=event_signer(event),
        copies=[line.strip() for line in (letter.copies or "").splitlines() if line.strip()],
    )


def render_invitation(content: LetterContent, logo: bytes | None) -> bytes:
    """The letter; when the signature block would go over to page 2 alone, the letter is laid
    out again with tighter spacing so that it stays on page 1 (as a typist would)."""
    pdf, moved = _render(content, logo, tight=False)
    if moved:
        pdf, _moved = _render(content, logo, tight=True)
    return pdf_bytes(pdf)


def _render(content: LetterContent, logo: bytes | None, *, tight: bool):
    event, letter = content.event, content.letter
    gap = 0.5 if tight else 1
    pdf = new_pdf()
    pdf.set_title(f"Surat Undangan - {event.title}")
    pdf.add_page()
    draw_letterhead(pdf, content.letterhead, logo)
    width = content_width(pdf)

    pdf.cell(width, 5.5, content.place_date, align="R", **NEXT)
    pdf.ln(2 * gap)
    label_rows(
        pdf,
        [
            ("Nomor", event.letter_number or ""),
            ("Sifat", letter.nature),
            ("Lampiran", content.attachment),
            ("Perihal", letter.subject),
        ],
        label_w=22,
    )
    pdf.ln(4 * gap)
    indent = pdf.l_margin + width / 2
    pdf.set_x(indent)
    pdf.cell(width / 2, 5.5, "Kepada", **NEXT)
    if content.appendix:
        pdf.set_x(indent)
        pdf.multi_cell(
            width / 2,
            5.5,
            "Yth. Para Kepala Perangkat Daerah sebagaimana daftar terlampir",
            align="L",
            **NEXT,
        )
    elif len(content.addressees) == 1:
        pdf.set_x(indent)
        pdf.multi_cell(width / 2, 5.5, f"Yth. {content.addressees[0].head}", align="L", **NEXT)
    else:
        pdf.set_x(indent)
        pdf.cell(width / 2, 5.5, "Yth.", **NEXT)
        for number, a in enumerate(content.addressees, start=1):
            pdf.set_x(indent)
            y = pdf.get_y()
            pdf.cell(7, 5.5, f"{number}.")
            pdf.multi_cell(width / 2 - 7, 5.5, a.head, align="L", **NEXT)
            pdf.set_y(max(pdf.get_y(), y + 5.5))
    pdf.set_x(indent)
    pdf.cell(width / 2, 5.5, "di", **NEXT)
    pdf.set_x(indent + 8)
    pdf.cell(width / 2, 5.5, "Tempat", **NEXT)
    pdf.ln(5 * gap)

    body_x = pdf.l_margin + 12
    body_w = pdf.w - pdf.r_margin - body_x
    pdf.set_x(body_x)
    pdf.multi_cell(body_w, 5.5, content.opening, align="J", **NEXT)
    pdf.ln(2 * gap)
    for label, value in content.details:
        pdf.set_x(body_x + 6)
        y = pdf.get_y()
        pdf.cell(28, 5.5, label)
        pdf.cell(4, 5.5, ":")
        pdf.multi_cell(body_w - 38, 5.5, value, align="L", **NEXT)
        pdf.set_y(max(pdf.get_y(), y + 5.5))
    for number, line in enumerate(content.agenda, start=1):
        pdf.set_x(body_x + 38)
        y = pdf.get_y()
        pdf.cell(7, 5.5, f"{number}.")
        pdf.multi_cell(body_w - 45, 5.5, line, align="L", **NEXT)
        pdf.set_y(max(pdf.get_y(), y + 5.5))
    pdf.ln(2 * gap)
    if letter.note:
        pdf.set_x(body_x)
        pdf.multi_cell(body_w, 5.5, letter.note, align="J", **NEXT)
        pdf.ln(2 * gap)
    pdf.set_x(body_x)
    pdf.multi_cell(body_w, 5.5, content.closing, align="J", **NEXT)
    pdf.ln(6 * gap)
    page = pdf.page
    space = 18 if tight else 22
    if tight:
        # The last try: the block fits on page 1 when the bottom margin is used down to 10 mm.
        pdf.set_auto_page_break(True, margin=10)
        needed = signature_height(content.signer, space=space)
        if pdf.get_y() + needed <= pdf.h - 10:
            pdf.b_margin = 10
    draw_signer(pdf, content.signer, space=space)
    moved = pdf.page != page
    pdf.set_auto_page_break(True, margin=15)
    if content.copies:
        _copies(pdf, content.copies)
    if content.appendix:
        _appendix(pdf, content)
    return pdf, moved


def _copies(pdf, copies: list[str]) -> None:
    """Tembusan, under the signature on the left."""
    width = content_width(pdf)
    if pdf.get_y() + 6 + 5 * len(copies) > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9.5)
    pdf.cell(width, 5, "Tembusan:", **NEXT)
    for number, line in enumerate(copies, start=1):
        y = pdf.get_y()
        pdf.cell(6, 5, f"{number}.")
        pdf.multi_cell(width - 6, 5, line + (";" if number < len(copies) else "."), **NEXT)
        pdf.set_y(max(pdf.get_y(), y + 5))
    pdf.set_font("DejaVu", "", 10.5)


def _appendix(pdf, content: LetterContent) -> None:
    event, letter = content.event, content.letter
    pdf.add_page()
    width = content_width(pdf)
    pdf.set_font("DejaVu", "", 9.5)
    x = pdf.l_margin + width / 2
    pdf.set_x(x)
    pdf.multi_cell(width / 2, 5, f"LAMPIRAN SURAT {event.signatory_position or ''}".upper(), **NEXT)
    for label, value in (
        ("Nomor", event.letter_number or ""),
        ("Tanggal", format_date(event.letter_date, "id", weekday=False)),
        ("Perihal", letter.subject),
    ):
        pdf.set_x(x)
        y = pdf.get_y()
        pdf.cell(18, 5, label)
        pdf.cell(3, 5, ":")
        pdf.multi_cell(width / 2 - 21, 5, value, **NEXT)
        pdf.set_y(max(pdf.get_y(), y + 5))
    pdf.ln(5)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(width, 6, "DAFTAR UNDANGAN", align="C", **NEXT)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 10)
    with pdf.table(
        col_widths=(12, 128, 40),
        text_align=("CENTER", "LEFT", "CENTER"),
        line_height=6,
        repeat_headings=1,
        headings_style=_heading_style(),
    ) as table:
        table.row(("No", "Kepada Yth.", "Jumlah peserta"))
        for number, a in enumerate(content.addressees, start=1):
            table.row((str(number), a.head, f"{a.quota} orang"))


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
