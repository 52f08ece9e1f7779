"""Writing an import: the good rows of the plan become people and registrations, in bulk
(multi-row INSERTs), under the event's lock; and the rows in error as a spreadsheet.

Audited here (``registration.import``), so the command line and the page leave the same trail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import insert, select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...common.locking import lock_row
from ...common.tabular import as_text
from ...common.text import fold
from ...common.types import utcnow
from ...events.models import Event, Invitation
from ...extensions import db
from .. import people, rules
from ..models import Person, Registration, RegistrationSource
from .plan import Fate, Plan, plan_import


def apply_import(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: User | None,
    over_quota_reason: str | None = None,
    now: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Write the good rows of the file (people and registrations); the caller commits once.

    Planned again under the event's lock so that the decision matches what is written.
    ``actor`` None is the command line (trusted like an organizer).
    """
    now = now or utcnow()
    if actor is not None and not people.is_organizer(actor):
        raise DomainError(_("Hanya panitia yang dapat mengimpor peserta."))
    rules.check_import_open(event, now=now)
    lock_row(Event, event.id)
    plan = plan_import(
        event, data, filename, over_quota_reason=over_quota_reason, on_progress=on_progress
    )
    reason = (over_quota_reason or "").strip()[:300] or None
    writes = [r for r in plan.rows if r.fate in (Fate.NEW, Fate.UPDATE)]
    new_rows = [r for r in writes if r.person is None]
    for row in writes:
        if row.person is not None:
            if row.nip and row.person.nip is None:
                row.person.nip = row.nip
            if row.nik and row.person.nik is None:
                row.person.nik = row.nik
            people.fill(
                row.person,
                row.name,
                row.unit,
                row.kind,
                row.position,
                row.rank,
                row.phone,
                row.email,
                people.gender_from_nip(row.nip, row.kind, row.nik),
            )
    db.session.flush()
    # New people in bulk (one multi-row INSERT ... RETURNING per batch, not one per person).
    person_ids: dict[int, int] = {}
    if new_rows:
        # RETURNING without "sort by parameter order": SQLite can then batch the rows too; each
        # new person is found again by its key (NIP, else name + unit), unique in the plan.
        returned = db.session.execute(
            insert(Person).returning(Person.id, Person.nip, Person.name_key, Person.unit_id),
            [
                {
                    "name": r.name,
                    "name_key": fold(r.name)[:150],
                    "nip": r.nip,
                    "nik": r.nik,
                    "kind": r.kind,
                    "gender": people.gender_from_nip(r.nip, r.kind, r.nik),
                    "position": r.position,
                    "rank": r.rank,
                    "unit_id": r.checked_unit.id,
                    "phone": r.phone,
                    "email": r.email,
                    "created_at": now,
                    "updated_at": now,
                }
                for r in new_rows
            ],
        ).all()
        by_key = {
            (nip or None, None if nip else (key, unit_id)): pid
            for pid, nip, key, unit_id in returned
        }
        person_ids = {
            row.number: by_key[
                (row.nip, None) if row.nip else (None, (fold(row.name)[:150], row.checked_unit.id))
            ]
            for row in new_rows
        }
    existing = {
        reg.person_id: reg
        for reg in db.session.scalars(select(Registration).where(Registration.event_id == event.id))
    }
    fresh = []
    for row in writes:
        person_id = row.person.id if row.person is not None else person_ids[row.number]
        values = {
            "unit_id": row.checked_unit.id,
            "role": row.role,
            "status": row.status,
            "source": RegistrationSource.IMPORT,
            "over_quota_reason": reason if row.over_quota else None,
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
    inviting = {row.checked_unit.id for row in writes}
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


def errors_xlsx(plan: Plan) -> bytes:
    from ..queries import to_xlsx

    def text(value: object) -> str:
        if isinstance(value, float):
            return repr(value)  # show what Excel stored, e.g. 1.98609262015052e+17
        return as_text(value)

    rows = [
        [
            r.number,
            r.reason,
            text(r.raw.get("name")),
            text(r.raw.get("nip")) or text(r.raw.get("nik")),
            *(text(r.raw.get(k)) for k in ("position", "rank", "unit", "phone", "email", "role")),
        ]
        for r in plan.errors
    ]
    return to_xlsx(rows, title="Kesalahan impor", headings=ERROR_HEADINGS)
