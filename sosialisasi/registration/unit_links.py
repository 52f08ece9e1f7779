"""A registration link per invited unit (issue 16): for a unit without an operator account,
the organizer sends a link with which its people register themselves for that unit only, within
its quota (the same rules as the public form: :func:`.registrations.register_public`), until
the date the organizer picked (by default when registration closes) or until revoked.

The URL holds the link's id and a random nonce, signed with the app's secret (itsdangerous): a
changed URL is refused, and a stored link can be shown again (copy, WhatsApp) at any time.
Revoking or expiring is decided by the row, so it takes effect at once.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import date, datetime, time

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..auth.models import User
from ..common.errors import DomainError, NotFound
from ..common.types import utcnow
from ..common.wib import format_datetime, from_wib
from ..events.models import Event, Invitation
from ..extensions import db
from ..units.models import Unit
from . import rules
from .models import RegistrationSource, UnitLink
from .registrations import PersonData, PublicAnswer, register_public

SALT = "unit-link"


class LinkClosed(DomainError):
    """The link was revoked or has expired (``status`` 410: it existed)."""

    code = "link_closed"
    status = 410


def token(link: UnitLink, secret: str | bytes) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps([link.id, link.nonce])


def url(link: UnitLink) -> str:
    """Absolute URL of the link's form (``PUBLIC_BASE_URL`` when set, like ticket links)."""
    path = url_for(
        "registration.public_unit_register", token=token(link, current_app.secret_key or "")
    )
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + path
    return url_for(
        "registration.public_unit_register",
        token=token(link, current_app.secret_key or ""),
        _external=True,
    )


def live_urls(event: Event) -> dict[int, str]:
    """unit id -> the URL of its live link (``{tautan}`` in a notice to a unit without one)."""
    return {unit_id: url(link) for unit_id, link in live_by_unit(event).items()}


def find(value: str, secret: str | bytes) -> UnitLink:
    """The link a URL names; :class:`NotFound` for anything not signed by us."""
    try:
        link_id, nonce = URLSafeSerializer(secret, salt=SALT).loads(value)
        link = db.session.get(UnitLink, int(link_id))
    except (BadSignature, ValueError, TypeError):
        link = None
        nonce = ""
    if link is None or not hmac.compare_digest(str(link.nonce), str(nonce)):
        raise NotFound(_("Tautan pendaftaran ini tidak dikenal. Periksa kembali tautannya."))
    return link


def check_usable(link: UnitLink, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    if link.revoked_at is not None:
        raise LinkClosed(
            _(
                "Tautan pendaftaran untuk %(unit)s sudah dicabut oleh panitia. Mintalah tautan "
                "baru kepada panitia.",
                unit=link.unit.name,
            )
        )
    if now >= link.expires_at:
        raise LinkClosed(
            _(
                "Tautan pendaftaran untuk %(unit)s sudah kedaluwarsa sejak %(when)s. Mintalah "
                "tautan baru kepada panitia.",
                unit=link.unit.name,
                when=format_datetime(link.expires_at),
            )
        )


def default_expiry(event: Event) -> datetime:
    """When registering closes for the event."""
    return rules.closes_at(event)


def expiry_from_date(day: date | None, event: Event, *, now: datetime | None = None) -> datetime:
    """The end of the picked day (23.59 WIB), or when registering closes; never in the past."""
    expires = from_wib(day, time(23, 59)) if day is not None else default_expiry(event)
    if expires <= (now or utcnow()):
        raise DomainError(
            _("Tanggal berlaku tautan sudah lewat; pilih tanggal yang akan datang."),
            field="expires",
        )
    return expires


def links(event: Event) -> list[UnitLink]:
    """The event's links, newest first, with their unit and makers (one query)."""
    return list(
        db.session.scalars(
            select(UnitLink)
            .where(UnitLink.event_id == event.id)
            .options(
                joinedload(UnitLink.unit),
                joinedload(UnitLink.created_by),
                joinedload(UnitLink.revoked_by),
            )
            .order_by(UnitLink.created_at.desc(), UnitLink.id.desc())
        )
    )


def live_by_unit(event: Event, *, now: datetime | None = None) -> dict[int, UnitLink]:
    """unit id -> its newest usable link."""
    now = now or utcnow()
    out: dict[int, UnitLink] = {}
    for link in links(event):
        if link.usable(now) and link.unit_id not in out:
            out[link.unit_id] = link
    return out


def create(
    event: Event,
    units: Iterable[Unit],
    *,
    expires_at: datetime,
    actor: User,
    now: datetime | None = None,
) -> list[UnitLink]:
    """A link for each of ``units`` (each must be invited) that has no usable link yet."""
    units = list(units)
    invited = set(
        db.session.scalars(
            select(Invitation.unit_id).where(
                Invitation.event_id == event.id, Invitation.unit_id.in_([u.id for u in units])
            )
        )
    )
    for unit in units:
        if unit.id not in invited:
            raise DomainError(
                _("%(unit)s tidak termasuk unit yang diundang ke acara ini.", unit=unit.name),
                field="unit_id",
            )
    live = live_by_unit(event, now=now)
    made = []
    for unit in units:
        if unit.id in live:
            continue
        link = UnitLink(event_id=event.id, unit=unit, expires_at=expires_at, created_by=actor)
        db.session.add(link)
        made.append(link)
    db.session.flush()
    if made:
        record(
            "unit_link.create",
            actor=actor,
            obj=event,
            summary=", ".join(link.unit.name for link in made)[:200],
            links=[link.id for link in made],
        )
    return made


def revoke(link: UnitLink, *, actor: User) -> None:
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by_id = utcnow(), actor.id
        record("unit_link.revoke", actor=actor, obj=link.event, summary=link.unit.name)


def register(
    link: UnitLink,
    data: PersonData,
    *,
    ip: str | None = None,
    now: datetime | None = None,
) -> PublicAnswer:
    """Register through the unit's link: the unit is the link's (never chosen), and the unit's
    quota, the event's state and the identity rules are the public form's."""
    check_usable(link, now=now)
    answer = register_public(
        link.event,
        data,
        unit=link.unit,
        ip=ip,
        now=now,
        source=RegistrationSource.UNIT_LINK,
    )
    if answer.registration is not None:
        # Counted in SQL: two visitors at once are two uses.
        db.session.execute(
            update(UnitLink).where(UnitLink.id == link.id).values(uses=UnitLink.uses + 1)
        )
    return answer
