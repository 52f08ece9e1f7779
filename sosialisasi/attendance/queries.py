"""Attendance read models: who was present where, and who meets the event's attendance rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, distinct, func, literal, select
from sqlalchemy.orm import joinedload

from ..checkin.models import CheckIn
from ..common.pagination import CountedPage, clamp_page
from ..common.types import iso_utc, utcnow
from ..events.models import Event, EventSession, Invitation
from ..extensions import db
from ..registration.models import Person, Registration, RegistrationStatus
from ..units.models import Unit
from .rules import meets_rule, required_sessions, requirement_groups


def sessions_attended(event: Event) -> dict[int, set[int]]:
    """registration id -> ids of the sessions it checked in to (one query)."""
    rows = db.session.execute(
        select(CheckIn.registration_id, CheckIn.session_id)
        .join(EventSession, EventSession.id == CheckIn.session_id)
        .where(EventSession.event_id == event.id)
    )
    attended: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in rows:
        attended[registration_id].add(session_id)
    return attended


def sessions_attended_by(registration_ids: Select[Any]) -> dict[int, set[int]]:
    """registration id -> ids of the sessions it checked in to, for the registrations a select
    of ids names (any number of events, one query)."""
    attended: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in db.session.execute(
        select(CheckIn.registration_id, CheckIn.session_id).where(
            CheckIn.registration_id.in_(registration_ids)
        )
    ):
        attended[registration_id].add(session_id)
    return attended


def active_attendance(event: Event) -> dict[int, set[int]]:
    """Every active registration's id -> the sessions it checked in to (two queries)."""
    attended = sessions_attended(event)
    active = db.session.scalars(
        select(Registration.id).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    return {rid: attended.get(rid, set()) for rid in active}


def eligible_registration_ids(event: Event) -> set[int]:
    """Registrations that "memenuhi syarat" under the event's attendance rule."""
    return {rid for rid, done in active_attendance(event).items() if meets_rule(event, done)}


# --- live dashboard --------------------------------------------------------------------------


def _late_after(event: Event, session: EventSession) -> datetime:
    return session.starts_at + timedelta(minutes=event.late_tolerance_minutes or 0)


def _session_state(session: EventSession, now: datetime) -> str:
    if now < session.starts_at:
        return "upcoming"
    if now <= session.ends_at:
        return "running"
    return "ended"


def _scanned_in_every(groups: list[set[int]]) -> Select[Any]:
    """Ids of the registrations with a scan in every group of sessions: the attendance rule as
    ``rules.requirement_groups`` states it, for ``IN`` (one aggregate, no per-row queries)."""
    if len(groups) == 1:  # one scan in any of these sessions
        return select(CheckIn.registration_id).where(CheckIn.session_id.in_(sorted(groups[0])))
    group_of = {sid: number for number, group in enumerate(groups) for sid in group}
    return (
        select(CheckIn.registration_id)
        .where(CheckIn.session_id.in_(sorted(group_of)))
        .group_by(CheckIn.registration_id)
        .having(
            func.count(distinct(case(group_of or {0: 0}, value=CheckIn.session_id))) == len(groups)
        )
    )


def attendance_summary(
    event: Event,
    session: EventSession | None = None,
    now: datetime | None = None,
    *,
    unit: Unit | None = None,
) -> dict:
    """Counts for the live dashboard and the API, JSON-ready, in a constant number of queries.

    ``session`` narrows the per-unit "present" figures (and the units with nobody present) to one
    session; without it a unit counts as present when someone checked in to any session.
    ``unit`` narrows everything to one unit (what a unit operator may see).
    Only active registrations (status "registered") count.
    """
    now = now or utcnow()
    sessions = list(event.sessions)
    active = (Registration.event_id == event.id) & (
        Registration.status == RegistrationStatus.REGISTERED
    )
    if unit is not None:
        active = active & (Registration.unit_id == unit.id)

    # 1, 3, 4. Per unit, in one pass over the event's active registrations (read from the
    # index on event, status and unit): registered, present (in the chosen session, or in
    # any), and eligible under the attendance rule. When the rule is one scan in the very
    # sessions "present" looks at (a one-session event, or the one-scan rule over the whole
    # event), eligible is present: counted once.
    present_in = {session.id} if session is not None else {s.id for s in sessions}
    groups = requirement_groups(event)
    same = groups == [present_in]

    def counted(ids: Select[Any]) -> Any:
        return func.sum(case((Registration.id.in_(ids), 1), else_=0))

    registered_by_unit: dict[int | None, int] = {}
    present_by_unit: dict[int | None, int] = {}
    eligible_by_unit: dict[int | None, int] = {}
    for unit_id, n_registered, n_present, n_eligible in db.session.execute(
        select(
            Registration.unit_id,
            func.count(Registration.id),
            counted(_scanned_in_every([present_in])),
            literal(0) if same else counted(_scanned_in_every(groups)),
        )
        .where(active)
        .group_by(Registration.unit_id)
    ):
        registered_by_unit[unit_id] = n_registered
        present_by_unit[unit_id] = int(n_present or 0)
        eligible_by_unit[unit_id] = present_by_unit[unit_id] if same else int(n_eligible or 0)
    registered = sum(registered_by_unit.values())

    # 2. present and late per session
    per_session: dict[int, tuple[int, int]] = {}
    if sessions:
        late = case(
            *(
                ((CheckIn.session_id == s.id) & (CheckIn.at > _late_after(event, s)), 1)
                for s in sessions
            ),
            else_=0,
        )
        per_session = {
            session_id: (int(present or 0), int(n_late or 0))
            for session_id, present, n_late in db.session.execute(
                select(CheckIn.session_id, func.count(CheckIn.id), func.sum(late))
                .join(Registration, Registration.id == CheckIn.registration_id)
                .where(active, CheckIn.session_id.in_([s.id for s in sessions]))
                .group_by(CheckIn.session_id)
            )
        }

    # 5. invited units with their quota, plus units that registered without an invitation
    inv_q = (
        select(Unit.id, Unit.name, Unit.short_name, Invitation.quota)
        .join(Invitation, Invitation.unit_id == Unit.id)
        .where(Invitation.event_id == event.id)
    )
    if unit is not None:
        inv_q = inv_q.where(Unit.id == unit.id)
    rows: dict[int, tuple[str, str | None, int | None]] = {
        uid: (name, short, quota) for uid, name, short, quota in db.session.execute(inv_q)
    }
    extra = [uid for uid in registered_by_unit if uid is not None and uid not in rows]
    if extra:
        for uid, name, short in db.session.execute(
            select(Unit.id, Unit.name, Unit.short_name).where(Unit.id.in_(extra))
        ):
            rows[uid] = (name, short, None)

    units: list[dict[str, Any]] = [
        {
            "id": uid,
            "name": name,
            "short_name": short,
            "invited": quota is not None,
            "quota": quota,
            "registered": registered_by_unit.get(uid, 0),
            "present": present_by_unit.get(uid, 0),
            "eligible": eligible_by_unit.get(uid, 0),
        }
        for uid, (name, short, quota) in rows.items()
    ]
    if None in registered_by_unit:
        units.append(
            {
                "id": None,
                "name": _("Tanpa unit"),
                "short_name": None,
                "invited": False,
                "quota": None,
                "registered": registered_by_unit[None],
                "present": present_by_unit.get(None, 0),
                "eligible": eligible_by_unit.get(None, 0),
            }
        )
    units.sort(key=lambda u: (u["present"] > 0, u["name"].lower()))

    session_rows = []
    for s in sessions:
        present, n_late = per_session.get(s.id, (0, 0))
        session_rows.append(
            {
                "id": s.id,
                "title": s.title,
                "starts_at": iso_utc(s.starts_at),
                "ends_at": iso_utc(s.ends_at),
                "late_after": iso_utc(_late_after(event, s)),
                "mandatory": s.mandatory,
                "state": _session_state(s, now),
                "registered": registered,
                "present": present,
                "absent": max(registered - present, 0),
                "late": n_late,
                "on_time": present - n_late,
            }
        )
    chosen = next((r for r in session_rows if session and r["id"] == session.id), None)
    eligible = sum(eligible_by_unit.values())
    present_total = sum(present_by_unit.values())
    return {
        "event": {
            "id": event.id,
            "title": event.title,
            "attendance_rule": event.attendance_rule.value,
            "attendance_rule_label": event.attendance_rule.label,
            "late_tolerance_minutes": event.late_tolerance_minutes,
        },
        "generated_at": iso_utc(now),
        "unit_id": unit.id if unit is not None else None,
        "session_id": session.id if session is not None else None,
        "registered": registered,
        # in the chosen session, or in any session when none is chosen
        "present": present_total,
        "absent": max(registered - present_total, 0),
        "late": chosen["late"] if chosen else None,
        "session": chosen,
        "sessions": session_rows,
        "units": units,
        "units_without_attendance": [
            {"id": u["id"], "name": u["name"]}
            for u in units
            if u["present"] == 0 and u["id"] is not None
        ],
        "eligible": {
            "rule": event.attendance_rule.value,
            "label": event.attendance_rule.label,
            "count": eligible,
            "not_eligible": max(registered - eligible, 0),
            "required_session_ids": sorted(required_sessions(event)),
        },
    }


@dataclass
class AttendeeRow:
    registration: Registration
    checkins: dict[int, CheckIn]  # session id -> check-in
    eligible: bool

    @property
    def first_at(self) -> datetime | None:
        return min((c.at for c in self.checkins.values()), default=None)


def attendees(event: Event, *, unit: Unit | None = None, roles=None) -> list[AttendeeRow]:
    """Every active registration with its check-ins, ordered by unit and name (three queries)."""
    stmt = (
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .options(joinedload(Registration.person), joinedload(Registration.unit))
        .outerjoin(Unit, Unit.id == Registration.unit_id)
        .join(Person, Person.id == Registration.person_id)
        .order_by(Unit.name, Person.name, Registration.id)
    )
    if unit is not None:
        stmt = stmt.where(Registration.unit_id == unit.id)
    if roles is not None:
        stmt = stmt.where(Registration.role.in_(list(roles)))
    regs = db.session.scalars(stmt).unique().all()
    by_reg: dict[int, dict[int, CheckIn]] = defaultdict(dict)
    if regs:
        checkins = db.session.scalars(
            select(CheckIn)
            .join(EventSession, EventSession.id == CheckIn.session_id)
            .where(EventSession.event_id == event.id)
        )
        for c in checkins:
            by_reg[c.registration_id][c.session_id] = c
    rows = []
    for reg in regs:
        done = by_reg.get(reg.id, {})
        rows.append(AttendeeRow(reg, done, meets_rule(event, set(done))))
    return rows


def unit_attendance(unit: Unit, *, page: int = 1, per_page: int = 10) -> CountedPage[dict]:
    """Events a unit took part in, newest first, one page of them with registered and present
    counts. Two queries whatever the number of events: a district unit takes part in hundreds
    over the years, and the counts are computed for the shown page only."""
    took_part = (Event.id.in_(select(Invitation.event_id).where(Invitation.unit_id == unit.id))) | (
        Event.id.in_(select(Registration.event_id).where(Registration.unit_id == unit.id))
    )
    total = db.session.scalar(select(func.count(Event.id)).where(took_part)) or 0
    page = clamp_page(page, total, per_page)
    shown = (
        select(Event.id)
        .where(took_part)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    present = (
        select(func.count(distinct(CheckIn.registration_id)))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(
            Registration.event_id == Event.id,
            Registration.unit_id == unit.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .correlate(Event)
        .scalar_subquery()
    )
    registered = (
        select(func.count(Registration.id))
        .where(
            Registration.event_id == Event.id,
            Registration.unit_id == unit.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .correlate(Event)
        .scalar_subquery()
    )
    quota = (
        select(Invitation.quota)
        .where(Invitation.event_id == Event.id, Invitation.unit_id == unit.id)
        .correlate(Event)
        .scalar_subquery()
    )
    # The page's ids in a subquery with LIMIT: the counts run for those rows only.
    rows = (
        db.session.execute(
            select(Event, quota, registered, present)
            .where(Event.id.in_(shown))
            .order_by(Event.starts_at.desc(), Event.id.desc())
        ).all()
        if total
        else []
    )
    now = utcnow()
    items = [
        {
            "event": ev,
            "quota": q,
            "registered": r or 0,
            "present": p or 0,
            "ended": ev.ends_at < now,
        }
        for ev, q, r, p in rows
    ]
    return CountedPage(items, total, page, per_page)
