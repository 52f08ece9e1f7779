"""The organizer's view of an event's set-up: the checklist and the first screen's numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from .models import (
    Event,
)


@dataclass(frozen=True)
class ChecklistItem:
    """One step of an event's set-up: done or not, and which fix it links to (``key``)."""

    key: str
    label: str
    done: bool
    detail: str = ""


def setup_checklist(event: Event) -> list[ChecklistItem]:
    """What an organizer sets up before the day, each step linked to its fix on the page."""
    from ..attendance.rules import warnings as rule_warnings
    from ..registration.invitations import operators_by_unit

    invited = [inv.unit_id for inv in event.invitations]
    with_operator = operators_by_unit(invited)
    missing = sum(1 for u in invited if not with_operator.get(u))
    has_speaker = any(s.speaker_id for s in event.sessions) or bool(event.speakers)
    return [
        ChecklistItem(
            "agenda",
            _("Susunan acara dan narasumber"),
            len(event.sessions) > 1 and has_speaker,
            _("%(n)d sesi", n=len(event.sessions)),
        ),
        ChecklistItem(
            "rule",
            _("Syarat kehadiran sesuai titik pindai"),
            not rule_warnings(event),
            event.attendance_rule.label,
        ),
        ChecklistItem(
            "invitations", _("Unit diundang"), bool(invited), _("%(n)d unit", n=len(invited))
        ),
        ChecklistItem(
            "operators",
            _("Setiap unit undangan punya operator"),
            bool(invited) and not missing,
            _("%(n)d unit tanpa operator", n=missing) if missing else "",
        ),
        ChecklistItem(
            "staff",
            _("Petugas registrasi ulang ditugaskan"),
            bool(event.staff),
            _("%(n)d petugas", n=len(event.staff)),
        ),
        ChecklistItem(
            "letter",
            _("Nomor surat undangan"),
            bool(event.letter_number),
            event.letter_number or "",
        ),
        ChecklistItem(
            "signatory",
            _("Penanda tangan"),
            bool(event.signatory_name),
            event.signatory_name or "",
        ),
    ]


@dataclass(frozen=True)
class EventNumbers:
    """One upcoming event on the organizer's first screen."""

    event: Event
    registered: int
    quota: int
    units: int
    units_without_operator: int
    steps_done: int
    steps: int


def organizer_overview(events: Sequence[Event]) -> list[EventNumbers]:
    """Registrations against quota, invited units without an operator and the set-up steps done,
    for the organizer's first screen (a few queries per event; the screen shows at most 8)."""
    from ..registration.models import Registration, RegistrationRole
    from ..registration.statuses import QUOTA_STATUSES

    ids = [e.id for e in events]
    registered = dict(
        db.session.execute(
            select(Registration.event_id, func.count(Registration.id))
            .where(
                Registration.event_id.in_(ids or [0]),
                Registration.role == RegistrationRole.PESERTA,
                Registration.status.in_(QUOTA_STATUSES),
            )
            .group_by(Registration.event_id)
        ).all()
    )
    out = []
    for e in events:
        steps = setup_checklist(e)
        operators = next(s for s in steps if s.key == "operators")
        missing = 0
        if not operators.done and e.invitations:
            from ..registration.invitations import operators_by_unit

            have = operators_by_unit(i.unit_id for i in e.invitations)
            missing = sum(1 for i in e.invitations if not have.get(i.unit_id))
        out.append(
            EventNumbers(
                e,
                int(registered.get(e.id, 0)),
                sum(i.quota for i in e.invitations),
                len(e.invitations),
                missing,
                sum(1 for s in steps if s.done),
                len(steps),
            )
        )
    return out
