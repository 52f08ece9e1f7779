"""Status changes ask the other areas through the ``events.signals.status_changing`` signal."""

from __future__ import annotations

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.common.errors import DomainError
from sosialisasi.events import services, signals
from sosialisasi.events.models import Event, EventStatus


def test_a_finished_event_without_a_report_cannot_be_marked_reported(make_event, db):
    event = make_event(status=EventStatus.FINISHED)
    with pytest.raises(DomainError, match="memerlukan laporan kegiatan"):
        services.change_status(event, EventStatus.REPORTED)
    assert event.status is EventStatus.FINISHED
    services.change_status(event, EventStatus.RUNNING)  # other targets are not the report's
    assert event.status is EventStatus.RUNNING


def test_the_status_page_refuses_reported_without_a_report(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(status=EventStatus.FINISHED)
    page = client.post(
        f"/acara/{event.id}/status", data={"status": "reported"}, follow_redirects=True
    )
    assert "memerlukan laporan kegiatan" in page.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).status is EventStatus.FINISHED


def test_a_receiver_refusing_leaves_the_status_as_it_was(make_event):
    event = make_event(status=EventStatus.OPEN)
    seen = []

    def refuse(sender, *, target, **extra):
        seen.append((sender, target))
        raise DomainError("ditolak")

    with (
        signals.status_changing.connected_to(refuse),
        pytest.raises(DomainError, match="ditolak"),
    ):
        services.change_status(event, EventStatus.CLOSED)
    assert seen == [(event, EventStatus.CLOSED)]
    assert event.status is EventStatus.OPEN
    services.change_status(event, EventStatus.CLOSED)  # disconnected again
    assert event.status is EventStatus.CLOSED


def test_a_transition_the_table_refuses_never_reaches_the_receivers(make_event):
    event = make_event(status=EventStatus.DRAFT)
    seen = []
    with (
        signals.status_changing.connected_to(lambda sender, **kw: seen.append(kw)),
        pytest.raises(DomainError),
    ):
        services.change_status(event, EventStatus.REPORTED)
    assert seen == []
