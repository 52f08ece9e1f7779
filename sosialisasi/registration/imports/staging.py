"""The staging store of the import page: an uploaded file waits (at most a day) between the
preview and the organizer's confirmation, with its decided rows and its errors.

Files live in ``UPLOAD_FOLDER/imports``, named by a random token, never by the user; a token is
good only for the event and the user that uploaded it:

- ``<token>.bin`` the file itself (until it is applied), ``<token>.json`` who may use it and the
  plan's counts (the preview's, then the import's);
- ``<token>.rows.jsonl`` every decided row of the preview and ``<token>.fail.jsonl`` the rows in
  error (of the preview, then of the import), :data:`PAGE_ROWS` rows a line, so that a page reads
  one line and no step holds the file's rows in memory;
- ``<token>.errors.xlsx`` the rows in error as a spreadsheet, written as the rows are decided;
- ``<token>.raw.jsonl`` the cells as read, a chunk a line: the confirmation plans the rows again
  (on the database as it is then) from these, without reading the spreadsheet a second time.

Its size is earned: these five files are one store with one life (written as the plan decides,
read a page at a time, checked against the token's owner, removed after a day), and splitting the
writers from the readers would put the file layout in two places.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from flask import current_app
from flask_babel import gettext as _

from ...auth.models import User
from ...common.errors import NotFound
from ...common.tabular import TableStream
from ...events.models import Event
from .. import rules
from .apply import ErrorBook, apply_import
from .plan import Fate, Plan, Row, open_plan, readable

KEEP_SECONDS = 24 * 3600
PAGE_ROWS = 500  # rows a page of the preview shows (one line of a staged rows file)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


def _gone() -> NotFound:
    return NotFound(_("Berkas impor tidak ditemukan atau sudah dipakai; unggah ulang berkasnya."))


@dataclass
class Staged:
    token: str
    plan: Plan
    filename: str


def _folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old(now: float) -> None:
    """Uploaded files wait for confirmation at most a day."""
    for old in _folder().iterdir():
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
        except OSError:  # another request removed it first
            pass


def _meta(token: str, event: Event, actor: User) -> dict:
    """The stored metadata of ``token``; NotFound unless it belongs to this event and user."""
    if not _TOKEN.match(token):
        raise _gone()
    path = _folder() / f"{token}.json"
    if not path.exists():
        raise _gone()
    meta = json.loads(path.read_text())
    if meta.get("event_id") != event.id or meta.get("user_id") != actor.id:
        raise NotFound("")
    return meta


def _write_json(path: Path, value: dict) -> None:
    """Replace a small JSON file at once (a reader never sees half of it)."""
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(value))
    os.replace(part, path)


# --- what the pages show ----------------------------------------------------------------------


@dataclass
class PageRow:
    """A decided row as the preview shows it: the values read, or as typed when unreadable."""

    number: int
    name: str
    id_number: str
    unit: str
    fate: Fate
    reason: str
    waitlisted: bool = False

    @classmethod
    def of(cls, row: Row) -> PageRow:
        raw_nip = row.raw.get("nip")
        return cls(
            row.number,
            row.name or _raw(row.raw.get("name")),
            row.nip or row.nik or _raw(raw_nip),
            row.unit.name if row.unit is not None else _raw(row.raw.get("unit")),
            row.fate,
            row.reason,
            row.status.value == "waitlisted",
        )

    def dump(self) -> list:
        return [
            self.number,
            self.name,
            self.id_number,
            self.unit,
            self.fate.value,
            self.reason,
            self.waitlisted,
        ]

    @classmethod
    def load(cls, values: list) -> PageRow:
        number, name, id_number, unit, fate, reason, waitlisted = values
        return cls(number, name, id_number, unit, Fate(fate), reason, bool(waitlisted))


def _raw(value: object) -> str:
    return "" if value is None else str(value)


@dataclass
class Refused:
    name: str
    reason: str


@dataclass
class Summary:
    """A plan's counts as stored with the staged file (and in an import job's result)."""

    counts: dict[str, int]
    header_row: int = 0
    total_rows: int = 0
    unknown_headers: list[str] = field(default_factory=list)
    quota_refused: list[Refused] = field(default_factory=list)  # the first few, named
    quota_refused_count: int = 0
    over_quota_count: int = 0

    @classmethod
    def of(cls, plan: Plan) -> Summary:
        return cls(
            counts=plan.counts,
            header_row=plan.header_row,
            total_rows=plan.total_rows,
            unknown_headers=list(plan.unknown_headers),
            quota_refused=[Refused(r.name, r.reason) for r in plan.quota_refused],
            quota_refused_count=plan.quota_refused_count,
            over_quota_count=plan.over_quota_count,
        )

    def dump(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "header_row": self.header_row,
            "total_rows": self.total_rows,
            "unknown_headers": self.unknown_headers,
            "quota_refused": [[r.name, r.reason] for r in self.quota_refused],
            "quota_refused_count": self.quota_refused_count,
            "over_quota": self.over_quota_count,
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> Summary:
        return cls(
            counts=dict(data["counts"]),
            header_row=int(data.get("header_row", 0)),
            total_rows=int(data.get("total_rows", 0)),
            unknown_headers=list(data.get("unknown_headers", [])),
            quota_refused=[Refused(n, r) for n, r in data.get("quota_refused", [])],
            quota_refused_count=int(data.get("quota_refused_count", 0)),
            over_quota_count=int(data.get("over_quota", 0)),
        )

    def readable(self) -> str:
        return readable(self.counts, self.over_quota_count)

    @property
    def writable(self) -> int:
        return self.counts["imported"] + self.counts["updated"]


@dataclass
class RowsPage:
    """One page of staged rows, with what a pager needs."""

    rows: list[PageRow]
    page: int
    total: int
    per_page: int = PAGE_ROWS

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    def iter_pages(self) -> Iterator[int | None]:
        """Page numbers around the current one, ``None`` for a gap."""
        last = 0
        for p in range(1, self.pages + 1):
            if p <= 2 or p > self.pages - 2 or abs(p - self.page) <= 2:
                if last and p - last > 1:
                    yield None
                yield p
                last = p


class _Pages:
    """Rows appended to a JSON-lines file, :data:`PAGE_ROWS` to a line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file: TextIO = path.open("w", encoding="utf-8")
        self.buffer: list[list] = []

    def add(self, row: PageRow) -> None:
        self.buffer.append(row.dump())
        if len(self.buffer) >= PAGE_ROWS:
            self._flush()

    def _flush(self) -> None:
        self.file.write(json.dumps(self.buffer, ensure_ascii=False) + "\n")
        self.buffer = []

    def close(self) -> None:
        if self.buffer:
            self._flush()
        self.file.close()


class _Spill:
    """Where decided rows go as a plan is made: pages of every row (a preview), pages of the
    rows in error, and the errors workbook. ``suffix`` names files that replace the current
    ones only after the import's commit (:func:`forget_data`)."""

    def __init__(self, token: str, *, every_row: bool, suffix: str = "") -> None:
        folder = _folder()
        self.paths = {
            "fail": folder / f"{token}.fail.jsonl{suffix}",
            "xlsx": folder / f"{token}.errors.xlsx{suffix}",
        }
        self.raw: TextIO | None = None
        if every_row:
            self.paths["rows"] = folder / f"{token}.rows.jsonl{suffix}"
            self.paths["raw"] = folder / f"{token}.raw.jsonl{suffix}"
            self.raw = self.paths["raw"].open("w", encoding="utf-8")
        self.rows = _Pages(self.paths["rows"]) if every_row else None
        self.fail = _Pages(self.paths["fail"])
        self.book = ErrorBook()

    def __call__(self, rows: list[Row]) -> None:
        if self.raw is not None:
            self.raw.write(_dump_raw([(row.number, row.raw) for row in rows]) + "\n")
        for row in rows:
            shown = PageRow.of(row)
            if self.rows is not None:
                self.rows.add(shown)
            if row.fate is Fate.ERROR:
                self.fail.add(shown)
                self.book.add(row)

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()
        if self.rows is not None:
            self.rows.close()
        self.fail.close()
        self.book.save(self.paths["xlsx"])

    def discard(self) -> None:
        if self.raw is not None:
            self.raw.close()
        for pages in (self.rows, self.fail):
            if pages is not None:
                pages.file.close()
        for path in self.paths.values():
            path.unlink(missing_ok=True)


# The cells of the file as read (the confirmation plans them again without reading the XLSX
# again, the slow part): JSON, with dates and times tagged (openpyxl gives them for date cells).
_TIMES: dict[str, Any] = {"datetime": datetime, "date": date, "time": dt_time}


def _tag(value: object) -> object:
    if isinstance(value, (datetime, date, dt_time)):
        return {"$t": type(value).__name__, "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$t": "timedelta", "v": value.total_seconds()}
    raise TypeError(type(value).__name__)


def _untag(value: dict) -> object:
    kind = value.get("$t")
    if kind == "timedelta":
        return timedelta(seconds=value["v"])
    if kind in _TIMES:
        return _TIMES[kind].fromisoformat(value["v"])
    return value


def _dump_raw(rows: list[tuple[int, dict[str, object]]]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=_tag)


def _raw_table(path: Path, summary: Summary) -> TableStream:
    """The staged cells as a table stream (header found and mapped at the preview)."""

    def rows() -> Iterator[tuple[int, dict[str, object]]]:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                chunk = json.loads(line, object_hook=_untag)
                yield from ((number, raw) for number, raw in chunk)

    return TableStream({}, summary.header_row, summary.unknown_headers, rows(), summary.total_rows)


# --- the steps ---------------------------------------------------------------------------------


def stage(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: User,
    over_quota_reason: str | None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Staged:
    """Plan the file (nothing is written to the database) and keep it for confirmation, with
    its decided rows and errors written as they are decided.

    TableError when the file is unreadable, DomainError when the event takes no import."""
    rules.check_import_open(event)
    stream = open_plan(
        event, data, filename, over_quota_reason=over_quota_reason, on_progress=on_progress
    )
    _forget_old(time.time())
    token = secrets.token_urlsafe(18)
    spill = _Spill(token, every_row=True)
    try:
        for rows in stream.chunks:
            spill(rows)
        spill.close()
    except BaseException:
        spill.discard()
        raise
    folder = _folder()
    (folder / f"{token}.bin").write_bytes(data)
    _write_json(
        folder / f"{token}.json",
        {
            "event_id": event.id,
            "user_id": actor.id,
            "filename": filename,
            "reason": over_quota_reason or "",
            "preview": Summary.of(stream.plan).dump(),
        },
    )
    return Staged(token, stream.plan, filename)


def apply_staged(
    event: Event,
    token: str,
    *,
    actor: User,
    on_progress: Callable[[int, int], None] | None = None,
) -> Staged:
    """Write the kept file (audited by :func:`apply_import`); the caller commits, then calls
    :func:`forget_data`. The import's rows in error are written beside the preview's and take
    their place in :func:`forget_data`."""
    meta = _meta(token, event, actor)
    data_path = _folder() / f"{token}.bin"
    if not data_path.exists():
        raise _gone()
    raw_path = _folder() / f"{token}.raw.jsonl"
    table = _raw_table(raw_path, Summary.load(meta["preview"])) if raw_path.exists() else None
    spill = _Spill(token, every_row=False, suffix=".part")
    try:
        plan = apply_import(
            event,
            b"" if table is not None else data_path.read_bytes(),
            meta["filename"],
            actor=actor,
            over_quota_reason=meta["reason"],
            on_progress=on_progress,
            keep_rows=False,
            on_chunk=spill,
            table=table,
        )
        spill.close()
    except BaseException:
        spill.discard()
        raise
    return Staged(token, plan, meta["filename"])


def staged_size(event: Event, token: str, *, actor: User) -> int:
    """Bytes of the kept file; NotFound when it is not this user's or was already applied."""
    _meta(token, event, actor)
    data_path = _folder() / f"{token}.bin"
    if not data_path.exists():
        raise _gone()
    return data_path.stat().st_size


def forget_data(staged: Staged) -> None:
    """After the commit: the file cannot be applied twice; the import's rows in error replace
    the preview's and stay downloadable."""
    folder = _folder()
    token = staged.token
    (folder / f"{token}.bin").unlink(missing_ok=True)
    (folder / f"{token}.raw.jsonl").unlink(missing_ok=True)
    for name in (f"{token}.fail.jsonl", f"{token}.errors.xlsx"):
        part = folder / f"{name}.part"
        if part.exists():
            os.replace(part, folder / name)
    path = folder / f"{token}.json"
    if path.exists():
        meta = json.loads(path.read_text())
        meta["applied"] = Summary.of(staged.plan).dump()
        _write_json(path, meta)


def errors_file(event: Event, token: str, *, actor: User) -> bytes:
    """The rows in error of a staged or applied file, as XLSX."""
    _meta(token, event, actor)
    path = _folder() / f"{token}.errors.xlsx"
    if not path.exists():
        raise NotFound("")
    return path.read_bytes()


@dataclass
class StagedView:
    """What the preview and result pages show of a staged file: the counts and a page of rows
    (every row before the import, the rows in error after it)."""

    token: str
    filename: str
    applied: bool
    summary: Summary
    page: RowsPage


def staged_view(
    event: Event,
    token: str,
    *,
    actor: User,
    page: int = 1,
    applied: bool | None = None,
    counts: dict[str, Any] | None = None,
) -> StagedView:
    """A page of a staged file: the preview's rows, or after the import its rows in error.
    ``applied`` picks one (a job's page); None shows the file's current state. ``counts`` (a
    :meth:`Summary.dump`, kept in a job's result) stand in for counts the file lacks."""
    meta = _meta(token, event, actor)
    if applied is None:
        applied = "applied" in meta
    stored = meta.get("applied" if applied else "preview") or counts
    if stored is None:
        raise _gone()
    summary = Summary.load(stored)
    kind = "fail" if applied else "rows"
    total = summary.counts["errors"] if applied else summary.total_rows
    pages = max(1, -(-total // PAGE_ROWS))
    page = min(max(1, page), pages)
    rows: list[PageRow] = []
    path = _folder() / f"{token}.{kind}.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as lines:
            line = next(islice(lines, page - 1, page), None)
        if line:
            rows = [PageRow.load(values) for values in json.loads(line)]
    return StagedView(
        token, meta["filename"], applied, summary, RowsPage(rows, page, total, PAGE_ROWS)
    )
