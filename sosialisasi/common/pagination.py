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


class CountedPage(ListPage[T]):
    """One page whose rows SQL already cut (LIMIT/OFFSET) and whose ``total`` SQL counted: for
    lists too long to load whole, such as a district unit's ASN or a unit's events over the
    years. Reads like ``ListPage`` for the ``pager`` macro."""

    def __init__(self, items: Sequence[T], total: int, page: int, per_page: int) -> None:
        self.total = total
        self.per_page = per_page
        self.pages = max(1, -(-total // per_page))
        self.page = page
        start = (page - 1) * per_page
        self.items = list(items)
        self.first = start + 1 if self.items else 0
        self.last = start + len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


def clamp_page(page: int | None, total: int, per_page: int) -> int:
    """The page to show: 1 for a missing or too small number, the last page past the end."""
    pages = max(1, -(-total // per_page))
    return min(max(page or 1, 1), pages)
