"""Test isolation by targeted clean-up: the reference data stays, what a test wrote goes.

The test database is created once per run and the reference data of ``flask seed`` is loaded
once (``tests/conftest.py``). The tables that hold rows at that moment are the *reference tables*;
their rows are snapshotted. Every statement the application's engine sends is watched (an
``before_cursor_execute`` listener that reads the statement's verb and table), so after each test
:meth:`Reset.after_test` knows which tables were written and restores only those:

- a table that is not a reference table is emptied (its id sequence restarts on PostgreSQL);
- a reference table that only received INSERTs loses the rows above its seeded ids;
- a reference table that saw an UPDATE or DELETE (or whose referenced rows did: cascades) is
  emptied and refilled from the snapshot.

This is a clean-up by truncation, not by rollback, on purpose: some tests run requests in threads
(the live server of the browser tests, the concurrency tests) on their own connections, which
could not see an outer transaction that is never committed. A test that writes nothing costs
nothing. A statement the watcher cannot read (DDL, a verb it does not know) makes it reset every
table, so a miss costs time, never isolation.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, Integer, MetaData, Table, event, text

ALL = "*"
_READS = re.compile(
    r"^\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|EXPLAIN)\b", re.I
)
_CTE = re.compile(r"^\s*WITH\b", re.I)
_WRITES = re.compile(
    r"\b(INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)"
    r"\s+(?:ONLY\s+)?\"?(\w+)\"?",
    re.I,
)


class Reset:
    """Watches an engine's writes and undoes them table by table after each test."""

    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self.engine = engine
        self.tables: list[Table] = list(metadata.sorted_tables)
        self.by_name = {t.name: t for t in self.tables}
        self.postgres = engine.dialect.name == "postgresql"
        self.snapshot: dict[str, list[dict[str, Any]]] = {}
        self.seeded_max: dict[str, int | None] = {}
        with engine.connect() as conn:
            for table in self.tables:
                rows = [dict(r) for r in conn.execute(table.select()).mappings()]
                if rows:
                    pk = _int_pk(table)
                    if pk is not None:
                        rows.sort(key=lambda r: r[pk])
                    self.snapshot[table.name] = rows
                    self.seeded_max[table.name] = max(r[pk] for r in rows) if pk else None
            self.sequences = self._sequences(conn)
        # Tables whose rows a DELETE or UPDATE elsewhere may change (ON DELETE CASCADE/SET NULL):
        # everything that refers to a table, transitively.
        referrers: dict[str, set[str]] = defaultdict(set)
        for table in self.tables:
            for fk in table.foreign_keys:
                referrers[fk.column.table.name].add(table.name)
        self.dependents: dict[str, set[str]] = {}
        for name in self.by_name:
            seen: set[str] = set()
            todo = [name]
            while todo:
                for other in referrers[todo.pop()] - seen:
                    seen.add(other)
                    todo.append(other)
            self.dependents[name] = seen
        self._lock = threading.Lock()
        self.inserted: set[str] = set()
        self.changed: set[str] = set()
        event.listen(engine, "before_cursor_execute", self._watch)

    @property
    def reference_tables(self) -> list[str]:
        return list(self.snapshot)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._watch)

    # --- watching --------------------------------------------------------------------------

    def _watch(self, conn, cursor, statement: str, parameters, context, executemany) -> None:
        if _READS.match(statement):
            return
        # "ON CONFLICT DO UPDATE SET" belongs to its INSERT.
        writes = [(v, n) for v, n in _WRITES.findall(statement) if n.upper() != "SET"]
        if not writes and _CTE.match(statement):
            return
        with self._lock:
            if not writes or any(name not in self.by_name for _, name in writes):
                self.changed.add(ALL)
                return
            for verb, name in writes:
                if verb.upper().startswith(("INSERT", "REPLACE")):
                    self.inserted.add(name)
                else:
                    self.changed.add(name)
                    self.changed.update(self.dependents[name])

    # --- restoring -------------------------------------------------------------------------

    def after_test(self) -> None:
        with self._lock:
            inserted, changed = self.inserted, self.changed
            self.inserted, self.changed = set(), set()
        if not inserted and not changed:
            return
        if ALL in changed:
            changed = set(self.by_name)
        # A reference table without an integer id cannot lose "the rows above": refill it.
        changed |= {n for n in inserted if n in self.snapshot and self.seeded_max[n] is None}
        written = inserted | changed
        with self.engine.begin() as conn:
            # Children before parents, so that no foreign key is ever left dangling.
            for table in reversed(self.tables):
                name = table.name
                if name not in written:
                    continue
                pk = _int_pk(table)
                if name in self.snapshot and name not in changed and pk is not None:
                    conn.execute(table.delete().where(table.c[pk] > self.seeded_max[name]))
                else:
                    conn.execute(table.delete())
            for table in self.tables:
                rows = self.snapshot.get(table.name)
                if rows and table.name in changed:
                    conn.execute(table.insert(), rows)
            if self.postgres:
                self._restart_sequences(conn, written)
        # The clean-up's own statements were watched too.
        with self._lock:
            self.inserted.clear()
            self.changed.clear()

    def _sequences(self, conn) -> dict[str, str]:
        if not self.postgres:
            return {}
        found = {}
        for table in self.tables:
            pk = _int_pk(table)
            if pk is None:
                continue
            seq = conn.scalar(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk}
            )
            if seq:
                found[table.name] = seq
        return found

    def _restart_sequences(self, conn, names: set[str]) -> None:
        calls = []
        params: dict[str, Any] = {}
        for n, name in enumerate(sorted(names & set(self.sequences))):
            seeded = self.seeded_max.get(name) or 0
            params[f"s{n}"] = self.sequences[name]
            params[f"v{n}"] = max(seeded, 1)
            params[f"c{n}"] = seeded > 0
            calls.append(f"setval(:s{n}, :v{n}, :c{n})")
        if calls:
            conn.execute(text("SELECT " + ", ".join(calls)), params)


def _int_pk(table: Table) -> str | None:
    columns = list(table.primary_key.columns)
    if len(columns) == 1 and isinstance(columns[0].type, Integer):
        return columns[0].name
    return None
