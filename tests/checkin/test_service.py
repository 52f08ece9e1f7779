"""The check-in rule: answers, the session window, nonces, bad codes, and races between devices."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.checkin.services import Result, check_in, parse_code, undo_check_in
from sosialisasi.common.errors import DomainError
from sosialisasi.events.models import EventSession, EventStatus
from sosialisasi.registration.models import RegistrationStatus

# 14 February 2025, 08.00 WIB = 01.00 UTC
START = datetime(2025, 2, 14, 1, 0, tzinfo=UTC)
QR = CheckInMethod.QR


def count(db) -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


@pytest.fixture()
def event(make_event):
    return make_event(starts_at=START, hours=4)


@pytest.fixture()
def reg(make_registration, make_person, make_unit, event):
    unit = make_unit("Dinas Kesehatan")
    return make_registration(event, make_person("Dr. Siti Aminah, M.Kes.", unit=unit))


@pytest.fixture()
def staff(make_user):
    return make_user("checkin_staff", name="Petugas Pintu")


def test_answer_names_the_person_their_unit_and_role(db, event, reg, staff, make_person, make_unit):
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert (outcome.ticket.name, outcome.ticket.unit) == (
        "Dr. Siti Aminah, M.Kes.",
        "Dinas Kesehatan",
    )
    assert outcome.ticket.json()["role"] == "peserta"
    assert outcome.checkin_id == db.session.scalar(select(CheckIn.id))


def test_ticket_without_a_unit_of_its_own_shows_the_persons_unit(
    db, event, staff, make_registration, make_person, make_unit
):
    person = make_person("Rina Wulandari", unit=make_unit("Kecamatan Cibitung"))
    reg = make_registration(event, person)
    reg.unit = None
    db.session.commit()
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert outcome.ticket.unit == "Kecamatan Cibitung"


def test_door_view_of_the_event_matches_the_agenda(db, event):
    from sosialisasi.checkin.door import EVENT_AGENDA, DoorEvent
    from sosialisasi.events.services import current_session

    def door_event(event_id):
        return DoorEvent.from_rows(db.session.execute(EVENT_AGENDA, {"event_id": event_id}).all())

    event.sessions[0].ends_at = START + timedelta(hours=2)
    later = EventSession(
        title="Diskusi", starts_at=START + timedelta(hours=2), ends_at=START + timedelta(hours=3)
    )
    event.sessions.append(later)
    db.session.commit()
    door = door_event(event.id)
    assert [s.id for s in door.sessions] == [s.id for s in event.sessions]
    assert (door.status, door.checkin_opens_minutes) == (event.status, event.checkin_opens_minutes)
    at = START + timedelta(hours=2, minutes=5)
    assert door.current_session(at).id == current_session(event, at).id == later.id
    assert door == DoorEvent.of(event)
    assert door.session(later.id).title == "Diskusi"
    assert door_event(event.id + 1000) is None


def test_draft_event_is_not_open_for_check_in(db, event, reg, staff):
    event.status = EventStatus.DRAFT
    db.session.commit()
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert outcome.result is Result.NOT_OPEN
    assert outcome.message.startswith("Acara ini masih draf")
    assert count(db) == 0


def test_first_scan_checks_in_with_operator_device_and_time(db, event, reg, staff):
    at = START - timedelta(minutes=48)  # 07.12 WIB
    outcome = check_in(
        event, reg.ticket_code, operator=staff, method=QR, device="HP Pintu 1", at=at, now=at
    )
    db.session.commit()
    assert outcome.result is Result.OK
    assert outcome.result.http_status == 201
    assert outcome.message == "Selamat datang, Dr. Siti Aminah, M.Kes."
    row = db.session.scalar(select(CheckIn))
    assert (row.registration_id, row.session_id) == (reg.id, event.sessions[0].id)
    assert row.operator_id == staff.id
    assert row.device == "HP Pintu 1"
    assert row.at == at
    assert row.method is QR


def test_second_scan_says_already_with_first_time_in_wib(db, event, reg, staff):
    first = START + timedelta(minutes=12)  # 08.12 WIB
    check_in(event, reg.ticket_code, operator=staff, method=QR, at=first, now=first)
    db.session.commit()
    later = first + timedelta(minutes=30)
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, at=later, now=later)
    assert outcome.result is Result.ALREADY
    assert outcome.result.http_status == 200
    assert outcome.message == "Dr. Siti Aminah, M.Kes. sudah registrasi ulang pukul 08.12."
    assert outcome.checked_in_at == first
    assert count(db) == 1


@pytest.mark.parametrize(
    "raw",
    [
        "{code}",
        "  {code}\n",
        "https://sosialisasi.bekasikab.go.id/t/{code}",
        "http://127.0.0.1:5000/t/{code}/",
        "/t/{code}",
    ],
)
def test_url_bare_code_and_typed_input_are_accepted(db, event, reg, staff, raw):
    now = START
    outcome = check_in(event, raw.format(code=reg.ticket_code), operator=staff, method=QR, now=now)
    assert outcome.result is Result.OK
    assert count(db) == 1


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "WIFI:S:HotelPrimebiz;T:WPA;P:rahasia;;",  # another system's QR
        "https://example.com/promo?id=12345",  # a random URL
        "https://sosialisasi.bekasikab.go.id/acara/1",
        "BEGIN:VCARD\nFN:Budi\nEND:VCARD",
        "x" * 600,
        "abc",  # truncated
        "'; DROP TABLE checkins; --",
    ],
)
def test_foreign_random_or_truncated_content_is_unknown_and_writes_nothing(
    db, event, reg, staff, raw
):
    outcome = check_in(event, raw, operator=staff, method=QR, now=START)
    assert outcome.result is Result.UNKNOWN
    assert outcome.result.http_status == 404
    assert outcome.ticket is None
    assert count(db) == 0


def test_truncated_ticket_code_is_unknown(db, event, reg, staff):
    outcome = check_in(event, reg.ticket_code[:-3], operator=staff, method=QR, now=START)
    assert outcome.result is Result.UNKNOWN
    assert outcome.message == "Tiket tidak ditemukan."
    assert count(db) == 0


def test_ticket_of_another_event_is_wrong_event(db, make_event, event, staff, make_registration):
    other = make_event("Bimtek SKM", starts_at=START)
    foreign = make_registration(other)
    outcome = check_in(event, foreign.ticket_code, operator=staff, method=QR, now=START)
    assert outcome.result is Result.WRONG_EVENT
    assert outcome.result.http_status == 409
    assert outcome.message == "Tiket ini untuk acara lain."
    assert count(db) == 0


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (RegistrationStatus.CANCELLED, "dibatalkan"),
        (RegistrationStatus.PENDING, "belum disetujui panitia"),
        (RegistrationStatus.WAITLISTED, "masih dalam daftar tunggu"),
        (RegistrationStatus.REJECTED, "ditolak"),
    ],
)
def test_inactive_registration_is_refused_with_reason(
    db, event, make_registration, staff, status, text
):
    reg = make_registration(event, status=status)
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert outcome.result is Result.CANCELLED
    assert outcome.message == f"Pendaftaran {reg.person.name} {text}."
    assert count(db) == 0


def test_cancelled_event_refuses(db, event, reg, staff):
    event.status = EventStatus.CANCELLED
    db.session.commit()
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert outcome.result is Result.CANCELLED
    assert outcome.message == "Acara ini dibatalkan."


def test_window_opens_sixty_minutes_before_the_session_by_default(db, event, reg, staff):
    too_early = START - timedelta(minutes=61)
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=too_early)
    assert outcome.result is Result.NOT_OPEN
    assert outcome.message == "Registrasi ulang sesi ini baru dibuka pukul 07.00 WIB."
    assert count(db) == 0
    just_open = START - timedelta(minutes=60)
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=just_open)
    assert outcome.result is Result.OK


def test_window_is_configurable_per_event(db, event, reg, staff):
    event.checkin_opens_minutes = 15
    db.session.commit()
    outcome = check_in(
        event, reg.ticket_code, operator=staff, method=QR, now=START - timedelta(minutes=20)
    )
    assert outcome.result is Result.NOT_OPEN
    assert "07.45 WIB" in outcome.message


def test_session_that_has_ended_refuses(db, event, reg, staff):
    session = event.sessions[0]
    outcome = check_in(
        event,
        reg.ticket_code,
        operator=staff,
        method=QR,
        session=session,
        now=session.ends_at + timedelta(minutes=1),
    )
    assert outcome.result is Result.NOT_OPEN
    assert outcome.message == "Sesi ini sudah berakhir."


def test_session_of_another_event_is_refused(db, make_event, event, reg, staff):
    other = make_event("Rakor", starts_at=START)
    outcome = check_in(
        event, reg.ticket_code, operator=staff, method=QR, session=other.sessions[0], now=START
    )
    assert outcome.result is Result.NOT_OPEN
    assert count(db) == 0


def test_multi_day_event_checks_in_per_session(db, event, reg, staff):
    day2 = EventSession(
        title="Hari kedua",
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=3),
    )
    event.sessions.append(day2)
    event.ends_at = day2.ends_at
    db.session.commit()
    assert (
        check_in(event, reg.ticket_code, operator=staff, method=QR, now=START).result is Result.OK
    )
    # The next morning the default session is day two, so the same ticket checks in again.
    next_day = START + timedelta(days=1, minutes=5)
    outcome = check_in(event, reg.ticket_code, operator=staff, method=QR, now=next_day)
    assert outcome.result is Result.OK
    assert outcome.session.id == day2.id
    assert count(db) == 2


def test_same_nonce_twice_gives_the_first_answer_and_writes_nothing(db, event, reg, staff):
    first = check_in(event, reg.ticket_code, operator=staff, method=QR, nonce="n-1", now=START)
    db.session.commit()
    again = check_in(
        event, reg.ticket_code, operator=staff, method=QR, nonce="n-1", now=START + timedelta(1)
    )
    assert first.result is again.result is Result.OK
    assert again.checked_in_at == first.checked_in_at
    assert count(db) == 1


def test_offline_scan_keeps_the_time_it_happened_but_never_the_future(db, event, reg, staff):
    scanned = START + timedelta(minutes=3)
    synced = START + timedelta(minutes=40)
    outcome = check_in(
        event,
        reg.ticket_code,
        operator=staff,
        method=CheckInMethod.OFFLINE,
        at=scanned,
        now=synced,
    )
    assert outcome.checked_in_at == scanned
    other = check_in(
        event,
        reg.ticket_code,
        operator=staff,
        method=QR,
        session=event.sessions[0],
        at=synced + timedelta(hours=5),
        now=synced,
    )
    assert other.result is Result.ALREADY  # and the clamped time did not pass the session's end


def test_undo_frees_the_ticket_and_is_audited(db, event, reg, make_user, staff):
    organizer = make_user("organizer", name="Panitia Organisasi")
    check_in(event, reg.ticket_code, operator=staff, method=QR, device="HP Pintu 1", now=START)
    db.session.commit()
    row = db.session.scalar(select(CheckIn))
    with pytest.raises(DomainError) as err:
        undo_check_in(row, actor=organizer, reason=" ")
    assert err.value.field == "reason"
    undo_check_in(row, actor=organizer, reason="Salah pindai", ip="10.0.0.5", device="Firefox")
    db.session.commit()
    assert count(db) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.undo"))
    assert entry.actor_id == organizer.id
    assert entry.device == "Firefox"
    assert entry.data["reason"] == "Salah pindai"
    assert entry.data["operator_id"] == staff.id
    assert entry.data["checkin_device"] == "HP Pintu 1"
    assert "Dr. Siti Aminah" in entry.summary
    again = check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert again.result is Result.OK


def test_parse_code_keeps_only_the_ticket():
    code = "AbCdEfGhIjKlMnOpQrStUv"
    assert parse_code(f"https://x.go.id/t/{code}") == code
    assert parse_code(f"https://x.go.id/t/{code}?utm=wa") == code
    assert parse_code(f"https://x.go.id/t/{code}/extra") is None
    assert parse_code("https://[bad") is None


def _race(app, event_id: int, code: str, user_id: int, n: int) -> list[str]:
    """``n`` threads, each with its own database session, scan one ticket at the same moment."""
    from sosialisasi.auth.models import User
    from sosialisasi.events.models import Event
    from sosialisasi.extensions import db as _db

    barrier = threading.Barrier(n)
    results: list[str] = []
    errors: list[BaseException] = []

    def scan(i: int) -> None:
        try:
            with app.app_context():
                event = _db.session.get(Event, event_id)
                user = _db.session.get(User, user_id)
                _ = event.sessions  # loaded before the race starts
                barrier.wait(timeout=30)
                outcome = check_in(
                    event, code, operator=user, method=QR, nonce=f"dev-{i}", now=START
                )
                _db.session.commit()
                results.append(outcome.result.value)
                _db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_concurrent_scans_of_one_ticket_make_exactly_one_row(app, db, event, reg, staff):
    results = _race(app, event.id, reg.ticket_code, staff.id, 6)
    assert sorted(results) == ["already"] * 5 + ["ok"]
    assert count(db) == 1


def test_other_areas_ask_checkin_for_counts(db, event, reg, staff, make_registration):
    """events.delete_session and the person page ask check-in's queries (issue 12)."""
    from sosialisasi.checkin.queries import checkin_counts, session_has_checkins
    from sosialisasi.events.services import delete_session

    absent = make_registration(event)
    session = event.sessions[0]
    assert not session_has_checkins(session.id)
    check_in(event, reg.ticket_code, operator=staff, method=QR, now=START)
    assert session_has_checkins(session.id)
    assert checkin_counts([reg.id, absent.id]) == {reg.id: 1}
    assert checkin_counts([]) == {}
    event.sessions.append(
        EventSession(
            title="Diskusi",
            starts_at=START + timedelta(hours=4),
            ends_at=START + timedelta(hours=5),
        )
    )
    db.session.flush()
    with pytest.raises(DomainError, match="sudah memiliki data kehadiran"):
        delete_session(session)
