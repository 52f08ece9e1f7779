"""Writing an import: the good rows of the plan become people and registrations, in bulk
(multi-row INSERTs per chunk), under the event's lock; and the rows in error as a spreadsheet.

Audited here (``registration.import``), so the command line and the page leave the same trail.
"""

from __future__ import annotations

import io
import pickle
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import insert, select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...common.locking import lock_row
from ...common.tabular import TableStream, as_text
from ...common.text import fold, xlsx_cell
from ...common.types import utcnow
from ...events.models import Event, Invitation
from ...extensions import db
from ...units.models import Unit
from .. import people, rules
from ..models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)
from .plan import Fate, Plan, Row, open_plan


class _Write(NamedTuple):
    """What the write pass needs of a row the plan keeps (NEW or UPDATE)."""

    number: int
    person_id: int | None
    name: str
    nip: str | None
    nik: str | None
    unit_id: int
    kind: EmployeeKind
    position: str
    rank: str
    phone: str | None
    email: str | None
    role: RegistrationRole
    status: RegistrationStatus
    over_quota: bool


def _writes(rows: list[Row]) -> list[_Write]:
    return [
        _Write(
            r.number,
            r.person.id if r.person is not None else None,
            r.name,
            r.nip,
            r.nik,
            r.checked_unit.id,
            r.kind,
            r.position,
            r.rank,
            r.phone,
            r.email,
            r.role,
            r.status,
            r.over_quota,
        )
        for r in rows
        if r.fate in (Fate.NEW, Fate.UPDATE)
    ]


def apply_import(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: User | None,
    over_quota_reason: str | None = None,
    now: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    keep_rows: bool = True,
    on_chunk: Callable[[list[Row]], None] | None = None,
    table: TableStream | None = None,
) -> Plan:
    """Write the good rows of the file (people and registrations); the caller commits once.

    Planned again under the event's lock so that the decision matches what is written, in two
    passes: every chunk is decided first (what to write goes to a temporary spool file, the
    decided rows to ``on_chunk``), then the spool is written chunk by chunk, so that every
    decision is made on the database as it was before the import and memory holds one chunk.
    ``keep_rows`` False keeps only counts and the first error rows in the plan (the pages);
    ``table`` gives the file's rows as already read (the staged file's), instead of ``data``.
    ``actor`` None is the command line (trusted like an organizer).
    """
    now = now or utcnow()
    if actor is not None and not people.is_organizer(actor):
        raise DomainError(_("Hanya panitia yang dapat mengimpor peserta."))
    rules.check_import_open(event, now=now)
    lock_row(Event, event.id)

    def planned(done: int, total: int) -> None:
        if on_progress:
            on_progress(done, 2 * total)  # planning is the first half of the work

    stream = open_plan(
        event,
        data,
        filename,
        over_quota_reason=over_quota_reason,
        on_progress=planned,
        keep_rows=keep_rows,
        table=table,
    )
    plan = stream.plan
    reason = (over_quota_reason or "").strip()[:300] or None
    inviting: set[int] = set()
    with tempfile.TemporaryFile() as spool:
        writes = 0
        for rows in stream.chunks:
            if on_chunk:
                on_chunk(rows)
            chunk = _writes(rows)
            if chunk:
                writes += len(chunk)
                pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.seek(0)
        units = stream.planner.units_by_id
        written = 0
        while writes:
            try:
                chunk = pickle.load(spool)  # noqa: S301 - our own spool of this request
            except EOFError:
                break
            _write(event, chunk, units, actor=actor, reason=reason, now=now)
            inviting.update(w.unit_id for w in chunk)
            written += len(chunk)
            if on_progress:
                total = plan.total_rows
                on_progress(total + written * total // writes, 2 * total)
    for inv in db.session.scalars(
        select(Invitation).where(
            Invitation.event_id == event.id,
            Invitation.unit_id.in_(inviting or {0}),
            Invitation.responded_at.is_(None),
        )
    ):
        inv.responded_at = now
    db.session.flush()
    record("registration.import", actor=actor, obj=event, summary=f"{filename}: {plan.summary()}")
    return plan


def _write(
    event: Event,
    writes: list[_Write],
    units: dict[int, Unit],
    *,
    actor: User | None,
    reason: str | None,
    now: datetime,
) -> None:
    """One chunk: stored people updated, new people and the registrations inserted in bulk."""
    updates = [w for w in writes if w.person_id is not None]
    stored = (
        {
            p.id: p
            for p in db.session.scalars(
                select(Person).where(Person.id.in_([w.person_id for w in updates]))
            )
        }
        if updates
        else {}
    )
    for w in updates:
        person = stored[w.person_id]  # type: ignore[index]
        if w.nip and person.nip is None:
            person.nip = w.nip
        if w.nik and person.nik is None:
            person.nik = w.nik
        people.fill(
            person,
            w.name,
            units[w.unit_id],
            w.kind,
            w.position,
            w.rank,
            w.phone,
            w.email,
            people.gender_from_nip(w.nip, w.kind, w.nik),
        )
    db.session.flush()
    # New people in bulk (one multi-row INSERT ... RETURNING per batch, not one per person).
    new = [w for w in writes if w.person_id is None]
    person_ids: dict[int, int] = {}
    if new:
        # RETURNING without "sort by parameter order": SQLite can then batch the rows too; each
        # new person is found again by its key (NIP, else name + unit), unique in the plan.
        returned = db.session.execute(
            insert(Person).returning(Person.id, Person.nip, Person.name_key, Person.unit_id),
            [
                {
                    "name": w.name,
                    "name_key": fold(w.name)[:150],
                    "nip": w.nip,
                    "nik": w.nik,
                    "kind": w.kind,
                    "gender": people.gender_from_nip(w.nip, w.kind, w.nik),
                    "position": w.position,
                    "rank": w.rank,
                    "unit_id": w.unit_id,
                    "phone": w.phone,
                    "email": w.email,
                    "created_at": now,
                    "updated_at": now,
                }
                for w in new
            ],
        ).all()
        by_key = {
            (nip or None, None if nip else (key, unit_id)): pid
            for pid, nip, key, unit_id in returned
        }
        person_ids = {
            w.number: by_key[(w.nip, None) if w.nip else (None, (fold(w.name)[:150], w.unit_id))]
            for w in new
        }
    # Only stored people can have a registration in the event (a cancelled or rejected one).
    existing = (
        {
            reg.person_id: reg
            for reg in db.session.scalars(
                select(Registration).where(
                    Registration.event_id == event.id,
                    Registration.person_id.in_([w.person_id for w in updates]),
                )
            )
        }
        if updates
        else {}
    )
    fresh = []
    for w in writes:
        person_id = w.person_id if w.person_id is not None else person_ids[w.number]
        values = {
            "unit_id": w.unit_id,
            "role": w.role,
            "status": w.status,
            "source": RegistrationSource.IMPORT,
            "over_quota_reason": reason if w.over_quota else None,
            "registered_by_id": actor.id if actor else None,
            "created_at": now,
            "cancelled_at": None,
            "cancel_reason": None,
        }
        reg = existing.get(person_id)
        if reg is None:
            fresh.append({"event_id": event.id, "person_id": person_id, **values})
        else:  # a cancelled or rejected registration comes back
            for key, value in values.items():
                setattr(reg, key, value)
    if fresh:
        db.session.execute(insert(Registration), fresh)
    db.session.flush()


# --- errors as XLSX ----------------------------------------------------------------------------

ERROR_HEADINGS = [
    "Baris",
    "Alasan",
    "Nama",
    "NIP/NIK",
    "Jabatan",
    "Pangkat/Gol",
    "Unit Kerja",
    "No HP",
    "Email",
    "Peran",
]


def _text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)  # show what Excel stored, e.g. 1.98609262015052e+17
    return as_text(value)


class ErrorBook:
    """The rows in error as a spreadsheet, written as they come (openpyxl's write-only mode
    keeps the rows in a temporary file, not in memory)."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("Kesalahan impor")
        bold = Font(bold=True)
        header = []
        for heading in ERROR_HEADINGS:
            cell = WriteOnlyCell(self.sheet, value=heading)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def add(self, r: Row) -> None:
        values = [
            r.number,
            r.reason,
            _text(r.raw.get("name")),
            _text(r.raw.get("nip")) or _text(r.raw.get("nik")),
            *(_text(r.raw.get(k)) for k in ("position", "rank", "unit", "phone", "email", "role")),
        ]
        self.sheet.append([xlsx_cell(self.sheet, v) for v in values])

    def save(self, target: str | Path | BinaryIO) -> None:
        self.workbook.save(target)


def errors_xlsx(plan: Plan) -> bytes:
    """The plan's rows in error (all of them when it kept its rows) as XLSX."""
    book = ErrorBook()
    for row in plan.errors:
        book.add(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
