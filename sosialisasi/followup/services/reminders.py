"""Reminder e-mails to unit operators: who receives them and what they say.

The daily reminders (``flask followup remind`` and the ``followup.reminders`` job) and the
reminders Bagian Organisasi sends now for chosen tasks (``bulk.send_reminders``) share these, so
a unit gets the same message whichever door sent it. Messages are always Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from email.message import EmailMessage
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select

from ...auth.models import Role, User
from ...extensions import db
from ...units.models import Unit
from ..models import FollowUpTask

NO_ADDRESS = "(belum ada e-mail operator)"


def operator_emails(unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """unit id -> e-mail addresses of its active unit operators (one query)."""
    out: dict[int, list[str]] = {}
    ids = list(unit_ids)
    if not ids:
        return out
    for unit_id, email in db.session.execute(
        select(User.unit_id, User.email)
        .where(
            User.unit_id.in_(ids),
            User.role == Role.UNIT_OPERATOR,
            User.active,
            User.email.is_not(None),
        )
        .order_by(User.id)
    ):
        if email and unit_id is not None:
            out.setdefault(unit_id, []).append(email)
    return out


def reminder_message(
    unit: Unit,
    tasks: Sequence[FollowUpTask],
    *,
    today: date,
    recipients: list[str],
    config: Mapping[str, Any],
    base_url: str = "",
    notes: Sequence[str] = (),
) -> EmailMessage:
    """The message to a unit's operators listing ``tasks`` (late ones marked); ``notes`` are
    lines put before the list (e.g. a milestone of the assessment calendar)."""
    base = (config.get("PUBLIC_BASE_URL") or base_url or "").rstrip("/")
    late = [t for t in tasks if t.due_date < today]
    lines = [
        f"Yth. operator {unit.name},",
        "",
        f"Ada {len(tasks)} tugas tindak lanjut yang perlu diselesaikan"
        + (f", {len(late)} di antaranya sudah lewat tenggat." if late else "."),
        *notes,
        "",
    ]
    with force_locale("id"):  # sent to the units: always Indonesian
        for t in tasks:
            mark = "TERLAMBAT " if t.due_date < today else ""
            lines.append(f"- {mark}{t.title} (tenggat {t.due_date:%d-%m-%Y}, {t.status.label})")
            if base:
                lines.append(f"  {base}/tindak-lanjut/tugas/{t.id}")
    lines += ["", "Bagian Organisasi Setda Kabupaten Bekasi"]
    msg = EmailMessage()
    msg["Subject"] = f"Pengingat tindak lanjut: {len(tasks)} tugas {unit.short_name or unit.name}"
    msg["From"] = config.get("MAIL_SENDER")
    msg["To"] = ", ".join(recipients) or NO_ADDRESS
    msg.set_content("\n".join(lines))
    return msg
