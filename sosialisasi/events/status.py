"""An event's status: the allowed transitions, the page's buttons and what a change asks to
confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError, InvalidTransition
from ..common.types import utcnow
from ..common.wib import format_datetime
from ..extensions import db
from . import signals
from .models import (
    Event,
    EventStatus,
    Invitation,
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
