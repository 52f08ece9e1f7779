"""The audit log records what an administrator must be able to reconstruct: logins, role changes,
check-ins undone, verifications, and every export of personal data; only admins read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from tests.conftest import PASSWORD


def _actions(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _entry(db, action: str) -> AuditEntry:
    return db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def test_logins_and_failures_are_recorded_with_address(app, db, client, make_user):
    user = make_user("organizer")
    client.post("/masuk", data={"username": user.username, "password": "salah-sekali-1"})
    client.post(
        "/masuk",
        data={"username": user.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.20.30.40"},
    )
    assert _actions(db)[-2:] == ["login.failed", "login"]
    entry = _entry(db, "login")
    assert entry.actor_id == user.id and entry.ip == "10.20.30.40"


def test_role_change_is_recorded_with_old_and_new_role(app, db, client, login_as, make_user):
    target = make_user("verifier")
    admin = login_as("admin")
    client.post(
        f"/pengguna/{target.id}",
        data={"name": target.name, "role": "organizer", "unit_id": 0, "active": "y"},
    )
    entry = _entry(db, "user.update")
    assert entry.actor_id == admin.id and entry.object_id == target.id
    assert (entry.data["old_role"], entry.data["role"]) == ("verifier", "organizer")


def test_checkin_undo_is_recorded(app, db, client, login_as, make_event, make_registration):
    event = make_event(starts_at=datetime.now(UTC) - timedelta(minutes=30))
    reg = make_registration(event)
    row = CheckIn(registration=reg, session=event.sessions[0], method=CheckInMethod.QR)
    db.session.add(row)
    db.session.commit()
    organizer = login_as("organizer")
    client.post(f"/registrasi-ulang/{event.id}/riwayat/{row.id}/batal", data={"reason": "salah"})
    entry = _entry(db, "checkin.undo")
    assert entry is not None and entry.actor_id == organizer.id


def test_verification_is_recorded(app, db, client, login_as, make_unit):
    from sosialisasi.followup.models import FollowUpTask, TaskStatus

    unit = make_unit("Dinas Sosial")
    task = FollowUpTask(
        unit=unit,
        title="Publikasikan standar pelayanan",
        due_date=date.today() + timedelta(days=7),
        status=TaskStatus.SUBMITTED,
    )
    db.session.add(task)
    db.session.commit()
    verifier = login_as("verifier")
    client.post(f"/tindak-lanjut/tugas/{task.id}/verifikasi", data={"note": "lengkap"})
    entry = _entry(db, "followup.verify")
    assert entry is not None and entry.actor_id == verifier.id and entry.object_id == task.id


def test_exports_of_personal_data_are_recorded(
    app, db, client, login_as, make_event, make_registration
):
    event = make_event()
    reg = make_registration(event)
    user = login_as("organizer")
    for kind in ("csv", "xlsx"):
        response = client.get(f"/acara/{event.id}/pendaftaran.{kind}")
        assert response.status_code == 200
        entry = _entry(db, "registration.export")
        assert entry.actor_id == user.id and entry.data["format"] == kind
    for url, action in (
        (f"/acara/{event.id}/daftar-hadir.xlsx", "attendance.export"),
        (f"/acara/{event.id}/daftar-hadir.pdf", "attendance.export"),
        (f"/acara/{event.id}/kartu.pdf", "registration.badges"),
    ):
        before = len(_actions(db))
        assert client.get(url).status_code == 200, url
        assert _actions(db)[before:] == [action], url
        assert _entry(db, action).actor_id == user.id
    before = len(_actions(db))
    client.get(f"/acara/{event.id}/daftar-hadir.pdf?kosong=1")  # a blank form holds no names
    assert len(_actions(db)) == before
    login_as("admin")
    client.post(f"/admin/data/orang/{reg.person_id}/ekspor", data={"format": "json"})
    assert _entry(db, "privacy.export").object_id == reg.person_id


def test_only_admins_read_the_audit_log_and_it_escapes_what_it_shows(
    app, db, client, login_as, make_user
):
    client.post("/masuk", data={"username": "<script>alert(1)</script>", "password": "x"})
    for role in ("organizer", "verifier", "unit_operator", "checkin_staff"):
        login_as(role)
        assert client.get("/audit/").status_code == 403
    login_as("admin")
    page = client.get("/audit/?action=login")
    assert page.status_code == 200
    assert "login.failed" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_service_change_without_a_request_is_audited(app, db, make_event):
    """The CLI and the jobs change things through the services with no request: the audit log
    still shows the change (actor None: the system)."""
    from flask import has_request_context

    from sosialisasi.events import services as event_services
    from sosialisasi.events.models import EventStatus

    event = make_event(status=EventStatus.DRAFT)
    assert not has_request_context()
    event_services.change_status(event, EventStatus.OPEN)
    db.session.commit()
    entry = _entry(db, "event.status")
    assert entry is not None and entry.actor_id is None and entry.ip is None
    assert (entry.object_type, entry.object_id) == ("events", event.id)
    assert (entry.data["old"], entry.data["new"]) == ("draft", "open")
