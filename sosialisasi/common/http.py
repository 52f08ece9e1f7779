"""Download names: an ASCII slug for old clients plus the exact name in RFC 6266 ``filename*``.

A raw ``filename="..."`` with a character outside Latin-1 (``IKM₂ 2026``, ``CO₂``, Arabic, CJK)
is refused by gunicorn and answered with a 500; a control character breaks the header too. The
slug keeps what ASCII can say (``IKM2-2026``); browsers that read ``filename*`` get the real name.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _printable(name: str) -> str:
    """No path, no control characters, bounded length."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return name.strip()[-150:]


def _ascii_slug(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""

    def slug(part: str) -> str:
        ascii_part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        return _UNSAFE.sub("-", ascii_part).strip("-.")

    stem, ext = slug(stem) or "berkas", slug(ext)
    return f"{stem}.{ext}" if ext else stem


def download_headers(filename: str, *, inline: bool = False) -> dict:
    """The ``Content-Disposition`` header of a download named ``filename``."""
    name = _printable(filename) or "berkas"
    disposition = "inline" if inline else "attachment"
    value = f'{disposition}; filename="{_ascii_slug(name)}"'
    value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return {"Content-Disposition": value}
