"""The organizer's week before the event (issue 16), in a real browser at 390 px, with axe-core
(WCAG 2.0/2.1 A and AA) over every page opened: no critical or serious violation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import AttendanceRule, Event, EventSession, EventStatus, Speaker
from tests.conftest import PASSWORD
from tests.e2e.axe import violations

pytestmark = pytest.mark.e2e


def _door_event(make_event, db, rule):
    """Running now: Registrasi (not wajib) spans the afternoon; Pembukaan runs now."""
    now = utcnow().replace(microsecond=0)
    event = make_event(
        starts_at=now - timedelta(minutes=40),
        hours=3,
        status=EventStatus.RUNNING,
        attendance_rule=rule,
    )
    first = event.sessions[0]
    first.title, first.mandatory = "Registrasi", False
    speaker = Speaker(name="Dr. Ahmad Narasumber", institution="Ombudsman RI")
    event.speakers.append(speaker)
    event.sessions.append(
        EventSession(
            title="Pembukaan",
            starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(minutes=20),
            speaker=speaker,
        )
    )
    event.sessions.append(
        EventSession(
            title="Paparan", starts_at=now + timedelta(minutes=20), ends_at=now + timedelta(hours=2)
        )
    )
    db.session.commit()
    return event


def _scan(page, live_server, event, code):
    page.goto(f"{live_server}/registrasi-ulang/{event.id}")
    page.get_by_text("Tersimpan di perangkat: 1 peserta").wait_for()
    page.locator("#code").fill(code)
    page.locator("#code").press("Enter")
    page.locator('#result[data-result="ok"]').wait_for(state="visible")


def _placed(db, reg) -> list[str]:
    db.session.expire_all()
    titles = list(
        db.session.scalars(
            select(EventSession.title)
            .join(CheckIn, CheckIn.session_id == EventSession.id)
            .where(CheckIn.registration_id == reg.id)
        )
    )
    db.session.rollback()
    return titles


def test_one_scan_at_the_door_earns_a_certificate_under_the_default_rule(
    page, live_server, browser_login, make_event, make_user, make_registration, db
):
    event = _door_event(make_event, db, AttendanceRule.ANY_SESSION)
    reg = make_registration(event)
    staff = make_user(Role.CHECKIN_STAFF)
    event.staff = [staff]
    db.session.commit()
    browser_login(staff, PASSWORD)
    _scan(page, live_server, event, reg.ticket_code)
    assert not violations(page)
    page.context.clear_cookies()
    organizer = make_user(Role.ORGANIZER)
    browser_login(organizer, PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}")
    assert (
        page.locator("#agenda-rule")
        .inner_text()
        .endswith("dipindai satu kali di pintu (di sesi mana pun) memenuhi syarat sertifikat.")
    )
    # At 390 px the agenda still names the speaker.
    assert page.get_by_text("Narasumber: Dr. Ahmad Narasumber").is_visible()
    assert not violations(page)
    page.goto(f"{live_server}/acara/{event.id}/dokumen/sertifikat")
    assert page.get_by_text("Memenuhi syarat: 1 orang").is_visible()
    assert not violations(page)


def test_per_session_rule_places_the_scan_in_the_session_running_now(
    page, live_server, browser_login, make_event, make_user, make_registration, db
):
    event = _door_event(make_event, db, AttendanceRule.ALL_MANDATORY)
    reg = make_registration(event)
    staff = make_user(Role.CHECKIN_STAFF)
    event.staff = [staff]
    db.session.commit()
    browser_login(staff, PASSWORD)
    _scan(page, live_server, event, reg.ticket_code)
    assert _placed(db, reg) == ["Pembukaan"]  # not the earliest open "Registrasi"
    page.context.clear_cookies()
    browser_login(make_user(Role.ORGANIZER), PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}")
    assert page.get_by_text("hanya ada satu titik pindai").is_visible()
    assert not violations(page)


def test_publish_then_a_mis_click_cannot_bring_the_event_back_to_draft(
    page, live_server, browser_login, make_event, make_user, make_unit, db
):
    event = make_event(status=EventStatus.DRAFT, invite=[make_unit(), make_unit()])
    browser_login(make_user(Role.ORGANIZER), PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}")
    assert not violations(page)
    page.get_by_role("button", name="Terbitkan (buka pendaftaran)").click()
    page.get_by_text("Status acara menjadi 'Pendaftaran dibuka'").wait_for()
    assert page.locator("#registration-state").inner_text().startswith("Pendaftaran dibuka sampai")
    page.get_by_role("button", name="Kembalikan ke draf …").click()
    assert page.get_by_text("2 unit undangan tidak lagi melihat acara ini").is_visible()
    assert not violations(page)
    page.get_by_role("link", name="Tidak, kembali").click()
    # On a desktop the navbar's links and the role label are shown: they pass too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/beranda")
    assert not violations(page)
    page.goto(f"{live_server}/acara/")
    assert not violations(page)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status is EventStatus.OPEN
    db.session.rollback()


def test_invited_units_without_an_operator_get_accounts_that_must_change_the_password(
    page, live_server, browser_login, launch_browser, make_event, make_user, make_unit, db
):
    covered = make_unit("Dinas Kesehatan", code="DINKES")
    make_user(Role.UNIT_OPERATOR, unit=covered)
    lacking = make_unit("Dinas Sosial", code="DINSOS")
    event = make_event(invite=[covered, lacking])
    browser_login(make_user(Role.ORGANIZER), PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/undangan")
    assert page.get_by_text("1 unit undangan belum punya akun operator aktif").is_visible()
    assert not violations(page)
    page.get_by_role("link", name="Buat akun operator untuk unit tersebut").click()
    assert not violations(page)
    page.get_by_role("button", name="Buat akun operator").click()
    row = page.locator("#lembar-akun tbody tr").first
    username = row.locator("td").nth(1).inner_text()
    password = row.locator("td").nth(2).inner_text()
    assert username == "op-dinsos"
    assert not violations(page)

    other = launch_browser().new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    phone = other.new_page()
    phone.goto(f"{live_server}/login")
    phone.get_by_label("Nama pengguna").fill(username)
    phone.get_by_label("Kata sandi").fill(password)
    phone.get_by_role("button", name="Masuk").click()
    phone.wait_for_url("**/akun/kata-sandi")
    assert phone.get_by_text("Ganti kata sandi awal Anda sebelum melanjutkan.").is_visible()
    assert not violations(phone)
    phone.get_by_label("Kata sandi saat ini").fill(password)
    phone.get_by_label("Kata sandi baru", exact=True).fill("Sandi-baru-2026")
    phone.get_by_label("Ulangi kata sandi baru").fill("Sandi-baru-2026")
    phone.get_by_role("button", name="Simpan").click()
    phone.wait_for_url("**/beranda")
    assert not violations(phone)
    other.close()


def test_quotas_for_seventy_units_with_one_save(
    page, live_server, browser_login, make_event, make_user, make_unit, db
):
    from sosialisasi.events.models import Invitation

    event = make_event(invite=[make_unit() for _ in range(70)], quota=2)
    browser_login(make_user(Role.ORGANIZER), PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}/undangan")
    assert not violations(page)
    page.get_by_label("Kuota yang sama untuk semua unit").fill("3")
    page.get_by_role("button", name="Terapkan ke semua unit").click()
    page.get_by_text("Kuota disimpan: 70 unit berubah.").wait_for()
    db.session.expire_all()
    assert {q for (q,) in db.session.query(Invitation.quota)} == {3}
    db.session.rollback()
