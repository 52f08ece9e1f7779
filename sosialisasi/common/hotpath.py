"""Plain-column statements on the hot path (the door), run on the session's connection.

``db.session.execute`` takes every statement through the ORM's execution machinery (session
events, ORM result set-up) even when it only selects plain columns or writes a table directly; on
the check-in path that bookkeeping cost as much as the SQL itself (docs/performance.md). ``execute``
flushes pending objects first (so reads see them, as autoflush would), then runs the statement on
the session's connection, inside the session's transaction: the caller's single commit covers it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import CursorResult
from sqlalchemy.sql import Executable

from ..extensions import db


def execute(statement: Executable, params: dict[str, Any] | None = None) -> CursorResult[Any]:
    db.session.flush()
    return db.session.connection().execute(statement, params)
