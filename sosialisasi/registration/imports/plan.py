"""Bulk import of participants from CSV/XLSX, the plan (preview): what each row will do.

The plan decides each row's fate with the rules of :func:`registrations.register` applied in bulk
and in chunks of :data:`CHUNK_ROWS` rows, read as the file is read: one ``UnitIndex``, the
invitations and quota counts loaded once, and per chunk the stored people it names (by NIP, NIK,
name + unit) and their registrations in a few queries. No query per row, and memory holds one
chunk, not the file: a 50,000-row file is planned in the memory of a few hundred rows.

Its size is earned: each row goes through the NIP/NIK, identity, duplicate, quota and status rules
in one pass over preloaded data, and splitting that pass would spread one decision over modules.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from ...common.errors import DomainError
from ...common.nik import NIK, NIKError, parse_id_number, parse_nik
from ...common.nip import NIP, NIPError
from ...common.phone import PhoneError, normalize_phone
from ...common.tabular import TableStream, as_text, open_table
from ...common.text import fold
from ...events.models import Event, Invitation
from ...extensions import db
from ...units.models import Unit
from ...units.services import UnitIndex
from .. import people
from ..models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationStatus,
)
from ..statuses import LIVE_STATUSES, QUOTA_STATUSES, SEAT_STATUSES

RS = RegistrationStatus

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "nama",
        "nama lengkap",
        "nama peserta",
        "nama lengkap dan gelar",
        "nama (dengan gelar)",
        "nama pegawai",
        "name",
        "full name",
        "participant",
    ),
    # a "NIP/NIK" column: 16 digits are a NIK (non-ASN), 18 a NIP
    "nip": ("nip", "nip/nik", "nip / nik", "nomor induk pegawai", "no nip", "employee id"),
    "nik": ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "national id"),
    "position": ("jabatan", "jabatan/posisi", "position", "job title", "title"),
    "rank": (
        "pangkat",
        "pangkat/gol",
        "pangkat/golongan",
        "pangkat/gol. ruang",
        "golongan",
        "gol",
        "gol/ruang",
        "rank",
        "grade",
    ),
    "unit": (
        "unit kerja",
        "opd",
        "instansi",
        "perangkat daerah",
        "unit",
        "satuan kerja",
        "skpd",
        "asal instansi",
        "unit/opd",
        "organization",
        "organisation",
        "institution",
        "agency",
        "department",
    ),
    "phone": (
        "no hp",
        "no hp/wa",
        "no. hp",
        "no. hp/wa",
        "nomor hp",
        "nomor hp/wa",
        "nomor whatsapp",
        "no wa",
        "hp",
        "wa",
        "whatsapp",
        "telepon",
        "no telp",
        "phone",
        "mobile",
        "phone number",
    ),
    "email": ("email", "e-mail", "surel", "alamat email", "email address"),
    "role": ("peran", "sebagai", "role"),
    "kind": ("jenis pegawai", "status pegawai", "status kepegawaian", "employee type"),
}
REQUIRED = ("name", "unit")

ROLE_WORDS = {
    "peserta": RegistrationRole.PESERTA,
    "participant": RegistrationRole.PESERTA,
    "narasumber": RegistrationRole.NARASUMBER,
    "pembicara": RegistrationRole.NARASUMBER,
    "speaker": RegistrationRole.NARASUMBER,
    "panitia": RegistrationRole.PANITIA,
    "committee": RegistrationRole.PANITIA,
}
# The Indonesian labels of EmployeeKind, literally: ``label`` follows the user's language.
_KIND_LABELS = {
    EmployeeKind.PNS: "PNS",
    EmployeeKind.PPPK: "PPPK",
    EmployeeKind.NON_ASN: "Non-ASN",
    EmployeeKind.EXTERNAL: "Pihak luar",
}
KIND_WORDS = {fold(k.value): k for k in EmployeeKind} | {
    fold(v): k for k, v in _KIND_LABELS.items()
}
KIND_WORDS |= {"non asn": EmployeeKind.NON_ASN, "honorer": EmployeeKind.NON_ASN}


class Fate(enum.Enum):
    NEW = "new"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    ERROR = "error"

    @property
    def label(self) -> str:
        return {
            "new": _("Baru"),
            "update": _("Perbarui data"),
            "duplicate": _("Duplikat (dilewati)"),
            "error": pgettext("hasil baris", "Kesalahan"),
        }[self.value]

    @property
    def badge(self) -> str:
        return {"new": "success", "update": "info", "duplicate": "secondary", "error": "danger"}[
            self.value
        ]


@dataclass
class Row:
    number: int
    raw: dict[str, object]
    fate: Fate = Fate.NEW
    reason: str = ""
    name: str = ""
    nip: str | None = None
    nik: str | None = None  # non-ASN: a 16-digit NIK in the NIP/NIK column or a NIK column
    unit: Unit | None = None
    position: str = ""
    rank: str = ""
    phone: str | None = None
    email: str | None = None
    role: RegistrationRole = RegistrationRole.PESERTA
    kind: EmployeeKind = EmployeeKind.PNS
    person: Person | None = None
    status: RegistrationStatus = RS.REGISTERED
    over_quota: bool = False
    quota_refused: bool = False  # refused for a full quota: needs the organizer's decision
    warnings: list[str] = field(default_factory=list)  # doubts that do not refuse the row

    def error(self, reason: str) -> None:
        self.fate, self.reason = Fate.ERROR, reason

    @property
    def checked_unit(self) -> Unit:
        """The row's unit: every row that passed the checks has one (no unit is an error)."""
        if self.unit is None:
            raise ValueError(f"row {self.number} has no unit")
        return self.unit


KEPT_ERRORS = 1000  # error rows a streamed plan keeps for its page (the errors file has all)
KEPT_REFUSED = 50  # quota-refused rows it keeps to name on the preview


@dataclass
class Plan:
    """What an import does, counted as the rows are decided. ``rows`` holds every row only
    when the plan keeps them (:func:`plan_import`, :func:`.apply.apply_import` for the command
    line and tests); the pages' streamed plans keep counts, the first :data:`KEPT_ERRORS` error
    rows and the first :data:`KEPT_REFUSED` quota-refused rows."""

    rows: list[Row] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    header_row: int = 0
    keep_rows: bool = True
    total_rows: int = 0
    quota_refused_count: int = 0
    over_quota_count: int = 0  # rows registered over the quota with the organizer's reason
    tally: Counter[Fate] = field(default_factory=Counter)
    error_rows: list[Row] = field(default_factory=list)
    refused_rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Count a decided row (and keep it, or keep it while there is room)."""
        self.total_rows += 1
        self.tally[row.fate] += 1
        if self.keep_rows:
            self.rows.append(row)
        if row.fate is Fate.ERROR and (self.keep_rows or len(self.error_rows) < KEPT_ERRORS):
            self.error_rows.append(row)
        if row.quota_refused:
            self.quota_refused_count += 1
            if self.keep_rows or len(self.refused_rows) < KEPT_REFUSED:
                self.refused_rows.append(row)
        if row.over_quota and row.fate is not Fate.ERROR:
            self.over_quota_count += 1

    def count(self, fate: Fate) -> int:
        return self.tally[fate]

    @property
    def counts(self) -> dict[str, int]:
        c = self.tally
        return {
            "imported": c[Fate.NEW],
            "updated": c[Fate.UPDATE],
            "skipped": c[Fate.DUPLICATE],
            "errors": c[Fate.ERROR],
        }

    @property
    def errors(self) -> list[Row]:
        """The rows in error (the first :data:`KEPT_ERRORS` of a streamed plan)."""
        return self.error_rows

    @property
    def quota_refused(self) -> list[Row]:
        """Rows refused only because the unit's quota is full (or the unit is not invited)."""
        return self.refused_rows

    def readable(self) -> str:
        """The result for people: "8 peserta baru, 1 duplikat dilewati, 2 baris bermasalah"."""
        return readable(self.counts, self.over_quota_count)

    def summary(self) -> str:
        """The machine-readable line (CLI, audit): ``imported=N updated=N skipped=N errors=N``."""
        c = self.counts
        return (
            f"imported={c['imported']} updated={c['updated']} "
            f"skipped={c['skipped']} errors={c['errors']}"
        )


def readable(counts: dict[str, int], over_quota: int) -> str:
    """ "8 peserta baru, 1 duplikat dilewati, 2 baris bermasalah." from a plan's counts."""
    parts = [_("%(n)d peserta baru", n=counts["imported"])]
    if counts["updated"]:
        parts.append(_("%(n)d data diperbarui", n=counts["updated"]))
    if counts["skipped"]:
        parts.append(_("%(n)d duplikat dilewati", n=counts["skipped"]))
    if counts["errors"]:
        parts.append(_("%(n)d baris bermasalah", n=counts["errors"]))
    if over_quota:
        parts.append(_("%(n)d melebihi kuota dengan alasan", n=over_quota))
    return ", ".join(parts) + "."


def _chunks(values: list, size: int = 800) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _parse_row(row: Row, index: UnitIndex, units: dict[str, Unit | None] | None = None) -> None:
    """Check and normalise one row; ``units`` caches the lookups of unit names seen so far."""
    raw = row.raw
    row.name = " ".join(as_text(raw.get("name")).split())
    if not row.name:
        row.error(_("nama kosong"))
        return
    if len(row.name) > 150:
        row.error(_("nama lebih dari 150 karakter"))
        return
    nip_raw = raw.get("nip")
    if _filled(nip_raw):
        try:
            number = parse_id_number(nip_raw)
        except NIPError as err:
            row.error(_("NIP tidak valid: %(reason)s", reason=err))
            return
        except NIKError as err:
            row.error(_("NIK tidak valid: %(reason)s", reason=err))
            return
        if isinstance(number, NIK):
            row.nik = number.value
        else:
            row.nip = number.value
    nik_raw = raw.get("nik")
    if _filled(nik_raw):
        try:
            nik = parse_nik(nik_raw).value
        except NIKError as err:
            row.error(_("NIK tidak valid: %(reason)s", reason=err))
            return
        if row.nik and row.nik != nik:
            row.error(_("dua NIK yang berbeda pada satu baris"))
            return
        row.nik = nik
    unit_text = as_text(raw.get("unit"))
    if not unit_text:
        row.error(_("unit kerja kosong"))
        return
    if units is None:
        row.unit = index.find(unit_text)
    elif unit_text in units:
        row.unit = units[unit_text]
    else:
        row.unit = units[unit_text] = index.find(unit_text)
    if row.unit is None:
        row.error(
            _(
                "unit kerja '%(unit)s' tidak dikenal; periksa nama atau tambahkan aliasnya",
                unit=unit_text,
            )
        )
        return
    phone_raw = raw.get("phone")
    if isinstance(phone_raw, int) and not isinstance(phone_raw, bool):
        phone_raw = str(phone_raw)  # Excel dropped the leading 0; the digits are all there
    if phone_raw is not None and (not isinstance(phone_raw, str) or phone_raw.strip()):
        try:
            row.phone = normalize_phone(phone_raw)
        except PhoneError as err:
            row.error(_("nomor HP tidak valid: %(reason)s", reason=err))
            return
    email = as_text(raw.get("email"))
    if email:
        try:
            row.email = people.clean_email(email)
        except DomainError:
            row.error(_("email '%(email)s' tidak valid", email=email))
            return
    role_text = fold(as_text(raw.get("role")))
    if role_text:
        role = ROLE_WORDS.get(role_text)
        if role is None:
            row.error(
                _(
                    "peran '%(role)s' tidak dikenal (peserta/narasumber/panitia)",
                    role=as_text(raw.get("role")),
                )
            )
            return
        row.role = role
    kind_text = fold(as_text(raw.get("kind")))
    if kind_text:
        kind = KIND_WORDS.get(kind_text)
        if kind is None:
            row.error(_("jenis pegawai '%(kind)s' tidak dikenal", kind=as_text(raw.get("kind"))))
            return
        row.kind = kind
    else:
        row.kind = EmployeeKind.PNS if row.nip else EmployeeKind.NON_ASN
    try:
        people.require_nip(row.kind, row.nip, nik=row.nik)
    except DomainError as err:
        row.error(err.message)
        return
    if row.nip and row.kind is EmployeeKind.PNS:
        row.warnings = NIP(row.nip).pns_warnings()
    row.position = as_text(raw.get("position"))[:200]
    row.rank = as_text(raw.get("rank"))[:80]


def _filled(value: object) -> bool:
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def _seen(row: Row, key, seen_nip: dict, seen_name: dict) -> None:
    """What later rows of the file are compared with: the NIP, the NIK, name and unit."""
    if row.nip:
        seen_nip[row.nip] = row.number
    if row.nik:
        seen_nip[row.nik] = row.number
    seen_name[key] = row.number


CHUNK_ROWS = 800  # rows read, decided and passed on together (one lookup query per kind)


class Planner:
    """The decisions that span the file, made chunk by chunk in file order: rows already seen
    (duplicates), people already claimed by an earlier row, and the quota and capacity used so
    far. Lookups are batched per chunk (people by NIP, NIK, name and unit; their registrations
    in the event), so memory holds one chunk of rows, not the file."""

    def __init__(self, event: Event, over_quota_reason: str | None) -> None:
        self.event = event
        self.reason = (over_quota_reason or "").strip()
        self.index = UnitIndex.active()
        self.units: dict[str, Unit | None] = {}
        self.seen_nip: dict[str, int] = {}
        self.seen_name: dict[tuple[str, int], int] = {}
        # A stored person an earlier row will update: a second row naming them is a duplicate
        # of that row (never two updates and two registrations of one person).
        self.claimed: dict[int, int] = {}
        self.invitations = {
            inv.unit_id: inv
            for inv in db.session.scalars(select(Invitation).where(Invitation.event_id == event.id))
        }
        self.used: Counter[int | None] = Counter()
        self.seats = 0
        for unit_id, status in db.session.execute(
            select(Registration.unit_id, Registration.status).where(
                Registration.event_id == event.id,
                Registration.role == RegistrationRole.PESERTA,
                Registration.status.in_(QUOTA_STATUSES),
            )
        ):
            self.used[unit_id] += 1
            self.seats += status in SEAT_STATUSES

    @property
    def units_by_id(self) -> dict[int, Unit]:
        return {u.id: u for u in self.units.values() if u is not None}

    def decide(self, rows: list[Row]) -> None:
        """Set the fate of each row of a chunk (rows in file order, after the earlier chunks)."""
        for row in rows:
            _parse_row(row, self.index, self.units)
        good = [r for r in rows if r.fate is not Fate.ERROR]
        by_nip, by_nik, by_name, live = self._lookups(good)
        updated = _("data pegawai yang sudah ada diperbarui")
        seen_nip, seen_name = self.seen_nip, self.seen_name
        for row in good:
            key = (fold(row.name), row.checked_unit.id)
            earlier = seen_nip.get(row.nip) if row.nip else None
            if earlier is None and row.nik:
                earlier = seen_nip.get(row.nik)
            if earlier is None:
                earlier = seen_name.get(key)
            person = None
            if earlier is None:
                person = _existing(row, key, by_nip, by_nik, by_name)
                if person is not None:
                    earlier = self.claimed.get(person.id)
            if earlier is not None:
                row.fate = Fate.DUPLICATE
                row.reason = _("sama dengan baris %(row)d di berkas ini", row=earlier)
                continue
            status = live.get(person.id) if person is not None else None
            if status in LIVE_STATUSES:
                _seen(row, key, seen_nip, seen_name)
                row.fate = Fate.DUPLICATE
                row.reason = _(
                    "sudah mendaftar di acara ini (status: %(status)s)", status=status.label
                )
                continue
            number = None
            if person is not None:
                number = row.nip if row.nip and person.nip == row.nip else None
                if not number and row.nik and person.nik == row.nik:
                    number = row.nik
            if person is not None and number and not people.same_person_name(person.name, row.name):
                # One NIP (or NIK), two names: never merge two people; the organizer decides.
                if number == row.nik:
                    row.error(
                        _(
                            "NIK %(nik)s sudah tercatat atas nama %(stored)s, bukan %(typed)s; "
                            "periksa NIK atau namanya (data yang tersimpan tidak diubah)",
                            nik=row.nik,
                            stored=person.name,
                            typed=row.name,
                        )
                    )
                    continue
                row.error(
                    _(
                        "NIP %(nip)s sudah tercatat atas nama %(stored)s, bukan %(typed)s; "
                        "periksa NIP atau namanya (data yang tersimpan tidak diubah)",
                        nip=row.nip,
                        stored=person.name,
                        typed=row.name,
                    )
                )
                continue
            _seen(row, key, seen_nip, seen_name)
            if person is not None:
                row.person, row.fate = person, Fate.UPDATE
                row.reason = updated
                self.claimed[person.id] = row.number
            else:
                row.fate = Fate.NEW
        self._apply_rules([r for r in good if r.fate in (Fate.NEW, Fate.UPDATE)])
        for row in good:
            if row.warnings and row.fate in (Fate.NEW, Fate.UPDATE):
                note = _("periksa: %(doubts)s", doubts="; ".join(row.warnings))
                row.reason = f"{row.reason}; {note}" if row.reason else note

    def _lookups(self, good: list[Row]):
        """Stored people the chunk's rows may name (by NIP, by NIK, then by name + unit for rows
        whose NIP is not stored) and their registrations in the event: a few queries."""
        nips = sorted({r.nip for r in good if r.nip})
        by_nip: dict[str, Person] = {}
        for chunk in _chunks(nips):
            by_nip.update(
                {
                    p.nip: p
                    for p in db.session.scalars(select(Person).where(Person.nip.in_(chunk)))
                    if p.nip
                }
            )
        niks = sorted({r.nik for r in good if r.nik})
        by_nik: dict[str, Person] = {}
        for chunk in _chunks(niks):
            by_nik.update(
                {
                    p.nik: p
                    for p in db.session.scalars(select(Person).where(Person.nik.in_(chunk)))
                    if p.nik
                }
            )
        named = [r for r in good if not r.nip or r.nip not in by_nip]
        unit_ids = sorted({r.checked_unit.id for r in named})
        keys = sorted({fold(r.name) for r in named})
        by_name: dict[tuple[str, int | None], Person] = {}
        for unit_chunk in _chunks(unit_ids):
            for key_chunk in _chunks(keys):
                for p in db.session.scalars(
                    select(Person)
                    .where(
                        Person.nip.is_(None),
                        Person.unit_id.in_(unit_chunk),
                        Person.name_key.in_(key_chunk),
                    )
                    .order_by(Person.id)
                ):
                    by_name.setdefault((p.name_key, p.unit_id), p)
        ids = sorted(
            {p.id for p in by_nip.values()}
            | {p.id for p in by_nik.values()}
            | {p.id for p in by_name.values()}
        )
        live: dict[int, RegistrationStatus] = {}
        for chunk in _chunks(ids):
            for person_id, status in db.session.execute(
                select(Registration.person_id, Registration.status).where(
                    Registration.event_id == self.event.id,
                    Registration.person_id.in_(chunk),
                )
            ):
                live[person_id] = status
        return by_nip, by_nik, by_name, live

    def _apply_rules(self, rows: list[Row]) -> None:
        """Quota per unit and capacity, in file order, as ``rules.check_quota`` and
        ``rules.capacity_full`` decide them for one registration."""
        event, reason = self.event, self.reason
        over_quota = _("melebihi kuota unit (alasan dicatat)")
        waitlisted = _("masuk daftar tunggu")
        used = self.used
        for row in rows:
            if row.role is not RegistrationRole.PESERTA:
                continue
            invitation = self.invitations.get(row.checked_unit.id)
            quota = invitation.quota if invitation else 0
            if used[row.checked_unit.id] >= quota:
                if not reason:
                    row.error(
                        _("%(unit)s tidak diundang ke acara ini", unit=row.checked_unit.name)
                        if invitation is None
                        else _(
                            "kuota %(unit)s sudah penuh (%(quota)d orang)",
                            unit=row.checked_unit.name,
                            quota=quota,
                        )
                    )
                    row.quota_refused = True
                    continue
                row.over_quota = True
                if row.reason:
                    row.reason += "; "
                row.reason += over_quota
            used[row.checked_unit.id] += 1
            if event.capacity is not None and self.seats >= event.capacity:
                row.status = RS.WAITLISTED
                row.reason = (row.reason + "; " if row.reason else "") + waitlisted
            else:
                self.seats += 1


@dataclass
class PlanStream:
    """A plan being made: ``plan`` counts what ``chunks`` has decided so far; iterate
    ``chunks`` (lists of decided rows, in file order) once, to the end."""

    plan: Plan
    planner: Planner
    chunks: Iterator[list[Row]]
    estimated_rows: int


def open_plan(
    event: Event,
    data: bytes,
    filename: str,
    *,
    over_quota_reason: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    keep_rows: bool = False,
    table: TableStream | None = None,
) -> PlanStream:
    """Start planning a file; nothing is written. TableError when the file is unreadable (also
    while iterating, for a row past the limit or a sheet broken half-way). ``table`` gives the
    rows already read (a staged file's), instead of reading ``data``."""
    if table is None:
        table = open_table(data, filename, COLUMNS, REQUIRED)
    plan = Plan(
        unknown_headers=table.unknown_headers, header_row=table.header_row, keep_rows=keep_rows
    )
    planner = Planner(event, over_quota_reason)

    def chunks() -> Iterator[list[Row]]:
        for values in table.chunks(CHUNK_ROWS):
            rows = [Row(number, raw) for number, raw in values]
            planner.decide(rows)
            for row in rows:
                plan.add(row)
            if on_progress:
                on_progress(plan.total_rows, max(table.estimated_rows, plan.total_rows))
            yield rows

    return PlanStream(plan, planner, chunks(), table.estimated_rows)


def plan_import(
    event: Event,
    data: bytes,
    filename: str,
    *,
    over_quota_reason: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Decide every row's fate without writing anything, keeping every row (the command line,
    small files). TableError when the file is unreadable."""
    stream = open_plan(
        event,
        data,
        filename,
        over_quota_reason=over_quota_reason,
        on_progress=on_progress,
        keep_rows=True,
    )
    for _chunk in stream.chunks:
        pass
    return stream.plan


def _existing(
    row: Row,
    key: tuple[str, int],
    by_nip: dict[str, Person],
    by_nik: dict[str, Person],
    by_name: dict[tuple[str, int | None], Person],
) -> Person | None:
    """The stored person a row names: by NIP, else by NIK, else by name in the unit (a person
    found by name who has another NIP or NIK is someone else)."""
    if row.nip and row.nip in by_nip:
        return by_nip[row.nip]
    if row.nik and row.nik in by_nik:
        return by_nik[row.nik]
    person = by_name.get(key)
    if person is None:
        return None
    if row.nik and person.nik and person.nik != row.nik:
        return None
    return person
