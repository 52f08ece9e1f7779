"""People: cleaning what a door typed, the NIP rule, finding or creating a person, correcting one.

Every door that creates or finds a person (operator's delegate form, organizer's form, the public
link, the import, the walk-in at the door) goes through this module, so the rules hold on all of
them: a PNS or PPPK must give a NIP (:func:`require_nip`).

Services flush and never commit; the caller commits once.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import Role, User
from ..common.errors import DomainError, NotAllowed
from ..common.nip import NIPError, parse_nip
from ..common.phone import PhoneError, normalize_phone
from ..common.text import fold
from ..extensions import db
from ..units.models import Unit
from .models import EmployeeKind, Person

NIP_KINDS = (EmployeeKind.PNS, EmployeeKind.PPPK)


# --- cleaning what was typed ---------------------------------------------------------------------


def clean_nip(raw: object, *, field: str = "nip") -> str | None:
    """The normalised NIP, None when empty; DomainError with the reason otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_nip(raw).value
    except NIPError as err:
        raise DomainError(_("NIP tidak valid: %(reason)s.", reason=err), field=field) from None


def require_nip(kind: EmployeeKind, nip: str | None, *, field: str = "nip") -> None:
    """The rule of every door: a PNS or PPPK is registered with their NIP."""
    if kind in NIP_KINDS and not nip:
        raise DomainError(nip_required_message(), field=field)


def nip_required_message() -> str:
    return _("NIP wajib diisi untuk PNS dan PPPK.")


def clean_phone(raw: object, *, field: str = "phone") -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return normalize_phone(raw)
    except PhoneError as err:
        raise DomainError(_("Nomor HP tidak valid: %(reason)s.", reason=err), field=field) from None


_PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$"
)


def clean_email(raw: str | None, *, field: str = "email") -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) <= 254 and _PLAIN_EMAIL.match(text):
        # The common plain-ASCII case, decided without the full validator (10,000-row imports).
        local, domain = text.rsplit("@", 1)
        return f"{local}@{domain.lower()}"
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise DomainError(_("Alamat email tidak valid."), field=field) from None


def clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Nama wajib diisi."), field="name")
    if len(name) > 150:
        raise DomainError(_("Nama terlalu panjang (maks. 150 karakter)."), field="name")
    return name


def gender_from_nip(nip: str | None, kind: EmployeeKind) -> str | None:
    if nip and kind in NIP_KINDS:
        return "L" if nip[14] == "1" else "P"
    return None


# --- finding, creating, changing -----------------------------------------------------------------


def find_or_create_person(
    *,
    name: str,
    nip: object = None,
    unit: Unit | None,
    kind: EmployeeKind | None = None,
    position: str | None = "",
    rank: str | None = "",
    phone: object = None,
    email: str | None = None,
    gender: str | None = None,
    update: bool = True,
) -> Person:
    """The person with this NIP (or, without a NIP, this name in this unit), updated with the
    values given, or a new one. Invalid NIP, phone or email raise DomainError naming the field;
    so does a PNS or PPPK without a NIP. ``kind`` None (the door did not ask) is PNS with a NIP
    and non-ASN without one.

    ``update=False`` (the public form: anyone may type anyone's NIP) only fills empty fields of an
    existing person and never changes their name, unit or contacts."""
    name = clean_name(name)
    nip_value = clean_nip(nip)
    if kind is None:
        kind = EmployeeKind.PNS if nip_value else EmployeeKind.NON_ASN
    require_nip(kind, nip_value)
    phone_value = clean_phone(phone)
    email_value = clean_email(email)
    if gender not in (None, "", "L", "P"):
        raise DomainError(_("Jenis kelamin harus L atau P."), field="gender")
    gender = gender or gender_from_nip(nip_value, kind)
    key = fold(name)
    person = None
    if nip_value:
        person = db.session.scalar(select(Person).where(Person.nip == nip_value))
    else:
        person = db.session.scalar(
            select(Person)
            .where(
                Person.nip.is_(None),
                Person.name_key == key,
                Person.unit_id == (unit.id if unit else None),
            )
            .limit(1)
        )
    if person is None:
        person = Person(nip=nip_value, name_key=key, name=name, kind=kind)
        try:
            with db.session.begin_nested():
                db.session.add(person)
                fill(person, name, unit, kind, position, rank, phone_value, email_value, gender)
                db.session.flush()
        except IntegrityError:
            # Someone else created the same NIP a moment ago: use theirs.
            person = db.session.scalar(select(Person).where(Person.nip == nip_value))
            if person is None:  # pragma: no cover - the unique NIP is the only constraint
                raise
    if update:
        fill(person, name, unit, kind, position, rank, phone_value, email_value, gender)
    else:
        person.position = person.position or (position or "").strip()[:200]
        person.rank = person.rank or (rank or "").strip()[:80]
        person.phone = person.phone or phone_value
        person.email = person.email or email_value
        person.unit = person.unit or unit
    db.session.flush()
    return person


def fill(person, name, unit, kind, position, rank, phone, email, gender) -> None:
    """Write the values given over a person's record (empty values keep what is stored)."""
    person.name = name
    person.name_key = fold(name)
    if unit is not None:
        person.unit = unit
    person.kind = kind
    if position:
        person.position = position.strip()[:200]
    if rank:
        person.rank = rank.strip()[:80]
    if phone:
        person.phone = phone
    if email:
        person.email = email
    if gender:
        person.gender = gender


def is_organizer(actor: User | None) -> bool:
    return actor is not None and actor.has_role(Role.ORGANIZER)


def update_person(
    person: Person,
    *,
    actor: User,
    name: str,
    nip: object = None,
    kind: EmployeeKind,
    position: str | None = "",
    rank: str | None = "",
    phone: object = None,
    email: str | None = None,
) -> Person:
    """Correct a person's data (organizer, or the operator of the person's unit). Audited."""
    if actor.role is Role.UNIT_OPERATOR:
        if person.unit_id != actor.unit_id:
            raise NotAllowed(_("Data pegawai unit lain tidak dapat diubah."))
    elif not is_organizer(actor):
        raise NotAllowed(_("Anda tidak berhak mengubah data peserta."))
    name = clean_name(name)
    nip_value = clean_nip(nip)
    require_nip(kind, nip_value)
    if nip_value and nip_value != person.nip:
        other = db.session.scalar(select(Person).where(Person.nip == nip_value))
        if other is not None and other.id != person.id:
            raise DomainError(
                _("NIP ini sudah dipakai oleh %(name)s.", name=other.name), field="nip"
            )
    person.name = name
    person.nip = nip_value
    person.kind = kind
    person.gender = gender_from_nip(nip_value, kind) or person.gender
    person.position = (position or "").strip()[:200]
    person.rank = (rank or "").strip()[:80]
    person.phone = clean_phone(phone)
    person.email = clean_email(email)
    db.session.flush()
    record("person.update", actor=actor, obj=person, summary=person.name)
    return person
