"""What a document still needs: ``missing_*`` name every field it lacks so that nobody gets a
half-empty PDF, and ``setup_checklist`` gathers them for the home and event pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..events.models import Event
from . import files
from .letterhead import get_letterhead
from .models import (
    EventReport,
    Letterhead,
)


@dataclass(frozen=True)
class Missing:
    label: str
    where: str  # "letterhead", "event", "letter", "report", "agenda", "invitations"


# Labels are lazy (translated when shown); ``Missing.label`` always holds the translated ``str``.
LETTERHEAD_FIELDS = (
    ("government_name", _l("Nama pemerintah daerah pada kop surat")),
    ("secretariat", _l("Nama perangkat daerah (sekretariat) pada kop surat")),
    ("address", _l("Alamat pada kop surat")),
    ("city", _l("Tempat penandatanganan (kota) pada kop surat")),
)
SIGNATORY_FIELDS = (
    ("signatory_name", _l("Nama penanda tangan")),
    ("signatory_position", _l("Jabatan penanda tangan")),
    ("signatory_nip", _l("NIP penanda tangan")),
)
REPORT_SIGNATORY_FIELDS = (
    (
        "report_signatory_name",
        _l("Nama penanggung jawab (penanda tangan daftar hadir dan laporan)"),
    ),
    ("report_signatory_position", _l("Jabatan penanggung jawab")),
    ("report_signatory_nip", _l("NIP penanggung jawab")),
)
REPORT_FIELDS = (
    ("background", _l("Latar belakang")),
    ("legal_basis", _l("Dasar hukum")),
    ("purpose", _l("Maksud dan tujuan")),
    ("minutes", _l("Notulen")),
    ("conclusions", _l("Kesimpulan")),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_letterhead(letterhead: Letterhead | None) -> list[Missing]:
    if letterhead is None:
        return [Missing(str(label), "letterhead") for _f, label in LETTERHEAD_FIELDS] + [
            Missing(_("Logo pada kop surat"), "letterhead")
        ]
    out = [
        Missing(str(label), "letterhead")
        for f, label in LETTERHEAD_FIELDS
        if _blank(getattr(letterhead, f))
    ]
    if not letterhead.logo_path or not files.exists(letterhead.logo_path):
        out.append(Missing(_("Logo pada kop surat"), "letterhead"))
    return out


def missing_signatory(event: Event) -> list[Missing]:
    return [
        Missing(str(label), "event") for f, label in SIGNATORY_FIELDS if _blank(getattr(event, f))
    ]


def missing_report_signatory(event: Event) -> list[Missing]:
    return [
        Missing(str(label), "signatories")
        for f, label in REPORT_SIGNATORY_FIELDS
        if _blank(getattr(event, f))
    ]


def setup_checklist(event: Event | None = None) -> list[Missing]:
    """What the documents still need, for the admin's first screen (the letterhead) and each
    event page (the letterhead, the inviting official and the penanggung jawab, with NIP)."""
    out = missing_letterhead(get_letterhead())
    if event is not None:
        out += missing_signatory(event) + missing_report_signatory(event)
    return out


def missing_for_letter(event: Event, letterhead: Letterhead | None) -> list[Missing]:
    out = missing_letterhead(letterhead)
    if _blank(event.letter_number):
        out.append(Missing(_("Nomor surat undangan"), "event"))
    if event.letter_date is None:
        out.append(Missing(_("Tanggal surat undangan"), "event"))
    out += missing_signatory(event)
    if not event.invitations:
        out.append(Missing(_("Perangkat daerah yang diundang"), "invitations"))
    return out


def missing_for_report(
    event: Event, report: EventReport | None, letterhead: Letterhead | None
) -> list[Missing]:
    out = missing_letterhead(letterhead) + missing_report_signatory(event)
    for f, label in REPORT_FIELDS:
        if report is None or _blank(getattr(report, f)):
            out.append(Missing(str(label), "report"))
    return out


def missing_for_certificate(event: Event, letterhead: Letterhead | None) -> list[Missing]:
    return missing_letterhead(letterhead) + missing_signatory(event)
