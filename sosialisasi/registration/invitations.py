"""Invitations: which units are invited to an event and with what quota. Audited here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..events.models import Event, EventStatus, Invitation
from ..extensions import db
from ..units.models import Unit, UnitKind
from .models import Registration
from .people import is_organizer
from .rules import invitation_for
from .statuses import LIVE_STATUSES

__all__ = [
    "InviteResult",
    "invitation_for",
    "invite_units",
    "operators_by_unit",
    "remove_invitation",
    "set_quota",
    "set_quotas",
]


@dataclass
class InviteResult:
    created: int = 0
    updated: int = 0


def invite_units(
    event: Event,
    *,
    kinds: Iterable[UnitKind] = (),
    units: Iterable[Unit] = (),
    quota: int | None = None,
    actor: User,
) -> InviteResult:
    """Invite every active unit of ``kinds`` plus ``units``; existing invitations keep their
    quota unless ``quota`` is given."""
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat mengundang unit."))
    if event.status in (EventStatus.CANCELLED, EventStatus.FINISHED, EventStatus.REPORTED):
        raise DomainError(_("Acara ini tidak lagi menerima undangan baru."))
    if quota is not None and quota < 1:
        raise DomainError(_("Kuota per unit minimal 1."), field="quota")
    kinds = list(kinds)
    chosen: dict[int, Unit] = {u.id: u for u in units}
    if kinds:
        for unit in db.session.scalars(select(Unit).where(Unit.active, Unit.kind.in_(kinds))):
            chosen.setdefault(unit.id, unit)
    if not chosen:
        raise DomainError(_("Pilih minimal satu jenis unit atau satu unit."), field="unit_ids")
    existing = {
        inv.unit_id: inv
        for inv in db.session.scalars(select(Invitation).where(Invitation.event_id == event.id))
    }
    result = InviteResult()
    for unit_id, unit in chosen.items():
        inv = existing.get(unit_id)
        if inv is None:
            db.session.add(
                Invitation(event_id=event.id, unit_id=unit.id, quota=quota or event.default_quota)
            )
            result.created += 1
        elif quota is not None and inv.quota != quota:
            inv.quota = quota
            result.updated += 1
    db.session.flush()
    record(
        "invitation.bulk",
        actor=actor,
        obj=event,
        summary=f"{result.created} unit diundang, {result.updated} kuota diubah",
    )
    return result


def set_quota(invitation: Invitation, quota: int, *, actor: User) -> Invitation:
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat mengubah kuota."))
    if quota < 0:
        raise DomainError(_("Kuota tidak boleh negatif."), field="quota")
    invitation.quota = quota
    db.session.flush()
    return invitation


def remove_invitation(invitation: Invitation, *, actor: User) -> None:
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat menghapus undangan."))
    live = (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == invitation.event_id,
                Registration.unit_id == invitation.unit_id,
                Registration.status.in_(LIVE_STATUSES),
            )
        )
        or 0
    )
    if live:
        raise DomainError(
            _(
                "Unit ini sudah mendaftarkan %(count)d orang; batalkan pendaftarannya lebih dulu.",
                count=live,
            )
        )
    db.session.delete(invitation)
    db.session.flush()


MAX_QUOTA = 500


def set_quotas(event: Event, quotas: dict[int, int], *, actor: User) -> int:
    """Set the quota of many invitations of ``event`` at once (invitation id -> quota).

    All or nothing: one value out of range refuses the whole save and names the unit. Returns
    how many quotas changed. Audited once.
    """
    if not is_organizer(actor):
        raise NotAllowed(_("Hanya panitia yang dapat mengubah kuota."))
    invitations = {i.id: i for i in event.invitations}
    for inv_id, quota in quotas.items():
        inv = invitations.get(inv_id)
        if inv is None:
            raise DomainError(_("Undangan tidak ditemukan pada acara ini."), field="quota")
        if not 0 <= quota <= MAX_QUOTA:
            raise DomainError(
                _("Kuota %(unit)s harus antara 0 dan 500.", unit=inv.unit.name), field="quota"
            )
    changed = 0
    for inv_id, quota in quotas.items():
        if invitations[inv_id].quota != quota:
            invitations[inv_id].quota = quota
            changed += 1
    if changed:
        record("invitation.quotas", actor=actor, obj=event, changed=changed)
    db.session.flush()
    return changed


def operators_by_unit(unit_ids: Iterable[int]) -> dict[int, int]:
    """unit id -> how many active unit operator accounts it has (one query)."""
    from ..auth.services import active_operator_counts

    return active_operator_counts(unit_ids)
