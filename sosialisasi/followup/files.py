"""Evidence files: what is accepted, how the content is checked, where it is kept.

The extension names the type; the first bytes must agree (PDF ``%PDF``, PNG signature, JPEG SOI,
DOCX/XLSX as ZIP archives with their main part inside). Files are stored under
``UPLOAD_FOLDER/evidence`` with random names; the name the user gave is kept only as text.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from ..common.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024

TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
_ZIP_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    extension: str
    content_type: str
    data: bytes


def _zip_has(data: bytes, member: str) -> bool:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
            return False
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        return False
    return "[Content_Types].xml" in names and member in names


def _content_matches(ext: str, data: bytes) -> bool:
    if ext == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in _ZIP_MAIN:
        return data.startswith(b"PK\x03\x04") and _zip_has(data, _ZIP_MAIN[ext])
    return False


def check_upload(filename: str | None, data: bytes) -> CheckedFile:
    """Refuse what must not be stored; the message says why (field ``file``)."""
    name = (filename or "").strip()
    if not name:
        raise DomainError(_("Pilih berkas yang akan diunggah."), field="file")
    if any(c in name for c in "/\\:\x00") or name.startswith(".") or ".." in name:
        raise DomainError(
            _("Nama berkas tidak boleh berisi folder atau jalur (/, \\, :, ..)."), field="file"
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in TYPES:
        raise DomainError(
            _("Jenis berkas tidak diterima; gunakan PDF, JPG, PNG, DOCX atau XLSX."), field="file"
        )
    if not data:
        raise DomainError(_("Berkas kosong."), field="file")
    if len(data) > MAX_BYTES:
        size = f"{len(data) / (1024 * 1024):.1f}"
        raise DomainError(
            _("Berkas terlalu besar (%(size)s MB); maksimal 10 MB per berkas.", size=size),
            field="file",
        )
    if not _content_matches(ext, data):
        raise DomainError(
            _(
                "Isi berkas tidak sesuai dengan ekstensi .%(ext)s; berkas mungkin rusak atau "
                "diganti namanya.",
                ext=ext,
            ),
            field="file",
        )
    return CheckedFile(name[:200], ext, TYPES[ext], data)


def evidence_dir(upload_folder: str) -> Path:
    path = Path(upload_folder) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload_folder: str, checked: CheckedFile) -> str:
    """Write the bytes under a random name; returns the stored name."""
    stored = f"{secrets.token_hex(16)}.{checked.extension}"
    target = evidence_dir(upload_folder) / stored
    with open(target, "xb") as fh:
        fh.write(checked.data)
    os.chmod(target, 0o640)
    return stored


def path_of(upload_folder: str, stored_name: str) -> Path:
    """The file's path; the stored name is ours (hex + extension), never the user's."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or ".." in stored_name:
        raise FileNotFoundError(stored_name)
    return evidence_dir(upload_folder) / stored_name


def remove(upload_folder: str, stored_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_of(upload_folder, stored_name).unlink()
