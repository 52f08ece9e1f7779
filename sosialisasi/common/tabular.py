"""Reading spreadsheets people send: CSV (any delimiter, UTF-8/BOM/Windows-1252) and XLSX.

The reader finds the header row even under title rows ("DAFTAR PESERTA ..."), maps columns by
their usual names, and keeps each data row's number as the user sees it in Excel. Cell values are
kept as read: a NIP typed as a number stays a number so that the caller can report it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from .text import fold

MAX_UNCOMPRESSED = 80 * 1024 * 1024  # an XLSX expanding past this is refused (zip bomb)
MAX_ROWS = 50_000
MAX_COLUMNS = 200  # a participant list has a dozen; columns past this are ignored
MAX_EMPTY_RUN = 1_000  # this many blank rows in a row end the sheet (formatting to row 1048576)
HEADER_SCAN_ROWS = 20


class TableError(ValueError):
    """The file cannot be read as a table; ``str(err)`` is in the user's language."""


@dataclass
class Table:
    columns: dict[str, int]  # our field name -> column index
    header_row: int
    rows: list[tuple[int, dict[str, object]]]  # (row number in the sheet, field -> value)
    unknown_headers: list[str]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM followed by Windows-1252 bytes happens when files are merged
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> Iterator[list[object]]:
    text = _decode(data)
    if "\x00" in text:
        raise TableError(_("berkas CSV berisi data biner; simpan ulang sebagai CSV atau XLSX"))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
        if sample.count(";") > sample.count(","):
            dialect = type("semicolon", (csv.excel,), {"delimiter": ";"})
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as err:
        raise TableError(_("CSV rusak: %(error)s", error=err)) from None


def _xlsx_rows(data: bytes) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        raise TableError(_("berkas XLSX rusak atau bukan XLSX")) from None
    if total > MAX_UNCOMPRESSED:
        raise TableError(
            _("isi berkas XLSX terlalu besar setelah diekstrak; pecah menjadi beberapa berkas")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Sheets formatted down to row 1048576 / column XFD declare that size: do not pad to it.
        sheet.reset_dimensions()
        empty_run = 0
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if all(cell is None for cell in row):
                empty_run += 1
                if empty_run >= MAX_EMPTY_RUN:
                    break
            else:
                empty_run = 0
            yield list(row)
        workbook.close()
    except TableError:
        raise
    except Exception:  # openpyxl raises many kinds on broken files
        raise TableError(_("berkas XLSX rusak atau tidak dapat dibaca")) from None


def iter_raw_rows(data: bytes, filename: str) -> Iterator[list[object]]:
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    if name.endswith((".csv", ".txt")):
        return (row[:MAX_COLUMNS] for row in _csv_rows(data))
    if name.endswith(".xls"):
        raise TableError(_("format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv"))
    raise TableError(_("format berkas harus .csv atau .xlsx"))


@dataclass
class TableStream:
    """A table read as it goes: the header is found and mapped, ``rows`` yields
    ``(row number in the sheet, field -> value)`` one at a time (blank rows skipped), so a
    50,000-row file is never held as a list. ``estimated_rows`` is what the file declares (data
    rows after the header, for a progress bar; 0 when unknown). Iterate ``rows`` once."""

    columns: dict[str, int]
    header_row: int
    unknown_headers: list[str]
    rows: Iterator[tuple[int, dict[str, object]]]
    estimated_rows: int = 0

    def chunks(self, size: int) -> Iterator[list[tuple[int, dict[str, object]]]]:
        """``rows`` in lists of at most ``size``."""
        chunk: list[tuple[int, dict[str, object]]] = []
        for row in self.rows:
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _estimate(data: bytes, filename: str) -> int:
    """Rows the file declares: lines of a CSV, the dimension of the first XLSX sheet."""
    name = filename.lower()
    if name.endswith((".csv", ".txt")) and data[:4] != b"PK\x03\x04":
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not names:
                return 0
            with archive.open(names[0]) as sheet:
                head = sheet.read(4096).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        return 0
    found = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
    return min(int(found.group(1)), MAX_ROWS + HEADER_SCAN_ROWS) if found else 0


def open_table(
    data: bytes, filename: str, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> TableStream:
    """Find and map the header of the first sheet; the data rows are read as they are iterated
    (a row past :data:`MAX_ROWS` raises TableError then). ``aliases`` maps our field to
    accepted headings."""
    lookup = {fold(a): name for name, names in aliases.items() for a in (name, *names)}
    rows = iter_raw_rows(data, filename)
    header: list[object] | None = None
    header_number = 0
    for number, row in enumerate(rows, start=1):
        mapped = {lookup.get(fold(str(cell or ""))) for cell in row} - {None}
        if set(required) <= mapped:
            header, header_number = row, number
            break
        if number >= HEADER_SCAN_ROWS:
            break
    if header is None:
        wanted = ", ".join(aliases[r][0].title() if aliases[r] else r for r in required)
        raise TableError(
            _("baris judul kolom tidak ditemukan; pastikan ada kolom %(columns)s", columns=wanted)
        )
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        field_name = lookup.get(fold(str(cell or "")))
        if field_name and field_name not in columns:
            columns[field_name] = index
        elif cell not in (None, ""):
            unknown.append(str(cell))
    estimated = max(0, _estimate(data, filename) - header_number)
    return TableStream(
        columns, header_number, unknown, _data_rows(rows, columns, header_number), estimated
    )


def _data_rows(
    rows: Iterator[list[object]], columns: dict[str, int], header_number: int
) -> Iterator[tuple[int, dict[str, object]]]:
    count = 0
    for number, row in enumerate(rows, start=header_number + 1):
        if all(cell in (None, "") or str(cell).strip() == "" for cell in row):
            continue
        if count >= MAX_ROWS:
            raise TableError(
                _(
                    "berkas lebih dari %(rows)d baris; pecah menjadi beberapa berkas",
                    rows=MAX_ROWS,
                )
            )
        count += 1
        yield (
            number,
            {name: (row[index] if index < len(row) else None) for name, index in columns.items()},
        )


def read_table(
    data: bytes, filename: str, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Table:
    """Read the first sheet and map columns. ``aliases`` maps our field to accepted headings.
    The whole table in memory: big files go through :func:`open_table`."""
    stream = open_table(data, filename, aliases, required)
    return Table(stream.columns, stream.header_row, list(stream.rows), stream.unknown_headers)


def as_text(value: object) -> str:
    """A cell as trimmed text (numbers that are whole print without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# --- writing CSV -------------------------------------------------------------------------------

_FORMULA_START = "=+-@\t\r"
# A formula can also start after a separator: a ';' file opened where the list separator is ','
# splits "Sari,=HYPERLINK(...),Dewi" into three cells, the second a formula.
_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n|]\s*)([=+\-@])")


def neutralise(value: object) -> object:
    """A cell that no spreadsheet reads as a formula, whatever its list separator: a ``'``
    before ``= + - @`` at the start and after any separator (``,`` ``;`` tab, line break, ``|``).
    Numbers and other non-text values pass unchanged."""
    if not isinstance(value, str) or not value:
        return value
    text = _AFTER_SEPARATOR.sub(r"\1'\2", value)
    if text[0] in _FORMULA_START:
        text = "'" + text
    return text


def write_csv(headings: list[str] | tuple[str, ...], rows: Iterable[Iterable[object]]) -> bytes:
    """A ``;`` CSV (Indonesian Excel opens it directly), UTF-8 with BOM, every field quoted and
    every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headings])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
