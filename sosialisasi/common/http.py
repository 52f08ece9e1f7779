"""HTTP details in one place: download names and integers read from the query string.

``download_headers`` gives every download an ASCII ``filename`` (a slug any server and browser
accepts; gunicorn refuses a header that is not Latin-1) plus the exact name in RFC 6266
``filename*`` (UTF-8, percent-encoded), both cleaned of control characters and path separators.

``bounded_int`` is the ``type=`` for ``request.args.get``: an integer an INTEGER column can hold,
so ``?unit=99999999999999999999`` is ignored instead of reaching the database driver (a 500).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import request

DB_INT_MAX = 2**31 - 1
DB_INT_MIN = -(2**31)

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
_DASHES = re.compile(r"-{2,}")
_CONTROL = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def clean_filename(filename: str) -> str:
    """The name without control characters, path separators or surrounding dots and spaces."""
    text = unicodedata.normalize("NFC", filename or "")
    text = "".join(" " if unicodedata.category(c) in _CONTROL or c in '/\\"' else c for c in text)
    text = " ".join(text.split()).strip(" .")
    return text[:180]


def ascii_filename(filename: str) -> str:
    """An ASCII slug of the name that keeps its extension: ``Sosialisasi CO₂.pdf`` ->
    ``Sosialisasi-CO2.pdf``."""
    text = unicodedata.normalize("NFKD", clean_filename(filename))
    text = text.encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    stem = _DASHES.sub("-", _UNSAFE_ASCII.sub("-", stem)).strip("-.") or "unduhan"
    ext = _UNSAFE_ASCII.sub("", ext)[:10]
    return f"{stem[:120]}.{ext}" if ext else stem[:120]


def download_headers(filename: str, *, inline: bool = False) -> dict[str, str]:
    """``Content-Disposition`` for a download (RFC 6266): ASCII ``filename`` and UTF-8
    ``filename*``. Use as ``Response(data, mimetype=..., headers=download_headers(name))``."""
    disposition = "inline" if inline else "attachment"
    plain = ascii_filename(filename)
    exact = clean_filename(filename) or plain
    value = f'{disposition}; filename="{plain}"'
    if exact != plain:
        value += f"; filename*=UTF-8''{quote(exact, safe='')}"
    return {"Content-Disposition": value}


def bounded_int(value: str) -> int:
    """``type=`` for ``request.args.get``: ASCII digits within the INTEGER range, else
    ``ValueError`` (which ``request.args.get`` turns into the default)."""
    text = (value or "").strip()
    if not text.isascii() or not re.fullmatch(r"[+-]?\d{1,11}", text):
        raise ValueError(value)
    number = int(text)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def arg_int(name: str, default: int | None = None) -> int | None:
    """A query-string integer within the database's range, or ``default``."""
    return request.args.get(name, default, type=bounded_int)


# Query-string names that hold ids or page numbers. A value that is a number but out of range is
# refused with 400 before any view runs: db.paginate reads ``page`` itself with a bare int().
BOUNDED_ARGS = frozenset({"page", "per_page", "unit", "sesi", "acara", "kerangka"})


def out_of_range_args() -> list[str]:
    """Names of ``BOUNDED_ARGS`` in this request whose value is an integer out of range."""
    bad = []
    for name in BOUNDED_ARGS & set(request.args):
        for raw in request.args.getlist(name):
            text = raw.strip()
            if re.fullmatch(r"[+-]?\d+", text, flags=re.ASCII):
                if not DB_INT_MIN <= int(text) <= DB_INT_MAX:
                    bad.append(name)
            elif text and text.lstrip("+-").isdigit():  # Unicode digits: int() accepts them
                bad.append(name)
    return bad
