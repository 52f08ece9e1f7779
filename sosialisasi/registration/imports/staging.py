"""The staging store of the import page: an uploaded file waits (at most a day) between the
preview and the organizer's confirmation, with its errors as a spreadsheet.

Files live in ``UPLOAD_FOLDER/imports``, named by a random token, never by the user; a token is
good only for the event and the user that uploaded it.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ...auth.models import User
from ...common.errors import NotFound
from ...events.models import Event
from .. import rules
from .apply import apply_import, errors_xlsx
from .plan import Plan, plan_import

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


def _gone() -> NotFound:
    return NotFound(_("Berkas impor tidak ditemukan atau sudah dipakai; unggah ulang berkasnya."))


@dataclass
class Staged:
    token: str
    plan: Plan
    filename: str


def _folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old(now: float) -> None:
    """Uploaded files wait for confirmation at most a day."""
    for old in _folder().iterdir():
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
        except OSError:  # another request removed it first
            pass


def _meta(token: str, event: Event, actor: User) -> dict:
    """The stored metadata of ``token``; NotFound unless it belongs to this event and user."""
    if not _TOKEN.match(token):
        raise NotFound(
            _("Berkas impor tidak ditemukan atau sudah dipakai; unggah ulang berkasnya.")
        )
    path = _folder() / f"{token}.json"
    if not path.exists():
        raise NotFound(
            _("Berkas impor tidak ditemukan atau sudah dipakai; unggah ulang berkasnya.")
        )
    meta = json.loads(path.read_text())
    if meta.get("event_id") != event.id or meta.get("user_id") != actor.id:
        raise NotFound("")
    return meta


def stage(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: User,
    over_quota_reason: str | None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Staged:
    """Plan the file (nothing is written to the database) and keep it for confirmation.

    TableError when the file is unreadable, DomainError when the event takes no import."""
    rules.check_import_open(event)
    plan = plan_import(
        event, data, filename, over_quota_reason=over_quota_reason, on_progress=on_progress
    )
    _forget_old(time.time())
    token = secrets.token_urlsafe(18)
    folder = _folder()
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(
        json.dumps(
            {
                "event_id": event.id,
                "user_id": actor.id,
                "filename": filename,
                "reason": over_quota_reason or "",
            }
        )
    )
    (folder / f"{token}.errors.xlsx").write_bytes(errors_xlsx(plan))
    return Staged(token, plan, filename)


def apply_staged(
    event: Event,
    token: str,
    *,
    actor: User,
    on_progress: Callable[[int, int], None] | None = None,
) -> Staged:
    """Write the kept file (audited by :func:`apply_import`); the caller commits, then calls
    :func:`forget_data`."""
    meta = _meta(token, event, actor)
    data_path = _folder() / f"{token}.bin"
    if not data_path.exists():
        raise NotFound(
            _("Berkas impor tidak ditemukan atau sudah dipakai; unggah ulang berkasnya.")
        )
    plan = apply_import(
        event,
        data_path.read_bytes(),
        meta["filename"],
        actor=actor,
        over_quota_reason=meta["reason"],
        on_progress=on_progress,
    )
    return Staged(token, plan, meta["filename"])


def staged_size(event: Event, token: str, *, actor: User) -> int:
    """Bytes of the kept file; NotFound when it is not this user's or was already applied."""
    _meta(token, event, actor)
    data_path = _folder() / f"{token}.bin"
    if not data_path.exists():
        raise _gone()
    return data_path.stat().st_size


def forget_data(staged: Staged) -> None:
    """After the commit: the file cannot be applied twice; its errors stay downloadable."""
    folder = _folder()
    (folder / f"{staged.token}.bin").unlink(missing_ok=True)
    (folder / f"{staged.token}.errors.xlsx").write_bytes(errors_xlsx(staged.plan))


def errors_file(event: Event, token: str, *, actor: User) -> bytes:
    """The rows in error of a staged or applied file, as XLSX."""
    _meta(token, event, actor)
    path = _folder() / f"{token}.errors.xlsx"
    if not path.exists():
        raise NotFound("")
    return path.read_bytes()
