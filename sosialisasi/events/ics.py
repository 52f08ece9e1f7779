"""Calendar export: an event as an iCalendar file."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..common.types import utcnow
from .models import (
    Event,
    EventStatus,
)


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
