"""Reach every invited unit (issue 16, item 4): bulk operator accounts, forced password change."""

from __future__ import annotations

import re

from sosialisasi.auth.models import Role, User


def test_bulk_operator_accounts_log_in_and_must_change_the_password(
    app, client, login_as, make_event, make_unit, make_user, db
):
    covered = make_unit("Dinas Punya Operator", code="DPO")
    make_user(Role.UNIT_OPERATOR, unit=covered)
    lacking = [make_unit(f"Dinas Tanpa Operator {i}", code=f"DTO{i}") for i in range(3)]
    event = make_event(invite=[covered, *lacking])
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}/akun-operator").text
    assert "3 unit undangan belum punya akun operator aktif" in page
    assert "Dinas Punya Operator" not in page
    sheet = client.post(
        f"/acara/{event.id}/akun-operator", data={"unit_ids": [u.id for u in lacking]}
    )
    assert sheet.headers["Cache-Control"] == "no-store"
    pairs = re.findall(r"<td><code>([^<]+)</code></td><td><code>([^<]+)</code></td>", sheet.text)
    assert [u for u, _ in pairs] == ["op-dto0", "op-dto1", "op-dto2"]
    assert "0 unit undangan belum" not in client.get(f"/acara/{event.id}/undangan").text
    assert "belum punya akun operator aktif" not in client.get(f"/acara/{event.id}/undangan").text

    client.post("/keluar")
    username, password = pairs[0]
    client.post("/masuk", data={"username": username, "password": password})
    forced = client.get("/beranda")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/akun/kata-sandi")
    client.post(
        "/akun/kata-sandi",
        data={
            "current_password": password,
            "password": "Sandi-baru-2026",
            "confirm": "Sandi-baru-2026",
        },
    )
    assert client.get("/beranda").status_code == 200
    user = db.session.query(User).filter_by(username=username).one()
    assert user.must_change_password is False and user.unit.name == "Dinas Tanpa Operator 0"


def test_only_organizers_create_operator_accounts(client, login_as, make_event, make_unit):
    event = make_event(invite=[make_unit()])
    login_as(Role.VERIFIER)
    assert (
        client.post(f"/acara/{event.id}/akun-operator", data={"unit_ids": [1]}).status_code == 403
    )


def test_login_redirects_to_masuk(client):
    response = client.get("/login?next=/acara/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/masuk?next=/acara/")


def test_demo_accounts_are_written_for_the_owner_only(app, runner, tmp_path, monkeypatch):
    import stat

    from sosialisasi import config

    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "demo-accounts.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "admin" in text and "menu nama Anda (kanan atas) > Ganti kata sandi" in text
    assert result.output.rstrip().endswith("hanya dapat dibaca pemilik berkas)")
    assert "Akun contoh" not in result.output  # `make run` prints the file once, at its end


def test_a_delegate_refused_for_a_full_quota_is_not_stored(
    client, login_as, make_event, make_user, make_registration, make_person, db
):
    from sosialisasi.registration.models import Person

    operator = make_user(Role.UNIT_OPERATOR)
    event = make_event(invite=[operator.unit], quota=1)
    make_registration(event, make_person(unit=operator.unit))
    people = db.session.query(Person).count()
    login_as(operator)
    page = client.post(
        f"/acara/{event.id}/delegasi",
        data={"name": "Delegasi Ketiga", "kind": "pns", "nip": "197001011995031001"},
    )
    assert "sudah penuh" in page.text
    assert db.session.query(Person).count() == people
    assert "Delegasi Ketiga" not in client.get(f"/acara/{event.id}/delegasi").text


def test_the_import_form_never_prefills_an_over_quota_reason(client, login_as, make_event):
    login_as(Role.ORGANIZER)
    event = make_event()
    page = client.get(f"/acara/{event.id}/impor").text
    assert re.search(r'name="over_quota_reason"[^>]*value=""', page) or (
        'name="over_quota_reason"' in page and "Daftar peserta dari panitia" not in page
    )


def test_send_to_all_gives_each_invited_unit_its_message(
    app, client, login_as, make_event, make_unit, make_user, request
):
    dinkes, dinsos = make_unit("Dinas Kesehatan"), make_unit("Dinas Sosial")
    make_user(Role.UNIT_OPERATOR, unit=dinkes, email="op@dinkes.example")
    event = make_event(invite=[dinkes, dinsos], quota=3)
    login_as(Role.ORGANIZER)
    assert "Kirim ke semua" in client.get(f"/acara/{event.id}/undangan").text
    template = "Yth. {unit}: {acara}, kuota {kuota}. {tautan}"
    page = client.post(
        f"/acara/{event.id}/undangan/pemberitahuan",
        data={"template": template, "kirim": "pratinjau"},
    ).text
    assert f"Yth. Dinas Kesehatan: {event.title}, kuota 3." in page
    assert "Yth. Dinas Sosial" in page and "https://wa.me/?text=" in page
    assert "tanpa e-mail operator" in page  # Dinas Sosial has no operator e-mail
    bad = client.post(
        f"/acara/{event.id}/undangan/pemberitahuan", data={"template": "{nama}", "kirim": "x"}
    ).text
    assert "Isian tidak dikenal: {nama}" in bad

    sent = request.getfixturevalue("mail_outbox")  # now a mail server is configured
    page = client.post(
        f"/acara/{event.id}/undangan/pemberitahuan",
        data={"template": template, "kirim": "email"},
        follow_redirects=True,
    ).text  # sent by a job (issue 18): its page says what went
    assert "1 e-mail pemberitahuan terkirim ke operator unit; 1 unit tanpa e-mail" in page
    assert sent[0]["To"] == "op@dinkes.example"
