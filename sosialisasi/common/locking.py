"""Serialise writers on one row, portably.

Quotas and capacity are checked by counting then inserting; two requests doing that at once must
not both pass. PostgreSQL takes a row lock (``SELECT ... FOR UPDATE``). SQLite has one writer at a
time: a no-op UPDATE as the first write of the transaction takes the database's write lock (waiting
up to the busy timeout), and pysqlite begins the transaction only at that first write, so the counts
that follow see every committed row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Mapper

from ..extensions import db


def lock_row(model: type, row_id: int) -> None:
    bind = db.session.get_bind()
    mapper: Mapper[Any] = inspect(model)
    pk = mapper.primary_key[0]
    if bind.dialect.name == "sqlite":
        db.session.execute(update(model).where(pk == row_id).values({pk.key: pk}))
    else:
        db.session.execute(select(pk).where(pk == row_id).with_for_update())
