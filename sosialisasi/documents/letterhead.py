"""The letterhead (kop surat) of the government: reading, saving, seeding it and its logo."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..audit.services import record as audit
from ..auth.models import User
from ..common.types import utcnow
from ..extensions import db
from . import files
from .models import (
    Letterhead,
)
from .numbering import check_pattern


@dataclass
class LetterheadData:
    government_name: str
    secretariat: str
    address: str
    city: str
    phone: str = ""
    website: str = ""
    email: str = ""
    certificate_pattern: str = ""


def get_letterhead() -> Letterhead | None:
    return db.session.scalar(select(Letterhead).order_by(Letterhead.id).limit(1))


def logo_bytes(letterhead: Letterhead | None) -> bytes | None:
    if letterhead is None or not letterhead.logo_path:
        return None
    try:
        return files.absolute(letterhead.logo_path).read_bytes()
    except OSError:
        return None


def save_letterhead(
    data: LetterheadData, *, logo: bytes | None = None, remove_logo: bool = False, actor: User
) -> Letterhead:
    letterhead = get_letterhead()
    if letterhead is None:
        letterhead = Letterhead()
        db.session.add(letterhead)
    data.certificate_pattern = check_pattern(data.certificate_pattern)
    for name, value in vars(data).items():
        setattr(letterhead, name, (value or "").strip())
    letterhead.certificate_pattern = letterhead.certificate_pattern or None
    old_logo = None
    if logo:
        image = files.process_logo(logo, field="logo")
        old_logo = letterhead.logo_path
        letterhead.logo_path = files.save("letterhead", image.data, image.ext)
        letterhead.logo_mime = image.mime
    elif remove_logo:
        old_logo, letterhead.logo_path, letterhead.logo_mime = letterhead.logo_path, None, None
    letterhead.updated_by_id = actor.id
    letterhead.updated_at = utcnow()
    db.session.flush()
    files.remove(old_logo)
    audit("documents.letterhead", actor=actor, summary="Kop surat diperbarui")
    return letterhead


def seed_letterhead() -> str:
    """Seeder (``flask seed``): the names of the kop surat; the address and logo are left for the
    administrator, and the documents name them as missing until they are filled in."""
    if get_letterhead() is not None:
        return "letterhead: already configured"
    db.session.add(
        Letterhead(
            government_name="PEMERINTAH KABUPATEN BEKASI",
            secretariat="SEKRETARIAT DAERAH",
            city="Cikarang Pusat",
        )
    )
    db.session.flush()
    return "letterhead: created (address and logo still to be filled in by an administrator)"
