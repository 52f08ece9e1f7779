"""Saved message texts (issue 16): the invitation to units, the H-1 reminder and the ticket.

Where a text comes from, first found: the event's own text (an organizer adjusted it for this
event), else the default saved for every event (set once on ``/templat-pesan``), else the
built-in text below. An organizer writes the usual wording once and changes it only for the
event that needs something else; "kembalikan" drops the event's own text.

Texts use placeholders in braces, ``{nama_acara}``, ``{tanggal}``, ``{waktu}``, ``{tempat}``,
``{unit}``, ``{tautan}``, ``{kuota}`` (the ticket also ``{nama}`` and ``{peran}``); anything
else, and any format spec or attribute (``{unit.x}``, ``{kuota:>9}``), is refused by name when
saved or used. Messages go to people, so they stay Indonesian whatever the organizer's language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError
from ..common.types import utcnow
from ..common.wib import format_date, format_time, to_wib
from ..events.models import Event
from ..extensions import db
from .models import MessageKind, MessageTemplate

MAX_LENGTH = 4000

_EVENT = ("nama_acara", "acara", "tanggal", "waktu", "tempat", "unit", "tautan")
PLACEHOLDERS: dict[MessageKind, tuple[str, ...]] = {
    MessageKind.UNDANGAN: (*_EVENT, "kuota"),
    MessageKind.PENGINGAT: (*_EVENT, "kuota"),
    MessageKind.TIKET: ("nama", "peran", *_EVENT),
}

DEFAULTS: dict[MessageKind, str] = {
    MessageKind.UNDANGAN: (
        "Yth. Operator {unit},\n\n"
        "{unit} diundang mengikuti {nama_acara} pada {tanggal} pukul {waktu} di {tempat}, "
        "dengan kuota {kuota} orang. Silakan daftarkan delegasi melalui {tautan}.\n\n"
        "Terima kasih."
    ),
    MessageKind.PENGINGAT: (
        "Yth. Operator {unit},\n\n"
        "Pengingat H-1: {nama_acara} dilaksanakan {tanggal} pukul {waktu} di {tempat}. "
        "Pastikan delegasi (kuota {kuota} orang) sudah terdaftar dan membawa tiketnya: "
        "{tautan}.\n\nTerima kasih."
    ),
    MessageKind.TIKET: (
        "Yth. {nama},\n"
        'Anda terdaftar sebagai {peran} pada acara "{nama_acara}", {tanggal}, {waktu}, '
        "di {tempat}.\n"
        "Tunjukkan kode QR pada tiket berikut saat registrasi ulang:\n{tautan}"
    ),
}


def _braces(names: tuple[str, ...]) -> str:
    return ", ".join("{" + n + "}" for n in names)


def check(kind: MessageKind, body: str) -> None:
    """Refuse a text with an unknown or malformed placeholder, naming it and the known ones."""
    if not body.strip():
        raise DomainError(_("Pesan tidak boleh kosong."), field="template")
    if len(body) > MAX_LENGTH:
        raise DomainError(_("Pesan paling panjang %(n)d karakter.", n=MAX_LENGTH), field="template")
    known = PLACEHOLDERS[kind]
    try:
        parts = list(string.Formatter().parse(body))
    except ValueError as err:
        raise DomainError(
            _(
                "Tanda kurung kurawal tidak seimbang dalam pesan; tulis isian seperti {unit}, "
                "atau {{ dan }} untuk kurung kurawal biasa."
            ),
            field="template",
        ) from err
    unknown: list[str] = []
    for _text, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in known or spec or conversion:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            if shown not in unknown:
                unknown.append(shown)
    if unknown:
        raise DomainError(
            _(
                "Isian tidak dikenal: %(names)s. Yang tersedia: %(known)s.",
                names=", ".join("{" + n + "}" for n in unknown),
                known=_braces(known),
            ),
            field="template",
        )


def event_values(event: Event) -> dict[str, str]:
    """The event's placeholders (``{tanggal}`` "Kamis, 10 Desember 2026", ``{waktu}``
    "08.00-12.00 WIB"; an event of several days names both dates)."""
    start, end = event.starts_at, event.ends_at
    day = format_date(start, "id")
    if to_wib(start).date() != to_wib(end).date():
        day = f"{day} - {format_date(end, 'id')}"
    return {
        "nama_acara": event.title,
        "acara": event.title,
        "tanggal": day,
        "waktu": f"{format_time(start, zone=False)}-{format_time(end)}",
        "tempat": event.venue or "",
    }


def render(kind: MessageKind, body: str, values: Mapping[str, object]) -> str:
    """The text with its placeholders filled (checked first: never a format string's tricks)."""
    check(kind, body)
    filled = {name: str(values.get(name, "")) for name in PLACEHOLDERS[kind]}
    return body.format_map(filled)


@dataclass
class Saved:
    kind: MessageKind
    body: str
    source: str  # "acara" (this event's own), "umum" (the default for every event), "bawaan"

    @property
    def source_label(self) -> str:
        labels = {
            "acara": _("khusus acara ini"),
            "umum": _("bawaan semua acara"),
            "bawaan": _("teks bawaan aplikasi"),
        }
        return labels[self.source]


def saved(event: Event | None) -> dict[MessageKind, Saved]:
    """Every kind's text for ``event`` (None: the defaults for every event), in one query."""
    stmt = select(MessageTemplate).where(MessageTemplate.event_id.is_(None))
    if event is not None:
        stmt = select(MessageTemplate).where(
            (MessageTemplate.event_id == event.id) | MessageTemplate.event_id.is_(None)
        )
    rows = db.session.scalars(stmt).all()
    out = {kind: Saved(kind, text, "bawaan") for kind, text in DEFAULTS.items()}
    for row in sorted(rows, key=lambda r: r.event_id is not None):  # the event's own last
        out[row.kind] = Saved(row.kind, row.body, "acara" if row.event_id else "umum")
    return out


def text_for(kind: MessageKind, event: Event | None) -> str:
    return saved(event)[kind].body


def _row(kind: MessageKind, event: Event | None) -> MessageTemplate | None:
    return db.session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.kind == kind,
            MessageTemplate.event_id == event.id
            if event is not None
            else MessageTemplate.event_id.is_(None),
        )
    )


def save(kind: MessageKind, body: str, *, event: Event | None, actor: User) -> MessageTemplate:
    """Keep ``body`` as the text of ``kind`` for ``event`` (None: for every event)."""
    body = body.replace("\r\n", "\n").strip()
    check(kind, body)
    row = _row(kind, event)
    if row is None:
        row = MessageTemplate(event_id=event.id if event is not None else None, kind=kind)
        db.session.add(row)
    row.body, row.updated_at, row.updated_by_id = body, utcnow(), actor.id
    db.session.flush()
    record(
        "message_template.save",
        actor=actor,
        obj=event,
        summary=kind.value if event is not None else f"{kind.value} (umum)",
    )
    return row


def reset(kind: MessageKind, *, event: Event | None, actor: User) -> bool:
    """Drop the saved text (the event's own, or the default for every event)."""
    row = _row(kind, event)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    record("message_template.reset", actor=actor, obj=event, summary=kind.value)
    return True


def sample_values(event: Event | None) -> dict[str, object]:
    """What the preview fills in: this event's values and a sample unit."""
    values: dict[str, object] = {
        "nama_acara": "Sosialisasi Contoh",
        "acara": "Sosialisasi Contoh",
        "tanggal": "Kamis, 10 Desember 2026",
        "waktu": "08.00-12.00 WIB",
        "tempat": "Aula Pemda",
    }
    if event is not None:
        values.update(event_values(event))
    values.update(
        unit="Dinas Kesehatan",
        kuota=2,
        tautan="https://contoh/daftar",
        nama="Sari Wulandari",
        peran="peserta",
    )
    if event is not None and event.invitations:
        first = min(event.invitations, key=lambda i: i.unit.name)
        values.update(unit=first.unit.name, kuota=first.quota)
    return values
