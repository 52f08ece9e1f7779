"""Who signs an event's documents (surat undangan, laporan, sertifikat)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..audit.services import record as audit
from ..auth.models import User
from ..common.errors import DomainError
from ..events.models import Event, SignatoryCapacity
from ..extensions import db
from .numbering import check_pattern


@dataclass
class SignatoriesData:
    signatory_rank: str = ""
    signatory_capacity: str = ""
    signatory_for: str = ""
    report_signatory_name: str = ""
    report_signatory_position: str = ""
    report_signatory_rank: str = ""
    report_signatory_nip: str | None = None
    document_code: str = ""
    classification_code: str = ""
    certificate_pattern: str = ""


def save_signatories(event: Event, data: SignatoriesData, *, actor: User | None = None) -> Event:
    """Who signs what for this event (the NIP already went through the NIP parser in the
    form) and how its certificates are numbered."""
    if data.signatory_capacity not in {c.value for c in SignatoryCapacity}:
        raise DomainError(_("Pilihan tidak dikenal."), field="signatory_capacity")
    if data.signatory_capacity == "a.n." and not (data.signatory_for or "").strip():
        raise DomainError(
            _("Untuk a.n. tuliskan jabatan yang diwakili, mis. BUPATI BEKASI."),
            field="signatory_for",
        )
    pattern = check_pattern(data.certificate_pattern)
    for name, value in vars(data).items():
        text = (value or "").strip() if isinstance(value, str) or value is None else value
        setattr(event, name, text or (None if name != "signatory_capacity" else ""))
    event.certificate_pattern = pattern or None
    db.session.flush()
    audit("documents.signatories", actor=actor, obj=event, summary=event.title)
    return event
