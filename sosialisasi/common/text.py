"""Text helpers: matching keys for names, and export-safe cells."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")
_V = TypeVar("_V")


def fold(text: str | None) -> str:
    """Lower-case, accents and punctuation removed, single spaces: a key for matching names."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCT.sub(" ", text.lower())
    return _SPACES.sub(" ", text).strip()


def xlsx_cell(sheet: Any, value: object) -> Any:
    """A write-only XLSX cell whose text is stored as text: ``+62 812...`` or ``=1+1`` read as
    typed, with no visible apostrophe and never evaluated (``safe_cell`` is for CSV-like
    targets, where the apostrophe is the only way)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # any cell value
    if isinstance(value, str) and value:
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
    return cell


def safe_cell(value: _V) -> _V | str:
    """Neutralise spreadsheet formulas in exported cells (``=``, ``+``, ``-``, ``@``, tab, CR)."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def one_full_stop(text: str) -> str:
    """End a sentence with one full stop when the name before it already ends with one.

    ``_("Selamat datang, %(name)s.", name="Rina Wati, S.Kom.")`` would print "S.Kom.."; pass the
    translated sentence through here instead of stripping the gelar's own full stop. An ellipsis
    ("...") is left alone.
    """
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text
