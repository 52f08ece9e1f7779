"""The one upload store: what is accepted, how it is checked, where and when it is written.

- **Content, not the name**: the extension names the type and the first bytes must agree (PDF
  ``%PDF-``, PNG signature, JPEG SOI, DOCX/XLSX/PPTX as ZIP archives holding their main part,
  with a bound on the unpacked size against zip bombs).
- **Size**: each kind of upload has its own limit (``Policy.max_bytes``); the request as a whole
  is bounded by ``MAX_CONTENT_LENGTH``.
- **Images are re-encoded** with Pillow: upright (EXIF orientation applied), without EXIF (GPS
  included), XMP or comments, and with nothing hidden after the image data.
- **Names never come from the user**: files are stored as ``<subdir>/<random hex>.<ext>`` under
  ``UPLOAD_FOLDER``; the user's name is kept only as display text, cleaned of paths and control
  characters (``clean_display_name``).
- **Written with the database**: ``store`` writes a hidden ``.part`` file and ``discard`` only
  notes the removal; both take effect when the session commits (``after_commit``). When the
  transaction ends without a commit (rollback, close), the ``.part`` file is removed and the old
  file stays. A row therefore never points to a missing file, and a refused request leaves none.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from ..extensions import db
from .errors import DomainError
from .wib import format_number

log = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_UNZIPPED = 100 * MB
MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs before decoding

MIME = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ZIP_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}


@dataclass
class Policy:
    """What one kind of upload accepts (mutable so that a test can lower ``max_bytes``)."""

    extensions: tuple[str, ...]
    max_bytes: int
    refused_type: Callable[[], str]  # the message when the extension is not accepted
    too_big: Callable[[str], str]  # the message, given the size in MB ("12,3")
    max_name: int = 200
    accept: str = field(init=False)

    def __post_init__(self) -> None:
        self.accept = ",".join(f".{e}" for e in self.extensions)


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str  # display text only, cleaned
    extension: str
    content_type: str
    data: bytes  # what will be stored (images re-encoded without metadata)


# --- names ----------------------------------------------------------------------------------


def clean_display_name(name: str | None, *, max_length: int = 200, default: str = "") -> str:
    """A name to show and offer as a download name: no path, no control characters, bounded."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return name.strip()[-max_length:] or default


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# --- content ---------------------------------------------------------------------------------


def zip_members(data: bytes) -> set[str]:
    """The member names of an Office (OOXML) archive; empty when it is none or unpacks too big."""
    if not data.startswith(b"PK\x03\x04"):
        return set()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
            return set()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        return set()
    return names if "[Content_Types].xml" in names else set()


def content_matches(ext: str, data: bytes) -> bool:
    """Do the bytes look like what the extension says?"""
    if ext == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in ZIP_MAIN:
        return ZIP_MAIN[ext] in zip_members(data)
    return False


def open_image(data: bytes, *, formats: tuple[str, ...], message: str, field: str) -> Image.Image:
    """Decode an image of one of ``formats``; anything else is a DomainError with ``message``."""
    if not data:
        raise DomainError(_("Berkas kosong."), field=field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in formats:
                raise DomainError(message, field=field)
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise DomainError(_("Gambar terlalu besar (resolusi)."), field=field)
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(message, field=field) from None
    return image


def without_metadata(image: Image.Image, fmt: str) -> bytes:
    """Re-encode upright, in the same format, without EXIF, XMP or comments (ICC profile kept)."""
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True, **extra)
    else:
        image.save(out, format="PNG", optimize=True, **extra)
    return out.getvalue()


def check(
    filename: str | None, data: bytes, policy: Policy, *, field: str = "file"
) -> CheckedUpload:
    """Refuse what must not be stored (the message says why); images come back re-encoded."""
    raw = (filename or "").strip()
    if not raw:
        raise DomainError(_("Pilih berkas yang akan diunggah."), field=field)
    if any(c in raw for c in "/\\:\x00") or raw.startswith(".") or ".." in raw:
        raise DomainError(
            _("Nama berkas tidak boleh berisi folder atau jalur (/, \\, :, ..)."), field=field
        )
    name = clean_display_name(raw, max_length=policy.max_name)
    ext = extension_of(name)
    if ext not in policy.extensions:
        raise DomainError(policy.refused_type(), field=field)
    if not data:
        raise DomainError(_("Berkas kosong."), field=field)
    if len(data) > policy.max_bytes:
        size = format_number(len(data) / MB, str(get_locale() or "id"), 1)
        raise DomainError(policy.too_big(size), field=field)
    mismatch = _(
        "Isi berkas tidak sesuai dengan ekstensi .%(ext)s; berkas mungkin rusak atau "
        "diganti namanya.",
        ext=ext,
    )
    if not content_matches(ext, data):
        raise DomainError(mismatch, field=field)
    if ext in IMAGE_FORMATS:
        fmt = IMAGE_FORMATS[ext]
        data = without_metadata(
            open_image(data, formats=(fmt,), message=mismatch, field=field), fmt
        )
    return CheckedUpload(name, ext, MIME[ext], data)


# --- storage, in step with the database transaction ---------------------------------------------

_PENDING = "sosialisasi.uploads.pending"


def _root(root: str | os.PathLike[str] | None) -> Path:
    return Path(root if root is not None else current_app.config["UPLOAD_FOLDER"])


def path_of(relative: str, *, root: str | os.PathLike[str] | None = None) -> Path:
    """The absolute path of a stored file; anything that leaves the upload folder is refused."""
    base = _root(root).resolve()
    if not relative:
        raise FileNotFoundError(relative)
    path = (base / relative).resolve()
    if base not in path.parents:
        raise FileNotFoundError(relative)
    return path


def exists(relative: str | None, *, root: str | os.PathLike[str] | None = None) -> bool:
    if not relative:
        return False
    try:
        return path_of(relative, root=root).is_file()
    except FileNotFoundError:
        return False


def _pending(session: Session) -> list[tuple[str, Path | None, Path]]:
    if not session.in_transaction():
        session.begin()  # so that the commit or rollback that follows concerns these files
    pending: list[tuple[str, Path | None, Path]] = session.info.setdefault(_PENDING, [])
    return pending


def store(subdir: str, data: bytes, ext: str, *, root: str | os.PathLike[str] | None = None) -> str:
    """Stage ``data`` under a random name; it appears when the session commits.

    Returns the path relative to the upload folder (``subdir/<hex>.<ext>``).
    """
    folder = _root(root) / subdir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    final = folder / name
    staged = folder / f".{name}.part"
    with open(staged, "xb") as fh:
        fh.write(data)
    os.chmod(staged, 0o640)
    _pending(db.session()).append(("write", staged, final))
    return f"{subdir}/{name}"


def discard(relative: str | None, *, root: str | os.PathLike[str] | None = None) -> None:
    """Remove a stored file when the session commits (kept if the transaction fails)."""
    if not relative:
        return
    try:
        path = path_of(relative, root=root)
    except FileNotFoundError:
        return
    _pending(db.session()).append(("delete", None, path))


def _after_commit(session: Session) -> None:
    for action, staged, final in session.info.pop(_PENDING, []):
        try:
            if action == "write" and staged is not None:
                os.replace(staged, final)
            else:
                final.unlink(missing_ok=True)
        except OSError:  # the database has committed; say so loudly, do not fail the request
            log.exception("upload store: %s of %s failed after commit", action, final)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    for action, staged, _final in session.info.pop(_PENDING, []):
        if action == "write" and staged is not None:
            with contextlib.suppress(OSError):
                staged.unlink(missing_ok=True)


if not event.contains(Session, "after_commit", _after_commit):
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
