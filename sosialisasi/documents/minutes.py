"""Notulen, photos and materials of an event (what the laporan kegiatan is made of)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..audit.services import record as audit
from ..auth.models import User
from ..common.errors import DomainError
from ..common.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from . import files
from .models import (
    EventFile,
    EventReport,
    FileKind,
)

MAX_PHOTOS = 60


EDITABLE = (EventStatus.RUNNING, EventStatus.FINISHED)


@dataclass
class ReportData:
    number: str = ""
    report_date: date | None = None
    background: str = ""
    legal_basis: str = ""
    purpose: str = ""
    minutes: str = ""
    conclusions: str = ""
    followup_plan: str = ""


def get_report(event: Event) -> EventReport | None:
    return db.session.scalar(select(EventReport).where(EventReport.event_id == event.id))


def previous_report(event: Event) -> EventReport | None:
    """Where to take the background, legal basis and purpose from for a new report: the report
    of the event this one was copied from, else the latest report written."""
    if event.cloned_from_id:
        source = db.session.scalar(
            select(EventReport).where(EventReport.event_id == event.cloned_from_id)
        )
        if source is not None:
            return source
    return db.session.scalar(
        select(EventReport)
        .options(joinedload(EventReport.event))
        .where(EventReport.event_id != event.id, EventReport.legal_basis != "")
        .order_by(EventReport.updated_at.desc(), EventReport.id.desc())
        .limit(1)
    )


def _check_editable(event: Event) -> None:
    if event.status not in EDITABLE:
        if event.status is EventStatus.REPORTED:
            raise DomainError(
                _("Acara sudah dilaporkan; notulen dan dokumentasi tidak dapat diubah.")
            )
        raise DomainError(
            _(
                "Notulen dan dokumentasi diisi setelah acara berlangsung "
                "(status sekarang: %(status)s).",
                status=event.status.label,
            )
        )


def save_report(
    event: Event, data: ReportData, *, actor: User, now: datetime | None = None
) -> EventReport:
    _check_editable(event)
    report = get_report(event)
    if report is None:
        report = EventReport(event_id=event.id)
        db.session.add(report)
    for name, value in vars(data).items():
        if name == "report_date":
            report.report_date = value
            continue
        setattr(report, name, (value or "").replace("\r\n", "\n").strip())
    report.number = report.number or None
    report.updated_at = now or utcnow()
    report.updated_by_id = actor.id
    db.session.flush()
    audit("documents.minutes", actor=actor, obj=event, summary=event.title)
    return report


def add_file(
    event: Event,
    kind: FileKind,
    *,
    filename: str,
    data: bytes,
    caption: str = "",
    actor: User,
) -> EventFile:
    _check_editable(event)
    name = files.safe_filename(filename)
    if kind is FileKind.PHOTO:
        count = db.session.execute(
            select(func.count(EventFile.id)).where(
                EventFile.event_id == event.id, EventFile.kind == FileKind.PHOTO
            )
        ).scalar_one()
        if count >= MAX_PHOTOS:
            raise DomainError(
                _("Maksimal %(count)d foto per acara.", count=MAX_PHOTOS), field="file"
            )
        image = files.process_photo(data)
        stored, mime, size = image.data, image.mime, len(image.data)
        width, height = image.width, image.height
        ext = "jpg"
        name = name.rsplit(".", 1)[0] + ".jpg"
    else:
        ext, mime = files.sniff_material(data, name)
        stored, size, width, height = data, len(data), None, None
    record = EventFile(
        event_id=event.id,
        kind=kind,
        filename=name,
        path=files.save(f"events/{event.id}/{kind.value}", stored, ext),
        mime=mime,
        size=size,
        caption=(caption or "").strip()[:250],
        width=width,
        height=height,
        uploaded_by_id=actor.id,
    )
    db.session.add(record)
    _touch_report(event)
    db.session.flush()
    audit("documents.upload", actor=actor, obj=event, summary=record.filename)
    return record


def _touch_report(event: Event) -> None:
    report = get_report(event)
    if report is not None:
        report.updated_at = utcnow()


def delete_file(event_file: EventFile, event: Event, *, actor: User | None = None) -> None:
    _check_editable(event)
    path, name = event_file.path, event_file.filename
    db.session.delete(event_file)
    _touch_report(event)
    db.session.flush()
    files.remove(path)
    audit("documents.delete", actor=actor, obj=event, summary=name)
