"""``flask followup remind``: e-mail each unit its overdue and soon-due tasks (meant for cron)."""

from __future__ import annotations

from email.message import EmailMessage

import click
from flask import Flask, current_app
from sqlalchemy import select

from ..common.mail import send_messages
from ..extensions import db
from ..units.models import Unit
from . import queries
from .services import tasks as services  # today_wib
from .services.reminders import operator_emails, reminder_message


def reminder_messages(today, within_days: int) -> list[tuple[EmailMessage, bool]]:
    """One message per unit with tasks to remind, and whether the unit has an address.

    When a milestone of the assessment calendar is near (within its ``remind_days``), every
    unit with open tasks is reminded, and the message names the milestone.
    """
    from .services.years import milestone_label, upcoming_milestones

    near = upcoming_milestones(today)
    batches = queries.reminder_batches(today=today, within_days=3650 if near else within_days)
    if not batches:
        return []
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(batches)))}
    recipients = operator_emails(batches)
    notes = []
    for m in near:
        days = (m.on_date - today).days
        notes.append(
            f"Menjelang {milestone_label(m)} pada {m.on_date:%d-%m-%Y} "
            f"({'hari ini' if days == 0 else f'{days} hari lagi'})."
        )
    messages = []
    for unit_id, tasks in batches.items():
        msg = reminder_message(
            units[unit_id],
            tasks,
            today=today,
            recipients=recipients.get(unit_id, []),
            config=current_app.config,
            notes=notes,
        )
        messages.append((msg, bool(recipients.get(unit_id))))
    return messages


def send(messages: list[tuple[EmailMessage, bool]]) -> int:
    """Send the addressed messages through the one SMTP path (``common.mail``)."""
    return send_messages(current_app.config, [msg for msg, addressed in messages if addressed])


def register(app: Flask) -> None:
    @app.cli.group("followup", help="Tindak lanjut kepatuhan.")
    def followup() -> None:
        pass

    @followup.command("remind")
    @click.option(
        "--days", default=7, show_default=True, help="Ingatkan tugas bertenggat dalam N hari."
    )
    def remind(days: int) -> None:
        """Kirim pengingat tugas terlambat dan yang segera jatuh tempo ke operator unit."""
        messages = reminder_messages(services.today_wib(), days)
        if not messages:
            click.echo("remind: tidak ada tugas yang perlu diingatkan")
            return
        if current_app.config.get("MAIL_SERVER"):
            sent = send(messages)
            skipped = len(messages) - sent
            click.echo(f"remind: {sent} e-mail terkirim, {skipped} unit tanpa alamat e-mail")
            return
        click.echo("remind: MAIL_SERVER belum diatur; pesan yang akan dikirim:")
        for msg, _ in messages:
            click.echo("")
            click.echo(f"Kepada: {msg['To']}")
            click.echo(f"Perihal: {msg['Subject']}")
            click.echo(msg.get_content().rstrip())
        click.echo("")
        click.echo(f"remind: {len(messages)} pesan (tidak dikirim)")
