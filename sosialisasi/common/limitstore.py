"""A rate-limit store in one SQLite file, shared by every worker process on the machine.

``limits`` (under Flask-Limiter) ships in-memory storage (one count per worker: with four
gunicorn workers a limit of 10 let the 112th failed login through), Redis, Memcached and MongoDB.
This is the embedded default for one machine without Redis: ``sqlitefile:///abs/path.sqlite``.
Each hit is one atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` in WAL mode, so
concurrent workers count together. Fixed-window strategy only (Flask-Limiter's default).
Several machines need Redis (``REDIS_URL``).
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from limits.storage import Storage

PURGE_CHANCE = 0.002  # about one hit in 500 also deletes the windows that have ended
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS limits ("
    " key TEXT PRIMARY KEY, value INTEGER NOT NULL, expiry REAL NOT NULL)"
)
_INCR = (
    "INSERT INTO limits (key, value, expiry) VALUES (:key, :amount, :expiry) "
    "ON CONFLICT (key) DO UPDATE SET "
    " value = CASE WHEN limits.expiry <= :now THEN excluded.value"
    "              ELSE limits.value + excluded.value END,"
    " expiry = CASE WHEN limits.expiry <= :now THEN excluded.expiry ELSE limits.expiry END "
    "RETURNING value"
)


class SQLiteFileStorage(Storage):
    STORAGE_SCHEME = ["sqlitefile"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        parts = urlsplit(uri)
        path = unquote(parts.netloc + parts.path)
        self.path = Path(path)
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        if random.random() < PURGE_CHANCE:  # noqa: S311 - housekeeping, not security
            self.purge_expired()
        row = (
            self._db()
            .execute(_INCR, {"key": key, "amount": amount, "expiry": now + expiry, "now": now})
            .fetchone()
        )
        return int(row[0])

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute("SELECT value FROM limits WHERE key = ? AND expiry > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = (
            self._db()
            .execute("SELECT expiry FROM limits WHERE key = ? AND expiry > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        db = self._db()
        count = db.execute("SELECT count(*) FROM limits").fetchone()[0]
        db.execute("DELETE FROM limits")
        return int(count)

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM limits WHERE key = ?", (key,))

    def purge_expired(self) -> int:
        """Delete windows that have ended (the table only grows otherwise)."""
        return self._db().execute("DELETE FROM limits WHERE expiry <= ?", (time.time(),)).rowcount
