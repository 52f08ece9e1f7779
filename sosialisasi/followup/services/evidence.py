"""Evidence of a task: files (in the upload store, written when the session commits) and links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from flask_babel import gettext as _

from ...auth.models import User
from ...common import uploads
from ...common.errors import DomainError, InvalidTransition
from ...common.types import utcnow
from ...extensions import db
from ..models import (
    Evidence,
    EvidenceKind,
    FollowUpTask,
)
from .tasks import T, ensure_working, log_event, require_worker

FOLDER = "evidence"
POLICY = uploads.Policy(
    extensions=("pdf", "jpg", "jpeg", "png", "docx", "xlsx"),
    max_bytes=10 * uploads.MB,
    refused_type=lambda: _("Jenis berkas tidak diterima; gunakan PDF, JPG, PNG, DOCX atau XLSX."),
    too_big=lambda size: _(
        "Berkas terlalu besar (%(size)s MB); maksimal 10 MB per berkas.", size=size
    ),
)


# What a task page may show inline: the type we serve it as, by stored type and extension. The
# upload store only keeps these after sniffing (and re-encodes images); SVG, HTML or anything
# else is never shown inline, only downloaded as an attachment.
PREVIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "image/png": ("image", ("png",)),
    "image/jpeg": ("image", ("jpg", "jpeg")),
    "application/pdf": ("pdf", ("pdf",)),
}
# The inline response's own policy: nothing runs in it, and only our pages may frame it.
PREVIEW_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def preview_kind(evidence: Evidence) -> str | None:
    """The preview shown on the task page ("image" or "pdf"), or None: not shown inline."""
    if evidence.kind is not EvidenceKind.FILE or not evidence.stored_name:
        return None
    allowed = PREVIEWS.get((evidence.content_type or "").lower())
    extension = evidence.stored_name.rsplit(".", 1)[-1].lower()
    if allowed is None or extension not in allowed[1]:
        return None
    return allowed[0]


def evidence_path(stored_name: str | None, upload_folder: str | None = None) -> Path:
    """Where an evidence file is; the stored name is ours (hex + extension), never the user's."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or ".." in stored_name:
        raise FileNotFoundError(stored_name)
    return uploads.path_of(f"{FOLDER}/{stored_name}", root=upload_folder)


def add_evidence_file(
    task: FollowUpTask,
    *,
    filename: str | None,
    data: bytes,
    upload_folder: str | None = None,
    description: str = "",
    actor: User,
) -> Evidence:
    require_worker(task, actor)
    if task.status in (T.SUBMITTED, T.VERIFIED):
        ensure_working(task, actor)
    checked = uploads.check(filename, data, POLICY)
    ensure_working(task, actor)
    stored = uploads.store(FOLDER, checked.data, checked.extension, root=upload_folder)
    evidence = Evidence(
        kind=EvidenceKind.FILE,
        original_name=checked.original_name,
        stored_name=stored.rsplit("/", 1)[-1],
        content_type=checked.content_type,
        size=len(checked.data),
        description=(description or "").strip()[:300],
        uploaded_by_id=actor.id,
        at=utcnow(),
    )
    task.evidence.append(evidence)
    log_event(task, "evidence", actor, checked.original_name)
    db.session.flush()
    return evidence


def add_evidence_link(
    task: FollowUpTask, *, url: str, description: str = "", actor: User
) -> Evidence:
    require_worker(task, actor)
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise DomainError(
            _("Tautan harus alamat web lengkap, mis. https://dinkes.bekasikab.go.id/standar."),
            field="url",
        )
    if len(url) > 500:
        raise DomainError(_("Tautan terlalu panjang (maks. 500 karakter)."), field="url")
    ensure_working(task, actor)
    evidence = Evidence(
        kind=EvidenceKind.LINK,
        url=url,
        description=(description or "").strip()[:300],
        uploaded_by_id=actor.id,
        at=utcnow(),
    )
    task.evidence.append(evidence)
    log_event(task, "evidence", actor, url)
    db.session.flush()
    return evidence


def remove_evidence(evidence: Evidence, *, upload_folder: str | None = None, actor: User) -> None:
    """Remove the row now and the file when the session commits."""
    task = evidence.task
    require_worker(task, actor)
    if task.status in (T.SUBMITTED, T.VERIFIED):
        raise InvalidTransition(
            _("Tugas sudah diajukan atau terverifikasi; bukti tidak dapat dihapus."), field="file"
        )
    name = evidence.original_name or evidence.url or ""
    stored = evidence.stored_name
    task.evidence.remove(evidence)
    log_event(task, "evidence_removed", actor, name)
    db.session.flush()
    if stored:
        uploads.discard(f"{FOLDER}/{stored}", root=upload_folder)
