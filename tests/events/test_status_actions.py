"""Safe state changes (issue 16, item 2): buttons, confirmations, one registration state."""

from __future__ import annotations

from datetime import timedelta

from sosialisasi.auth.models import Role
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import Event, EventStatus
from sosialisasi.registration.rules import registration_state
from tests.events.test_events import FORM


def _status(db, event):
    db.session.expire_all()
    return db.session.get(Event, event.id).status


def test_buttons_name_the_allowed_transitions(client, login_as, make_event):
    login_as(Role.ORGANIZER)
    draft = make_event(status=EventStatus.DRAFT)
    page = client.get(f"/acara/{draft.id}").text
    assert "Terbitkan (buka pendaftaran)" in page and "Batalkan acara" in page
    assert "Status baru" not in page  # no dropdown that pre-selects a backward move
    opened = make_event(status=EventStatus.OPEN)
    page = client.get(f"/acara/{opened.id}").text
    for label in ("Tutup pendaftaran", "Mulai acara", "Kembalikan ke draf", "Batalkan acara"):
        assert label in page


def test_back_to_draft_asks_first_and_says_who_is_affected(
    client, login_as, make_event, make_unit, make_registration, db
):
    login_as(Role.ORGANIZER)
    event = make_event(status=EventStatus.OPEN, invite=[make_unit(), make_unit()])
    make_registration(event)
    page = client.post(f"/acara/{event.id}/status", data={"status": "draft"})
    assert page.status_code == 200
    assert "2 unit undangan tidak lagi melihat acara ini" in page.text
    assert "1 peserta terdaftar" in page.text
    assert _status(db, event) is EventStatus.OPEN
    client.post(f"/acara/{event.id}/status", data={"status": "draft", "confirm": "y"})
    assert _status(db, event) is EventStatus.DRAFT


def test_forward_moves_need_no_confirmation(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    event = make_event(status=EventStatus.DRAFT)
    client.post(f"/acara/{event.id}/status", data={"status": "open"})
    assert _status(db, event) is EventStatus.OPEN


def test_finishing_before_the_start_and_opening_a_past_event_ask(client, login_as, make_event, db):
    login_as(Role.ORGANIZER)
    future = make_event(status=EventStatus.RUNNING)  # a week ahead
    page = client.post(f"/acara/{future.id}/status", data={"status": "finished"})
    assert "Acara belum dimulai" in page.text
    assert _status(db, future) is EventStatus.RUNNING
    past = make_event(status=EventStatus.DRAFT, starts_at=utcnow() - timedelta(days=30))
    page = client.post(f"/acara/{past.id}/status", data={"status": "open"})
    assert "sudah lewat" in page.text
    assert _status(db, past) is EventStatus.DRAFT


def test_a_past_date_on_the_form_must_be_confirmed(client, login_as, db):
    login_as(Role.ORGANIZER)
    form = {k: v for k, v in FORM.items() if k != "confirm_past"}
    page = client.post("/acara/baru", data=form)
    assert page.status_code == 422
    assert "sudah lewat" in page.text and "Ya, tanggal acara memang sudah lewat" in page.text
    assert db.session.query(Event).count() == 0


def test_one_registration_state_with_its_reason(make_event, make_unit, make_registration, db):
    event = make_event(status=EventStatus.OPEN)
    state = registration_state(event)
    assert state.open and state.reason.startswith("dibuka sampai ")
    assert not registration_state(event, now=event.starts_at + timedelta(minutes=1)).open
    assert (
        registration_state(event, now=event.starts_at + timedelta(minutes=1)).reason
        == "ditutup: acara sudah dimulai"
    )
    unit = make_unit()
    full = make_event(status=EventStatus.OPEN, invite=[unit], quota=1)
    make_registration(full, unit=unit)
    assert registration_state(full, unit=unit).reason == "ditutup: kuota penuh"
    event.status = EventStatus.DRAFT
    assert registration_state(event).reason == "belum dibuka: acara masih draf"


def test_the_event_page_and_the_operator_page_say_the_same(
    client, login_as, make_event, make_user, db
):
    operator = make_user(Role.UNIT_OPERATOR)
    event = make_event(status=EventStatus.OPEN, invite=[operator.unit])
    login_as(operator)
    delegates = client.get(f"/acara/{event.id}/delegasi").text
    detail = client.get(f"/acara/{event.id}").text
    assert "Pendaftaran dibuka sampai" in delegates and "Pendaftaran dibuka sampai" in detail


def test_setup_checklist_links_each_missing_step_to_its_fix(
    client, login_as, make_event, make_unit, make_user
):
    login_as(Role.ORGANIZER)
    unit = make_unit()
    event = make_event(invite=[unit])
    page = client.get(f"/acara/{event.id}").text
    assert "Persiapan acara" in page
    assert 'data-step="operators" data-done="tidak"' in page
    assert f'href="/acara/{event.id}/akun-operator">Lengkapi' in page
    assert 'data-step="invitations" data-done="ya"' in page
    make_user(Role.UNIT_OPERATOR, unit=unit)
    page = client.get(f"/acara/{event.id}").text
    assert 'data-step="operators" data-done="ya"' in page


def test_the_organizers_first_screen_has_numbers_per_upcoming_event(
    client, login_as, make_event, make_unit, make_registration
):
    units = [make_unit(), make_unit()]
    event = make_event(title="Sosialisasi Kepatuhan 2026", invite=units, quota=2)
    make_registration(event, unit=units[0])
    login_as(Role.ORGANIZER)
    page = client.get("/beranda").text
    assert "Persiapan acara mendatang" in page
    row = page.split("Sosialisasi Kepatuhan 2026")[1].split("</tr>")[0]
    assert "1 / 4" in row and f'href="/acara/{event.id}/akun-operator">2</a>' in row
