"""Getting a ticket to its holder: the ticket URL and message, WhatsApp links, e-mail (through
``common.mail``, which logs the message instead when no mail server is configured)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..common.errors import DomainError
from ..common.mail import MailError, mail_configured, send_mail
from ..common.phone import whatsapp_link
from ..common.types import utcnow
from ..common.wib import format_range
from ..extensions import db
from ..units.models import Unit
from . import message_templates
from .models import MessageKind, Registration


def ticket_url(registration: Registration) -> str:
    """Absolute URL of the public ticket page (what the QR code holds)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        path = url_for("registration.public_ticket", code=registration.ticket_code)
        return base.rstrip("/") + path
    return url_for("registration.public_ticket", code=registration.ticket_code, _external=True)


def ticket_message(registration: Registration) -> str:
    """The message sent to the participant (email, WhatsApp): always Indonesian, from the saved
    ticket text (:mod:`.message_templates`: the event's own, the default, or the built-in)."""
    event = registration.event
    with force_locale("id"):
        role = registration.role.label.lower()
    values: dict[str, object] = dict(message_templates.event_values(event))
    values.update(
        nama=registration.person.name,
        peran=role,
        unit=registration.unit.name if registration.unit else "",
        tautan=ticket_url(registration),
    )
    kind = MessageKind.TIKET
    return message_templates.render(kind, message_templates.text_for(kind, event), values)


def whatsapp_ticket_link(registration: Registration) -> str:
    return whatsapp_link(registration.person.phone, ticket_message(registration))


def whatsapp_bulk_link(registrations: list[Registration], *, unit: Unit | None = None) -> str:
    """One message listing every delegate's ticket (for an operator's WhatsApp group)."""
    if not registrations:
        return whatsapp_link(None, "")
    event = registrations[0].event
    lines = [
        f'Tiket acara "{event.title}", {format_range(event.starts_at, event.ends_at)}, '
        f"{event.venue}" + (f" untuk {unit.name}" if unit else "") + ":"
    ]
    for reg in registrations:
        lines.append(f"- {reg.person.name}: {ticket_url(reg)}")
    return whatsapp_link(None, "\n".join(lines))


@dataclass
class Delivery:
    sent: bool
    recipient: str | None
    subject: str
    body: str


def send_ticket(registration: Registration, *, now: datetime | None = None) -> Delivery:
    """Email the ticket when SMTP is configured; otherwise log it for copying by hand."""
    subject = f"Tiket: {registration.event.title}"
    body = ticket_message(registration)
    recipient = registration.person.email
    if not recipient:
        raise DomainError(
            _(
                "%(name)s belum memiliki alamat email; bagikan lewat WhatsApp.",
                name=registration.person.name,
            ),
            field="email",
        )
    try:
        sent = send_mail(current_app.config, recipient, subject, body)
    except MailError as err:
        raise DomainError(
            _("Email gagal dikirim (%(error)s); coba lagi nanti.", error=err.reason)
        ) from None
    if sent:
        registration.ticket_sent_at = now or utcnow()
        db.session.flush()
    return Delivery(sent, recipient, subject, body)


def can_email() -> bool:
    return mail_configured(current_app.config)


def notify_promoted(promoted: list[Registration]) -> int:
    """Tell people who moved up from the waiting list, by e-mail when SMTP is configured.

    Called after the commit that promoted them (no mail is sent while the event is locked); a
    failing server skips the person. Returns how many were sent; the caller commits the
    ``ticket_sent_at`` marks."""
    if not can_email():
        return 0
    sent = 0
    for reg in promoted:
        if reg.person.email:
            try:
                sent += send_ticket(reg).sent
            except DomainError:  # logged by common.mail; the next one may still go
                continue
    return sent
