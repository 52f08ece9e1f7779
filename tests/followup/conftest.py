"""Fixtures of the follow-up tests: the seeded Ombudsman framework, a past event, check-ins."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.events.models import EventStatus
from sosialisasi.followup.models import Framework
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


@pytest.fixture()
def ombudsman(db) -> Framework:
    """The Ombudsman framework of the reference data (seeded once per run by tests/conftest.py)."""
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
