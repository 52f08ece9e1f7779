"""The index behind the people search by name (``registration.search`` holds the query rule).

A name search is a substring search (``wulan`` finds "Sari Wulandari"), which a B-tree index
cannot answer: ``name_key LIKE '%wulan%'`` reads every person, 100,000 in a district. So:

- SQLite: ``people_fts``, an FTS5 table with the ``trigram`` tokenizer (SQLite 3.34 or later)
  holding each person's ``name_key`` under the person's id as rowid. It keeps its own copy of
  the key (no external content: a row can always be deleted by rowid alone, whatever the
  ``people`` row looked like), and three triggers on ``people`` keep it in step: an INSERT adds
  the key, a DELETE removes it, an UPDATE of the key (or id) replaces it.
- PostgreSQL: a GIN trigram index (extension ``pg_trgm``) on ``people.name_key``, which the
  plain ``name_key LIKE '%text%'`` uses as it is. When the extension cannot be created (no right
  to), the migration logs it and goes on: the search works, without the index.

Where the DDL runs:

- migration ``0013_search`` (every real database);
- ``db.create_all()`` (tests, bench scripts) through the ``after_create`` event of the people
  table (``registration.models``), SQLite only; ``drop_all`` removes the table first. A
  PostgreSQL database made by ``create_all`` has no trigram index (same results, unindexed);
- ``migrations/env.py``: hides the FTS table, its shadow tables and the trigram index from
  autogenerate (``flask db check``), and after every upgrade on SQLite puts the triggers back
  and rebuilds the table when a later ``batch_alter_table("people")`` (which copies the table
  and drops the old one, triggers and all) lost them.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

FTS_TABLE = "people_fts"
TRGM_INDEX = "ix_people_name_key_trgm"
# A trigram index answers a search of three characters or more.
MIN_INDEXED = 3

_TRIGGERS = {
    "people_fts_insert": (
        "CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN"
        " INSERT INTO people_fts(rowid, name_key) VALUES (new.id, new.name_key); END"
    ),
    "people_fts_delete": (
        "CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN"
        " DELETE FROM people_fts WHERE rowid = old.id; END"
    ),
    "people_fts_update": (
        "CREATE TRIGGER people_fts_update AFTER UPDATE OF id, name_key ON people BEGIN"
        " DELETE FROM people_fts WHERE rowid = old.id;"
        " INSERT INTO people_fts(rowid, name_key) VALUES (new.id, new.name_key); END"
    ),
}


def hidden_from_autogenerate(name: str | None, type_: str) -> bool:
    """What autogenerate must not compare: made by this module's DDL, unknown to the models."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    return type_ == "index" and name == TRGM_INDEX


def install_sqlite(conn: Connection) -> bool:
    """(Re)make the FTS table and its triggers and fill it from ``people``: idempotent.

    False (logged) when this SQLite has no FTS5 trigram tokenizer: the search then reads the
    table as before (``registration.search`` looks for the table before using it)."""
    drop_sqlite(conn)
    try:
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(name_key, tokenize='trigram')"
        )
    except OperationalError as err:
        log.warning("people search: no FTS5 trigram index on this SQLite (%s)", err)
        return False
    for ddl in _TRIGGERS.values():
        conn.exec_driver_sql(ddl)
    conn.exec_driver_sql("INSERT INTO people_fts(rowid, name_key) SELECT id, name_key FROM people")
    return True


def drop_sqlite(conn: Connection) -> None:
    for name in _TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def sqlite_has_fts(conn: Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).scalar()
    return bool(found)


def repair_sqlite(conn: Connection) -> bool:
    """After migrations: when the FTS table exists but a trigger is missing (``people`` was
    rebuilt by a batch migration), make the triggers again and refill the table. True if it did."""
    if conn.dialect.name != "sqlite" or not sqlite_has_fts(conn):
        return False
    present = {
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people'"
        )
    }
    if set(_TRIGGERS) <= present:
        return False
    log.warning("people search: triggers missing on people, rebuilding %s", FTS_TABLE)
    install_sqlite(conn)
    return True


def install_postgresql(conn: Connection) -> bool:
    """``pg_trgm`` and the GIN trigram index on ``people.name_key``; False (logged, nothing
    changed) when the extension cannot be created."""
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as err:  # no right to create it, or no contrib package: go on unindexed
        log.warning("people search: pg_trgm not available, no trigram index (%s)", err)
        return False
    # The operator class lives in the extension's schema, which need not be on the search path
    # (an extension created earlier in ``public``, the app's tables in a schema of their own).
    schema = conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    opclass = '"' + str(schema).replace('"', '""') + '".gin_trgm_ops'
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON people USING gin (name_key {opclass})"
            )
    except DBAPIError as err:
        log.warning("people search: no trigram index (%s)", err)
        return False
    return True


def drop_postgresql(conn: Connection) -> None:
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


# --- db.create_all() / drop_all() ----------------------------------------------------------


def after_create(_table: Any, conn: Connection, **_kw: Any) -> None:
    if conn.dialect.name == "sqlite":
        install_sqlite(conn)


def before_drop(_table: Any, conn: Connection, **_kw: Any) -> None:
    if conn.dialect.name == "sqlite":
        drop_sqlite(conn)
