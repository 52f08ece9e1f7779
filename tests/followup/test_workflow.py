"""Task workflow and who may do what: units work their own tasks, verifiers verify."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from sosialisasi.common.errors import NotAllowed
from sosialisasi.followup.models import Evidence, TaskStatus
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services

from .conftest import JPEG, PDF, PNG, office


@pytest.fixture()
def setup(ombudsman, make_unit, make_user, db):
    unit = make_unit("Dinas Pendidikan Contoh")
    other = make_unit("Dinas Sosial Contoh")
    verifier = make_user("verifier", name="Verifikator Organisasi")
    operator = make_user("unit_operator", unit=unit, name="Operator Disdik")
    stranger = make_user("unit_operator", unit=other, name="Operator Dinsos")
    indicator = next(i for i in ombudsman.indicators if i.code == "PR-06")
    task = task_services.create_task(
        unit,
        title="",
        indicator=indicator,
        due_date=date.today() + timedelta(days=10),
        actor=verifier,
    )
    db.session.commit()
    return {
        "unit": unit,
        "verifier": verifier,
        "operator": operator,
        "stranger": stranger,
        "task": task,
    }


def _upload(client, task, name, data, **extra):
    return client.post(
        f"/tindak-lanjut/tugas/{task.id}/bukti",
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def test_unit_uploads_evidence_submits_and_verifier_verifies(setup, client, login_as, app, db):
    task = setup["task"]
    login_as(setup["operator"])
    page = client.get(f"/tindak-lanjut/tugas/{task.id}").get_data(as_text=True)
    assert "Maklumat pelayanan" in page and "Unggah berkas" in page
    response = _upload(client, task, "maklumat.pdf", PDF, description="Maklumat ditandatangani")
    assert response.status_code == 302
    db.session.refresh(task)
    assert task.status is TaskStatus.IN_PROGRESS
    evidence = task.evidence[0]
    stored = os.path.join(app.config["UPLOAD_FOLDER"], "evidence", evidence.stored_name)
    assert os.path.exists(stored) and "static" not in stored
    assert evidence.stored_name != "maklumat.pdf" and evidence.original_name == "maklumat.pdf"
    client.post(
        f"/tindak-lanjut/tugas/{task.id}/tautan",
        data={"url": "https://disdik.bekasikab.go.id/maklumat"},
    )
    response = client.post(f"/tindak-lanjut/tugas/{task.id}/ajukan", data={"note": "Sudah"})
    assert response.status_code == 302
    db.session.refresh(task)
    assert task.status is TaskStatus.SUBMITTED

    # The unit operator cannot verify its own work.
    assert client.post(f"/tindak-lanjut/tugas/{task.id}/verifikasi").status_code == 403
    download = client.get(f"/tindak-lanjut/bukti/{evidence.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")

    login_as(setup["verifier"])
    assert client.get(f"/tindak-lanjut/bukti/{evidence.id}").status_code == 200
    response = client.post(f"/tindak-lanjut/tugas/{task.id}/verifikasi", data={"note": "Lengkap"})
    assert response.status_code == 302
    db.session.refresh(task)
    assert task.status is TaskStatus.VERIFIED and task.verifier_id == setup["verifier"].id
    moves = [
        (h.from_status, h.to_status, h.actor.name) for h in task.history if h.action == "status"
    ]
    assert moves == [
        (TaskStatus.OPEN, TaskStatus.IN_PROGRESS, "Operator Disdik"),
        (TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, "Operator Disdik"),
        (TaskStatus.SUBMITTED, TaskStatus.VERIFIED, "Verifikator Organisasi"),
    ]
    page = client.get(f"/tindak-lanjut/tugas/{task.id}").get_data(as_text=True)
    assert "Terverifikasi" in page and "Verifikator Organisasi" in page


def test_rejection_needs_a_reason_and_sends_the_task_back(setup, client, login_as, db):
    task = setup["task"]
    evidence_services.add_evidence_link(
        task, url="https://example.go.id/x", actor=setup["operator"]
    )
    task_services.submit_task(task, actor=setup["operator"])
    db.session.commit()
    login_as(setup["verifier"])
    response = client.post(f"/tindak-lanjut/tugas/{task.id}/tolak", data={"reason": ""})
    assert response.status_code == 422
    assert "Alasan wajib diisi." in response.get_data(as_text=True)
    response = client.post(
        f"/tindak-lanjut/tugas/{task.id}/tolak",
        data={"reason": "Maklumat belum ditandatangani kepala dinas"},
    )
    assert response.status_code == 302
    db.session.refresh(task)
    assert task.status is TaskStatus.REJECTED
    login_as(setup["operator"])
    page = client.get(f"/tindak-lanjut/tugas/{task.id}").get_data(as_text=True)
    assert "Maklumat belum ditandatangani kepala dinas" in page
    _upload(client, task, "maklumat-ttd.jpg", JPEG)
    db.session.refresh(task)
    assert task.status is TaskStatus.IN_PROGRESS


def test_submitting_without_evidence_is_refused(setup, client, login_as, db):
    login_as(setup["operator"])
    response = client.post(f"/tindak-lanjut/tugas/{setup['task'].id}/ajukan", data={"note": "x"})
    assert response.status_code == 422
    assert "Unggah minimal satu bukti" in response.get_data(as_text=True)
    db.session.refresh(setup["task"])
    assert setup["task"].status is TaskStatus.OPEN


def test_other_units_tasks_and_evidence_are_invisible(setup, client, login_as, db):
    task = setup["task"]
    evidence = evidence_services.add_evidence_file(
        task,
        filename="sk.pdf",
        data=PDF,
        upload_folder=client.application.config["UPLOAD_FOLDER"],
        actor=setup["operator"],
    )
    db.session.commit()
    login_as(setup["stranger"])
    assert client.get(f"/tindak-lanjut/tugas/{task.id}").status_code == 404
    assert client.get(f"/tindak-lanjut/bukti/{evidence.id}").status_code == 404
    assert _upload(client, task, "x.pdf", PDF).status_code == 404
    assert client.get(f"/tindak-lanjut/unit/{setup['unit'].id}").status_code == 404
    listing = client.get(f"/tindak-lanjut/tugas?unit={setup['unit'].id}").get_data(as_text=True)
    assert "Maklumat pelayanan" not in listing
    # An organizer sees the task but may not download the unit's files.
    login_as("organizer")
    assert client.get(f"/tindak-lanjut/tugas/{task.id}").status_code == 200
    assert client.get(f"/tindak-lanjut/bukti/{evidence.id}").status_code == 403


def test_verifier_cannot_upload_for_a_unit(setup, client, login_as, db):
    login_as(setup["verifier"])
    assert _upload(client, setup["task"], "x.pdf", PDF).status_code == 403
    with pytest.raises(NotAllowed):
        evidence_services.add_evidence_link(
            setup["task"], url="https://a.go.id", actor=setup["verifier"]
        )
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("program.exe", b"MZ" + b"\x00" * 10, "Jenis berkas tidak diterima"),
        ("maklumat.pdf", PNG, "Isi berkas tidak sesuai dengan ekstensi .pdf"),
        ("foto.png", JPEG, "Isi berkas tidak sesuai dengan ekstensi .png"),
        ("sk.docx", office("xlsx"), "Isi berkas tidak sesuai dengan ekstensi .docx"),
        ("../../etc/passwd.pdf", PDF, "tidak boleh berisi folder"),
        ("C:\\Users\\ani\\sk.pdf", PDF, "tidak boleh berisi folder"),
        ("besar.pdf", PDF + b"0" * (10 * 1024 * 1024), "maksimal 10 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    setup, client, login_as, app, db, name, data, message
):
    login_as(setup["operator"])
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "evidence")
    before = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    response = _upload(client, setup["task"], name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Evidence.id))) == 0
    after = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    assert after == before
    db.session.refresh(setup["task"])
    assert setup["task"].status is TaskStatus.OPEN


@pytest.mark.parametrize(
    "name,data",
    [("a.docx", office("docx")), ("b.xlsx", office("xlsx")), ("c.png", PNG), ("d.JPG", JPEG)],
)
def test_each_accepted_type_is_stored(setup, client, login_as, db, name, data):
    login_as(setup["operator"])
    assert _upload(client, setup["task"], name, data).status_code == 302
    assert db.session.scalar(select(func.count(Evidence.id))) == 1


def test_overdue_tasks_are_highlighted(setup, client, login_as, db):
    task = setup["task"]
    task.due_date = date.today() - timedelta(days=3)
    db.session.commit()
    login_as(setup["operator"])
    page = client.get(f"/tindak-lanjut/unit/{setup['unit'].id}").get_data(as_text=True)
    assert "table-danger" in page and "terlambat" in page
    assert "1 terlambat" in page


def test_forms_carry_a_csrf_token_when_protection_is_on(setup, client, login_as, app, db):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    login_as(setup["operator"])
    task = setup["task"]
    assert _upload(client, task, "sk.pdf", PDF).status_code == 400  # no token: refused
    page = client.get(f"/tindak-lanjut/tugas/{task.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _upload(client, task, "sk.pdf", PDF, csrf_token=token).status_code == 302
    assert db.session.scalar(select(func.count(Evidence.id))) == 1


def test_verifier_creates_a_task_by_hand(setup, client, login_as, ombudsman, make_unit, db):
    from sosialisasi.units.models import UnitKind

    login_as(setup["verifier"])
    setwan = make_unit("Sekretariat DPRD Uji", kind=UnitKind.SETWAN)
    terpadu = next(i for i in ombudsman.indicators if i.code == "PR-11")
    due = (date.today() + timedelta(days=20)).isoformat()
    # The default framework is the newest (OMBUDSMAN-2026 since issue 14): name the 2022 one.
    response = client.post(
        f"/tindak-lanjut/tugas/baru?kerangka={ombudsman.id}",
        data={"unit_id": setwan.id, "indicator_id": terpadu.id, "title": "", "due_date": due},
    )
    assert "Indikator PR-11 tidak berlaku untuk Sekretariat DPRD." in response.get_data(
        as_text=True
    )
    response = client.post(
        "/tindak-lanjut/tugas/baru",
        data={
            "unit_id": setwan.id,
            "indicator_id": 0,
            "due_date": due,
            "title": "Tetapkan SK petugas pengelola pengaduan",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tetapkan SK petugas pengelola pengaduan" in page and "Dibuat manual" in page


def test_the_services_write_the_audit_entries_without_a_request(setup, db):
    """Audit is written where the change is made, so the CLI and the API are audited alike."""
    from sosialisasi.audit.models import AuditEntry

    task, operator, verifier = setup["task"], setup["operator"], setup["verifier"]
    evidence_services.add_evidence_link(task, url="https://example.go.id/sk", actor=operator)
    task_services.submit_task(task, actor=operator)
    task_services.verify_task(task, note="Lengkap", actor=verifier)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "followup.verify"))
    assert entry.actor_id == verifier.id and entry.object_id == task.id
    assert entry.summary == f"Dinas Pendidikan Contoh: {task.title}"
