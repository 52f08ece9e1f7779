"""Outgoing e-mail: one SMTP path, and the logged fallback when no mail server is configured.

``send_mail`` answers True when the message went to the SMTP server and False when it was only
written to the log (``MAIL_SERVER`` empty), so that no caller tells a user that something was sent
when it was not. A failing server raises :class:`MailError`.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from email.message import EmailMessage
from typing import Any

log = logging.getLogger(__name__)


class MailError(Exception):
    """The SMTP server refused or could not be reached; ``reason`` names the error class."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def mail_configured(config: Mapping[str, Any]) -> bool:
    return bool(config.get("MAIL_SERVER"))


def build_message(
    config: Mapping[str, Any], to: str | Iterable[str], subject: str, body: str
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("MAIL_SENDER")
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message.set_content(body)
    return message


def send_messages(
    config: Mapping[str, Any], messages: Iterable[EmailMessage], *, timeout: float = 20
) -> int:
    """Send the messages over one SMTP connection; returns how many were sent.

    Without ``MAIL_SERVER`` each message is logged instead and 0 is returned.
    """
    messages = list(messages)
    if not mail_configured(config):
        for message in messages:
            log.info(
                "Email tidak dikirim (MAIL_SERVER kosong) ke %s: %s\n%s",
                message["To"],
                message["Subject"],
                message.get_content(),
            )
        return 0
    sent = 0
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], config.get("MAIL_PORT", 587), timeout=timeout
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for message in messages:
                smtp.send_message(message)
                sent += 1
    except (OSError, smtplib.SMTPException) as err:
        log.warning("Email gagal dikirim (%d terkirim sebelumnya): %s", sent, err)
        raise MailError(err.__class__.__name__) from err
    return sent


def send_mail(config: Mapping[str, Any], to: str, subject: str, body: str) -> bool:
    """Send one message: True when handed to the SMTP server, False when only logged."""
    return send_messages(config, [build_message(config, to, subject, body)]) > 0
