"""Personal-data services (backups and restores are in :mod:`.backups`).

Privacy services anonymise
people nobody has seen for a retention period and collect everything the app holds about one
person, by following the foreign keys that point at ``people`` (so tables added later are found).
"""

from __future__ import annotations

import base64
import enum
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    cast,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)

from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth.models import User
from ..checkin.models import CheckIn
from ..common.errors import DomainError
from ..common.text import safe_cell
from ..common.types import utcnow
from ..documents.models import Certificate
from ..events.models import Event
from ..extensions import db
from ..registration.models import IdentityRequest, Person, Registration

# --- retention: anonymise people not seen for a long time --------------------------------------

ANONYMOUS = "Anonim"


@dataclass
class PurgeResult:
    cutoff: datetime
    people: int
    dry_run: bool
    ids: list[int] = field(default_factory=list)


def purge_candidates(cutoff: datetime) -> Select[int]:
    """People known before ``cutoff`` with no registration for an event since then and no
    check-in since then (and not anonymised already)."""
    recent_event = (
        exists()
        .where(Registration.person_id == Person.id)
        .where(Registration.event_id == Event.id)
        .where(Event.ends_at >= cutoff)
    )
    recent_checkin = (
        exists()
        .where(Registration.person_id == Person.id)
        .where(CheckIn.registration_id == Registration.id)
        .where(CheckIn.at >= cutoff)
    )
    return select(Person.id).where(
        Person.anonymized_at.is_(None),
        Person.created_at < cutoff,
        ~recent_event,
        ~recent_checkin,
    )


def purge_people(
    *, older_than_years: float, now: datetime | None = None, dry_run: bool = False
) -> PurgeResult:
    """Anonymise people who have not attended anything for ``older_than_years``.

    Their registrations and check-ins stay (attendance counts per event and unit do not
    change); name, NIP, NIK, instansi, phone, e-mail, position and rank are removed.
    """
    if older_than_years <= 0:
        raise DomainError("Masa simpan harus lebih dari 0 tahun.", field="older_than")
    now = now or utcnow()
    cutoff = now - timedelta(days=round(365.25 * older_than_years))
    ids = list(db.session.scalars(purge_candidates(cutoff).order_by(Person.id)))
    if not dry_run:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            before = db.session.execute(
                select(Person.id, Person.name, Person.nip).where(Person.id.in_(chunk))
            ).all()
            db.session.execute(
                update(Person)
                .where(Person.id.in_(chunk))
                .values(
                    name=literal(f"{ANONYMOUS} #") + cast(Person.id, String),
                    name_key="",
                    nip=None,
                    nik=None,
                    instansi=None,
                    phone=None,
                    email=None,
                    position="",
                    rank="",
                    anonymized_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            for person_id, name, nip in before:
                erase_traces(person_id, name=name, nip=nip)
        db.session.flush()
        db.session.expire_all()
    return PurgeResult(cutoff=cutoff, people=len(ids), dry_run=dry_run, ids=ids)


def erase_traces(person_id: int, *, name: str, nip: str | None) -> None:
    """Copies of a person's identity kept outside ``people``, reduced when the person is
    anonymised: the certificates issued to their registrations (name and NIP as printed; the
    number, unit, role and event stay, so a verification still answers "sah"), the name in their
    registrations' attendance snapshots, and the audit
    summaries about them or their registrations, certificates and check-ins (their name and NIP
    replaced; who did what and when stays); the operators' requests to the organizers about them
    are deleted."""
    anonymous = f"{ANONYMOUS} #{person_id}"
    registrations = select(Registration.id).where(Registration.person_id == person_id)
    certificates = select(Certificate.id).where(Certificate.registration_id.in_(registrations))
    checkins = select(CheckIn.id).where(CheckIn.registration_id.in_(registrations))
    db.session.execute(
        update(Certificate)
        .where(Certificate.registration_id.in_(registrations))
        .values(name=anonymous, nip=None)
        .execution_options(synchronize_session=False)
    )
    about = (
        ((AuditEntry.object_type == "people") & (AuditEntry.object_id == person_id))
        | ((AuditEntry.object_type == "registrations") & AuditEntry.object_id.in_(registrations))
        | ((AuditEntry.object_type == "certificates") & AuditEntry.object_id.in_(certificates))
        | ((AuditEntry.object_type == "checkins") & AuditEntry.object_id.in_(checkins))
    )
    # The registrations' snapshots of who attended (issue 15): the name goes; position, rank and
    # unit stay, like the certificate's unit and role, so the counts of past events hold.
    db.session.execute(
        update(Registration)
        .where(Registration.person_id == person_id, Registration.snap_name.is_not(None))
        .values(snap_name=anonymous)
        .execution_options(synchronize_session=False)
    )
    # An operator's request to the organizers about this person (their NIP/NIK as typed).
    db.session.execute(
        delete(IdentityRequest)
        .where(IdentityRequest.person_id == person_id)
        .execution_options(synchronize_session=False)
    )
    replacements = [(name, anonymous)] if name and len(name) >= 3 else []
    if nip:
        replacements.append((nip, "NIP dihapus"))
    for old, new in replacements:
        where = AuditEntry.summary.contains(old, autoescape=True)
        if old != nip:  # a NIP is unique: wherever it stands, it is this person's; a name is not
            where = where & about
        db.session.execute(
            update(AuditEntry)
            .where(where)
            .values(summary=func.replace(AuditEntry.summary, old, new))
            .execution_options(synchronize_session=False)
        )


def anonymize_person(
    person: Person,
    *,
    actor: User | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Person:
    """Anonymise one person on request (their rows and counts stay); audited."""
    if person.anonymized_at is not None:
        raise DomainError(_("Data orang ini sudah dianonimkan."))
    erase_traces(person.id, name=person.name, nip=person.nip)
    person.name = f"{ANONYMOUS} #{person.id}"
    person.name_key = ""
    person.nip = person.nik = person.instansi = person.phone = person.email = None
    person.position = person.rank = ""
    person.anonymized_at = now or utcnow()
    db.session.flush()
    record("privacy.anonymize", actor=actor, obj=person, summary=f"#{person.id}", ip=ip)
    return person


# --- export of everything held about one person ---------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    return value


def _rows(table: Table, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    result = db.session.execute(select(table).where(where).order_by(*table.primary_key.columns))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


SKIP_COLUMNS = {"password_hash", "token_hash", "secret", "self_checkin_secret"}


def _about_person(person: Person) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table that may hold rows about ``person``, with the condition that finds them:
    the tables with a foreign key to ``people`` (so tables added later are found), the tables
    with a foreign key to those (check-ins of its registrations, ...), and the audit entries
    about it. ``person_data`` exports these rows and ``person_summary`` counts them: one walk,
    so the page and the export always speak of the same rows."""
    metadata = db.metadata
    people = metadata.tables["people"]
    audit = metadata.tables[AuditEntry.__tablename__]
    level_one: dict[str, Select[Any]] = {}  # table -> ids of its rows that name the person
    for table in metadata.sorted_tables:
        columns = [fk.parent for fk in table.foreign_keys if fk.column.table is people]
        if table is not people and columns:
            condition = or_(*(column == person.id for column in columns))
            level_one[table.name] = select(next(iter(table.primary_key.columns))).where(condition)
    found: list[tuple[Table, ColumnElement[bool]]] = []
    for table in metadata.sorted_tables:
        if table is people or table is audit:
            continue
        links = [fk.parent == person.id for fk in table.foreign_keys if fk.column.table is people]
        links += [
            fk.parent.in_(level_one[fk.column.table.name])
            for fk in table.foreign_keys
            if fk.column.table.name in level_one and fk.column.table is not table
        ]
        if links:
            found.append((table, or_(*links)))
    found.append((audit, (audit.c.object_type == "people") & (audit.c.object_id == person.id)))
    return found


def person_data(person: Person) -> dict[str, Any]:
    """Everything stored about ``person``: its own row and every row ``_about_person`` finds.
    One query per table."""
    people = db.metadata.tables["people"]
    related: dict[str, list[dict[str, Any]]] = {}
    for table, condition in _about_person(person):
        rows = _rows(table, condition)
        if rows:
            related[table.name] = rows
    for rows in related.values():
        for row in rows:
            for key in SKIP_COLUMNS & row.keys():
                row[key] = "(disembunyikan)"
    events = {
        e.id: e
        for e in db.session.scalars(
            select(Event).where(
                Event.id.in_(
                    select(Registration.event_id).where(Registration.person_id == person.id)
                )
            )
        )
    }
    return {
        "dibuat": utcnow().isoformat(),
        "orang": _rows(people, people.c.id == person.id)[0],
        "data_terkait": related,
        "acara": [
            {"id": e.id, "judul": e.title, "mulai": e.starts_at.isoformat(), "tempat": e.venue}
            for e in sorted(events.values(), key=lambda e: e.starts_at)
        ],
    }


PERSON_PAGE_EVENTS = 10


def person_summary(person: Person, *, limit: int = PERSON_PAGE_EVENTS) -> dict[str, Any]:
    """What the privacy page shows about ``person``: how many rows each table holds about it
    (counted in SQL, over the same tables and conditions as the export, ``_about_person``) and
    its latest ``limit`` events. Over five years a person gathers hundreds of registrations,
    tasks and history rows; the page counts them and the export (``person_data``) hands them
    all out. One query per table, whatever the number of rows."""
    counts: dict[str, int] = {}
    for table, condition in _about_person(person):
        n = db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
        if n:
            counts[table.name] = n
    attended = Event.id.in_(
        select(Registration.event_id).where(Registration.person_id == person.id)
    )
    total = db.session.scalar(select(func.count(Event.id)).where(attended)) or 0
    events = list(
        db.session.scalars(
            select(Event)
            .where(attended)
            .order_by(Event.starts_at.desc(), Event.id.desc())
            .limit(limit)
        )
    )
    return {"counts": counts, "events": events, "events_total": total}


def export_person(
    person: Person,
    fmt: str,
    *,
    actor: User | None,
    ip: str | None = None,
    device: str | None = None,
) -> tuple[bytes, str]:
    """Everything held about one person as ``fmt`` (``xlsx`` or ``json``): ``(body, mimetype)``.
    The export is audited: it hands personal data out."""
    data = person_data(person)
    record(
        "privacy.export",
        actor=actor,
        obj=person,
        summary=person.name,
        ip=ip,
        device=device,
        format=fmt,
    )
    if fmt == "xlsx":
        return person_xlsx(data), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    return json.dumps(data, ensure_ascii=False, indent=2).encode(), "application/json"


def person_xlsx(data: dict[str, Any]) -> bytes:
    """The export as a workbook: one sheet for the person, one per related table."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("orang")
    sheet.append(["kolom", "nilai"])
    for key, value in data["orang"].items():
        sheet.append([safe_cell(key), safe_cell(_cell(value))])
    sheet = book.create_sheet("acara")
    sheet.append(["id", "judul", "mulai", "tempat"])
    for row in data["acara"]:
        sheet.append([safe_cell(_cell(v)) for v in row.values()])
    for name, rows in data["data_terkait"].items():
        sheet = book.create_sheet(name[:31])
        keys = list(rows[0].keys())
        sheet.append(keys)
        for row in rows:
            sheet.append([safe_cell(_cell(row.get(k))) for k in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def find_people(q: str, limit: int = 50) -> list[Person]:
    """People whose name, NIP, phone or e-mail contains ``q`` (for the admin's search)."""
    q = q.strip()
    if not q:
        return []
    like = f"%{q.lower()}%"
    digits = "".join(c for c in q if c.isdigit())
    condition = func.lower(Person.name).like(like) | func.lower(Person.email).like(like)
    if len(digits) >= 4:
        condition = condition | Person.nip.like(f"%{digits}%") | Person.phone.like(f"%{digits}%")
    stmt = (
        select(Person)
        .where(condition)
        .options(db.joinedload(Person.unit))
        .order_by(Person.name)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
