"""The pages a unit operator, door staff or participant uses on a phone, at 390x844: the key data
(name, status, narasumber, the action buttons) is on screen without scrolling sideways.

A table on a phone keeps its key columns and moves the rest under the name or hides it from
768 px down (Bootstrap's ``d-none d-md-table-cell``): so every cell checked here must lie inside
the 390 px viewport, and the page itself must not be wider than the screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import EventSession, EventStatus, Speaker
from sosialisasi.followup.models import FollowUpTask
from sosialisasi.registration.models import RegistrationStatus
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

WIDTH = 390


def on_screen(locator, what: str) -> None:
    """``locator`` (its first match) is shown and lies within the phone's width."""
    item = locator.first
    item.wait_for(state="visible")
    box = item.bounding_box()
    assert box is not None, f"{what}: not rendered"
    assert box["x"] >= -0.5 and box["x"] + box["width"] <= WIDTH + 0.5, (
        f"{what} is off screen at {WIDTH} px: x={box['x']:.0f}, width={box['width']:.0f}"
    )


def no_sideways_page(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url}: the page is {width} px wide on a {WIDTH} px phone"


@pytest.fixture()
def phone_world(db, make_unit, make_event, make_person, make_registration, make_user):
    unit = make_unit("Dinas Komunikasi dan Informatika", short_name="Diskominfo")
    now = utcnow().replace(microsecond=0)
    event = make_event(
        "Sosialisasi Standar Pelayanan Publik dan Maklumat Pelayanan Perangkat Daerah",
        starts_at=now - timedelta(minutes=30),
        hours=4,
        status=EventStatus.RUNNING,
        invite=[unit],
        quota=5,
    )
    speaker = Speaker(name="Dr. Ratna Kusumawardani, M.Si.", institution="Ombudsman RI")
    event.speakers.append(speaker)
    event.sessions.append(
        EventSession(
            title="Paparan standar pelayanan",
            starts_at=now + timedelta(minutes=30),
            ends_at=now + timedelta(hours=2),
            speaker=speaker,
        )
    )
    people = [
        make_person("Muhammad Rizky Pratama Nugraha, S.Kom., M.T.", unit=unit, position="Analis"),
        make_person("Siti Nurhaliza", unit=unit, position="Pranata Komputer Ahli Muda"),
    ]
    regs = [
        make_registration(event, people[0]),
        make_registration(event, people[1], status=RegistrationStatus.PENDING),
    ]
    task = FollowUpTask(
        unit=unit,
        source_event=event,
        title="Publikasikan maklumat pelayanan yang ditandatangani kepala perangkat daerah",
        due_date=date.today() + timedelta(days=14),
        assignee=people[0],
    )
    db.session.add(task)
    operator = make_user(Role.UNIT_OPERATOR, unit=unit, name="Operator Diskominfo")
    staff = make_user(Role.CHECKIN_STAFF, name="Petugas Pintu")
    event.staff = [staff]
    db.session.commit()
    return {
        "event": event,
        "unit": unit,
        "people": people,
        "regs": regs,
        "task": task,
        "operator": operator,
        "staff": staff,
    }


def test_unit_operator_pages_fit_a_phone(page, live_server, browser_login, phone_world):
    event, task = phone_world["event"], phone_world["task"]
    rizky = phone_world["people"][0].name
    browser_login(phone_world["operator"], PASSWORD)

    # Registrations of the unit: name, status and the ticket action.
    page.goto(f"{live_server}/acara/{event.id}/pendaftaran")
    table = page.locator("table")
    on_screen(table.get_by_role("columnheader", name="Nama"), "header Nama")
    on_screen(table.get_by_role("columnheader", name="Status"), "header Status")
    row = table.locator("tbody tr", has_text=rizky)
    on_screen(row.get_by_role("link", name=rizky), "name")
    on_screen(row.get_by_text("Terdaftar", exact=True), "status")
    on_screen(row.get_by_role("link", name="Tiket"), "Tiket action")
    no_sideways_page(page)

    # The delegation page: each delegate with status and actions.
    page.goto(f"{live_server}/acara/{event.id}/delegasi")
    item = page.locator(".list-group-item", has_text=rizky)
    on_screen(item.get_by_role("link", name=rizky), "delegate name")
    on_screen(item.get_by_text("Terdaftar", exact=True), "delegate status")
    on_screen(item.get_by_role("link", name="Tiket"), "delegate Tiket")
    on_screen(item.get_by_role("button", name="Batalkan"), "delegate Batalkan")
    no_sideways_page(page)

    # The agenda names the narasumber of a session.
    page.goto(f"{live_server}/acara/{event.id}")
    agenda = page.locator("#agenda")
    on_screen(agenda.get_by_text("Paparan standar pelayanan"), "session")
    on_screen(agenda.get_by_text("Narasumber: Dr. Ratna Kusumawardani, M.Si."), "narasumber")
    no_sideways_page(page)

    # The unit's tasks: title, status and due date; the task page: status and the next step.
    page.goto(f"{live_server}/tindak-lanjut/tugas")
    row = page.locator("#task-table tbody tr", has_text=task.title)
    on_screen(row.get_by_role("link", name=task.title), "task title")
    on_screen(row.get_by_text("Status: Baru"), "task status")
    on_screen(page.get_by_role("columnheader", name="Tenggat"), "header Tenggat")
    no_sideways_page(page)
    row.get_by_role("link", name=task.title).click()
    on_screen(page.locator("#task-status"), "task page status")
    on_screen(page.get_by_role("button", name="Mulai kerjakan"), "task page action")
    no_sideways_page(page)

    # Training: JP per ASN of the unit and one person's learning record.
    page.goto(f"{live_server}/pelatihan/jp")
    table = page.get_by_test_id("jp-table")
    on_screen(table.get_by_role("columnheader", name="Nama"), "header Nama (JP)")
    on_screen(table.get_by_role("columnheader", name="JP", exact=True), "header JP")
    on_screen(table.get_by_role("link", name=rizky), "name (JP)")
    no_sideways_page(page)
    table.get_by_role("link", name=rizky).click()
    record = page.get_by_test_id("record")
    on_screen(record.get_by_role("columnheader", name="Kegiatan"), "header Kegiatan")
    on_screen(record.get_by_role("columnheader", name="JP", exact=True), "header JP (record)")
    on_screen(record.get_by_text(event.title), "event in the record")
    on_screen(record.get_by_role("columnheader", name="Nomor sertifikat"), "header sertifikat")
    no_sideways_page(page)


def test_door_staff_pages_fit_a_phone(page, live_server, browser_login, phone_world):
    event = phone_world["event"]
    siti = phone_world["people"][1].name
    rizky = phone_world["regs"][0]
    browser_login(phone_world["staff"], PASSWORD)

    page.goto(f"{live_server}/registrasi-ulang/")
    item = page.locator(".list-group-item", has_text=event.title)
    on_screen(item.get_by_text("Berlangsung", exact=True), "event status")
    no_sideways_page(page)

    # The scanner: a manual search shows the person with the check-in button.
    item.click()
    page.get_by_text("Tersimpan di perangkat: 2 peserta").wait_for()
    page.locator("#code").fill(rizky.ticket_code)
    page.locator("#code").press("Enter")
    page.locator('#result[data-result="ok"]').wait_for(state="visible")
    on_screen(page.locator("#result-name"), "scan result name")
    page.locator("#result").click()
    on_screen(page.locator("#recent li").first, "last scans")
    no_sideways_page(page)

    # The agenda with the narasumber, as the door sees it.
    page.goto(f"{live_server}/acara/{event.id}")
    on_screen(
        page.locator("#agenda").get_by_text("Narasumber: Dr. Ratna Kusumawardani, M.Si."),
        "narasumber",
    )
    no_sideways_page(page)

    # The check-in history: name, time, session and the staff member.
    page.goto(f"{live_server}/registrasi-ulang/{event.id}/riwayat")
    item = page.locator(".list-group-item", has_text=rizky.person.name)
    on_screen(item.get_by_text(rizky.person.name), "history name")
    on_screen(item.get_by_text("Petugas: Petugas Pintu"), "history staff")
    assert siti not in page.locator(".list-group").inner_text()
    no_sideways_page(page)


def test_participant_pages_fit_a_phone(page, live_server, phone_world):
    reg = phone_world["regs"][0]
    page.goto(f"{live_server}/t/{reg.ticket_code}")
    on_screen(page.get_by_text(reg.person.name, exact=True), "ticket name")
    on_screen(page.get_by_text("(Dr. Ratna Kusumawardani, M.Si.)"), "ticket narasumber")
    on_screen(page.get_by_role("link", name="Unduh tiket (PDF)"), "ticket download")
    no_sideways_page(page)
    page.goto(f"{live_server}/t/{reg.ticket_code}/saya")
    on_screen(page.get_by_text(phone_world["event"].title), "own record event")
    no_sideways_page(page)
