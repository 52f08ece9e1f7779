"""Creating, changing, moving and cloning events (the event form's rules of dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError
from ..extensions import db
from ..units.models import Unit
from .models import (
    AttendanceRule,
    Event,
    EventKind,
    EventSession,
    EventStatus,
    Invitation,
    Speaker,
)


@dataclass
class EventData:
    title: str
    kind: EventKind
    venue: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    address: str = ""
    organizer_unit: Unit | None = None
    letter_number: str | None = None
    letter_date: date | None = None
    signatory_name: str | None = None
    signatory_position: str | None = None
    signatory_nip: str | None = None
    default_quota: int = 2
    capacity: int | None = None
    requires_approval: bool = False
    public_registration: bool = False
    registration_closes_at: datetime | None = None
    checkin_opens_minutes: int = 60
    late_tolerance_minutes: int = 15
    self_checkin_enabled: bool = False
    attendance_rule: AttendanceRule = AttendanceRule.ANY_SESSION


def _check_times(starts_at: datetime, ends_at: datetime, field: str = "ends_at") -> None:
    if ends_at <= starts_at:
        raise DomainError(_("Waktu selesai harus setelah waktu mulai."), field=field)


def _apply(event: Event, data: EventData) -> None:
    _check_times(data.starts_at, data.ends_at)
    if data.default_quota < 1:
        raise DomainError(_("Kuota per unit minimal 1."), field="default_quota")
    if data.capacity is not None and data.capacity < 1:
        raise DomainError(_("Kapasitas minimal 1 orang."), field="capacity")
    if data.registration_closes_at and data.registration_closes_at > data.ends_at:
        raise DomainError(
            _("Batas pendaftaran tidak boleh setelah acara selesai."),
            field="registration_closes_at",
        )
    for name, value in vars(data).items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)


def create_event(data: EventData, *, actor: User) -> Event:
    """A new draft event with one session covering its whole time."""
    event = Event(created_by_id=actor.id, status=EventStatus.DRAFT)
    _apply(event, data)
    event.sessions.append(
        EventSession(
            title="Acara utama", starts_at=data.starts_at, ends_at=data.ends_at, mandatory=True
        )
    )
    db.session.add(event)
    db.session.flush()
    record("event.create", actor=actor, obj=event, summary=event.title)
    return event


def update_event(event: Event, data: EventData, *, actor: User | None = None) -> Event:
    _apply(event, data)
    outside = [
        s for s in event.sessions if s.starts_at < event.starts_at or s.ends_at > event.ends_at
    ]
    if outside:
        if len(event.sessions) == 1:
            # The lone default session follows the event's new times.
            only = event.sessions[0]
            only.starts_at, only.ends_at = event.starts_at, event.ends_at
        else:
            titles = ", ".join(s.title for s in outside)
            raise DomainError(
                _(
                    "Sesi berikut berada di luar waktu acara yang baru: %(sessions)s. "
                    "Ubah sesi terlebih dahulu.",
                    sessions=titles,
                ),
                field="starts_at",
            )
    db.session.flush()
    record("event.update", actor=actor, obj=event, summary=event.title)
    return event


def move_event(event: Event, starts_at: datetime, *, actor: User | None = None) -> timedelta:
    """Move the whole event to a new start: every session, the registration deadline and the
    end shift by the same amount (one save instead of editing each session). Returns the shift.
    """
    shift = starts_at - event.starts_at
    record("event.move", actor=actor, obj=event, summary=event.title, shift=str(shift))
    if not shift:
        return shift
    event.starts_at += shift
    event.ends_at += shift
    if event.registration_closes_at is not None:
        event.registration_closes_at += shift
    for s in event.sessions:
        s.starts_at += shift
        s.ends_at += shift
    db.session.flush()
    return shift


def clone_event(source: Event, *, starts_at: datetime, actor: User) -> Event:
    """Copy an event to a new start time: agenda, speakers and invitations shift along."""
    shift = starts_at - source.starts_at
    copy = Event(
        title=source.title,
        kind=source.kind,
        description=source.description,
        venue=source.venue,
        address=source.address,
        starts_at=source.starts_at + shift,
        ends_at=source.ends_at + shift,
        organizer_unit_id=source.organizer_unit_id,
        signatory_name=source.signatory_name,
        signatory_position=source.signatory_position,
        signatory_nip=source.signatory_nip,
        default_quota=source.default_quota,
        capacity=source.capacity,
        requires_approval=source.requires_approval,
        public_registration=False,
        checkin_opens_minutes=source.checkin_opens_minutes,
        late_tolerance_minutes=source.late_tolerance_minutes,
        attendance_rule=source.attendance_rule,
        status=EventStatus.DRAFT,
        cloned_from_id=source.id,
        created_by_id=actor.id,
    )
    speaker_map: dict[int, Speaker] = {}
    for sp in source.speakers:
        new = Speaker(
            name=sp.name, title=sp.title, institution=sp.institution, position=sp.position
        )
        speaker_map[sp.id] = new
        copy.speakers.append(new)
    for s in source.sessions:
        copy.sessions.append(
            EventSession(
                title=s.title,
                starts_at=s.starts_at + shift,
                ends_at=s.ends_at + shift,
                mandatory=s.mandatory,
                speaker=speaker_map.get(s.speaker_id) if s.speaker_id else None,
                speakers=[speaker_map[sp.id] for sp in s.speakers if sp.id in speaker_map],
            )
        )
    for inv in source.invitations:
        copy.invitations.append(Invitation(unit_id=inv.unit_id, quota=inv.quota))
    db.session.add(copy)
    db.session.flush()
    record("event.clone", actor=actor, obj=copy, summary=copy.title, source=source.id)
    return copy
