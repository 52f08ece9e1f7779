"""The invitation notice to every invited unit ("kirim ke semua"): the saved message
(:mod:`.message_templates`: the event's own, the default for every event, or the built-in one)
edited on the page if need be, sent by e-mail to the unit's operators when a mail server is
configured (a job, :func:`send_notice`, with progress), and always given as a WhatsApp text to
copy or open per unit.

``{tautan}`` is the unit's own registration link when it has a live one (a unit without an
operator), else the operators' delegates page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..auth.models import Role, User
from ..common.mail import build_message, mail_configured, send_messages
from ..common.phone import whatsapp_link
from ..events.models import Event, Invitation
from ..extensions import db
from . import message_templates
from .models import MessageKind

KINDS = (MessageKind.UNDANGAN, MessageKind.PENGINGAT)


@dataclass
class Notice:
    invitation: Invitation
    text: str
    emails: list[str] = field(default_factory=list)
    phone: str | None = None  # an operator's WhatsApp number, when one was recorded

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_link(self.phone, self.text)


def check_template(template: str, kind: MessageKind = MessageKind.UNDANGAN) -> None:
    message_templates.check(kind, template)


def notices(
    event: Event,
    template: str,
    *,
    link: Callable[[Event], str],
    unit_links: Mapping[int, str] | None = None,
    kind: MessageKind = MessageKind.UNDANGAN,
) -> list[Notice]:
    """The message for every invited unit, with its active operators' e-mail addresses."""
    message_templates.check(kind, template)
    invitations = sorted(event.invitations, key=lambda i: i.unit.name)
    emails: dict[int, list[str]] = {}
    phones: dict[int, str] = {}
    for unit_id, email, phone in db.session.execute(
        select(User.unit_id, User.email, User.phone)
        .where(
            User.unit_id.in_([i.unit_id for i in invitations] or [0]),
            User.role == Role.UNIT_OPERATOR,
            User.active,
        )
        .order_by(User.id)
    ):
        if unit_id is None:
            continue
        if email:
            emails.setdefault(unit_id, []).append(email)
        if phone:
            phones.setdefault(unit_id, phone)
    url = link(event)
    values: dict[str, object] = dict(message_templates.event_values(event))
    out = []
    for inv in invitations:
        values.update(
            unit=inv.unit.name, kuota=inv.quota, tautan=(unit_links or {}).get(inv.unit_id, url)
        )
        text = message_templates.render(kind, template, values)
        out.append(Notice(inv, text, emails.get(inv.unit_id, []), phones.get(inv.unit_id)))
    return out


def subject(event: Event, kind: MessageKind) -> str:
    if kind is MessageKind.PENGINGAT:
        return f"Pengingat: {event.title}"
    return f"Undangan: {event.title}"


def send_by_email(
    config: Mapping[str, Any],
    event: Event,
    items: list[Notice],
    kind: MessageKind = MessageKind.UNDANGAN,
) -> int:
    """E-mail each notice to its unit's operators (one SMTP connection); how many were sent.
    Without a mail server nothing is sent (0) and the page offers the WhatsApp texts."""
    if not mail_configured(config):
        return 0
    messages = [
        build_message(config, n.emails, subject(event, kind), n.text) for n in items if n.emails
    ]
    return send_messages(config, messages)


def send_notice(config: Mapping[str, Any], event: Event, notice: Notice, kind: MessageKind) -> int:
    """One unit's notice to its operators (the job sends them one by one)."""
    if not notice.emails or not mail_configured(config):
        return 0
    return send_messages(
        config, [build_message(config, notice.emails, subject(event, kind), notice.text)]
    )
