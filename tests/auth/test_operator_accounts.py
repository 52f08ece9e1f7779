"""Operator accounts for invited units (issue 16 item 2, issue 18): from a CSV/XLSX with row
errors, initial passwords by e-mail (now or as a job), never in the log."""

from __future__ import annotations

import io
import logging
import re

from openpyxl import Workbook

from sosialisasi.auth.models import Role, User
from sosialisasi.jobs.models import Job


def _csv(*lines: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(("\n".join(lines) + "\n").encode()), "operator.csv"


def _preview(client, event, upload):
    return client.post(
        f"/acara/{event.id}/akun-operator/impor",
        data={"file": upload},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_file_preview_names_each_bad_row_and_creates_the_good_ones(
    client, login_as, make_event, make_unit, make_user, db
):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES")
    dinsos = make_unit("Dinas Sosial", code="DINSOS")
    covered = make_unit("Dinas Perhubungan", code="DISHUB")
    make_user(Role.UNIT_OPERATOR, unit=covered)
    make_user(Role.ORGANIZER, email="sudah@bekasikab.go.id")
    event = make_event(invite=[dinkes, dinsos, covered])
    login_as(Role.ORGANIZER)
    page = _preview(
        client,
        event,
        _csv(
            "nama;unit;e-mail;telepon",
            "Sari;DINKES;sari@bekasikab.go.id;0812-3456-7890",  # row 2: good (code)
            "Budi;Dinas Antah Berantah;budi@bekasikab.go.id;",  # row 3: unknown unit
            "Rina;Dinas Sosial;rina-at-example;",  # row 4: bad e-mail
            "Tono;Dinas Perhubungan;tono@bekasikab.go.id;",  # row 5: has an operator
            "Dewi;Dinas Sosial;sudah@bekasikab.go.id;",  # row 6: e-mail used
            "Ani;Dinas Sosial;sari@bekasikab.go.id;",  # row 7: e-mail twice in the file
        ),
    ).text
    assert "1 baris siap dibuat, 5 baris bermasalah" in page

    def reason(n: int) -> str:
        return re.search(rf'data-row="{n}">(.*?)</tr>', page, re.S).group(1)

    assert "siap dibuat" in reason(2)
    assert "unit &#39;Dinas Antah Berantah&#39; tidak dikenal" in reason(3)
    assert "alamat e-mail &#39;rina-at-example&#39; tidak valid" in reason(4)
    assert "Dinas Perhubungan sudah punya akun operator aktif" in reason(5)
    assert "sudah dipakai akun lain" in reason(6)
    assert "sudah dipakai di baris 2" in reason(7)
    assert db.session.query(User).filter_by(unit_id=dinkes.id).count() == 0  # preview only

    sheet = client.post(
        f"/acara/{event.id}/akun-operator/impor/buat",
        data={"token": _token(page), "kirim": "lembar"},
    ).text
    assert "op-dinkes" in sheet and "Dinas Sosial" not in sheet
    user = db.session.query(User).filter_by(unit_id=dinkes.id).one()
    assert (user.name, user.email, user.phone) == ("Sari", "sari@bekasikab.go.id", "+6281234567890")
    assert user.must_change_password


def test_xlsx_phone_turned_into_a_number_still_imports(client, login_as, make_event, make_unit, db):
    unit = make_unit("Kecamatan Cikarang Utara", code="CKU")
    event = make_event(invite=[unit])
    book = Workbook()
    sheet = book.active
    sheet.append(["DAFTAR OPERATOR"])
    sheet.append(["Nama", "Unit", "E-mail", "Telepon"])
    sheet.append(["Joko", "CKU", None, 6281234567890.0])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    login_as(Role.ORGANIZER)
    page = _preview(client, event, (data, "operator.xlsx")).text
    assert "1 baris siap dibuat, 0 baris bermasalah" in page and "+6281234567890" in page
    client.post(f"/acara/{event.id}/akun-operator/impor/buat", data={"token": _token(page)})
    assert db.session.query(User).filter_by(unit_id=unit.id).one().phone == "+6281234567890"


def test_a_tampered_preview_is_refused(client, login_as, make_event):
    event = make_event()
    login_as(Role.ORGANIZER)
    response = client.post(
        f"/acara/{event.id}/akun-operator/impor/buat",
        data={"token": "bukan-token"},
        follow_redirects=True,
    )
    assert "Pratinjau sudah kedaluwarsa atau tidak sah" in response.text


def test_an_unreadable_file_gets_a_message(client, login_as, make_event):
    event = make_event()
    login_as(Role.ORGANIZER)
    response = _preview(client, event, (io.BytesIO(b"\x00\x01"), "operator.pdf"))
    assert response.status_code == 422
    assert "Berkas tidak dapat dibaca: format berkas harus .csv atau .xlsx" in response.text


def test_passwords_by_email_go_only_to_new_accounts_and_never_to_the_log(
    app, client, login_as, make_event, make_unit, make_user, mail_outbox, caplog
):
    sent = mail_outbox
    old = make_unit("Dinas Lama", code="LAMA")
    make_user(Role.UNIT_OPERATOR, unit=old, email="lama@bekasikab.go.id")
    a, b = make_unit("Dinas A", code="DA"), make_unit("Dinas B", code="DB")
    event = make_event(invite=[old, a, b])
    login_as(Role.ORGANIZER)
    caplog.set_level(logging.DEBUG)
    page = _preview(
        client,
        event,
        _csv(
            "nama,unit,e-mail,telepon",
            "Ayu,DA,ayu@bekasikab.go.id,",
            "Bayu,DB,,",
            "Lama,LAMA,lama2@bekasikab.go.id,",
        ),
    ).text
    sheet = client.post(
        f"/acara/{event.id}/akun-operator/impor/buat",
        data={"token": _token(page), "kirim": "email"},
    ).text
    assert [m["To"] for m in sent] == ["ayu@bekasikab.go.id"]
    body = sent[0].get_content()
    assert "op-da" in body and "wajib diganti saat pertama kali masuk" in body
    password = re.search(r"Kata sandi awal: (\S+)", body).group(1)
    assert password not in caplog.text
    # Bayu has no address: on the sheet; Ayu's password only in her mail.
    assert "op-db" in sheet and password not in sheet
    assert "dikirim lewat e-mail" in sheet

    client.post("/keluar")
    client.post("/masuk", data={"username": "op-da", "password": password})
    assert client.get("/beranda").headers["Location"].endswith("/akun/kata-sandi")


def test_many_passwords_go_by_a_job(
    app, client, login_as, make_event, make_unit, mail_outbox, db, caplog
):
    sent = mail_outbox
    caplog.set_level(logging.DEBUG)
    units = [make_unit(f"Kelurahan {i}", code=f"KL{i}") for i in range(5)]
    event = make_event(invite=units)
    login_as(Role.ORGANIZER)
    lines = ["nama;unit;e-mail"] + [f"Op {i};KL{i};op{i}@bekasikab.go.id" for i in range(5)]
    page = _preview(client, event, _csv(*lines)).text
    sheet = client.post(
        f"/acara/{event.id}/akun-operator/impor/buat",
        data={"token": _token(page), "kirim": "email"},
    ).text
    assert "dikirim lewat e-mail di latar belakang" in sheet
    job = db.session.query(Job).filter_by(kind="auth.operator_passwords").one()
    assert job.status == "done" and job.result["sent"] == 5
    assert "Kata sandi" not in str(job.params) and "password" not in str(job.result).lower()
    assert sorted(m["To"] for m in sent) == [f"op{i}@bekasikab.go.id" for i in range(5)]
    for message in sent:
        password = re.search(r"Kata sandi awal: (\S+)", message.get_content()).group(1)
        assert password not in caplog.text and password not in str(job.params)
    assert "5 kata sandi awal terkirim" in client.get(f"/tugas/{job.id}").text


def test_without_a_mail_server_email_falls_back_to_the_sheet(
    client, login_as, make_event, make_unit, caplog
):
    unit = make_unit("Dinas C", code="DC")
    event = make_event(invite=[unit])
    login_as(Role.ORGANIZER)
    caplog.set_level(logging.DEBUG)
    sheet = client.post(
        f"/acara/{event.id}/akun-operator", data={"unit_ids": [unit.id], "kirim": "email"}
    ).text
    password = re.search(r"<td><code>op-dc</code></td><td><code>([^<]+)</code>", sheet).group(1)
    assert "Server e-mail belum diatur" in sheet
    assert password not in caplog.text


def test_an_accounts_whatsapp_number_is_kept_normalised(client, login_as, make_user, db):
    operator = make_user(Role.UNIT_OPERATOR)
    login_as(Role.ADMIN)
    data = {
        "name": operator.name,
        "email": "",
        "role": "unit_operator",
        "unit_id": operator.unit_id,
        "active": "y",
        "phone": "0812-1111-2222",
    }
    client.post(f"/pengguna/{operator.id}", data=data)
    db.session.refresh(operator)
    assert operator.phone == "+6281211112222"
    page = client.post(f"/pengguna/{operator.id}", data={**data, "phone": "12345"})
    assert "Nomor HP tidak valid: nomor HP Indonesia diawali 08 atau +628." in page.text
    db.session.refresh(operator)
    assert operator.phone == "+6281211112222"
