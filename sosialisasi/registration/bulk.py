"""Bulk actions on an organizer's selection of registrations (issue 16): approve, cancel, move to
the waiting list, send tickets.

Each action runs the single-registration service on every selected row
(:func:`registrations.decide`, :func:`registrations.cancel`,
:func:`registrations.move_to_waitlist`, and for tickets the ``registration.ticket_mail`` job
over :func:`delivery.send_ticket`), so the quota rule, the status transitions, the waiting-list
promotion and the audit entries are those of one registration; a row a rule refuses is skipped
and counted with the reason. Services flush and never commit; the caller commits once.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..common.types import utcnow
from ..events.models import Event
from ..extensions import db
from . import queries, registrations
from .errors import NoCapacity, NotInvited, NotPeserta, QuotaExceeded, WrongStatus
from .models import Registration, RegistrationStatus
from .people import is_organizer
from .statuses import LIVE_STATUSES, SEAT_STATUSES

if TYPE_CHECKING:
    from ..jobs.models import Job

RS = RegistrationStatus
MAX_IDS = 5000  # rows one form may tick (a page shows 50; "all filtered" goes by the filter)


class BulkAction(enum.Enum):
    APPROVE = "approve"
    CANCEL = "cancel"
    WAITLIST = "waitlist"
    TICKET = "ticket"


@dataclass
class Selection:
    """Which registrations of an event: the ticked ``ids``, or (``ids`` None) every row that
    matches ``filters`` ("pilih semua yang tersaring"); always within ``unit_id`` (a scope)."""

    filters: queries.Filters = field(default_factory=queries.Filters)
    ids: list[int] | None = None
    unit_id: int | None = None


def selection_stmt(event: Event, selection: Selection) -> Select[Any]:
    """The select of the selected registrations (people and units loaded), in the list's
    order; ids of other events or outside the filter are left out."""
    stmt = queries.registrations(event, selection.filters, unit_id=selection.unit_id)
    if selection.ids is not None:
        stmt = stmt.where(Registration.id.in_(selection.ids or [0]))
    return stmt


def selected(event: Event, selection: Selection) -> list[Registration]:
    return list(db.session.scalars(selection_stmt(event, selection)).unique())


def status_counts(event: Event, selection: Selection) -> Counter[RegistrationStatus]:
    """How many selected registrations are in each state (the cancel confirmation)."""
    return Counter(reg.status for reg in selected(event, selection))


@dataclass
class CancelPreview:
    """What a bulk cancel would do: who is cancelled, by state, and who is skipped."""

    affected: dict[RegistrationStatus, int]
    skipped: dict[RegistrationStatus, int]

    @property
    def total(self) -> int:
        return sum(self.affected.values())

    @property
    def frees_seats(self) -> bool:
        return any(status in SEAT_STATUSES for status in self.affected)


def cancel_preview(event: Event, selection: Selection) -> CancelPreview:
    counts = status_counts(event, selection)
    order = list(RS)
    affected = {s: counts[s] for s in order if counts[s] and s in LIVE_STATUSES}
    skipped = {s: counts[s] for s in order if counts[s] and s not in LIVE_STATUSES}
    return CancelPreview(affected, skipped)


@dataclass
class BulkResult:
    action: BulkAction
    changed: list[Registration] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    promoted: list[Registration] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def message(self) -> str:
        """ "12 pendaftaran disetujui; 3 dilewati: kuota unit penuh." """
        n = len(self.changed)
        done = {
            BulkAction.APPROVE: _("%(n)d pendaftaran disetujui", n=n),
            BulkAction.CANCEL: _("%(n)d pendaftaran dibatalkan", n=n),
            BulkAction.WAITLIST: _("%(n)d pendaftaran dipindahkan ke daftar tunggu", n=n),
            BulkAction.TICKET: _("%(n)d tiket dikirim", n=n),
        }[self.action]
        parts = [done]
        if self.promoted:
            parts.append(
                _(
                    "naik dari daftar tunggu: %(names)s",
                    names=", ".join(r.person.name for r in self.promoted),
                )
            )
        return _summary(parts, self.skipped)


def _summary(parts: list[str], skipped: Counter[str]) -> str:
    if skipped:
        total = sum(skipped.values())
        if len(skipped) == 1:
            reasons = next(iter(skipped))
        else:
            reasons = ", ".join(
                _("%(n)d %(reason)s", n=count, reason=reason)
                for reason, count in skipped.most_common()
            )
        parts.insert(1, _("%(n)d dilewati: %(reasons)s", n=total, reasons=reasons))
    return "; ".join(parts) + "."


def ticket_summary(*, sent: int, failed: int, skipped: Counter[str], mailing: bool) -> str:
    """What a ticket job for a selection did, in the words of :meth:`BulkResult.message`."""
    if mailing:
        parts = [_("%(n)d tiket dikirim lewat email", n=sent)]
    else:
        parts = [_("Server email belum diatur, jadi tidak ada email yang dikirim")]
    if failed:
        parts.append(_("%(n)d gagal dikirim", n=failed))
    return _summary(parts, skipped)


def skip_reason(err: DomainError) -> str:
    """The short reason a row was skipped, for the result message."""
    if isinstance(err, QuotaExceeded):
        return _("kuota unit penuh")
    if isinstance(err, NotInvited):
        return _("unit tidak diundang")
    if isinstance(err, NotPeserta):
        return _("bukan peserta")
    if isinstance(err, NoCapacity):
        return _("acara tanpa batas kapasitas")
    if isinstance(err, WrongStatus):
        return _("berstatus %(status)s", status=err.state.label.lower())
    if isinstance(err, NotAllowed):
        return _("tidak berhak")
    return err.message


def _require_organizer(actor: User | None) -> User:
    if actor is None or not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat mengubah banyak pendaftaran sekaligus."))
    return actor


def apply(
    event: Event,
    action: BulkAction,
    selection: Selection,
    *,
    actor: User | None,
    reason: str | None = None,
    now: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """Approve, cancel or move to the waiting list every selected registration, through the
    single-registration service; a row its rules refuse is skipped with the reason.

    Cancelling takes the rows without a seat first, so a waiting person who is also selected is
    not promoted and then cancelled; those promoted are the waiting list's first, in order
    (``result.promoted``, to be told after the commit: ``delivery.notify_promoted``).
    Tickets go through :func:`start_ticket_mail` (a job), not here.
    """
    actor = _require_organizer(actor)
    if action is BulkAction.TICKET:
        raise ValueError("tickets are sent by start_ticket_mail")
    now = now or utcnow()
    rows = selected(event, selection)
    result = BulkResult(action)
    if action is BulkAction.CANCEL:
        rows.sort(key=lambda r: r.holds_seat)  # stable: the list's order within each group
    for done, reg in enumerate(rows):
        if on_progress is not None:
            on_progress(done, len(rows))
        reg.event = event
        try:
            if action is BulkAction.APPROVE:
                registrations.decide(reg, approve=True, actor=actor, now=now)
            elif action is BulkAction.CANCEL:
                result.promoted += registrations.cancel(reg, actor=actor, reason=reason, now=now)
            else:
                registrations.move_to_waitlist(reg, actor=actor, now=now)
        except DomainError as err:
            result.skipped[skip_reason(err)] += 1
            continue
        result.changed.append(reg)
    return result


def start_job(
    event: Event,
    action: BulkAction,
    selection: Selection,
    *,
    actor: User | None,
    reason: str | None,
    base_url: str,
) -> Job:
    """:func:`apply` on many rows as a job (``registration.bulk``, progress page). The rows are
    the ones selected now (their ids), whatever the filter matches later; the job writes them in
    one transaction with its ``done`` status, so a retry finds all or nothing done. Call
    ``jobs.services.dispatch`` after the commit."""
    from ..jobs import services as jobs

    actor = _require_organizer(actor)
    ids = [reg.id for reg in selected(event, selection)]
    return jobs.enqueue(
        "registration.bulk",
        {
            "action": action.value,
            "ids": ids,
            "reason": reason or "",
            "base_url": base_url,
            "list_args": selection.filters.to_args(),  # the way back to the same list
        },
        actor=actor,
        event=event,
        total=len(ids),
    )


def approve_all(event: Event, *, actor: User, now: datetime | None = None) -> BulkResult:
    """Approve every pending registration of the event (the "setujui semua" button)."""
    selection = Selection(queries.Filters(status=RS.PENDING))
    return apply(event, BulkAction.APPROVE, selection, actor=actor, now=now)


# --- tickets -----------------------------------------------------------------------------------


def ticket_skip_reason(reg: Registration) -> str | None:
    """Why a selected registration gets no ticket by e-mail (None: it gets one). The rule of
    the "send to everyone" job, :func:`queries.ticket_mail_ids`, for one row."""
    if reg.status is not RS.REGISTERED:
        return _("berstatus %(status)s", status=reg.status.label.lower())
    if not reg.person.email:
        return _("tanpa alamat email")
    return None


def start_ticket_mail(
    event: Event, selection: Selection, *, actor: User | None, base_url: str
) -> Job:
    """Send the selected registrations their tickets by e-mail as a job (progress page); the
    job skips, with reasons, those not registered or without an address, and lists them with a
    WhatsApp text instead. Call ``jobs.services.dispatch`` after the commit."""
    from ..jobs import services as jobs

    actor = _require_organizer(actor)
    ids = [reg.id for reg in selected(event, selection)]
    if not ids:
        raise DomainError(_("Pilih minimal satu pendaftaran."))
    return jobs.enqueue(
        "registration.ticket_mail",
        {"base_url": base_url, "ids": ids, "list_args": selection.filters.to_args()},
        actor=actor,
        event=event,
        total=len(ids),
    )


def load(ids: list[int], event: Event) -> list[Registration]:
    """The registrations of ``event`` with these ids (people loaded), in id order."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.id.in_(ids or [0]))
            .options(joinedload(Registration.person))
            .order_by(Registration.id)
        ).unique()
    )
