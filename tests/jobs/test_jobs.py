"""Jobs in immediate mode: big imports go through a job and its page; jobs run once."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import func, select

from sosialisasi.jobs import queue, services
from sosialisasi.jobs.models import Job, JobStatus
from sosialisasi.registration.models import Registration

from .scenario import make_world, rows_csv, rows_xlsx


@pytest.fixture()
def world(db):
    return make_world(db)


def _login(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _count(db) -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def test_a_big_import_is_previewed_and_applied_by_jobs_with_their_pages(app, db, client, world):
    event, user = world
    _login(client, user)
    app.config["IMPORT_INLINE_MAX_BYTES"] = 10_000
    data = rows_xlsx(300)
    answer = client.post(
        f"/acara/{event.id}/impor",
        data={"file": (io.BytesIO(data), "besar.xlsx"), "over_quota_reason": ""},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303 and "/tugas/" in answer.location
    preview = client.get(answer.location)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Pratinjau: besar.xlsx" in html
    assert "Baru: 300" in html and "Peserta Impor 299" in html
    assert _count(db) == 0  # a preview writes nothing
    token = html.split("/impor/")[1].split('"')[0].split("/")[0]

    confirm = client.post(f"/acara/{event.id}/impor/{token}")
    assert confirm.status_code == 303 and "/tugas/" in confirm.location
    done = client.get(confirm.location).get_data(as_text=True)
    assert "Impor selesai" in done and "300 peserta baru" in done  # the readable result (issue 16)
    assert _count(db) == 300
    # The file is used once: confirming again finds nothing to import.
    assert client.post(f"/acara/{event.id}/impor/{token}").status_code == 404
    assert _count(db) == 300


def test_a_small_import_still_answers_in_the_request(app, db, client, world):
    event, user = world
    _login(client, user)
    preview = client.post(
        f"/acara/{event.id}/impor",
        data={"file": (io.BytesIO(rows_csv(5)), "kecil.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200 and "Baru: 5" in preview.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_failed_preview_shows_its_error_and_a_way_back(app, db, client, world):
    event, user = world
    _login(client, user)
    app.config["IMPORT_INLINE_MAX_BYTES"] = 0
    answer = client.post(
        f"/acara/{event.id}/impor",
        data={"file": (io.BytesIO(b"x,y\n1,2\n"), "a.csv")},
        content_type="multipart/form-data",
    )
    page = client.get(answer.location).get_data(as_text=True)
    assert "baris judul kolom tidak ditemukan" in page
    assert f"/acara/{event.id}/impor" in page
    status = client.get(answer.location + "/status.json").get_json()
    assert status["status"] == "failed" and status["finished"]


def test_the_progress_page_polls_and_only_its_owner_sees_it(app, db, client, world, make_user):
    event, user = world
    job = services.enqueue("import.apply", {"token": "x"}, actor=user, event=event)
    job.total = 200
    db.session.commit()
    _login(client, user)
    page = client.get(f"/tugas/{job.id}").get_data(as_text=True)
    assert 'role="progressbar"' in page and "Menunggu giliran" in page
    assert "js/jobs.js" in page
    job.status = JobStatus.RUNNING
    db.session.commit()
    queue.put(f"pg:{job.id}", (50, 200))
    state = client.get(f"/tugas/{job.id}/status.json").get_json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == (
        "running",
        50,
        200,
        25,
    )
    _login(client, make_user("organizer"))
    assert client.get(f"/tugas/{job.id}").status_code == 404
    assert client.get(f"/tugas/{job.id}/status.json").status_code == 404


def test_the_same_key_gives_one_job_and_a_claimed_job_runs_once(app, db, world):
    event, user = world
    first = services.enqueue("followup.reminders", {}, actor=user, key="k1")
    again = services.enqueue("followup.reminders", {}, actor=user, key="k1")
    assert first.id == again.id
    db.session.commit()
    assert services.run(first.id) is True
    assert services.run(first.id) is False  # already done: a second delivery does nothing
    db.session.refresh(first)
    assert first.status == JobStatus.DONE and first.attempts == 1


def test_a_job_whose_worker_stopped_beating_runs_again_and_skips_done_effects(app, db, world):
    event, user = world
    job = services.enqueue("followup.reminders", {}, actor=user)
    job.status, job.attempts = JobStatus.RUNNING, 1
    db.session.commit()
    queue.put(f"hb:{job.id}", time.time())
    assert services.recover() == []  # alive: left alone
    queue.put(f"hb:{job.id}", time.time() - 3600)
    assert services.recover() == [job.id]  # dead: queued again (and, immediate, run)
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_the_daily_reminders_are_one_job_per_day(app, db):
    first = services.start_daily_reminders()
    second = services.start_daily_reminders()
    assert first.id == second.id
    assert first.status == JobStatus.DONE
    assert first.result["messages"] >= 0


@pytest.mark.parametrize(
    ("path", "name"),
    [("kartu.pdf", "kartu-acara"), ("daftar-hadir.pdf", "daftar-hadir")],
)
def test_a_big_pdf_is_made_by_a_job_and_downloaded_from_its_page(
    app, db, client, world, make_person, make_registration, path, name
):
    event, user = world
    for _ in range(3):
        make_registration(event, make_person(unit=event.invitations[0].unit))
    app.config["PDF_JOB_MIN_ROWS"] = 2
    _login(client, user)
    answer = client.get(f"/acara/{event.id}/{path}")
    assert answer.status_code == 303 and "/tugas/" in answer.location
    page = client.get(answer.location).get_data(as_text=True)
    assert "Unduh hasil" in page
    pdf = client.get(answer.location + "/berkas")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert name in pdf.headers["Content-Disposition"]
    app.config["PDF_JOB_MIN_ROWS"] = 500
    small = client.get(f"/acara/{event.id}/{path}")
    assert small.status_code == 200 and small.data.startswith(b"%PDF")


def test_ticket_mail_is_a_job_that_sends_each_ticket_once(
    app, db, client, world, make_person, make_registration
):
    event, user = world
    unit = event.invitations[0].unit
    regs = [
        make_registration(event, make_person(unit=unit, email=f"p{i}@example.go.id"))
        for i in range(3)
    ]
    make_registration(event, make_person(unit=unit))  # no address: not counted
    app.config["MAIL_SERVER"] = "smtp.test"
    sent: list[str] = []

    def fake_send(config, to, subject, body):
        sent.append(to)
        return True

    import sosialisasi.registration.delivery as delivery

    original = delivery.send_mail
    delivery.send_mail = fake_send
    try:
        _login(client, user)
        answer = client.post(f"/tugas/acara/{event.id}/kirim-tiket")
        assert answer.status_code == 303
        page = client.get(answer.location).get_data(as_text=True)
        assert "Selesai" in page
        # The kind and the figures in words, not the keys the code stores.
        assert "Pengiriman tiket" in page and '<dt class="col-sm-3">Terkirim</dt>' in page
        assert "registration.ticket_mail" not in page and ">sent<" not in page
        listed = client.get("/tugas/").get_data(as_text=True)
        assert "Pengiriman tiket" in listed and "Selesai" in listed and ">done<" not in listed
        again = client.post(f"/tugas/acara/{event.id}/kirim-tiket")  # nothing left to send
        client.get(again.location)
    finally:
        delivery.send_mail = original
    assert sorted(sent) == sorted(r.person.email for r in regs)


def test_every_kind_of_job_has_a_name_a_user_reads():
    from sosialisasi.jobs.kinds import KINDS
    from sosialisasi.jobs.labels import KINDS as NAMES

    assert set(KINDS) <= set(NAMES)


def test_the_h1_reminder_goes_once_to_the_operators_of_tomorrows_event(
    app, db, make_unit, make_event, make_user, request
):
    from datetime import UTC, date, datetime

    from sosialisasi.auth.models import Role

    dinkes, dinsos = make_unit("Dinas Kesehatan"), make_unit("Dinas Sosial")
    make_user(Role.UNIT_OPERATOR, unit=dinkes, email="op@dinkes.example")
    tomorrow = make_event(
        title="Sosialisasi SP4N-LAPOR!",
        starts_at=datetime(2026, 12, 4, 1, 0, tzinfo=UTC),  # Jumat 4 Desember, 08.00 WIB
        invite=[dinkes, dinsos],
    )
    make_event(starts_at=datetime(2026, 12, 5, 1, 0, tzinfo=UTC), invite=[dinkes])  # lusa
    today = date(2026, 12, 3)

    assert services.start_h1_reminders(today) == []  # no mail server: nothing to send

    sent = request.getfixturevalue("mail_outbox")  # now a mail server is configured
    jobs = services.start_h1_reminders(today)
    again = services.start_h1_reminders(today)  # a second scheduler, the same morning

    assert [j.event_id for j in jobs] == [tomorrow.id] and [j.id for j in again] == [jobs[0].id]
    assert [(m["To"], m["Subject"]) for m in sent] == [
        ("op@dinkes.example", "Pengingat: Sosialisasi SP4N-LAPOR!")
    ]
    body = sent[0].get_content()
    assert body.startswith("Yth. Operator Dinas Kesehatan") and "Pengingat H-1" in body
    assert "Jumat, 4 Desember 2026" in body
