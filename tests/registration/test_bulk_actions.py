"""Bulk actions on the organizer's registrations list (issue 16, item 4) and the list's filters;
the "Kirim tiket ke semua" button (issue 18)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from sosialisasi.audit.models import AuditEntry
from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.common.errors import NotAllowed
from sosialisasi.common.types import utcnow
from sosialisasi.jobs.models import Job
from sosialisasi.registration import bulk, queries
from sosialisasi.registration.models import (
    Registration,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)

RS = RegistrationStatus


@pytest.fixture()
def world(db, make_unit, make_event, make_user):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES", short_name="Dinkes")
    dinsos = make_unit("Dinas Sosial", code="DINSOS", short_name="Dinsos")
    event = make_event(invite=[dinkes, dinsos], quota=5)
    op_dinkes = make_user(Role.UNIT_OPERATOR, unit=dinkes)
    organizer = make_user(Role.ORGANIZER)
    return event, dinkes, dinsos, op_dinkes, organizer


def _reg(make_registration, make_person, event, name, unit, status=RS.REGISTERED, **kw):
    return make_registration(event, make_person(name, unit=unit), status=status, **kw)


def _statuses(db, regs):
    db.session.expire_all()
    return [db.session.get(Registration, r.id).status for r in regs]


# --- the service -------------------------------------------------------------------------------


def test_bulk_cancel_promotes_the_waiting_list_in_order(db, world, make_registration, make_person):
    event, dinkes, dinsos, _op, organizer = world
    event.capacity = 3
    db.session.commit()
    start = utcnow() - timedelta(days=2)
    seated = [
        _reg(make_registration, make_person, event, f"Duduk {i}", dinkes, created_at=start)
        for i in range(3)
    ]
    waiting = [
        _reg(
            make_registration,
            make_person,
            event,
            name,
            dinsos,
            status=RS.WAITLISTED,
            created_at=start + timedelta(hours=h),
        )
        for h, name in ((3, "Tunggu Ketiga"), (1, "Tunggu Pertama"), (2, "Tunggu Kedua"))
    ]
    # Two seats freed, and the last of the waiting list is cancelled in the same action: the
    # first two waiting people move up, in the order they registered.
    selection = bulk.Selection(ids=[seated[0].id, seated[1].id, waiting[0].id])
    result = bulk.apply(event, bulk.BulkAction.CANCEL, selection, actor=organizer, reason="Dobel")
    db.session.commit()
    assert [r.person.name for r in result.promoted] == ["Tunggu Pertama", "Tunggu Kedua"]
    assert _statuses(db, seated) == [RS.CANCELLED, RS.CANCELLED, RS.REGISTERED]
    assert _statuses(db, waiting) == [RS.CANCELLED, RS.REGISTERED, RS.REGISTERED]
    assert result.message() == (
        "3 pendaftaran dibatalkan; naik dari daftar tunggu: Tunggu Pertama, Tunggu Kedua."
    )
    cancels = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "registration.cancel")
    )
    assert cancels == 3
    assert db.session.get(Registration, seated[0].id).cancel_reason == "Dobel"


def test_bulk_approve_stops_at_the_quota_and_says_what_was_skipped(
    db, world, make_registration, make_person
):
    event, dinkes, dinsos, _op, organizer = world
    pending = [
        _reg(make_registration, make_person, event, f"Menunggu {i}", dinkes, status=RS.PENDING)
        for i in range(5)
    ]
    seated = _reg(make_registration, make_person, event, "Sudah Terdaftar", dinkes)
    # The organizer lowered Dinkes's quota to 3 after six people registered.
    next(i for i in event.invitations if i.unit_id == dinkes.id).quota = 3
    db.session.commit()
    ids = [r.id for r in [*pending, seated]]
    result = bulk.apply(event, bulk.BulkAction.APPROVE, bulk.Selection(ids=ids), actor=organizer)
    db.session.commit()
    assert len(result.changed) == 2  # 1 registered + 2 approved = the quota of 3
    assert result.skipped == {"kuota unit penuh": 3, "berstatus terdaftar": 1}
    assert result.message() == (
        "2 pendaftaran disetujui; 4 dilewati: 3 kuota unit penuh, 1 berstatus terdaftar."
    )
    statuses = _statuses(db, pending)
    assert statuses.count(RS.REGISTERED) == 2 and statuses.count(RS.PENDING) == 3


def test_moving_to_the_waiting_list_skips_speakers_and_cancelled(
    db, world, make_registration, make_person
):
    event, dinkes, _dinsos, _op, organizer = world
    event.capacity = 10
    db.session.commit()
    a = _reg(make_registration, make_person, event, "Ani", dinkes)
    b = _reg(make_registration, make_person, event, "Budi", dinkes, status=RS.PENDING)
    speaker = _reg(
        make_registration,
        make_person,
        event,
        "Dr. Narasumber",
        dinkes,
        role=RegistrationRole.NARASUMBER,
    )
    gone = _reg(make_registration, make_person, event, "Batal", dinkes, status=RS.CANCELLED)
    selection = bulk.Selection(ids=[a.id, b.id, speaker.id, gone.id])
    result = bulk.apply(event, bulk.BulkAction.WAITLIST, selection, actor=organizer)
    db.session.commit()
    assert _statuses(db, [a, b, speaker, gone]) == [
        RS.WAITLISTED,
        RS.WAITLISTED,
        RS.REGISTERED,
        RS.CANCELLED,
    ]
    assert result.skipped == {"bukan peserta": 1, "berstatus dibatalkan": 1}
    assert result.message().startswith("2 pendaftaran dipindahkan ke daftar tunggu; 2 dilewati: 1 ")


def test_an_event_without_capacity_has_no_waiting_list(db, world, make_registration, make_person):
    event, dinkes, _dinsos, _op, organizer = world
    reg = _reg(make_registration, make_person, event, "Ani", dinkes)
    selection = bulk.Selection(ids=[reg.id])
    result = bulk.apply(event, bulk.BulkAction.WAITLIST, selection, actor=organizer)
    assert result.message() == (
        "0 pendaftaran dipindahkan ke daftar tunggu; 1 dilewati: acara tanpa batas kapasitas."
    )
    assert _statuses(db, [reg]) == [RS.REGISTERED]


def test_an_operator_cannot_run_a_bulk_action(db, world, make_registration, make_person):
    event, dinkes, _dinsos, op_dinkes, _org = world
    reg = _reg(make_registration, make_person, event, "Ani", dinkes, status=RS.PENDING)
    with pytest.raises(NotAllowed):
        bulk.apply(event, bulk.BulkAction.APPROVE, bulk.Selection(ids=[reg.id]), actor=op_dinkes)
    assert _statuses(db, [reg]) == [RS.PENDING]


# --- the page ----------------------------------------------------------------------------------


def test_approve_from_the_list_keeps_the_filter_and_reports_counts(
    db, app, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos, _op, organizer = world
    regs = [
        _reg(make_registration, make_person, event, f"Dinkes {i}", dinkes, status=RS.PENDING)
        for i in range(3)
    ]
    other = _reg(make_registration, make_person, event, "Sosial", dinsos, status=RS.PENDING)
    login_as(organizer)
    page = client.get(f"/acara/{event.id}/pendaftaran?status=pending&unit={dinkes.id}").text
    assert 'name="ids"' in page and "Pilih semua yang tersaring (3)" in page
    response = client.post(
        f"/acara/{event.id}/pendaftaran/massal?status=pending&unit={dinkes.id}",
        data={"action": "approve", "ids": [regs[0].id, regs[1].id]},
    )
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/acara/{event.id}/pendaftaran"
    assert parse_qs(location.query) == {"status": ["pending"], "unit": [str(dinkes.id)]}
    shown = client.get(response.headers["Location"]).text
    assert "2 pendaftaran disetujui." in shown
    assert _statuses(db, [*regs, other]) == [RS.REGISTERED, RS.REGISTERED, RS.PENDING, RS.PENDING]


def test_select_all_filtered_reaches_rows_beyond_the_page(
    db, app, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos, _op, organizer = world
    app.config["ITEMS_PER_PAGE"] = 2
    regs = [
        _reg(make_registration, make_person, event, f"Dinkes {i}", dinkes, status=RS.PENDING)
        for i in range(5)
    ]
    other = _reg(make_registration, make_person, event, "Sosial", dinsos, status=RS.PENDING)
    login_as(organizer)
    response = client.post(
        f"/acara/{event.id}/pendaftaran/massal?unit={dinkes.id}",
        data={"action": "approve", "all": "y"},
        follow_redirects=True,
    )
    assert "5 pendaftaran disetujui." in response.text
    assert _statuses(db, regs) == [RS.REGISTERED] * 5
    assert _statuses(db, [other]) == [RS.PENDING]


def test_bulk_cancel_asks_first_with_how_many_and_which_states(
    db, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos, _op, organizer = world
    regs = [
        _reg(make_registration, make_person, event, "Ani", dinkes),
        _reg(make_registration, make_person, event, "Budi", dinkes),
        _reg(make_registration, make_person, event, "Citra", dinkes, status=RS.PENDING),
        _reg(make_registration, make_person, event, "Dedi", dinsos, status=RS.WAITLISTED),
        _reg(make_registration, make_person, event, "Eka", dinsos, status=RS.CANCELLED),
    ]
    login_as(organizer)
    data = {"action": "cancel", "ids": [r.id for r in regs]}
    ask = client.post(f"/acara/{event.id}/pendaftaran/massal?status=", data=data)
    assert ask.status_code == 200
    text = ask.text
    assert "4 orang akan dibatalkan" in text
    assert "Terdaftar: 2" in text and "Menunggu persetujuan: 1" in text
    assert "Daftar tunggu: 1" in text and "Dibatalkan: 1" in text
    assert _statuses(db, regs) == [
        RS.REGISTERED,
        RS.REGISTERED,
        RS.PENDING,
        RS.WAITLISTED,
        RS.CANCELLED,
    ]
    done = client.post(
        f"/acara/{event.id}/pendaftaran/massal",
        data={**data, "confirmed": "1", "reason": "Acara diganti"},
        follow_redirects=True,
    )
    assert "4 pendaftaran dibatalkan; 1 dilewati: berstatus dibatalkan." in done.text
    assert _statuses(db, regs) == [RS.CANCELLED] * 5


def test_an_operator_is_refused_and_nothing_changes(
    db, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos, op_dinkes, _org = world
    own = _reg(make_registration, make_person, event, "Ani", dinkes, status=RS.PENDING)
    theirs = _reg(make_registration, make_person, event, "Sosial", dinsos, status=RS.PENDING)
    login_as(op_dinkes)
    for action in ("approve", "cancel", "waitlist", "ticket"):
        response = client.post(
            f"/acara/{event.id}/pendaftaran/massal",
            data={"action": action, "ids": [own.id, theirs.id], "confirmed": "1"},
        )
        assert response.status_code == 403
    assert client.get(f"/acara/{event.id}/pendaftaran").text.count('name="ids"') == 0
    assert _statuses(db, [own, theirs]) == [RS.PENDING, RS.PENDING]


def test_a_post_without_csrf_token_is_refused(
    db, app, client, login_as, world, make_registration, make_person
):
    event, dinkes, _dinsos, _op, organizer = world
    reg = _reg(make_registration, make_person, event, "Ani", dinkes, status=RS.PENDING)
    login_as(organizer)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        f"/acara/{event.id}/pendaftaran/massal", data={"action": "approve", "ids": [reg.id]}
    )
    assert response.status_code == 400
    assert _statuses(db, [reg]) == [RS.PENDING]


def test_ids_of_another_event_are_left_alone(
    db, client, login_as, world, make_event, make_registration, make_person
):
    event, dinkes, _dinsos, _op, organizer = world
    elsewhere = make_registration(make_event(), make_person(unit=dinkes), status=RS.PENDING)
    login_as(organizer)
    response = client.post(
        f"/acara/{event.id}/pendaftaran/massal",
        data={"action": "approve", "ids": [elsewhere.id]},
        follow_redirects=True,
    )
    assert "0 pendaftaran disetujui." in response.text
    assert _statuses(db, [elsewhere]) == [RS.PENDING]


def test_nothing_selected_or_an_unknown_action_says_so(
    db, client, login_as, world, make_registration, make_person
):
    event, dinkes, *_rest, organizer = world
    reg = _reg(make_registration, make_person, event, "Ani", dinkes, status=RS.PENDING)
    login_as(organizer)
    url = f"/acara/{event.id}/pendaftaran/massal"
    response = client.post(url, data={"action": "approve"}, follow_redirects=True)
    assert "Pilih minimal satu pendaftaran." in response.text
    response = client.post(url, data={"action": "hapus", "ids": [reg.id]}, follow_redirects=True)
    assert "Pilihan tidak valid; pilih dari daftar." in response.text
    response = client.post(url, data={"action": "approve", "ids": ["x", "-"]})
    assert response.status_code == 303
    assert _statuses(db, [reg]) == [RS.PENDING]


# --- tickets -----------------------------------------------------------------------------------


def test_send_tickets_to_the_selection_runs_as_a_job(
    db, client, login_as, world, make_registration, make_person, mail_outbox
):
    event, dinkes, _dinsos, _op, organizer = world
    ani = make_registration(event, make_person("Ani", unit=dinkes, email="ani@example.go.id"))
    budi = make_registration(
        event, make_person("Budi", unit=dinkes, email=None, phone="+6281200000002")
    )
    citra = make_registration(
        event, make_person("Citra", unit=dinkes, email="citra@example.go.id"), status=RS.PENDING
    )
    login_as(organizer)
    response = client.post(
        f"/acara/{event.id}/pendaftaran/massal",
        data={"action": "ticket", "ids": [ani.id, budi.id, citra.id]},
    )
    assert response.status_code == 303 and "/tugas/" in response.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.created_at.desc()))
    assert job.kind == "registration.ticket_mail" and job.params["ids"] == [
        ani.id,
        budi.id,
        citra.id,
    ]
    assert mail_outbox.recipients == ["ani@example.go.id"]
    page = client.get(response.headers["Location"]).text
    assert (
        "1 tiket dikirim lewat email; 2 dilewati: 1 tanpa alamat email, "
        "1 berstatus menunggu persetujuan." in page
    )
    assert "wa.me/6281200000002" in page  # Budi gets a WhatsApp text instead
    db.session.expire_all()
    assert db.session.get(Registration, ani.id).ticket_sent_at is not None


def test_send_to_everyone_button_says_how_many_and_posts_the_job(
    db, client, login_as, world, make_registration, make_person, mail_outbox
):
    event, dinkes, _dinsos, _op, organizer = world
    for name in ("Ani", "Budi"):
        make_registration(event, make_person(name, unit=dinkes, email=f"{name}@example.go.id"))
    make_registration(event, make_person("Tanpa Email", unit=dinkes, email=None))
    make_registration(
        event, make_person("Dulu", unit=dinkes, email="dulu@example.go.id"), ticket_sent_at=utcnow()
    )
    login_as(organizer)
    page = client.get(f"/acara/{event.id}/pendaftaran").text
    assert "Kirim tiket ke semua (2)" in page
    assert (
        "Kirim tiket lewat email ke 2 peserta terdaftar yang punya alamat email "
        "dan belum menerima tiket?" in page
    )
    assert f'action="/tugas/acara/{event.id}/kirim-tiket"' in page
    response = client.post(f"/tugas/acara/{event.id}/kirim-tiket")
    assert response.status_code == 303
    assert sorted(mail_outbox.recipients) == ["Ani@example.go.id", "Budi@example.go.id"]
    assert "Kirim tiket ke semua (0)" in client.get(f"/acara/{event.id}/pendaftaran").text


# --- filters -----------------------------------------------------------------------------------


def _names(client, url) -> set[str]:
    import re

    html = client.get(url).text
    return set(re.findall(r'/pendaftaran/\d+">([^<]+)</a>', html))


def test_the_list_filters_by_unit_status_attendance_source_and_text(
    db, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos, _op, organizer = world
    came = _reg(
        make_registration,
        make_person,
        event,
        "Hadir Impor",
        dinkes,
        source=RegistrationSource.IMPORT,
    )
    db.session.add(
        CheckIn(registration_id=came.id, session_id=event.sessions[0].id, method=CheckInMethod.QR)
    )
    _reg(
        make_registration,
        make_person,
        event,
        "Operator Dinsos",
        dinsos,
        source=RegistrationSource.OPERATOR,
    )
    _reg(
        make_registration,
        make_person,
        event,
        "Publik",
        dinsos,
        source=RegistrationSource.PUBLIC,
        status=RS.PENDING,
    )
    _reg(
        make_registration,
        make_person,
        event,
        "Datang Langsung",
        dinkes,
        source=RegistrationSource.WALKIN,
    )
    _reg(make_registration, make_person, event, "Tunggu", dinkes, status=RS.WAITLISTED)
    _reg(make_registration, make_person, event, "Ditolak", dinkes, status=RS.REJECTED)
    _reg(make_registration, make_person, event, "Batal", dinkes, status=RS.CANCELLED)
    nip_person = make_person("Pemilik NIP", unit=dinsos, nip="197001011995031001")
    make_registration(event, nip_person)
    db.session.commit()
    login_as(organizer)
    base = f"/acara/{event.id}/pendaftaran"
    assert _names(client, f"{base}?hadir=ya") == {"Hadir Impor"}
    assert "Hadir Impor" not in _names(client, f"{base}?hadir=tidak")
    assert len(_names(client, f"{base}?hadir=tidak")) == 7
    assert _names(client, f"{base}?source=import") == {"Hadir Impor"}
    assert _names(client, f"{base}?source=operator") == {"Operator Dinsos"}
    assert _names(client, f"{base}?source=public") == {"Publik"}
    assert _names(client, f"{base}?source=walkin") == {"Datang Langsung"}
    assert _names(client, f"{base}?status=pending") == {"Publik"}
    assert _names(client, f"{base}?status=waitlisted") == {"Tunggu"}
    assert _names(client, f"{base}?status=rejected") == {"Ditolak"}
    assert _names(client, f"{base}?status=cancelled") == {"Batal"}
    assert "Hadir Impor" in _names(client, f"{base}?status=registered")
    assert _names(client, f"{base}?unit={dinsos.id}&status=registered") == {
        "Operator Dinsos",
        "Pemilik NIP",
    }
    assert _names(client, f"{base}?q=19700101") == {"Pemilik NIP"}
    assert _names(client, f"{base}?q=pemilik") == {"Pemilik NIP"}
    # unknown values are ignored, never a 500
    assert client.get(f"{base}?hadir=mungkin&source=x&status=y").status_code == 200
    args = MultiDict({"unit": str(dinkes.id), "hadir": "tidak", "source": "import", "q": "x"})
    assert queries.Filters.from_args(args).to_args() == dict(args)


def test_filtered_list_queries_do_not_grow_with_rows(
    db, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos, _op, organizer = world
    login_as(organizer)
    url = f"/acara/{event.id}/pendaftaran?hadir=tidak&source=import&status=registered"

    def count_queries() -> int:
        statements: list[str] = []

        def listener(*args):
            statements.append(args[2])

        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def add(n: int) -> None:
        for i in range(n):
            unit = dinkes if i % 2 else dinsos
            make_registration(
                event,
                make_person(unit=unit),
                source=RegistrationSource.IMPORT,
                substitute_for=make_person(unit=unit) if i % 3 == 0 else None,
            )

    add(5)
    few = count_queries()
    add(45)
    assert _names(client, url).__len__() == 50
    assert count_queries() == few


def test_many_rows_run_as_a_job_and_people_moved_up_are_told(
    db, app, client, login_as, world, make_registration, make_person, mail_outbox
):
    event, dinkes, dinsos, _op, organizer = world
    app.config["BULK_JOB_MIN_ROWS"] = 3
    event.capacity = 4
    db.session.commit()
    start = utcnow() - timedelta(days=1)
    seated = [
        _reg(make_registration, make_person, event, f"Duduk {i}", dinkes, created_at=start)
        for i in range(4)
    ]
    waiting = [
        make_registration(
            event,
            make_person(name, unit=dinsos, email=f"{email}@example.go.id"),
            status=RS.WAITLISTED,
            created_at=start + timedelta(hours=h),
        )
        for h, name, email in ((2, "Tunggu Kedua", "dua"), (1, "Tunggu Pertama", "satu"))
    ]
    login_as(organizer)
    response = client.post(
        f"/acara/{event.id}/pendaftaran/massal?unit={dinkes.id}",
        data={"action": "cancel", "all": "y", "confirmed": "1"},
    )
    assert response.status_code == 303 and "/tugas/" in response.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.created_at.desc()))
    assert job.kind == "registration.bulk" and sorted(job.params["ids"]) == sorted(
        r.id for r in seated
    )
    page = client.get(response.headers["Location"]).text
    assert (
        "4 pendaftaran dibatalkan; naik dari daftar tunggu: Tunggu Pertama, Tunggu Kedua." in page
    )
    assert f'href="/acara/{event.id}/pendaftaran?unit={dinkes.id}"' in page  # back, same filter
    assert _statuses(db, seated) == [RS.CANCELLED] * 4
    assert _statuses(db, waiting) == [RS.REGISTERED] * 2
    assert sorted(mail_outbox.recipients) == ["dua@example.go.id", "satu@example.go.id"]
