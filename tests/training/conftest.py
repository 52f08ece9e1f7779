"""Training fixtures: a bimtek with a day of sessions and a question bank (the browser test in
tests/e2e/test_training_browser.py imports them too)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sosialisasi.events.models import EventKind, EventSession
from sosialisasi.training import bank
from sosialisasi.training.models import QuestionKind
from tests.documents.conftest import check_in_all, letterhead, ready_event  # noqa: F401


@pytest.fixture()
def make_bimtek(db, make_event):
    """A bimtek whose sessions make 08:00-12:00 and 13:00-16:00 WIB (420 min = 9 1/3 -> 9 JP)."""

    def make(
        title: str = "Bimtek Penyusunan Standar Pelayanan",
        *,
        day: datetime | None = None,
        kind: EventKind = EventKind.BIMTEK,
        **kw,
    ):
        day = day or datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
        event = make_event(title, starts_at=day, hours=8, kind=kind, **kw)
        event.sessions.clear()
        db.session.flush()
        event.sessions.append(
            EventSession(title="Materi pagi", starts_at=day, ends_at=day + timedelta(hours=4))
        )
        event.sessions.append(
            EventSession(
                title="Praktik siang",
                starts_at=day + timedelta(hours=5),
                ends_at=day + timedelta(hours=8),
            )
        )
        db.session.commit()
        return event

    return make


@pytest.fixture()
def with_questions(db):
    def add(event, n: int = 4):
        for i in range(n):
            if i % 2:
                bank.add_question(
                    event,
                    kind=QuestionKind.TRUE_FALSE,
                    text=f"Pernyataan {i + 1}: standar pelayanan wajib dipublikasikan.",
                    options=[],
                    correct=0,
                )
            else:
                bank.add_question(
                    event,
                    kind=QuestionKind.CHOICE,
                    text=f"Soal {i + 1}: berapa komponen standar pelayanan?",
                    options=["14", "10", "6", "4"],
                    correct=0,
                )
        db.session.commit()
        return bank.questions(event)

    return add
