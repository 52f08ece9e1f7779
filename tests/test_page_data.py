"""What one area shows on another area's page is loaded by the view (or a named receiver)."""

from __future__ import annotations

from datetime import date, timedelta

from sosialisasi.auth.models import Role
from sosialisasi.events.models import EventStatus
from sosialisasi.followup.models import FollowUpTask, TaskStatus
from sosialisasi.registration.models import RegistrationStatus


def _task(db, unit, title, *, person=None, event=None, status=TaskStatus.OPEN, late=False):
    task = FollowUpTask(
        unit=unit,
        title=title,
        due_date=date.today() + timedelta(days=-3 if late else 30),
        status=status,
        assignee_person_id=person.id if person else None,
        source_event_id=event.id if event else None,
    )
    db.session.add(task)
    db.session.commit()
    return task


def test_unit_page_shows_invitations_attendance_and_follow_up(
    client, login_as, make_unit, make_event, make_registration, db
):
    parent = make_unit("Sekretariat Daerah Contoh")
    unit = make_unit("Dinas Kesehatan Contoh", parent_id=parent.id, short_name="Dinkes")
    event = make_event("Sosialisasi SKM", invite=[unit], quota=3)
    make_registration(event, unit=unit)
    _task(db, unit, "Publikasikan standar pelayanan", status=TaskStatus.VERIFIED)
    _task(db, unit, "Survei kepuasan", late=True)
    login_as(Role.VERIFIER)
    html = client.get(f"/unit/{unit.id}").get_data(as_text=True)
    assert "Undangan acara" in html and "1/3" in html  # registration's summary
    assert 'id="unit-attendance"' in html and "Sosialisasi SKM" in html  # attendance's rows
    assert "1 dari 2 tugas terverifikasi" in html and "1 terlambat" in html  # follow-up counts
    crumbs = html.split('<ol class="breadcrumb">')[1].split("</ol>")[0]
    assert "Perangkat Daerah" in crumbs and "Sekretariat Daerah Contoh" in crumbs
    assert 'aria-current="page">Dinkes</li>' in crumbs


def test_event_page_shows_follow_up_progress_to_organizers_once_under_way(
    client, login_as, make_event, make_unit, db
):
    unit = make_unit()
    event = make_event(invite=[unit])
    _task(db, unit, "Tindak lanjut", event=event, status=TaskStatus.VERIFIED)
    login_as(Role.ORGANIZER)
    html = client.get(f"/acara/{event.id}").get_data(as_text=True)
    assert 'id="followup-event-link"' in html and "1/1 terverifikasi" in html
    crumbs = html.split('<ol class="breadcrumb">')[1].split("</ol>")[0]
    assert ">Acara</a>" in crumbs and 'aria-current="page"' in crumbs
    event.status = EventStatus.DRAFT
    db.session.commit()
    assert 'id="followup-event-link"' not in client.get(f"/acara/{event.id}").text


def test_home_shows_pending_approvals_to_organizers_and_task_counts_to_operators(
    client, login_as, make_event, make_registration, make_unit, db
):
    unit = make_unit()
    event = make_event(invite=[unit])
    make_registration(event, unit=unit, status=RegistrationStatus.PENDING)
    login_as(Role.ORGANIZER)
    assert "1 pendaftaran menunggu persetujuan Anda." in client.get("/beranda").text
    _task(db, unit, "Tugas unit", status=TaskStatus.SUBMITTED)
    login_as(Role.UNIT_OPERATOR, unit=unit)
    html = client.get("/beranda").text
    assert 'id="home-followup"' in html and "1 menunggu verifikasi" in html
    assert "1/2 terdaftar" in html  # the invitation, with the pending registration's seat
    assert "menunggu persetujuan Anda" not in html


def test_person_page_lists_the_tasks_naming_the_person(
    client, login_as, make_person, make_unit, db
):
    unit = make_unit()
    person = make_person("Ani Lestari", unit=unit)
    _task(db, unit, "Perbarui maklumat pelayanan", person=person, late=True)
    _task(db, unit, "Tugas orang lain")
    login_as(Role.ORGANIZER)
    html = client.get(f"/peserta/{person.id}").get_data(as_text=True)
    assert 'id="person-tasks"' in html and "Perbarui maklumat pelayanan" in html
    assert "Tugas orang lain" not in html
    assert "list-group-item-danger" in html  # overdue, against today's date in WIB
