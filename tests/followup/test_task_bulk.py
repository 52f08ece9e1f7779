"""Issue 16, item 4: the task list's filters (indicator included) as select boxes that combine
and survive paging and bulk actions; Bagian Organisasi's bulk deadline and reminders."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.common.errors import InvalidTransition
from sosialisasi.followup.models import FollowUpTask, TaskStatus
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services
from sosialisasi.jobs.models import Job, JobStatus

SOON = date.today() + timedelta(days=20)


@pytest.fixture()
def world(ombudsman, make_unit, make_user, db):
    """Two public-service units with tasks on two indicators; a verifier and an operator each."""
    by_code = {i.code: i for i in ombudsman.indicators}
    dinkes = make_unit("Dinas Kesehatan Massal", short_name="Dinkes Massal", public_service=True)
    dinsos = make_unit("Dinas Sosial Massal", short_name="Dinsos Massal", public_service=True)
    verifier = make_user("verifier", name="Verifikator Massal")
    operators = {
        dinkes.id: make_user("unit_operator", unit=dinkes, email="op@dinkes.go.id"),
        dinsos.id: make_user("unit_operator", unit=dinsos, email="op@dinsos.go.id"),
    }

    def task(unit, code, title, due=SOON):
        t = task_services.create_task(
            unit, title=title, indicator=by_code[code], due_date=due, actor=verifier
        )
        db.session.commit()
        return t

    def verified(t):
        operator = operators[t.unit_id]
        evidence_services.add_evidence_link(t, url="https://contoh.go.id/bukti", actor=operator)
        task_services.submit_task(t, actor=operator)
        task_services.verify_task(t, actor=verifier)
        db.session.commit()
        return t

    class World:
        pass

    w = World()
    w.by_code, w.dinkes, w.dinsos, w.verifier, w.operators = (
        by_code, dinkes, dinsos, verifier, operators,
    )  # fmt: skip
    w.task, w.verified = task, verified
    return w


def rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-task-id="(\d+)"', html)]


def test_the_indicator_filter_combines_with_unit_and_status_as_select_boxes(
    world, client, login_as
):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    b = world.task(world.dinsos, "PR-06", "Maklumat Dinsos")
    c = world.task(world.dinkes, "PG-03", "Pengaduan Dinkes")
    world.verified(world.task(world.dinkes, "PR-06", "Maklumat lama"))
    pr06 = world.by_code["PR-06"].id
    login_as(world.verifier)

    html = client.get("/tindak-lanjut/tugas").get_data(as_text=True)
    for name in ("unit", "status", "terlambat", "acara", "indikator"):
        assert f'<select class="form-select form-select-sm" name="{name}"' in html, name
    assert "PR-06 Maklumat pelayanan" in html and "PG-03" in html  # indicators with tasks

    html = client.get(f"/tindak-lanjut/tugas?indikator={pr06}&status=open").get_data(as_text=True)
    assert sorted(rows(html)) == sorted([a.id, b.id])
    assert f'<option value="{pr06}" selected>' in html
    html = client.get(
        f"/tindak-lanjut/tugas?indikator={pr06}&status=open&unit={world.dinkes.id}"
    ).get_data(as_text=True)
    assert rows(html) == [a.id]
    html = client.get(f"/tindak-lanjut/tugas?indikator={world.by_code['PG-03'].id}").get_data(
        as_text=True
    )
    assert rows(html) == [c.id]
    # Nonsense in the query string is ignored, never a 500.
    assert client.get("/tindak-lanjut/tugas?indikator=abc&unit=-3&status=x").status_code == 200


def test_a_unit_operator_filters_within_their_own_unit_only(world, client, login_as):
    mine = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    world.task(world.dinsos, "PR-06", "Maklumat Dinsos")
    login_as(world.operators[world.dinkes.id])
    pr06 = world.by_code["PR-06"].id
    html = client.get(f"/tindak-lanjut/tugas?unit={world.dinsos.id}&indikator={pr06}").get_data(
        as_text=True
    )
    assert rows(html) == [mine.id]
    assert 'name="unit"' not in html and 'id="bulk-form"' not in html and 'name="tugas"' not in html


def test_filters_survive_paging_and_the_page_runs_the_same_statements_for_5_or_50_tasks(
    world, client, login_as, db, app
):
    pr06 = world.by_code["PR-06"].id
    login_as(world.verifier)
    url = f"/tindak-lanjut/tugas?indikator={pr06}&unit={world.dinkes.id}&status=open"

    def count_statements() -> int:
        statements = []
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    for i in range(5):
        world.task(world.dinkes, "PR-06", f"Tugas {i}")
    world.task(world.dinsos, "PR-06", "Dinsos")
    world.task(world.dinkes, "PG-03", "Lain")
    few = count_statements()
    for i in range(45):
        world.task(world.dinkes, "PR-06", f"Tugas lagi {i}")
    many = count_statements()
    assert many == few  # 5 and 50 matching tasks: the same statements

    for i in range(10):  # 60: two pages, and the page links keep every filter
        world.task(world.dinkes, "PR-06", f"Tugas ketiga {i}")
    html = client.get(url).get_data(as_text=True)
    assert "Menampilkan 1-50 dari 60" in html
    links = re.findall(r'class="page-link" href="([^"]+)"', html)
    assert links
    for link in links:
        link = link.replace("&amp;", "&")
        assert f"indikator={pr06}" in link and f"unit={world.dinkes.id}" in link
        assert "status=open" in link
    second = client.get(url + "&page=2").get_data(as_text=True)
    assert "Menampilkan 51-60 dari 60" in second
    assert f'<option value="{pr06}" selected>' in second
    assert 'name="page" value="2"' in second  # a bulk action from page 2 comes back to it
    # A refused bulk post shows the list again; its page links still lead to the list.
    refused = client.post(
        "/tindak-lanjut/tugas/massal/tenggat",
        data={"indikator": str(pr06), "unit": str(world.dinkes.id), "status": "open",
              "page": "2", "due_date": "2001-01-01"},
    )  # fmt: skip
    assert refused.status_code == 422
    links = re.findall(r'class="page-link" href="([^"]+)"', refused.get_data(as_text=True))
    assert links and all(link.startswith("/tindak-lanjut/tugas?") for link in links)
    assert "Menampilkan 51-60 dari 60" in refused.get_data(as_text=True)


def test_bulk_deadline_changes_the_chosen_tasks_skips_verified_ones_and_keeps_the_filters(
    world, client, login_as, db
):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    b = world.task(world.dinsos, "PR-06", "Maklumat Dinsos")
    done = world.verified(world.task(world.dinkes, "PR-06", "Maklumat lama"))
    other = world.task(world.dinkes, "PG-03", "Pengaduan")
    pr06 = world.by_code["PR-06"].id
    new_due = date.today() + timedelta(days=45)
    login_as(world.verifier)

    response = client.post(
        "/tindak-lanjut/tugas/massal/tenggat",
        data={
            "tugas": [a.id, b.id, done.id],
            "due_date": new_due.isoformat(),
            "indikator": str(pr06),
            "unit": "",
        },
    )
    assert response.status_code == 303
    assert f"indikator={pr06}" in response.location
    db.session.expire_all()
    assert db.session.get(FollowUpTask, a.id).due_date == new_due
    assert db.session.get(FollowUpTask, b.id).due_date == new_due
    assert db.session.get(FollowUpTask, done.id).due_date == SOON  # verified: untouched
    assert db.session.get(FollowUpTask, other.id).due_date == SOON  # not chosen
    html = client.get(response.location).get_data(as_text=True)
    assert f"Tenggat 2 tugas diubah menjadi {new_due:%d-%m-%Y}." in html
    assert "Dilewati 1 tugas: 1 sudah terverifikasi." in html
    # The change is in the task's history and the audit log.
    page = client.get(f"/tindak-lanjut/tugas/{a.id}").get_data(as_text=True)
    assert "Tenggat diubah" in page and f"{new_due:%d-%m-%Y}" in page
    audited = db.session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "followup.deadline")
    ).all()
    assert sorted(audited) == sorted([a.id, b.id])


def test_a_past_deadline_is_refused_with_the_choice_kept_until_confirmed(
    world, client, login_as, db
):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    b = world.task(world.dinsos, "PR-06", "Maklumat Dinsos")
    past = date.today() - timedelta(days=3)
    login_as(world.verifier)
    data = {"tugas": [a.id, b.id], "due_date": past.isoformat(), "status": "open"}
    response = client.post("/tindak-lanjut/tugas/massal/tenggat", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Tenggat {past:%d-%m-%Y} sudah lewat: 2 tugas akan langsung terlambat." in html
    assert f'id="pilih-{a.id}"' in html and re.search(rf'value="{a.id}"[^>]*checked', html)
    assert 'name="confirm_past"' in html
    db.session.expire_all()
    assert db.session.get(FollowUpTask, a.id).due_date == SOON

    response = client.post(
        "/tindak-lanjut/tugas/massal/tenggat", data={**data, "confirm_past": "y"}
    )
    assert response.status_code == 303 and "status=open" in response.location
    db.session.expire_all()
    assert db.session.get(FollowUpTask, a.id).due_date == past
    assert db.session.get(FollowUpTask, a.id).is_overdue(date.today())


def test_all_filtered_applies_to_every_filtered_task_on_every_page_and_nothing_else(
    world, client, login_as, db
):
    pg03 = world.by_code["PG-03"].id
    chosen = [world.task(world.dinkes, "PG-03", f"Pengaduan {i}") for i in range(3)]
    left = world.task(world.dinkes, "PR-06", "Maklumat")
    new_due = date.today() + timedelta(days=60)
    login_as(world.verifier)
    response = client.post(
        "/tindak-lanjut/tugas/massal/tenggat",
        data={
            "all_filtered": "y",
            "indikator": str(pg03),
            "due_date": new_due.isoformat(),
            "page": "2",
        },
    )
    assert response.status_code == 303
    assert f"indikator={pg03}" in response.location and "page=2" in response.location
    db.session.expire_all()
    assert {db.session.get(FollowUpTask, t.id).due_date for t in chosen} == {new_due}
    assert db.session.get(FollowUpTask, left.id).due_date == SOON


def test_no_task_chosen_is_a_clear_message(world, client, login_as):
    login_as(world.verifier)
    response = client.post(
        "/tindak-lanjut/tugas/massal/tenggat", data={"due_date": SOON.isoformat()}
    )
    assert response.status_code == 422
    assert "Pilih minimal satu tugas." in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["tenggat", "pengingat"])
def test_unit_operators_and_checkin_staff_cannot_use_bulk_actions(world, client, login_as, db, url):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    for who in (world.operators[world.dinkes.id], "checkin_staff"):
        login_as(who)
        response = client.post(
            f"/tindak-lanjut/tugas/massal/{url}",
            data={"tugas": [a.id], "due_date": (SOON + timedelta(days=5)).isoformat()},
        )
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(FollowUpTask, a.id).due_date == SOON


def test_bulk_deadline_needs_the_csrf_token(world, client, login_as, app, db):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    login_as(world.verifier)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        "/tindak-lanjut/tugas/massal/tenggat",
        data={"tugas": [a.id], "due_date": (SOON + timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(FollowUpTask, a.id).due_date == SOON


def test_bulk_reminder_mails_the_operators_of_the_chosen_tasks_units_only(
    world, client, login_as, make_user, make_unit, mail_outbox, db
):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    a2 = world.task(world.dinkes, "PG-03", "Pengaduan Dinkes")
    done = world.verified(world.task(world.dinsos, "PR-06", "Maklumat Dinsos selesai"))
    world.task(world.dinsos, "PG-03", "Pengaduan Dinsos")  # not chosen
    make_user("unit_operator", unit=world.dinkes, email="op2@dinkes.go.id")
    make_user("unit_operator", unit=world.dinkes, email="lama@dinkes.go.id", active=False)
    make_user("verifier", email="verifikator@setda.go.id")
    quiet = make_unit("Kecamatan Tanpa Surel", public_service=True)
    silent = world.task(quiet, "PR-06", "Maklumat kecamatan")
    login_as(world.verifier)

    response = client.post(
        "/tindak-lanjut/tugas/massal/pengingat",
        data={"tugas": [a.id, a2.id, done.id, silent.id], "indikator": ""},
    )
    assert response.status_code == 303
    assert len(mail_outbox) == 1
    msg = mail_outbox[0]
    assert msg["To"] == "op@dinkes.go.id, op2@dinkes.go.id"
    assert msg["Subject"] == "Pengingat tindak lanjut: 2 tugas Dinkes Massal"
    body = msg.get_content()
    assert "Maklumat Dinkes" in body and "Pengaduan Dinkes" in body and "Dinsos" not in body
    html = client.get(response.location).get_data(as_text=True)
    assert "Pengingat terkirim: 1 e-mail ke operator 1 unit untuk 2 tugas." in html
    assert "1 sudah terverifikasi" in html and "1 unit belum punya e-mail operator" in html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "followup.remind"))
    assert entry is not None and entry.actor_id == world.verifier.id


def test_bulk_reminder_without_a_mail_server_says_so(world, client, login_as):
    a = world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    login_as(world.verifier)
    response = client.post(
        "/tindak-lanjut/tugas/massal/pengingat", data={"tugas": [a.id]}, follow_redirects=True
    )
    assert "server e-mail belum diatur (MAIL_SERVER): pesan hanya dicatat di log" in (
        response.get_data(as_text=True)
    )


def test_many_reminders_are_sent_by_a_job_once(world, client, login_as, mail_outbox, app, db):
    app.config["BULK_REMINDER_JOB_MIN"] = 2
    tasks = [world.task(world.dinkes, "PR-06", f"Maklumat {i}") for i in range(2)]
    tasks += [world.task(world.dinsos, "PG-03", "Pengaduan Dinsos")]
    login_as(world.verifier)
    data = {"tugas": [t.id for t in tasks]}
    response = client.post("/tindak-lanjut/tugas/massal/pengingat", data=data)
    assert response.status_code == 303 and "/tugas/" in response.location
    job = db.session.scalar(select(Job).where(Job.kind == "followup.task_reminders"))
    assert job.status == JobStatus.DONE and job.result["sent"] == 2
    assert sorted(m["To"] for m in mail_outbox) == ["op@dinkes.go.id", "op@dinsos.go.id"]
    page = client.get(response.location).get_data(as_text=True)
    assert "Selesai." in page
    # The same choice posted again (a double click) is the same job: nothing sent twice.
    again = client.post("/tindak-lanjut/tugas/massal/pengingat", data=data)
    assert again.location == response.location and len(mail_outbox) == 2


def test_a_verified_task_keeps_its_deadline_through_the_service(world, db):
    t = world.verified(world.task(world.dinkes, "PR-06", "Selesai"))
    with pytest.raises(InvalidTransition, match="terverifikasi"):
        task_services.change_due_date(t, SOON + timedelta(days=1), actor=world.verifier)
    assert t.status is TaskStatus.VERIFIED


def test_an_event_chosen_by_a_link_shows_in_its_select_box_even_without_tasks(
    world, client, login_as, make_event
):
    event = make_event(title="Sosialisasi Tanpa Tugas")
    world.task(world.dinkes, "PR-06", "Maklumat Dinkes")
    login_as(world.verifier)
    html = client.get(f"/tindak-lanjut/tugas?acara={event.id}").get_data(as_text=True)
    assert re.search(rf'<option value="{event.id}" selected>Sosialisasi Tanpa Tugas', html)
    assert rows(html) == []
    html = client.get("/tindak-lanjut/tugas").get_data(as_text=True)
    assert "Sosialisasi Tanpa Tugas" not in html  # otherwise only events that have tasks
