"""The clean-up between tests (tests/isolation.py) really returns to the seeded state."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from sosialisasi.events.models import Event
from sosialisasi.followup.models import ScoreBand
from sosialisasi.units.models import Unit


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_reset_removes_what_a_test_wrote_and_restores_the_reference_data(app, db, make_event):
    reset = app.extensions["test_reset"]
    units, bands = _count(db, Unit), _count(db, ScoreBand)
    assert units > 80 and bands > 0  # seeded once for the run
    dinkes = db.session.scalar(select(Unit).where(Unit.code == "DINKES"))
    dinkes.name = "Dinas yang diubah tes"
    db.session.add(Unit(code="TES-BARU", name="Unit Baru Tes", kind=dinkes.kind))
    db.session.execute(delete(ScoreBand))
    db.session.commit()
    make_event()
    db.session.remove()

    reset.after_test()

    assert _count(db, Event) == 0
    assert (_count(db, Unit), _count(db, ScoreBand)) == (units, bands)
    assert db.session.scalar(select(Unit.name).where(Unit.code == "DINKES")) == "Dinas Kesehatan"
    assert db.session.scalar(select(Unit).where(Unit.code == "TES-BARU")) is None


def test_a_test_that_only_reads_costs_no_clean_up(app, db):
    reset = app.extensions["test_reset"]
    db.session.scalar(select(func.count()).select_from(Unit))
    assert not reset.inserted and not reset.changed
