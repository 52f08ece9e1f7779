"""Text helpers: matching keys for names, and export-safe cells."""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")
_V = TypeVar("_V")


def fold(text: str | None) -> str:
    """Lower-case, accents and punctuation removed, single spaces: a key for matching names."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCT.sub(" ", text.lower())
    return _SPACES.sub(" ", text).strip()


def safe_cell(value: _V) -> _V | str:
    """Neutralise spreadsheet formulas in exported cells (``=``, ``+``, ``-``, ``@``, tab, CR)."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
