"""The laporan kegiatan: producing its PDF, and requiring it before an event is reported."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from ..audit.services import record as audit
from ..auth.models import User
from ..common.errors import DomainError
from ..common.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from . import files
from .letterhead import get_letterhead, logo_bytes
from .minutes import get_report
from .missing import missing_for_report
from .models import (
    EventReport,
)
from .report import render_report


def produce_report(event: Event, *, actor: User, now: datetime | None = None) -> EventReport:
    """Render the laporan kegiatan and keep the PDF; the event may then be marked reported."""
    if event.status is not EventStatus.FINISHED:
        raise DomainError(
            _(
                "Laporan kegiatan dibuat setelah acara berstatus 'Selesai' "
                "(status sekarang: %(status)s).",
                status=event.status.label,
            )
        )
    letterhead = get_letterhead()
    report = get_report(event)
    missing = missing_for_report(event, report, letterhead)
    if missing:
        raise DomainError(
            _("Lengkapi dulu: %(fields)s.", fields=", ".join(m.label for m in missing))
        )
    assert report is not None and letterhead is not None  # else both are listed as missing
    now = now or utcnow()
    with force_locale("id"):  # an official document: Indonesian whatever the user's language
        pdf = render_report(event, report, letterhead, logo_bytes(letterhead), at=now)
    old = report.pdf_path
    report.pdf_path = files.save(f"events/{event.id}/laporan", pdf, "pdf")
    report.produced_at = now
    report.produced_by_id = actor.id
    # The produced PDF reflects the texts as they are now.
    report.updated_at = now
    db.session.flush()
    files.remove(old)
    audit("documents.report", actor=actor, obj=event, summary=event.title)
    return report


def require_report_for_reported(event: Event, *, target: EventStatus, **extra: object) -> None:
    """Receiver of ``events.signals.status_changing`` (connected in ``create_app``): an event
    is marked reported only with a produced, up-to-date laporan kegiatan."""
    if target is not EventStatus.REPORTED:
        return
    report = get_report(event)
    if report is None or report.produced_at is None or not report.pdf_path:
        raise DomainError(
            _(
                "Status 'Dilaporkan' memerlukan laporan kegiatan: lengkapi notulen lalu buat "
                "laporan kegiatan terlebih dahulu."
            )
        )
    if report.is_stale:
        raise DomainError(
            _(
                "Notulen atau dokumentasi berubah setelah laporan kegiatan dibuat; "
                "buat ulang laporan kegiatan terlebih dahulu."
            )
        )
