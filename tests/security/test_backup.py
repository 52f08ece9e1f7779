"""``flask backup`` / ``flask restore`` round trips: every table's rows come back exactly."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from sosialisasi.audit.models import AuditEntry
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.extensions import db as _db


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, as plain tuples."""
    out = {}
    with engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _populate(make_registration, make_user, db):
    admin = make_user("admin")
    regs = [make_registration() for _ in range(3)]
    db.session.add(
        CheckIn(
            registration=regs[0],
            session=regs[0].event.sessions[0],
            method=CheckInMethod.QR,
            operator_id=admin.id,
            nonce="n-1",
        )
    )
    db.session.commit()
    return regs


def _is_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_sqlite_backup_and_restore_round_trip(
    app, db, runner, tmp_path, make_registration, make_user
):
    if not _is_sqlite(app):
        pytest.skip("SQLite only: the test database is PostgreSQL (its round trip is below)")
    _populate(make_registration, make_user, db)
    before = snapshot(db.engine)
    path = tmp_path / "cadangan" / "sosialisasi.sqlite"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "backup: sqlite" in result.output and path.exists()
    # The backup itself is recorded (after the copy, so it is not in the copy).
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "backup")) is not None

    # Damage the live database after the backup: delete a person's data, add rows.
    db.session.execute(CheckIn.__table__.delete())
    db.session.execute(text("UPDATE people SET name = 'RUSAK'"))
    db.session.commit()
    assert snapshot(db.engine) != before

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    after = snapshot(db.engine)
    assert after == before
    assert sum(len(rows) for rows in after.values()) >= 10
    print(
        f"backup round trip (sqlite): {len(after)} tables, "
        f"{sum(len(r) for r in after.values())} rows identical"
    )


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "bukan.sqlite"
    bogus.write_bytes(b"hello, this is not a database")
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert "bukan cadangan" in result.output


def test_restore_asks_before_replacing_the_database(app, runner, tmp_path, make_unit):
    make_unit("Dinas Tetap Ada")
    path = tmp_path / "b.sqlite"
    runner.invoke(args=["backup", str(path)])
    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code != 0
    assert "Lanjutkan?" in result.output


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_postgresql_backup_and_restore_into_a_scratch_database(
    app, db, runner, tmp_path, make_registration, make_user
):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: TEST_DATABASE_URL does not name a PostgreSQL database")
    _populate(make_registration, make_user, db)
    before = snapshot(db.engine)
    path = tmp_path / "sosialisasi.dump"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"PGDMP")

    scratch = f"{make_url(url).database}_restore_{uuid.uuid4().hex[:8]}"
    admin_dsn = make_url(url).set(drivername="postgresql", database="postgres")
    admin_dsn = admin_dsn.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    scratch_url = make_url(url).set(database=scratch).render_as_string(hide_password=False)
    engine = create_engine(scratch_url)
    try:
        result = runner.invoke(args=["restore", str(path), "--to", scratch_url, "--yes"])
        assert result.exit_code == 0, result.output
        after = snapshot(engine)
        assert after == before
        print(
            f"backup round trip (postgresql): {len(after)} tables, "
            f"{sum(len(r) for r in after.values())} rows identical"
        )
    finally:
        engine.dispose()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_backup_without_pg_dump_gives_a_clear_message(app, runner, tmp_path, monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only: TEST_DATABASE_URL does not name a PostgreSQL database")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = runner.invoke(args=["backup", str(tmp_path / "x.dump")])
    assert result.exit_code != 0
    assert "pg_dump tidak ditemukan" in result.output
