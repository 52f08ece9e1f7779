"""Identity: cleaning what a door typed, the NIP rule, finding or creating a person, changing one.

Every door that creates or finds a person (operator's delegate form, organizer's form, the public
link, the import, the walk-in at the door) goes through this module, so the rules hold on all of
them:

- a PNS or PPPK must give a NIP (:func:`require_nip`); people without one (THL, BLUD staff, PPPK
  paruh waktu, guests) may give their NIK, typed in the same "NIP/NIK" field (16 digits are a NIK:
  :func:`clean_id_number`, one parser in ``common.nik``), and people from outside the Pemkab a
  free-text instansi;
- a match on NIP (or NIK) needs the names to agree, gelar ignored (:func:`same_person_name`):
  two people are never merged because one NIP was mistyped (or damaged by Excel, which
  ``common.nip`` refuses);
- a door may link a registration to an existing person, but changes that person's identity or
  contacts only when the actor may edit that person (:func:`can_edit`: organizer or admin, or the
  operator of the person's own unit). A unit operator who types the NIP/NIK of another unit's
  person gets a neutral refusal that names nobody (:class:`OtherUnitsPerson`; the request goes to
  the organizers, :mod:`.identity_requests`); the public form never changes a stored person.

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
from ..common.nik import NIK, NIKError, looks_like_nik, parse_nik
from ..common.nip import NIPError, parse_nip
from ..common.phone import PhoneError, normalize_phone
from ..common.text import fold, one_full_stop
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


def clean_nik(raw: object, *, field: str = "nik") -> str | None:
    """The normalised NIK, None when empty; DomainError with the reason otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_nik(raw).value
    except NIKError as err:
        raise DomainError(_("NIK tidak valid: %(reason)s.", reason=err), field=field) from None


def clean_id_number(
    raw: object, nik: object = None, *, field: str = "nip"
) -> tuple[str | None, str | None]:
    """(NIP, NIK) from a "NIP/NIK" field and an optional separate NIK: 16 digits in the field
    are a NIK (non-ASN), anything else is read as a NIP. DomainError with the reason otherwise."""
    nip_value = nik_value = None
    if raw is not None and not (isinstance(raw, str) and not raw.strip()):
        if looks_like_nik(raw):
            nik_value = clean_nik(raw, field=field)
        else:
            nip_value = clean_nip(raw, field=field)
    other = clean_nik(nik, field="nik")
    if other and nik_value and other != nik_value:
        raise DomainError(_("Dua NIK yang berbeda diisi untuk satu orang."), field="nik")
    return nip_value, nik_value or other


def require_nip(
    kind: EmployeeKind, nip: str | None, *, field: str = "nip", nik: str | None = None
) -> None:
    """The rule of every door: a PNS or PPPK is registered with their NIP (a NIK is for
    non-ASN; said so when one was typed instead)."""
    if kind in NIP_KINDS and not nip:
        if nik:
            raise DomainError(nik_for_non_asn_message(), field=field)
        raise DomainError(nip_required_message(), field=field)


def nik_for_non_asn_message() -> str:
    return _(
        "NIK (16 digit) hanya untuk non-ASN. PNS dan PPPK mendaftar dengan NIP 18 digit; "
        "bila orang ini non-ASN, pilih jenis pegawai Non-ASN."
    )


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


def gender_from_nip(nip: str | None, kind: EmployeeKind, nik: str | None = None) -> str | None:
    if nip and kind in NIP_KINDS:
        return "L" if nip[14] == "1" else "P"
    if nik:
        return NIK(nik).gender
    return None


# --- who may change whom, and when two names are one person -------------------------------


class IdentityConflict(DomainError):
    """The NIP belongs to a stored person the actor may not change, or whose name differs."""

    code = "identity_conflict"


class _Trusted:
    """The actor of internal callers (command line, tests): trusted like an organizer."""


TRUSTED = _Trusted()


def is_organizer(actor: User | None) -> bool:
    return actor is not None and actor.has_role(Role.ORGANIZER)


def can_edit(actor: User | _Trusted | None, person: Person) -> bool:
    """Organizers and admins may change anyone; a unit operator only their own unit's people;
    an anonymous visitor (the public form) nobody."""
    if actor is TRUSTED:
        return True
    if actor is None or isinstance(actor, _Trusted):
        return False
    if is_organizer(actor):
        return True
    return (
        actor.role is Role.UNIT_OPERATOR
        and person.unit_id is not None
        and person.unit_id == actor.unit_id
    )


def other_unit_message() -> str:
    return _("NIP ini terdaftar di unit lain; hubungi panitia.")


class OtherUnitsPerson(IdentityConflict):
    """A unit operator typed the NIP/NIK of another unit's person: refused naming nobody.
    ``person`` and ``number`` are for the request to the organizers, never for the operator."""

    def __init__(self, person: Person, number: str, field: str = "nip") -> None:
        super().__init__(other_unit_message(), field=field)
        self.person = person
        self.number = number


# Titles written before a name; degrees come after a comma ("Siti Rahma, S.KM., M.Kes").
_TITLES = {"dr", "drs", "dra", "drg", "ir", "h", "hj", "prof", "apt", "ns", "kh", "hc", "st"}


def name_key_without_titles(name: str | None) -> str:
    """The name folded, without gelar: what must agree for a NIP match."""
    base = (name or "").split(",")[0]
    words = []
    for word in base.split():
        bare = fold(word).replace(" ", "")
        if not bare or bare in _TITLES or (word.count(".") >= 2 and len(bare) <= 6):
            continue  # "dr.", "Hj.", "S.Kom." written without a comma
        words.append(bare)
    return " ".join(words)


def same_person_name(a: str | None, b: str | None) -> bool:
    """Whether two written names are one person's: the same words once gelar are dropped, where
    an initial stands for a word ("Ani S." and "dr. Ani Suryani")."""
    wa, wb = name_key_without_titles(a).split(), name_key_without_titles(b).split()
    if not wa or len(wa) != len(wb):
        return False
    return all(
        x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x, y in zip(wa, wb, strict=True)
    )


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
    actor: User | _Trusted | None = TRUSTED,
    nik: object = None,
    instansi: str | None = None,
) -> Person:
    """The person with this NIP (or, without a NIP, this name in this unit), updated with the
    values given, or a new one. Invalid NIP, phone or email raise DomainError naming the field;
    so does a PNS or PPPK without a NIP. ``kind`` None (the door did not ask) is PNS with a NIP
    and non-ASN without one.

    A person found by NIP must carry the same name (gelar ignored), else :class:`IdentityConflict`.
    ``actor`` is who asks: one who may not edit the person found (:func:`can_edit`) gets a neutral
    refusal when a unit operator, and with ``actor=None`` (the public form) the person is linked
    as stored, never changed. ``update=False`` changes no existing person at all.

    ``nip`` is what a "NIP/NIK" field holds: 16 digits are a NIK (:func:`clean_id_number`); a
    NIK matches like a NIP (the names must agree, another unit's person is never changed).
    ``instansi`` is the free-text workplace of someone from outside the Pemkab (no unit)."""
    name = clean_name(name)
    nip_value, nik_value = clean_id_number(nip, nik)
    if kind is None:
        kind = EmployeeKind.PNS if nip_value else EmployeeKind.NON_ASN
    require_nip(kind, nip_value, nik=nik_value)
    instansi = " ".join((instansi or "").split())[:200] or None
    phone_value = clean_phone(phone)
    email_value = clean_email(email)
    if gender not in (None, "", "L", "P"):
        raise DomainError(_("Jenis kelamin harus L atau P."), field="gender")
    gender = gender or gender_from_nip(nip_value, kind, nik_value)
    key = fold(name)
    person = _find(nip_value, nik_value, key, unit, instansi)
    created = False
    if person is None:
        person = Person(nip=nip_value, nik=nik_value, name_key=key, name=name, kind=kind)
        try:
            with db.session.begin_nested():
                db.session.add(person)
                fill(person, name, unit, kind, position, rank, phone_value, email_value, gender)
                person.instansi = instansi
                db.session.flush()
            created = True
        except IntegrityError:
            # Someone else created the same NIP/NIK a moment ago: theirs is the one found.
            person = _find(nip_value, nik_value, key, unit, instansi)
            if person is None:  # pragma: no cover - the unique NIP/NIK are the only constraints
                raise
    if not created:
        if nip_value or nik_value:
            _check_match(person, name, actor, nip_value or nik_value or "")
        if update and can_edit(actor, person):
            fill(person, name, unit, kind, position, rank, phone_value, email_value, gender)
            if nik_value and person.nik is None:
                person.nik = nik_value
            if instansi:
                person.instansi = instansi
    db.session.flush()
    return person


def _find(
    nip: str | None, nik: str | None, key: str, unit: Unit | None, instansi: str | None
) -> Person | None:
    """The stored person a door's values name: by NIP, else by NIK, else (no number) by name in
    the unit (for people outside the Pemkab: by name and instansi)."""
    if nip:
        person = db.session.scalar(select(Person).where(Person.nip == nip))
        if person is not None or not nik:
            return person
    if nik:
        return db.session.scalar(select(Person).where(Person.nik == nik))
    stmt = select(Person).where(
        Person.nip.is_(None),
        Person.name_key == key,
        Person.unit_id == (unit.id if unit else None),
    )
    if unit is None:
        stmt = stmt.where(
            Person.instansi.is_(None) if instansi is None else Person.instansi == instansi
        )
    return db.session.scalar(stmt.limit(1))


def _check_match(
    person: Person, name: str, actor: User | _Trusted | None, number: str = ""
) -> None:
    """A NIP/NIK found: refuse another unit's operator (naming nobody) and disagreeing names."""
    if actor is not None and not can_edit(actor, person):
        raise OtherUnitsPerson(person, number)
    if not same_person_name(person.name, name):
        if actor is None:  # the public form answers the same whatever is stored
            raise IdentityConflict("", field="nip")
        if number and len(number) == 16:
            raise IdentityConflict(
                _(
                    "NIK ini sudah tercatat atas nama %(stored)s, bukan %(typed)s. "
                    "Periksa NIK dan namanya; data yang tersimpan tidak diubah.",
                    stored=person.name,
                    typed=name,
                ),
                field="nip",
            )
        raise IdentityConflict(
            _(
                "NIP ini sudah tercatat atas nama %(stored)s, bukan %(typed)s. "
                "Periksa NIP dan namanya; data yang tersimpan tidak diubah.",
                stored=person.name,
                typed=name,
            ),
            field="nip",
        )


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
    instansi: str | None = None,
) -> Person:
    """Correct a person's data (organizer, or the operator of the person's unit). Audited.

    ``nip`` is the "NIP/NIK" field: 16 digits set the NIK (and clear the NIP); a NIP keeps the
    NIK; an empty field clears the NIP, and the NIK too when the field showed it (no NIP).
    ``instansi`` None leaves it as stored."""
    if actor.role is Role.UNIT_OPERATOR:
        if person.unit_id != actor.unit_id:
            raise NotAllowed(_("Data pegawai unit lain tidak dapat diubah."))
    elif not is_organizer(actor):
        raise NotAllowed(_("Anda tidak berhak mengubah data peserta."))
    name = clean_name(name)
    nip_value, nik_value = clean_id_number(nip)
    require_nip(kind, nip_value, nik=nik_value)
    for column, value in ((Person.nip, nip_value), (Person.nik, nik_value)):
        if not value or value == getattr(person, column.key):
            continue
        other = db.session.scalar(select(Person).where(column == value))
        if other is not None and other.id != person.id:
            if not can_edit(actor, other):
                raise IdentityConflict(other_unit_message(), field="nip")
            raise IdentityConflict(
                one_full_stop(
                    _("NIP ini sudah dipakai oleh %(name)s.", name=other.name)
                    if column is Person.nip
                    else _("NIK ini sudah dipakai oleh %(name)s.", name=other.name)
                ),
                field="nip",
            )
    if nik_value:
        person.nik, person.nip = nik_value, None
    else:
        if nip_value is None and person.nip is None:
            person.nik = None  # the field showed the NIK and was emptied
        person.nip = nip_value
    person.name = name
    person.kind = kind
    person.gender = gender_from_nip(nip_value, kind, nik_value) or person.gender
    person.position = (position or "").strip()[:200]
    person.rank = (rank or "").strip()[:80]
    person.phone = clean_phone(phone)
    person.email = clean_email(email)
    if instansi is not None:
        person.instansi = " ".join(instansi.split())[:200] or None
    db.session.flush()
    record("person.update", actor=actor, obj=person, summary=person.name)
    return person
