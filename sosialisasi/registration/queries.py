"""Read models for the registration pages: lists with filters, per-unit summaries, exports.

Every page runs a constant number of queries whatever the number of rows (aggregates and
eager loading, never a query per row).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, literal_column, or_, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..checkin.queries import attended_registrations
from ..common.http import bounded_int
from ..common.tabular import write_csv
from ..common.text import fold, xlsx_cell
from ..common.types import utcnow
from ..common.wib import format_datetime
from ..events.models import Event, EventStatus, Invitation
from ..extensions import db
from ..units.models import Unit
from . import search
from .models import (
    Person,
    Registration,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)
from .statuses import SEAT_STATUSES

RS = RegistrationStatus


@dataclass
class Filters:
    unit_id: int | None = None
    status: RegistrationStatus | None = None
    role: RegistrationRole | None = None
    q: str = ""  # name, NIP/NIK, phone, position
    source: RegistrationSource | None = None
    attended: bool | None = None  # checked in to at least one session / none

    @classmethod
    def from_args(cls, args) -> Filters:
        unit_id = args.get("unit", type=bounded_int)
        status = args.get("status") or ""
        role = args.get("role") or ""
        source = args.get("source") or ""
        attended = args.get("hadir") or ""
        return cls(
            unit_id=unit_id or None,
            status=RS(status) if status in {s.value for s in RS} else None,
            role=RegistrationRole(role) if role in {r.value for r in RegistrationRole} else None,
            q=(args.get("q") or "").strip()[:100],
            source=(
                RegistrationSource(source)
                if source in {s.value for s in RegistrationSource}
                else None
            ),
            attended={"ya": True, "tidak": False}.get(attended),
        )

    def to_args(self) -> dict[str, str]:
        """The query string that gives these filters back (links, redirects after a POST)."""
        args = {
            "unit": str(self.unit_id) if self.unit_id else "",
            "status": self.status.value if self.status else "",
            "role": self.role.value if self.role else "",
            "q": self.q,
            "source": self.source.value if self.source else "",
            "hadir": "" if self.attended is None else ("ya" if self.attended else "tidak"),
        }
        return {k: v for k, v in args.items() if v}


def share_event(regs: Sequence[Registration], event: Event) -> None:
    """Give every loaded registration the one ``event`` object (no lazy load per row in a
    500-page PDF), as loaded state: nothing for the session to flush on the next commit."""
    for reg in regs:
        set_committed_value(reg, "event", event)


def registrations(event: Event, filters: Filters, *, unit_id: int | None = None):
    """A select of the event's registrations, people and units loaded, in a stable order.

    ``unit_id`` is the scope (a unit operator's own unit); ``filters`` are the user's choice.
    """
    stmt = (
        select(Registration)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Unit, Unit.id == Registration.unit_id)
        .where(Registration.event_id == event.id)
        .options(
            joinedload(Registration.person),
            joinedload(Registration.unit),
            joinedload(Registration.substitute_for),
        )
        .order_by(Unit.name, Registration.role, Person.name_key, Registration.id)
    )
    if unit_id is not None:
        stmt = stmt.where(Registration.unit_id == unit_id)
    if filters.unit_id:
        stmt = stmt.where(Registration.unit_id == filters.unit_id)
    if filters.status is not None:
        stmt = stmt.where(Registration.status == filters.status)
    if filters.role is not None:
        stmt = stmt.where(Registration.role == filters.role)
    if filters.source is not None:
        stmt = stmt.where(Registration.source == filters.source)
    if filters.attended is not None:
        attended = Registration.id.in_(attended_registrations())
        stmt = stmt.where(attended if filters.attended else ~attended)
    if filters.q:
        key = fold(filters.q)
        digits = filters.q.replace(" ", "")
        conditions = [Person.name_key.like(f"%{key}%")]
        if digits.isdigit():
            conditions.append(Person.nip.like(f"{digits}%"))
            conditions.append(Person.nik.like(f"{digits}%"))
            conditions.append(Person.phone.like(f"%{digits.lstrip('0')}%"))
        conditions.append(func.lower(Person.position).like(f"%{filters.q.lower()}%"))
        stmt = stmt.where(or_(*conditions))
    return stmt


def status_counts(event: Event, *, unit_id: int | None = None) -> dict[RegistrationStatus, int]:
    stmt = (
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    )
    if unit_id is not None:
        stmt = stmt.where(Registration.unit_id == unit_id)
    counts = dict.fromkeys(RS, 0)
    counts.update(dict(db.session.execute(stmt).all()))
    return counts


@dataclass
class UnitRow:
    unit: Unit
    invitation: Invitation | None
    registered: int
    pending: int
    waitlisted: int
    cancelled: int

    @property
    def quota(self) -> int:
        return self.invitation.quota if self.invitation else 0

    @property
    def used(self) -> int:
        return self.registered + self.pending + self.waitlisted

    @property
    def responded_at(self) -> datetime | None:
        return self.invitation.responded_at if self.invitation else None


def unit_summary(event: Event, *, unit_id: int | None = None) -> list[UnitRow]:
    """Each invited unit (and each uninvited unit that has registrations) with its counts."""
    peserta = Registration.role == RegistrationRole.PESERTA

    def n(status):
        return func.sum(case((Registration.status == status, 1), else_=0))

    stmt = (
        select(
            Registration.unit_id,
            n(RS.REGISTERED),
            n(RS.PENDING),
            n(RS.WAITLISTED),
            n(RS.CANCELLED),
        )
        .where(Registration.event_id == event.id, peserta, Registration.unit_id.is_not(None))
        .group_by(Registration.unit_id)
    )
    if unit_id is not None:
        stmt = stmt.where(Registration.unit_id == unit_id)
    counts = {row[0]: tuple(int(v or 0) for v in row[1:]) for row in db.session.execute(stmt)}
    inv_stmt = (
        select(Invitation)
        .where(Invitation.event_id == event.id)
        .options(joinedload(Invitation.unit))
    )
    if unit_id is not None:
        inv_stmt = inv_stmt.where(Invitation.unit_id == unit_id)
    invitations = {inv.unit_id: inv for inv in db.session.scalars(inv_stmt)}
    extra = set(counts) - set(invitations)
    units = {inv.unit_id: inv.unit for inv in invitations.values()}
    if extra:
        units.update({u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(extra)))})
    rows = [
        UnitRow(units[uid], invitations.get(uid), *counts.get(uid, (0, 0, 0, 0))) for uid in units
    ]
    rows.sort(key=lambda r: (r.unit.kind.value, r.unit.name))
    return rows


def waitlist_position(reg: Registration) -> int | None:
    """1-based place of a waiting registration in its event's waiting list (None otherwise)."""
    if reg.status is not RS.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == reg.event_id,
            Registration.status == RS.WAITLISTED,
            or_(
                Registration.created_at < reg.created_at,
                (Registration.created_at == reg.created_at) & (Registration.id < reg.id),
            ),
        )
    )
    return 1 + (ahead or 0)


def person_registrations(person: Person, *, unit_id: int | None = None) -> list[Registration]:
    """A person's registrations, newest event first (of one unit when ``unit_id`` is given)."""
    stmt = (
        select(Registration)
        .where(Registration.person_id == person.id)
        .join(Event, Event.id == Registration.event_id)
        .options(joinedload(Registration.event), joinedload(Registration.unit))
        .order_by(Event.starts_at.desc())
    )
    if unit_id is not None:
        stmt = stmt.where(Registration.unit_id == unit_id)
    return list(db.session.scalars(stmt).all())


def people_page_query(q: str, *, unit_id: int | None = None):
    """The people list, filtered by the people search (``registration.search``: part of the
    name, or NIP/NIK prefix), of one unit when given."""
    stmt = select(Person).options(joinedload(Person.unit)).order_by(Person.name_key)
    if unit_id is not None:
        stmt = stmt.where(Person.unit_id == unit_id)
    matches = search.person_matches(q) if q else None
    if matches is not None:
        stmt = stmt.where(matches)
    return stmt


def _choice(p: Person) -> tuple[int, str]:
    """A person as a choice "Name (NIP), position"."""
    return (
        p.id,
        f"{p.name}" + (f" ({p.nip})" if p.nip else "") + (f", {p.position}" if p.position else ""),
    )


def unit_people_choices(unit_id: int, *, exclude=frozenset()) -> list[tuple[int, str]]:
    """A unit's people as choices "Name (NIP), position" (at most 1,000)."""
    people = db.session.scalars(
        select(Person).where(Person.unit_id == unit_id).order_by(Person.name_key).limit(1000)
    )
    return [_choice(p) for p in people if p.id not in exclude]


SUBSTITUTE_MATCHES = 20


def unit_people_matches(
    unit_id: int, q: str, *, exclude=frozenset(), limit: int = SUBSTITUTE_MATCHES
) -> list[tuple[int, str]]:
    """At most ``limit`` of a unit's people found by ``q`` (``registration.search``: part of the
    name, or NIP/NIK prefix), as choices: the "mewakili" search of a registration (a district
    unit has a thousand people and more, too many for one select)."""
    matches = search.person_matches(q)
    if matches is None:
        return []
    people = db.session.scalars(
        select(Person)
        .where(
            Person.unit_id == unit_id,
            Person.anonymized_at.is_(None),
            matches,
            Person.id.not_in(list(exclude)),
        )
        .order_by(Person.name_key, Person.id)
        .limit(limit)
    )
    return [_choice(p) for p in people]


def unit_person(unit_id: int | None, person_id: int | None) -> Person | None:
    """The person ``person_id`` when they belong to the unit (what "mewakili" may name)."""
    if not unit_id or not person_id or not 0 < person_id < 2**31:
        return None
    person = db.session.get(Person, person_id)
    return person if person is not None and person.unit_id == unit_id else None


def person_choice(person: Person | None) -> list[tuple[int, str]]:
    return [_choice(person)] if person is not None else []


def person_in_unit(person: Person, unit_id: int) -> bool:
    """Whether a person belongs to the unit or was registered by it."""
    if person.unit_id == unit_id:
        return True
    return bool(
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.person_id == person.id, Registration.unit_id == unit_id
            )
        )
    )


def damaged_nip_people() -> list[Person]:
    """People whose stored NIP ends in 000: a NIP that went through an Excel number cell (Excel
    keeps 15 significant digits). No real NIP has sequence 000; an organizer checks each one."""
    return list(
        db.session.scalars(
            select(Person)
            # the sequence number, as parse_nip reads it (text[15:]), on its own index
            .where(func.substr(Person.nip, literal_column("16")) == "000")
            .options(joinedload(Person.unit))
            .order_by(Person.name_key)
            .limit(1000)
        )
    )


# --- exports -----------------------------------------------------------------------------------

EXPORT_HEADINGS = [
    "No",
    "Nama",
    "NIP",
    "Jabatan",
    "Pangkat/Golongan",
    "Unit Kerja",
    "Jenis Pegawai",
    "Jenis Kelamin",
    "No HP",
    "Email",
    "Peran",
    "Status",
    "Mewakili",
    "Sumber",
    "Alasan melebihi kuota",
    "Waktu daftar",
    "Kode tiket",
]


def export_rows(event: Event, filters: Filters, *, unit_id: int | None = None):
    stmt = registrations(event, filters, unit_id=unit_id)
    for number, reg in enumerate(db.session.scalars(stmt).unique(), start=1):
        person = reg.person
        yield [
            number,
            person.name,
            person.nip or "",
            person.position,
            person.rank,
            reg.unit.name if reg.unit else "",
            person.kind.label,
            person.gender or "",
            person.phone or "",
            person.email or "",
            reg.role.label,
            reg.status.label,
            reg.substitute_for.name if reg.substitute_for else "",
            reg.source.label,
            reg.over_quota_reason or "",
            format_datetime(reg.created_at),
            reg.ticket_code,
        ]


def to_csv(rows) -> bytes:
    return write_csv(EXPORT_HEADINGS, rows)  # ';', all fields quoted, formulas neutralised


def to_xlsx(rows, *, title: str = "Peserta", headings=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    header = []
    for heading in headings or EXPORT_HEADINGS:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- data other areas' pages show -----------------------------------------------------------


def _seats_taken():
    """Registrations holding a seat of the invitation's quota (correlated to ``Invitation``)."""
    return (
        select(func.count(Registration.id))
        .where(
            Registration.event_id == Invitation.event_id,
            Registration.unit_id == Invitation.unit_id,
            Registration.status.in_(SEAT_STATUSES),
        )
        .correlate(Invitation)
        .scalar_subquery()
    )


def unit_invitation_summary(unit_id: int, limit: int = 10) -> list:
    """Events a unit was invited to, newest first: ``(invitation, registered)`` rows (unit page).
    The ``limit`` newest are picked first (a subquery): the seats are counted for those only,
    not for the hundreds of invitations a unit gathers over the years."""
    newest = (
        select(Invitation.id)
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.unit_id == unit_id)
        .order_by(Event.starts_at.desc(), Invitation.id.desc())
        .limit(limit)
    )
    return list(
        db.session.execute(
            select(Invitation, _seats_taken())
            .join(Event, Event.id == Invitation.event_id)
            .where(Invitation.id.in_(newest))
            .options(contains_eager(Invitation.event))
            .order_by(Event.starts_at.desc())
            .limit(limit)
        ).all()
    )


def upcoming_invitations(unit_id: int) -> list:
    """The unit's invitations to events not yet over (drafts left out), soonest first:
    ``(invitation, registered)`` rows (the unit operator's home page)."""
    return list(
        db.session.execute(
            select(Invitation, _seats_taken())
            .join(Event, Event.id == Invitation.event_id)
            .where(
                Invitation.unit_id == unit_id,
                Event.status != EventStatus.DRAFT,
                Event.ends_at >= utcnow(),
            )
            .options(contains_eager(Invitation.event))
            .order_by(Event.starts_at)
        ).all()
    )


def pending_total() -> int:
    """Registrations waiting for the organizer's approval, over upcoming events (home page)."""
    return (
        db.session.scalar(
            select(func.count(Registration.id))
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.status == RS.PENDING, Event.ends_at >= utcnow())
        )
        or 0
    )


def ticket_mail_ids(event: Event) -> list[int]:
    """Who "Kirim tiket ke semua" e-mails: registered participants with an address whose ticket
    was not sent yet (``jobs.kinds.ticket_mail`` sends to these; the button counts them)."""
    return list(
        db.session.scalars(
            select(Registration.id)
            .join(Person, Person.id == Registration.person_id)
            .where(
                Registration.event_id == event.id,
                Registration.status == RS.REGISTERED,
                Registration.ticket_sent_at.is_(None),
                Person.email.is_not(None),
                Person.email != "",
            )
            .order_by(Registration.id)
        )
    )


def ticket_registration(code: str) -> Registration | None:
    """The registration a ticket code names, with the person, unit and agenda its pages show;
    None for an unknown code (or one longer than any code the app makes)."""
    if not code or len(code) > 43:
        return None
    return db.session.scalar(
        select(Registration)
        .where(Registration.ticket_code == code)
        .options(
            joinedload(Registration.person),
            joinedload(Registration.unit),
            joinedload(Registration.event).selectinload(Event.sessions),
        )
    )
