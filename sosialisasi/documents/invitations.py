"""The surat undangan: its text, how the invited units are addressed, their protocol order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..audit.services import record as audit
from ..auth.models import User
from ..common.errors import DomainError
from ..common.types import utcnow
from ..events.models import Event, Invitation
from ..extensions import db
from ..units.models import Unit, UnitKind
from .models import (
    InvitationLetter,
    ProtocolPlace,
    UnitAddressing,
)

APPENDIX_AFTER = 5  # more invited units than this: the addressees go to an appendix


@dataclass
class LetterData:
    nature: str
    subject: str
    attachment: str = ""
    opening: str = ""
    note: str = ""
    copies: str = ""  # tembusan, one per line


def default_subject(event: Event) -> str:
    """The perihal of the surat undangan: Indonesian, whatever the user's language."""
    with force_locale("id"):
        return f"Undangan {event.kind.label}"


def get_letter(event: Event) -> InvitationLetter:
    """The saved letter texts, or unsaved defaults."""
    letter = db.session.scalar(
        select(InvitationLetter).where(InvitationLetter.event_id == event.id)
    )
    return letter or InvitationLetter(
        event_id=event.id, nature="Penting", subject=default_subject(event)
    )


def save_letter(event: Event, data: LetterData, *, actor: User) -> InvitationLetter:
    if not data.subject.strip():
        raise DomainError(_("Perihal surat wajib diisi."), field="subject")
    if not data.nature.strip():
        raise DomainError(_("Sifat surat wajib diisi."), field="nature")
    letter = db.session.scalar(
        select(InvitationLetter).where(InvitationLetter.event_id == event.id)
    )
    if letter is None:
        letter = InvitationLetter(event_id=event.id)
        db.session.add(letter)
    for name, value in vars(data).items():
        setattr(letter, name, (value or "").strip())
    letter.updated_at = utcnow()
    db.session.flush()
    return letter


# Addressee titles per unit kind (Permendagri 1/2023 addresses the office, not the person);
# one unit's title is overridden in ``UnitAddressing`` ("Inspektur", "Direktur RSUD ...").
_TITLE = {
    UnitKind.PEMDA: "Bupati",
    UnitKind.SETDA: "Sekretaris Daerah",
    UnitKind.SETWAN: "Sekretaris DPRD",
    UnitKind.INSPEKTORAT: "Inspektur",
    UnitKind.SATPOL: "Kepala Satuan Polisi Pamong Praja",
    UnitKind.KECAMATAN: "Camat",
    UnitKind.KELURAHAN: "Lurah",
    UnitKind.RSUD: "Direktur",
    UnitKind.EXTERNAL: "Pimpinan",
}
# Protocol order of an address list (DOMAIN.md 4): Sekretariat Daerah and its bagian, Sekretariat
# DPRD, Inspektorat, dinas, badan, RSUD, kecamatan, kelurahan, puskesmas. A unit may carry its own
# place in ``UnitAddressing.protocol_rank``.
PROTOCOL_ORDER = (
    UnitKind.PEMDA,
    UnitKind.SETDA,
    UnitKind.BAGIAN,
    UnitKind.SETWAN,
    UnitKind.INSPEKTORAT,
    UnitKind.DINAS,
    UnitKind.SATPOL,
    UnitKind.BADAN,
    UnitKind.RSUD,
    UnitKind.KECAMATAN,
    UnitKind.KELURAHAN,
    UnitKind.PUSKESMAS,
    UnitKind.UPTD,
    UnitKind.EXTERNAL,
)


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if name.lower().startswith(prefix.lower() + " "):
            return name[len(prefix) + 1 :]
    return name


def head_of(unit: Unit, override: str | None = None) -> str:
    """Whom a letter to the unit is addressed to: ``Kepala Dinas Kesehatan``, ``Camat Setu``,
    ``Inspektur``, ``Direktur RSUD Kabupaten Bekasi``, ``Kepala UPTD Puskesmas Cibatu``."""
    if override:
        return override
    kind, name = unit.kind, unit.name
    if kind in (UnitKind.SETDA, UnitKind.SETWAN, UnitKind.INSPEKTORAT, UnitKind.SATPOL):
        return _TITLE[kind]
    if kind is UnitKind.KECAMATAN:
        return f"Camat {_strip_prefix(name, ('Kecamatan', 'Kec.'))}"
    if kind is UnitKind.KELURAHAN:
        return f"Lurah {_strip_prefix(name, ('Kelurahan', 'Kel.'))}"
    if kind is UnitKind.PUSKESMAS:
        bare = _strip_prefix(name, ("UPTD Puskesmas", "UPTD", "Puskesmas", "PKM"))
        return f"Kepala UPTD Puskesmas {bare}"
    if kind in _TITLE:
        return f"{_TITLE[kind]} {name}"
    return f"Kepala {name}"


def addressing_overrides() -> list[tuple[UnitAddressing, Unit]]:
    return list(
        db.session.execute(
            select(UnitAddressing, Unit)
            .join(Unit, Unit.id == UnitAddressing.unit_id)
            .order_by(Unit.name)
        ).tuples()
    )


def save_addressing(
    unit: Unit, *, title: str, protocol_rank: int | None, actor: User | None = None
) -> None:
    """Set (or, both blank, remove) how letters address ``unit``."""
    audit("documents.addressing", actor=actor, summary=unit.name)
    current = db.session.get(UnitAddressing, unit.id)
    title = (title or "").strip()
    if not title and protocol_rank is None:
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        return
    if current is None:
        current = UnitAddressing(unit_id=unit.id)
        db.session.add(current)
    current.title = title or None
    current.protocol_rank = protocol_rank
    db.session.flush()


def protocol_order() -> list[UnitKind]:
    """Every unit kind in protocol order: as saved on the protocol-order page, else the built-in
    ``PROTOCOL_ORDER``; a kind the saved list does not name follows in its built-in place."""
    saved = {place.kind: place.position for place in db.session.scalars(select(ProtocolPlace))}
    builtin = [*PROTOCOL_ORDER, *(k for k in UnitKind if k not in PROTOCOL_ORDER)]
    return sorted(builtin, key=lambda k: (saved.get(k, len(builtin) + 1), builtin.index(k)))


def save_protocol_order(positions: dict[UnitKind, int], *, actor: User | None = None) -> None:
    """Save the whole list at once: ``positions`` numbers the kinds (1 = first). Where two kinds
    share a number, the one whose number was changed goes first (typing 1 beside a kind moves it
    to the top); the saved list is renumbered 1..n."""
    present = protocol_order()

    def key(kind: UnitKind) -> tuple[int, int, int]:
        now = present.index(kind)
        number = positions.get(kind, now + 1)
        return (number, 0 if number != now + 1 else 1, now)

    ordered = sorted(present, key=key)
    rows = {place.kind: place for place in db.session.scalars(select(ProtocolPlace))}
    for number, kind in enumerate(ordered, start=1):
        row = rows.get(kind)
        if row is None:
            db.session.add(ProtocolPlace(kind=kind, position=number))
        else:
            row.position = number
    db.session.flush()
    audit(
        "documents.protocol_order",
        actor=actor,
        summary=", ".join(k.value for k in ordered),
    )


def units_per_kind() -> dict[UnitKind, list[str]]:
    """The active units' names by kind (for the protocol-order page), in one query."""
    out: dict[UnitKind, list[str]] = {}
    for kind, name in db.session.execute(
        select(Unit.kind, Unit.name).where(Unit.active.is_(True)).order_by(Unit.name)
    ):
        out.setdefault(kind, []).append(name)
    return out


def protocol_key(
    unit: Unit, rank: int | None = None, order: list[UnitKind] | None = None
) -> tuple[int, str]:
    """Sort key of an addressee: its kind's place (x 1000) or the unit's own rank, then name."""
    order = order if order is not None else list(PROTOCOL_ORDER)
    try:
        place = order.index(unit.kind) * 1000
    except ValueError:
        place = len(order) * 1000
    return (rank if rank is not None else place, unit.name.lower())


@dataclass
class Addressee:
    unit: Unit
    head: str
    quota: int


def addressees(event: Event) -> list[Addressee]:
    """The invited units in protocol order, each titled as a letter addresses its head; the
    signatory's own office is not invited by its own letter."""
    invitations = db.session.scalars(
        select(Invitation)
        .options(joinedload(Invitation.unit))
        .where(Invitation.event_id == event.id)
    ).all()
    overrides = {
        a.unit_id: a
        for a in db.session.scalars(
            select(UnitAddressing).where(
                UnitAddressing.unit_id.in_([inv.unit_id for inv in invitations])
            )
        )
    }
    signer = " ".join((event.signatory_position or "").lower().split())
    order = protocol_order()
    rows = []
    for inv in invitations:
        extra = overrides.get(inv.unit_id)
        head = head_of(inv.unit, extra.title if extra else None)
        if signer and head.lower() in signer and inv.unit.kind is UnitKind.SETDA:
            continue  # "Pj. Sekretaris Daerah" does not invite the Sekretaris Daerah
        rank = extra.protocol_rank if extra else None
        rows.append((protocol_key(inv.unit, rank, order), Addressee(inv.unit, head, inv.quota)))
    rows.sort(key=lambda r: r[0])
    return [a for _key, a in rows]


def attachment_text(letter: InvitationLetter, n_addressees: int) -> str:
    if letter.attachment:
        return letter.attachment
    return "1 (satu) berkas" if n_addressees > APPENDIX_AFTER else "-"
