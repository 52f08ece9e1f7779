"""An event's agenda: sessions, speakers, staff, and which session a scan belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from flask_babel import gettext as _

from ..audit.services import record
from ..auth.models import Role, User
from ..checkin.queries import session_has_checkins
from ..common.errors import DomainError
from ..common.types import utcnow
from ..extensions import db
from .lifecycle import _check_times
from .models import (
    Event,
    EventSession,
    Speaker,
)


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


def save_speaker(
    event: Event,
    speaker: Speaker | None = None,
    *,
    name: str,
    title: str | None = "",
    institution: str | None = "",
) -> Speaker:
    """Add a speaker to ``event`` (``speaker`` None) or change one of its speakers."""
    if not (name or "").strip():
        raise DomainError(_("Nama narasumber wajib diisi."), field="name")
    if speaker is None:
        speaker = Speaker(position=len(event.speakers))
        event.speakers.append(speaker)
    elif speaker.event_id != event.id:
        raise DomainError(_("Narasumber ini bukan narasumber acara ini."))
    speaker.name = name.strip()
    speaker.title = (title or "").strip()
    speaker.institution = (institution or "").strip()
    db.session.flush()
    return speaker


def add_speaker(
    event: Event, *, name: str, title: str | None = "", institution: str | None = ""
) -> Speaker:
    return save_speaker(event, name=name, title=title, institution=institution)


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
