"""Helpers shared by the registration pages: scoping loaders, choices, the way back."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ...auth.models import Role
from ...common.errors import DomainError
from ...events.services import get_event_or_404
from ...extensions import db
from ..models import EmployeeKind, Registration
from ..registrations import PersonData

ORGANIZERS = ("organizer",)
READERS = ("organizer", "verifier", "unit_operator")


def scope_unit_id() -> int | None:
    """The unit a user is confined to (unit operators), else None."""
    return current_user.unit_id if current_user.role is Role.UNIT_OPERATOR else None


def registration_or_404(registration_id: int) -> Registration:
    reg = db.session.get(
        Registration,
        registration_id,
        options=[joinedload(Registration.person), joinedload(Registration.unit)],
    )
    if reg is None:
        abort(404)
    scope = scope_unit_id()
    if scope is not None and reg.unit_id != scope:
        abort(404)
    get_event_or_404(reg.event_id, current_user)
    return reg


def back(event_id: int):
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return redirect(target)
    if current_user.role is Role.UNIT_OPERATOR:
        return redirect(url_for("registration.delegates", event_id=event_id))
    return redirect(url_for("registration.registrations", event_id=event_id))


def domain_flash(err: DomainError) -> None:
    db.session.rollback()
    flash(err.message, "danger")


def person_data(form) -> PersonData:
    """What a person form typed, for the services."""
    return PersonData(
        name=form.name.data,
        nip=(form.nip.data or "").strip() or None,
        kind=EmployeeKind(form.kind.data),
        position=form.position.data,
        rank=form.rank.data,
        phone=form.phone.data,
        email=form.email.data,
        instansi=form.instansi.data if hasattr(form, "instansi") else None,
    )


def thank_public_registrant(sent: bool, *, ask_operator: bool) -> None:
    """The public forms' answer after a registration: the same whoever the NIP belongs to (no
    stored data shown, no false "sent"); without a mail, whom to ask for the ticket link."""
    if sent:
        message = _(
            "Terima kasih, data Anda sudah kami terima. Tautan tiket telah dikirim ke "
            "alamat email yang tercatat."
        )
    elif ask_operator:
        message = _(
            "Terima kasih, data Anda sudah kami terima. Tiket tidak dapat dikirim "
            "otomatis; mintalah tautan tiket Anda kepada operator unit atau panitia."
        )
    else:  # a unit link: the unit has no operator yet
        message = _(
            "Terima kasih, data Anda sudah kami terima. Tiket tidak dapat dikirim "
            "otomatis; mintalah tautan tiket Anda kepada panitia."
        )
    flash(message, "info")
