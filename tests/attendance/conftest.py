"""Helpers for attendance tests: an event with two sessions, check-ins at chosen times, and a
counter of SQL statements (to show that pages do not grow queries with the data)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event

from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.events.models import AttendanceRule, EventSession

START = datetime(2025, 2, 14, 1, 0, tzinfo=UTC)  # Jumat, 14 Februari 2025, 08.00 WIB


@pytest.fixture()
def two_session_event(make_event, db):
    """Sesi 1 (wajib) 08.00-10.00 WIB, Sesi 2 (tidak wajib) 10.00-12.00 WIB."""

    def make(**kw):
        # The per-session rule (no longer the model's default, which is one scan per event).
        kw.setdefault("attendance_rule", AttendanceRule.ALL_MANDATORY)
        event = make_event(starts_at=START, hours=4, **kw)
        first = event.sessions[0]
        first.title, first.ends_at = "Pembukaan dan paparan", START + timedelta(hours=2)
        event.sessions.append(
            EventSession(
                title="Diskusi",
                starts_at=START + timedelta(hours=2),
                ends_at=START + timedelta(hours=4),
                mandatory=False,
            )
        )
        db.session.commit()
        return event

    return make


@pytest.fixture()
def check(db):
    """``check(reg, session, minutes_after_start)`` writes a check-in row."""

    def make(reg, session, minutes: float = 0, method=CheckInMethod.QR):
        row = CheckIn(
            registration_id=reg.id,
            session_id=session.id,
            at=session.starts_at + timedelta(minutes=minutes),
            method=method,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return make


@pytest.fixture()
def count_queries(db):
    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa_event.remove(engine, "before_cursor_execute", before)

    return counting
