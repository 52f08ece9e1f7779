"""The people search: which people a typed text finds, one rule for every page that asks.

What users rely on: any part of a name finds the person (``wulan`` finds "Sari Wulandari"),
case, accents and punctuation ignored (the text is folded like ``Person.name_key``); a number
also finds the people whose NIP or NIK starts with it (spaces ignored).

How it stays fast at district size (``registration.people_fts`` makes the indexes):

- name, SQLite, three folded characters or more: a phrase MATCH on the FTS5 trigram table
  ``people_fts`` (a trigram phrase is a substring), joined on the person's id, unless the text
  is common (``name_contains``); shorter texts, which a trigram index cannot answer, keep
  ``name_key LIKE '%text%'`` (a table scan, as before);
- name, PostgreSQL: ``name_key LIKE '%text%'``, which the GIN trigram index answers;
- NIP/NIK: a range on their unique indexes (``nip >= '1980' AND nip < '1981'``), with the
  ``LIKE '1980%'`` kept as the exact test (SQLite cannot use an index for a case-insensitive
  LIKE, nor PostgreSQL for a LIKE under a non-C collation). Numbers only: a NIP or NIK holds
  nothing else, so a text with letters never matched them.
"""

from __future__ import annotations

import weakref

from sqlalchemy import ColumnElement, and_, column, func, literal_column, or_, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import InstrumentedAttribute

from ..common.text import fold
from ..extensions import db
from . import people_fts
from .models import Person

_fts = table(people_fts.FTS_TABLE, column("rowid"))
# More name matches than this: the name is common (see ``name_contains``).
COMMON = 1000
# Engines whose database has the FTS table (looked up once; ``db.create_all`` and the
# migration make it, a SQLite database from before them may not have it).
_fts_ready: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def person_matches(q: str) -> ColumnElement[bool] | None:
    """The condition "this person is what ``q`` finds"; None when ``q`` asks for nothing
    (empty once folded and not a number)."""
    key = fold(q)
    digits = q.replace(" ", "")
    conditions: list[ColumnElement[bool]] = []
    if key:
        conditions.append(name_contains(key))
    if digits.isascii() and digits.isdigit():
        conditions.append(_starts_with(Person.nip, digits))
        conditions.append(_starts_with(Person.nik, digits))
    if not conditions:
        return None
    return or_(*conditions)


def name_contains(key: str) -> ColumnElement[bool]:
    """People whose folded name contains ``key`` (already folded).

    On SQLite, one statement first counts the FTS matches up to ``COMMON``: a rarer text is
    looked up in the FTS table; a commoner one (a family name half the district bears) is tested
    row by row along the ``name_key`` index, which the list reads in its order and leaves after
    a page of matches, where the FTS table would hand over every match to fetch and sort."""
    if len(key) >= people_fts.MIN_INDEXED and _has_fts():
        phrase = '"' + key.replace('"', '""') + '"'
        in_fts = select(_fts.c.rowid).where(
            literal_column(people_fts.FTS_TABLE).op("MATCH")(phrase)
        )
        found = db.session.scalar(select(func.count()).select_from(in_fts.limit(COMMON).subquery()))
        if (found or 0) < COMMON:
            return Person.id.in_(in_fts)
    return Person.name_key.like(f"%{key}%")


def _starts_with(col: InstrumentedAttribute[str | None], digits: str) -> ColumnElement[bool]:
    """``col`` starts with ``digits``, as an index range plus the exact test."""
    conditions = [col >= digits, col.like(f"{digits}%")]
    # The first text after every text that starts with ``digits``: "1989" -> "199"; none after
    # "99" (no digit string above "99" fails to start with it).
    stripped = digits.rstrip("9")
    if stripped:
        conditions.append(col < stripped[:-1] + chr(ord(stripped[-1]) + 1))
    return and_(*conditions)


def _has_fts() -> bool:
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return False
    if _fts_ready.get(engine):
        return True
    with engine.connect() as conn:
        ready = people_fts.sqlite_has_fts(conn)
    if ready:  # a missing table is looked for again: it may be made later (tests, migration)
        _fts_ready[engine] = True
    return ready
