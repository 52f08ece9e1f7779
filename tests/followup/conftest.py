"""Fixtures of the follow-up tests: the seeded Ombudsman framework, a past event, check-ins."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, insert, select, text

from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.events.models import EventStatus
from sosialisasi.extensions import db as _db
from sosialisasi.followup.models import Framework
from sosialisasi.followup.seed import seed_followup
from sosialisasi.units.models import UnitKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image(fmt: str, size: tuple[int, int] = (40, 30), **save) -> bytes:
    """A real image: the upload store decodes and re-encodes images; a signature is not enough."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt, **save)
    return buffer.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")


def office(kind: str) -> bytes:
    """A minimal ZIP with the parts that make it a DOCX or XLSX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


# The seeded rows, taken once per session from a real ``seed_followup()`` into empty tables, then
# inserted again with plain INSERTs (ids included) for each test that needs them: the same rows
# as the seeder makes, without its lookups and ORM work per test.
_SEEDED: dict[str, list[dict]] = {}


def _counts(names: set[str] | None = None) -> dict[str, int]:
    return {
        t.name: _db.session.scalar(select(func.count()).select_from(t))
        for t in _db.metadata.sorted_tables
        if names is None or t.name in names
    }


def _replay() -> None:
    tables = [t for t in _db.metadata.sorted_tables if t.name in _SEEDED]
    for table in tables:
        _db.session.execute(insert(table), _SEEDED[table.name])
    if _db.engine.dialect.name == "postgresql":  # explicit ids do not move the sequences
        for table in tables:
            if "id" in table.c and table.c.id.autoincrement:
                top = _db.session.scalar(select(func.max(table.c.id)))
                _db.session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:name, 'id'), :top)"),
                    {"name": table.name, "top": top},
                )


@pytest.fixture()
def ombudsman(db) -> Framework:
    if _SEEDED and not any(_counts(set(_SEEDED)).values()):
        _replay()
    else:
        before = _counts()
        seed_followup()
        db.session.flush()
        after = _counts()
        grown = {name for name in after if after[name] != before[name]}
        if not _SEEDED and all(before[name] == 0 for name in grown):
            for table in _db.metadata.sorted_tables:
                if table.name in grown:
                    _SEEDED[table.name] = [
                        dict(row) for row in db.session.execute(select(table)).mappings()
                    ]
    db.session.commit()
    return db.session.scalar(select(Framework).where(Framework.code == "OMBUDSMAN-2022"))


@pytest.fixture()
def past_event(make_event, make_unit):
    """An event held yesterday, inviting two dinas and a puskesmas."""

    def make(*units, **kw):
        units = units or (
            make_unit("Dinas Kesehatan Contoh"),
            make_unit("Dinas Sosial Contoh"),
            make_unit("Puskesmas Contoh", kind=UnitKind.PUSKESMAS),
        )
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
        return make_event(starts_at=start, status=EventStatus.FINISHED, invite=list(units), **kw)

    return make


@pytest.fixture()
def check_in(db):
    def make(registration, at=None):
        row = CheckIn(
            registration=registration,
            session=registration.event.sessions[0],
            method=CheckInMethod.QR,
            at=at or registration.event.starts_at,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return make
