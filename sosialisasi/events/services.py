"""Events and their agenda: the rules of dates, sessions, status and scoping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, TypeVar

from flask import abort
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import Select, exists, func, select

from ..audit.services import record
from ..auth.models import Role, User
from ..checkin.queries import session_has_checkins
from ..common.errors import DomainError, InvalidTransition
from ..common.types import utcnow
from ..common.wib import format_datetime
from ..extensions import db
from ..units.models import Unit
from . import signals
from .models import (
    AttendanceRule,
    Event,
    EventKind,
    EventSession,
    EventStaff,
    EventStatus,
    Invitation,
    Speaker,
)

S = EventStatus
TRANSITIONS: dict[EventStatus, set[EventStatus]] = {
    S.DRAFT: {S.OPEN, S.CANCELLED},
    S.OPEN: {S.CLOSED, S.RUNNING, S.DRAFT, S.CANCELLED},
    S.CLOSED: {S.OPEN, S.RUNNING, S.CANCELLED},
    S.RUNNING: {S.FINISHED},
    S.FINISHED: {S.REPORTED, S.RUNNING},
    S.REPORTED: set(),
    S.CANCELLED: {S.DRAFT},
}


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


def change_status(
    event: Event,
    target: EventStatus,
    *,
    reason: str | None = None,
    actor: User | None = None,
) -> None:
    """Move the event to ``target`` and audit it (``actor`` None: the system, e.g. the CLI)."""
    old = event.status
    if target is old:
        record(
            "event.status",
            actor=actor,
            obj=event,
            summary=event.title,
            old=old.value,
            new=old.value,
        )
        return
    if target not in TRANSITIONS[event.status]:
        raise InvalidTransition(
            _(
                "Status '%(current)s' tidak dapat diubah menjadi '%(target)s'.",
                current=event.status.label,
                target=target.label,
            )
        )
    if target is EventStatus.CANCELLED:
        if reason is None or not reason.strip():
            raise DomainError(_("Tuliskan alasan pembatalan."), field="reason")
        event.cancel_reason = reason.strip()
    # Other areas' conditions (documents: "reported" needs a laporan kegiatan) refuse by raising.
    signals.status_changing.send(event, target=target)
    event.status = target
    record(
        "event.status",
        actor=actor,
        obj=event,
        summary=event.title,
        old=old.value,
        new=event.status.value,
    )


def allowed_transitions(event: Event) -> list[EventStatus]:
    return [s for s in EventStatus if s in TRANSITIONS[event.status]]


# Moves back in the life of an event: each needs a confirmation that says who is affected.
BACKWARD: set[tuple[EventStatus, EventStatus]] = {
    (S.OPEN, S.DRAFT),
    (S.CLOSED, S.OPEN),
    (S.FINISHED, S.RUNNING),
    (S.CANCELLED, S.DRAFT),
}


@dataclass(frozen=True)
class StatusAction:
    """One button on the event page: the transition, its words, and whether it asks first."""

    target: EventStatus
    label: str
    style: str
    asks: bool


def status_actions(event: Event) -> list[StatusAction]:
    """The buttons for the transitions allowed from the event's status, forward ones first."""
    labels = {
        S.OPEN: _("Buka kembali pendaftaran")
        if event.status is S.CLOSED
        else _("Terbitkan (buka pendaftaran)"),
        S.CLOSED: _("Tutup pendaftaran"),
        S.RUNNING: _("Buka kembali acara") if event.status is S.FINISHED else _("Mulai acara"),
        S.FINISHED: _("Selesai"),
        S.REPORTED: _("Tandai sudah dilaporkan"),
        S.DRAFT: _("Kembalikan ke draf"),
        S.CANCELLED: _("Batalkan acara"),
    }
    actions = []
    for target in allowed_transitions(event):
        backward = (event.status, target) in BACKWARD
        cancel = target is S.CANCELLED
        style = (
            "btn-outline-danger"
            if cancel
            else ("btn-outline-secondary" if backward else "btn-primary")
        )
        actions.append(StatusAction(target, labels[target], style, backward or cancel))
    actions.sort(key=lambda a: (a.asks, a.target is S.CANCELLED))
    return actions


def _affected(event: Event) -> tuple[int, int]:
    """(invited units, active registrations) of the event."""
    from ..registration.models import Registration
    from ..registration.statuses import LIVE_STATUSES

    units = db.session.scalar(
        select(func.count(Invitation.id)).where(Invitation.event_id == event.id)
    )
    people = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.status.in_(LIVE_STATUSES)
        )
    )
    return units or 0, people or 0


def status_warnings(event: Event, target: EventStatus, *, now: datetime | None = None) -> list[str]:
    """What the organizer must confirm before this change: who is affected, dates that look
    wrong. Empty: the change needs no confirmation."""
    now = now or utcnow()
    out: list[str] = []
    units, people = _affected(event)
    if target is S.DRAFT:
        out.append(
            _(
                "Acara kembali menjadi draf: %(units)d unit undangan tidak lagi melihat acara "
                "ini dan %(people)d peserta terdaftar tidak dapat membuka halaman delegasinya.",
                units=units,
                people=people,
            )
        )
    elif target is S.CANCELLED:
        out.append(
            _(
                "Acara dibatalkan: %(units)d unit undangan dan %(people)d peserta terdaftar "
                "terdampak; pendaftaran dan registrasi ulang ditutup.",
                units=units,
                people=people,
            )
        )
    elif (event.status, target) == (S.CLOSED, S.OPEN):
        out.append(_("Pendaftaran dibuka kembali: operator unit dapat menambah peserta lagi."))
    elif (event.status, target) == (S.FINISHED, S.RUNNING):
        out.append(_("Acara yang sudah selesai dibuka kembali: registrasi ulang aktif lagi."))
    if target is S.OPEN and event.starts_at < now:
        out.append(
            _(
                "Tanggal acara (%(when)s) sudah lewat.",
                when=format_datetime(event.starts_at),
            )
        )
    if target is S.FINISHED and now < event.starts_at:
        out.append(
            _(
                "Acara belum dimulai (mulai %(when)s), tetapi akan ditandai selesai.",
                when=format_datetime(event.starts_at),
            )
        )
    return out


def date_warnings(starts_at: datetime, *, now: datetime | None = None) -> list[str]:
    """Dates an organizer must confirm on the event form (an event in the past)."""
    if starts_at < (now or utcnow()):
        return [
            _(
                "Tanggal mulai %(when)s sudah lewat. Centang konfirmasi bila memang benar.",
                when=format_datetime(starts_at),
            )
        ]
    return []


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


# --- agenda ----------------------------------------------------------------------------------


def save_session(
    event: Event,
    session: EventSession | None,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    mandatory: bool = True,
    speaker: Speaker | None = None,
    speakers: list[Speaker] | None = None,
) -> EventSession:
    """Add or change a session. ``speakers`` (a panel) replaces the session's speakers; the first
    is also ``speaker`` (what letters and tickets print); ``speaker`` alone is a one-person list.
    """
    if speakers is None:
        speakers = [speaker] if speaker is not None else []
    _check_times(starts_at, ends_at)
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise DomainError(
            _(
                "Sesi harus berada di dalam waktu acara "
                "(ubah waktu acara dulu bila acaranya bertambah panjang)."
            ),
            field="starts_at",
        )
    if any(sp.event_id != event.id for sp in speakers):
        raise DomainError(_("Narasumber bukan milik acara ini."), field="speaker_id")
    if session is None:
        session = EventSession(event=event)
        db.session.add(session)
    session.title = title.strip()
    session.starts_at, session.ends_at = starts_at, ends_at
    session.mandatory = mandatory
    ordered = sorted(speakers, key=lambda sp: sp.position)
    session.speakers = ordered
    session.speaker = ordered[0] if ordered else None
    db.session.flush()
    return session


def delete_session(session: EventSession) -> None:
    event = session.event
    if len(event.sessions) <= 1:
        raise DomainError(_("Setiap acara memerlukan minimal satu sesi."))
    if session_has_checkins(session.id):
        raise DomainError(_("Sesi ini sudah memiliki data kehadiran dan tidak dapat dihapus."))
    event.sessions.remove(session)
    db.session.flush()


def add_speaker(
    event: Event, *, name: str, title: str | None = "", institution: str | None = ""
) -> Speaker:
    if not (name or "").strip():
        raise DomainError(_("Nama narasumber wajib diisi."), field="name")
    speaker = Speaker(
        name=name.strip(),
        title=(title or "").strip(),
        institution=(institution or "").strip(),
        position=len(event.speakers),
    )
    event.speakers.append(speaker)
    db.session.flush()
    return speaker


def update_speaker(
    speaker: Speaker, *, name: str, title: str | None = "", institution: str | None = ""
) -> Speaker:
    if not (name or "").strip():
        raise DomainError(_("Nama narasumber wajib diisi."), field="name")
    speaker.name = name.strip()
    speaker.title = (title or "").strip()
    speaker.institution = (institution or "").strip()
    db.session.flush()
    return speaker


def remove_speaker(speaker: Speaker) -> None:
    db.session.delete(speaker)
    db.session.flush()


def set_staff(event: Event, users: list[User], *, actor: User | None = None) -> None:
    if any(u.role is not Role.CHECKIN_STAFF for u in users):
        raise DomainError(_("Hanya akun petugas registrasi ulang yang dapat ditugaskan."))
    event.staff = users
    record("event.staff", actor=actor, obj=event, staff=[u.id for u in users])
    db.session.flush()


class _Timed(Protocol):
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...


_S = TypeVar("_S", bound=_Timed)


def pick_session(sessions: Sequence[_S], opens_minutes: int, now: datetime) -> _S | None:
    """The session running at ``now``, else the next one about to start, else the last.

    "Running" is between a session's start and its end (of two that overlap, the later one
    that has started); a scan before a session starts, inside its check-in window, goes to that
    session. A scan is never placed in an earlier session only because its window is still open
    (a "Registrasi" item at 13.00 does not take the scans of the "Pembukaan" running at 13.40).
    Over any sequence of sessions: the ORM agenda here, the door's plain one in ``checkin.door``.
    """
    running = [s for s in sessions if s.starts_at <= now < s.ends_at]
    if running:
        return max(running, key=lambda s: s.starts_at)
    upcoming = [s for s in sessions if s.starts_at > now]
    if upcoming:
        return min(upcoming, key=lambda s: s.starts_at)
    ended = [s for s in sessions if s.ends_at <= now]
    if ended:
        # Just after the last session ends (the door is still open): the one that ended last.
        return max(ended, key=lambda s: s.ends_at)
    return sessions[-1] if sessions else None


def current_session(event: Event, now: datetime | None = None) -> EventSession | None:
    """The session running now, else the next one today, else the first."""
    return pick_session(event.sessions, event.checkin_opens_minutes, now or utcnow())


# --- scoping ---------------------------------------------------------------------------------


def visible_events(user: User) -> Select[Event]:
    """A select of the events this user may see."""
    stmt = select(Event)
    if user.role is Role.UNIT_OPERATOR:
        stmt = stmt.where(
            exists().where(Invitation.event_id == Event.id, Invitation.unit_id == user.unit_id),
            Event.status != EventStatus.DRAFT,
        )
    elif user.role is Role.CHECKIN_STAFF:
        stmt = stmt.where(
            exists().where(EventStaff.event_id == Event.id, EventStaff.user_id == user.id)
        )
    return stmt


def can_see(user: User, event: Event) -> bool:
    return can_see_event_id(user, event.id)


def can_see_event_id(user: User, event_id: int) -> bool:
    """Whether the user may see the event with this id (no query for organizers and up)."""
    if user.role in (Role.ADMIN, Role.ORGANIZER, Role.VERIFIER):
        return True
    return (
        db.session.scalar(
            visible_events(user).where(Event.id == event_id).with_only_columns(Event.id)
        )
        is not None
    )


def get_event_or_404(event_id: int, user: User) -> Event:
    """The event, or 404 when it does not exist or the user may not see it."""
    event = db.session.get(Event, event_id)
    if event is None or not can_see(user, event):
        abort(404)
    return event


# --- calendar ------------------------------------------------------------------------------


def agenda_text(event: Event) -> str:
    """The agenda as plain lines (for a calendar entry's description)."""
    from ..common.wib import format_date, format_time

    lines = []
    for s in event.sessions:
        line = f"{format_date(s.starts_at)}, {format_time(s.starts_at, zone=False)}-"
        line += f"{format_time(s.ends_at)} {s.title}"
        if s.speaker is not None:
            line += f" ({s.speaker.name})"
        lines.append(line)
    return "\n".join(lines)


def to_ics(event: Event, *, url: str, host: str = "sosialisasi", per_session: bool = False) -> str:
    """An iCalendar file: one VEVENT for the whole event with the agenda in its description
    (a calendar shows one entry, not seven), or with ``per_session`` one VEVENT per session.

    Written by ``icalendar``: escaping, line folding and CRLF line ends are the library's.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Sosialisasi//Pemkab Bekasi//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    stamp = utcnow()
    location = ", ".join(p for p in (event.venue, event.address) if p)
    status = "CANCELLED" if event.status is EventStatus.CANCELLED else "CONFIRMED"

    def entry(uid: str, start: datetime, end: datetime, summary: str, description: str) -> None:
        item = CalendarEvent()
        item.add("uid", f"{uid}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", _utc(start))
        item.add("dtend", _utc(end))
        item.add("summary", summary)
        item.add("location", location)
        item.add("description", description)
        item.add("url", url)
        item.add("status", status)
        calendar.add_component(item)

    if per_session:
        for s in event.sessions:
            entry(
                f"event-{event.id}-session-{s.id}",
                s.starts_at,
                s.ends_at,
                event.title if len(event.sessions) == 1 else f"{event.title}: {s.title}",
                event.description or "",
            )
    else:
        description = event.description or ""
        if len(event.sessions) > 1:
            agenda = _("Susunan acara:") + "\n" + agenda_text(event)
            description = f"{description}\n\n{agenda}" if description else agenda
        entry(f"event-{event.id}", event.starts_at, event.ends_at, event.title, description)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical unannotated
    return ical.decode()


def _utc(value: datetime) -> datetime:
    """Stored times are UTC (SQLite gives them back naive): written as ``...Z``."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
