"""Event files (photos, materials, letterhead logo, produced reports) in the one upload store.

The checks and the storage live in ``common/uploads.py``; this module keeps the documents area's
own choices: photos become JPEGs of at most PHOTO_MAX_PX, logos PNGs of at most LOGO_MAX_PX (both
re-encoded, so without EXIF or anything hidden after the image data), materials are PDF, DOCX or
PPTX recognised by their bytes. ``save`` and ``remove`` take effect when the session commits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps

from ..common import uploads
from ..common.errors import DomainError

PHOTO_MAX_PX = 1600
LOGO_MAX_PX = 600
MAX_IMAGE_PIXELS = uploads.MAX_IMAGE_PIXELS

MATERIAL_TYPES = {ext: uploads.MIME[ext] for ext in ("pdf", "docx", "pptx")}


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
    """Stage ``data`` under a random name (written on commit); the path relative to the folder."""
    return uploads.store(subdir, data, ext)


def absolute(relative: str) -> Path:
    return uploads.path_of(relative)


def exists(relative: str) -> bool:
    return uploads.exists(relative)


def remove(relative: str | None) -> None:
    """Remove a stored file once the session commits."""
    uploads.discard(relative)


def _open_image(data: bytes, field: str) -> Image.Image:
    message = _("Berkas bukan gambar JPEG atau PNG yang valid.")
    return uploads.open_image(data, formats=("JPEG", "PNG"), message=message, field=field)


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
    ext = uploads.extension_of(filename)
    if ext not in MATERIAL_TYPES:
        raise DomainError(_("Materi harus berupa PDF, DOCX atau PPTX."), field=field)
    actual = None
    if data.startswith(b"%PDF-"):
        actual = "pdf"
    else:
        names = uploads.zip_members(data)
        if uploads.ZIP_MAIN["docx"] in names:
            actual = "docx"
        elif uploads.ZIP_MAIN["pptx"] in names:
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
    name = uploads.clean_display_name(name, max_length=10_000)
    name = "".join(c for c in name if c not in '"<>|:*?')
    return (name.strip() or "berkas")[-150:]
