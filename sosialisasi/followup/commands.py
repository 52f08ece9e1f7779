"""``flask followup remind``: e-mail each unit its overdue and soon-due tasks (meant for cron)."""

from __future__ import annotations

from email.message import EmailMessage

import click
from flask import Flask, current_app
from sqlalchemy import select

from ..auth.models import Role, User
from ..common.mail import send_messages
from ..extensions import db
from ..units.models import Unit
from . import queries
from .services import tasks as services  # today_wib


def _recipients(unit_ids: list[int]) -> dict[int, list[str]]:
    """unit id -> e-mail addresses of its active operators (one query)."""
    out: dict[int, list[str]] = {}
    for unit_id, email in db.session.execute(
        select(User.unit_id, User.email).where(
            User.unit_id.in_(unit_ids),
            User.role == Role.UNIT_OPERATOR,
            User.active,
            User.email.is_not(None),
        )
    ):
        if email and unit_id is not None:
            out.setdefault(unit_id, []).append(email)
    return out


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
    recipients = _recipients(list(batches))
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    sender = current_app.config.get("MAIL_SENDER")
    messages = []
    for unit_id, tasks in batches.items():
        unit = units[unit_id]
        late = [t for t in tasks if t.due_date < today]
        lines = [
            f"Yth. operator {unit.name},",
            "",
            f"Ada {len(tasks)} tugas tindak lanjut yang perlu diselesaikan"
            + (f", {len(late)} di antaranya sudah lewat tenggat." if late else "."),
            "",
        ]
        for m in near:
            days = (m.on_date - today).days
            lines.insert(
                -1,
                f"Menjelang {milestone_label(m)} pada {m.on_date:%d-%m-%Y} "
                f"({'hari ini' if days == 0 else f'{days} hari lagi'}).",
            )
        for t in tasks:
            mark = "TERLAMBAT " if t.due_date < today else ""
            lines.append(f"- {mark}{t.title} (tenggat {t.due_date:%d-%m-%Y}, {t.status.label})")
            if base:
                lines.append(f"  {base}/tindak-lanjut/tugas/{t.id}")
        lines += ["", "Bagian Organisasi Setda Kabupaten Bekasi"]
        msg = EmailMessage()
        msg["Subject"] = (
            f"Pengingat tindak lanjut: {len(tasks)} tugas {unit.short_name or unit.name}"
        )
        msg["From"] = sender
        msg["To"] = ", ".join(recipients.get(unit_id, [])) or "(belum ada e-mail operator)"
        msg.set_content("\n".join(lines))
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
