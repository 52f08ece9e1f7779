"""Certificate numbers from a pattern an administrator (or the organizer, per event) sets.

Placeholders: ``{seq}`` (001, 002 ... within the event), ``{event_code}`` (the event's kode,
``SOS.0214`` when none is set), ``{unit_code}`` (the participant's unit code), ``{year}`` and
``{klasifikasi}`` (kode klasifikasi arsip of the event). A database id is never part of a number.
"""

from __future__ import annotations

import string

from flask_babel import gettext as _

from ..common.errors import DomainError
from ..common.wib import to_wib
from ..events.models import Event, EventKind

DEFAULT_PATTERN = "{seq}/SERT/{event_code}/{year}"
PLACEHOLDERS = ("seq", "event_code", "unit_code", "year", "klasifikasi")
_ABBR = {
    EventKind.SOSIALISASI: "SOS",
    EventKind.BIMTEK: "BIMTEK",
    EventKind.RAKOR: "RAKOR",
    EventKind.FGD: "FGD",
    EventKind.WORKSHOP: "LOKAKARYA",
}


def check_pattern(pattern: str, *, field: str = "certificate_pattern") -> str:
    """The pattern, stripped; refused when it names an unknown placeholder or lacks ``{seq}``."""
    pattern = (pattern or "").strip()
    if not pattern:
        return ""
    try:
        names = {name for _t, name, _f, _c in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        raise DomainError(
            _("Pola nomor sertifikat tidak valid (periksa kurung kurawal)."), field=field
        ) from None
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        raise DomainError(
            _(
                "Pola nomor sertifikat memuat isian yang tidak dikenal: %(names)s. "
                "Yang dapat dipakai: %(known)s.",
                names=", ".join("{" + n + "}" for n in unknown),
                known=", ".join("{" + n + "}" for n in PLACEHOLDERS),
            ),
            field=field,
        )
    if "seq" not in names:
        raise DomainError(_("Pola nomor sertifikat harus memuat {seq} (nomor urut)."), field=field)
    return pattern


def event_code(event: Event) -> str:
    if event.document_code:
        return event.document_code
    return f"{_ABBR.get(event.kind, 'KEG')}.{to_wib(event.starts_at):%m%d}"


def pattern_for(event: Event, letterhead) -> str:
    return (
        event.certificate_pattern
        or (getattr(letterhead, "certificate_pattern", None) if letterhead is not None else None)
        or DEFAULT_PATTERN
    )


def certificate_number(event: Event, sequence: int, *, unit_code: str = "", letterhead=None) -> str:
    pattern = pattern_for(event, letterhead)
    if "{klasifikasi}" in pattern and not event.classification_code:
        raise DomainError(
            _("Pola nomor sertifikat memakai {klasifikasi}: isi kode klasifikasi acara dulu.")
        )
    return pattern.format(
        seq=f"{sequence:03d}",
        event_code=event_code(event),
        unit_code=unit_code or "-",
        year=to_wib(event.starts_at).year,
        klasifikasi=event.classification_code or "",
    )
