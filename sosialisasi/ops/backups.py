"""Backups and restores with the database's own tools.

SQLite's online backup API makes a consistent copy while the app keeps writing; PostgreSQL uses
``pg_dump --format=custom`` and ``pg_restore``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ..common.errors import DomainError
from ..extensions import db


class BackupError(DomainError):
    code = "backup_failed"
    status = 500


@dataclass
class BackupResult:
    path: Path
    kind: str  # "sqlite" or "pg_dump"
    size: int


def _sqlite_file(url: str) -> str | None:
    database = make_url(url).database
    return None if database in (None, "", ":memory:") else database


def _pg_args(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment carrying it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"Program {name} tidak ditemukan; pasang postgresql-client.")
    return found


def backup_database(url: str, path: Path) -> BackupResult:
    """Write a consistent copy of the database at ``url`` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        tmp = path.with_name(path.name + ".partial")
        tmp.unlink(missing_ok=True)
        engine = db.engine if str(db.engine.url) == url else None
        if engine is not None:
            with engine.connect() as conn:
                source = conn.connection.driver_connection
                assert isinstance(source, sqlite3.Connection)
                _sqlite_copy(source, tmp)
        else:
            source_file = _sqlite_file(url)
            if source_file is None:
                raise BackupError("Basis data SQLite di memori tidak dapat dicadangkan.")
            source = sqlite3.connect(source_file)
            try:
                _sqlite_copy(source, tmp)
            finally:
                source.close()
        tmp.replace(path)  # a crash mid-copy never leaves a half backup under the real name
        return BackupResult(path, "sqlite", path.stat().st_size)
    if backend == "postgresql":
        dsn, env = _pg_args(url)
        tmp = path.with_name(path.name + ".partial")
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from our config
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={tmp}", dsn],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"pg_dump gagal: {done.stderr.strip()[:300]}")
        tmp.replace(path)
        return BackupResult(path, "pg_dump", path.stat().st_size)
    raise BackupError(f"Jenis basis data {backend} tidak didukung untuk cadangan.")


def _sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()


def restore_database(path: Path, url: str) -> str:
    """Replace the database at ``url`` with the backup at ``path``; returns the kind restored.

    The caller stops the app (or at least its writers) first; the engine's pooled connections
    are closed here so that nothing keeps the old contents open.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Berkas cadangan {path} tidak ada.")
    backend = make_url(url).get_backend_name()
    head = path.read_bytes()[:16]
    if backend == "sqlite":
        if not head.startswith(b"SQLite format 3"):
            raise BackupError("Berkas ini bukan cadangan SQLite.")
        target_file = _sqlite_file(url)
        if target_file is None:
            raise BackupError("Tidak dapat memulihkan ke basis data SQLite di memori.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = source.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError("Berkas cadangan SQLite rusak (quick_check gagal).")
            db.session.remove()
            db.engine.dispose()
            target = sqlite3.connect(target_file)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        return "sqlite"
    if backend == "postgresql":
        if not head.startswith(b"PGDMP"):
            raise BackupError("Berkas ini bukan cadangan pg_dump (format custom).")
        dsn, env = _pg_args(url)
        db.session.remove()
        db.engine.dispose()
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from our config
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={dsn}",
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore gagal: {done.stderr.strip()[:300]}")
        return "pg_dump"
    raise BackupError(f"Jenis basis data {backend} tidak didukung untuk pemulihan.")
