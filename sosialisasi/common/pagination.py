"""One page of a list already computed in Python (the ``pager`` macro reads it like
Flask-SQLAlchemy's ``db.paginate``): for lists ordered by a figure SQL does not hold, such as JP
totals, where the page must still render a bounded number of rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class ListPage(Generic[T]):
    def __init__(self, rows: Sequence[T], page: int | None, per_page: int = 50) -> None:
        self.total = len(rows)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page or 1, 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = list(rows[start : start + per_page])
        self.first = start + 1 if self.items else 0
        self.last = start + len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link, ``None`` where some are skipped (as Flask-SQLAlchemy's)."""
        shown = set(range(1, min(edge, self.pages) + 1))
        shown |= set(range(max(self.pages - edge + 1, 1), self.pages + 1))
        shown |= set(range(max(self.page - around, 1), min(self.page + around, self.pages) + 1))
        previous = 0
        for number in sorted(shown):
            if number != previous + 1:
                yield None
            yield number
            previous = number
