"""The invitation notice to every invited unit ("kirim ke semua"): one editable message with
placeholders, sent by e-mail to the unit's operators when a mail server is configured, and always
given as a WhatsApp text to copy or open per unit.

Templates are edited on the page before sending (the default texts below); placeholders are
written ``{unit}``, ``{acara}``, ``{waktu}``, ``{tempat}``, ``{kuota}``, ``{tautan}``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Role, User
from ..common.errors import DomainError
from ..common.mail import build_message, mail_configured, send_messages
from ..common.phone import whatsapp_link
from ..common.wib import format_range
from ..events.models import Event, Invitation
from ..extensions import db

PLACEHOLDERS = ("unit", "acara", "waktu", "tempat", "kuota", "tautan")

DEFAULT_TEMPLATES = {
    "undangan": (
        "Yth. Operator {unit},\n\n"
        "{unit} diundang mengikuti {acara} pada {waktu} di {tempat}, dengan kuota {kuota} orang. "
        "Silakan daftarkan delegasi melalui {tautan}.\n\nTerima kasih."
    ),
    "pengingat": (
        "Yth. Operator {unit},\n\n"
        "Pengingat H-1: {acara} dilaksanakan {waktu} di {tempat}. Pastikan delegasi (kuota "
        "{kuota} orang) sudah terdaftar dan membawa tiketnya: {tautan}.\n\nTerima kasih."
    ),
}


@dataclass
class Notice:
    invitation: Invitation
    text: str
    emails: list[str] = field(default_factory=list)

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_link(None, self.text)


def check_template(template: str) -> None:
    """Refuse a template with an unknown or malformed placeholder, naming it."""
    try:
        names = {name for _t, name, _f, _c in string.Formatter().parse(template) if name}
    except ValueError as err:
        raise DomainError(
            _("Tanda kurung kurawal tidak seimbang dalam pesan."), field="template"
        ) from err
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        raise DomainError(
            _(
                "Isian tidak dikenal: %(names)s. Yang tersedia: %(known)s.",
                names=", ".join("{" + n + "}" for n in unknown),
                known=", ".join("{" + n + "}" for n in PLACEHOLDERS),
            ),
            field="template",
        )


def notices(event: Event, template: str, *, link: Callable[[Event], str]) -> list[Notice]:
    """The message for every invited unit, with its active operators' e-mail addresses."""
    check_template(template)
    invitations = sorted(event.invitations, key=lambda i: i.unit.name)
    emails: dict[int, list[str]] = {}
    for unit_id, email in db.session.execute(
        select(User.unit_id, User.email).where(
            User.unit_id.in_([i.unit_id for i in invitations] or [0]),
            User.role == Role.UNIT_OPERATOR,
            User.active,
            User.email.is_not(None),
        )
    ):
        if unit_id is not None and email:
            emails.setdefault(unit_id, []).append(email)
    url = link(event)
    when = format_range(event.starts_at, event.ends_at)
    out = []
    for inv in invitations:
        text = template.format(
            unit=inv.unit.name,
            acara=event.title,
            waktu=when,
            tempat=event.venue,
            kuota=inv.quota,
            tautan=url,
        )
        out.append(Notice(inv, text, emails.get(inv.unit_id, [])))
    return out


def send_by_email(config: Mapping[str, Any], event: Event, items: list[Notice]) -> int:
    """E-mail each notice to its unit's operators (one SMTP connection); how many were sent.
    Without a mail server nothing is sent (0) and the page offers the WhatsApp texts."""
    if not mail_configured(config):
        return 0
    subject = _("Undangan: %(event)s", event=event.title)
    messages = [build_message(config, n.emails, subject, n.text) for n in items if n.emails]
    return send_messages(config, messages)
