"""Read models of the documents area that both the services and the report renderer need."""

from __future__ import annotations

from sqlalchemy import select

from ..events.models import Event
from ..extensions import db
from .models import EventFile, FileKind


def event_files(event: Event, kind: FileKind | None = None) -> list[EventFile]:
    """The event's files (notulen attachments, photos), oldest first."""
    stmt = (
        select(EventFile)
        .where(EventFile.event_id == event.id)
        .order_by(EventFile.uploaded_at, EventFile.id)
    )
    if kind is not None:
        stmt = stmt.where(EventFile.kind == kind)
    return list(db.session.scalars(stmt))
