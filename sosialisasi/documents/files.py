"""Uploaded files: content checks (never trust the name) and storage under UPLOAD_FOLDER.

Images are opened with Pillow, re-encoded (which drops anything hidden after the image data and
the EXIF location) and resized; documents are recognised by their bytes: ``%PDF-`` for PDF, and for
DOCX/PPTX a ZIP holding the Office parts of that type.
"""

from __future__ import annotations

import contextlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..common.errors import DomainError

PHOTO_MAX_PX = 1600
LOGO_MAX_PX = 600
MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs before decoding

MATERIAL_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass
class StoredImage:
    data: bytes
    mime: str
    ext: str
    width: int
    height: int


def storage_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def save(subdir: str, data: bytes, ext: str) -> str:
    """Write ``data`` under a random name; returns the path relative to UPLOAD_FOLDER."""
    folder = storage_root() / subdir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(16)}.{ext}"
    (folder / name).write_bytes(data)
    return f"{subdir}/{name}"


def absolute(relative: str) -> Path:
    root = storage_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise FileNotFoundError(relative)
    return path


def exists(relative: str) -> bool:
    try:
        return absolute(relative).is_file()
    except FileNotFoundError:
        return False


def remove(relative: str | None) -> None:
    if not relative:
        return
    with contextlib.suppress(FileNotFoundError):
        absolute(relative).unlink(missing_ok=True)


def _open_image(data: bytes, field: str) -> Image.Image:
    message = _("Berkas bukan gambar JPEG atau PNG yang valid.")
    if not data:
        raise DomainError(_("Berkas kosong."), field=field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("JPEG", "PNG"):
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


def process_photo(data: bytes, field: str = "file") -> StoredImage:
    """A JPEG no larger than PHOTO_MAX_PX on its long side, upright, without metadata."""
    image = _open_image(data, field)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return StoredImage(out.getvalue(), "image/jpeg", "jpg", image.width, image.height)


def process_logo(data: bytes, field: str = "logo") -> StoredImage:
    """A PNG (transparency kept) no larger than LOGO_MAX_PX."""
    image = _open_image(data, field)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail((LOGO_MAX_PX, LOGO_MAX_PX))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return StoredImage(out.getvalue(), "image/png", "png", image.width, image.height)


def sniff_material(data: bytes, filename: str, field: str = "file") -> tuple[str, str]:
    """(extension, mime) of a PDF, DOCX or PPTX, judged by content; the name must agree."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in MATERIAL_TYPES:
        raise DomainError(_("Materi harus berupa PDF, DOCX atau PPTX."), field=field)
    actual = None
    if data.startswith(b"%PDF-"):
        actual = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
            names = set()
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                actual = "docx"
            elif "ppt/presentation.xml" in names:
                actual = "pptx"
    if actual is None:
        raise DomainError(
            _("Isi berkas bukan PDF, DOCX atau PPTX yang valid (nama berkas saja tidak cukup)."),
            field=field,
        )
    if actual != ext:
        raise DomainError(
            _(
                "Isi berkas adalah %(actual)s, tidak sesuai dengan nama berkas (.%(ext)s).",
                actual=actual.upper(),
                ext=ext,
            ),
            field=field,
        )
    return actual, MATERIAL_TYPES[actual]


def safe_filename(name: str) -> str:
    """A display name for downloads: no path, no control characters, bounded length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')
    return (name.strip() or "berkas")[-150:]
