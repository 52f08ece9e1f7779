from sosialisasi.audit.models import AuditEntry
from sosialisasi.auth.models import ApiToken, Role, User
from tests.conftest import PASSWORD


def test_login_page_is_indonesian(client):
    page = client.get("/masuk")
    assert page.status_code == 200
    assert "Masuk ke Sosialisasi" in page.text
    assert 'for="username"' in page.text  # every field has a label


def test_login_with_good_credentials_lands_on_home(client, make_user):
    user = make_user(Role.ORGANIZER, name="Rina Lestari")
    response = client.post("/masuk", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(response.headers["Location"])
    assert "Selamat datang, Rina Lestari" in home.text


def test_username_is_case_insensitive(client, make_user):
    user = make_user(username="Panitia.Org")
    response = client.post("/masuk", data={"username": "panitia.org", "password": PASSWORD})
    assert response.status_code == 302, user


def test_wrong_password_keeps_username_and_says_why(client, make_user, db):
    user = make_user()
    page = client.post("/masuk", data={"username": user.username, "password": "salah"})
    assert page.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in page.text
    assert f'value="{user.username}"' in page.text
    assert db.session.query(AuditEntry).filter_by(action="login.failed").count() == 1


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    page = client.post("/masuk", data={"username": user.username, "password": PASSWORD})
    assert "salah" in page.text


def test_next_is_followed_only_within_the_site(client, make_user):
    user = make_user()
    good = client.post(
        "/masuk?next=/acara/", data={"username": user.username, "password": PASSWORD}
    )
    assert good.headers["Location"] == "/acara/"
    client.post("/keluar")
    for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        bad = client.post(
            f"/masuk?next={evil}", data={"username": user.username, "password": PASSWORD}
        )
        assert bad.headers["Location"] == "/beranda", evil
        client.post("/keluar")


def test_logout_is_post_only(client, login_as):
    login_as()
    assert client.get("/keluar").status_code == 405
    assert client.post("/keluar").status_code == 302
    assert client.get("/beranda").status_code == 302  # back to login


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/acara/")
    assert response.status_code == 302
    assert "/masuk?next=/acara/" in response.headers["Location"]


def test_failed_logins_are_rate_limited(app, client, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "3 per 5 minutes"
    user = make_user()
    for _ in range(3):
        client.post("/masuk", data={"username": user.username, "password": "salah"})
    blocked = client.post("/masuk", data={"username": user.username, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Terlalu banyak" in blocked.text


def test_change_password_ends_other_sessions(app, client, make_user, db):
    user = make_user()
    other = app.test_client()
    for c in (client, other):
        c.post("/masuk", data={"username": user.username, "password": PASSWORD})
    response = client.post(
        "/akun/kata-sandi",
        data={
            "current_password": PASSWORD,
            "password": "BaruSekali-2025",
            "confirm": "BaruSekali-2025",
        },
    )
    assert response.status_code == 302
    assert client.get("/beranda").status_code == 200  # this session goes on
    assert other.get("/beranda").status_code == 302  # the other one has ended
    db.session.refresh(user)
    assert user.check_password("BaruSekali-2025")


def test_weak_new_password_is_refused_with_reason(client, login_as):
    login_as()
    page = client.post(
        "/akun/kata-sandi",
        data={"current_password": PASSWORD, "password": "12345", "confirm": "12345"},
    )
    assert "minimal 10 karakter" in page.text


def test_admin_creates_unit_operator_only_with_unit(client, login_as, db, make_unit):
    login_as(Role.ADMIN)
    unit = make_unit("Dinas Kesehatan")
    page = client.post(
        "/pengguna/baru",
        data={"username": "op.dinkes", "name": "Operator", "role": "unit_operator", "unit_id": 0},
    )
    assert "harus terikat pada satu unit" in page.text
    done = client.post(
        "/pengguna/baru",
        data={
            "username": "op.dinkes",
            "name": "Operator",
            "role": "unit_operator",
            "unit_id": unit.id,
            "active": "y",
        },
        follow_redirects=True,
    )
    assert "Kata sandi awal" in done.text
    assert db.session.query(User).filter_by(username="op.dinkes").one().unit_id == unit.id


def test_deactivating_a_user_ends_their_session(app, client, login_as, make_user, db):
    target = make_user(Role.VERIFIER)
    theirs = app.test_client()
    theirs.post("/masuk", data={"username": target.username, "password": PASSWORD})
    assert theirs.get("/beranda").status_code == 200
    login_as(Role.ADMIN)
    client.post(
        f"/pengguna/{target.id}",
        data={"name": target.name, "role": "verifier", "unit_id": 0},  # active unticked
    )
    assert theirs.get("/beranda").status_code == 302


def test_cli_creates_user_and_token(runner, db, make_unit):
    make_unit("Dinas Kesehatan", code="DINKES")
    result = runner.invoke(
        args=["users", "create", "op1", "--role", "unit_operator", "--unit", "dinkes"]
    )
    assert result.exit_code == 0, result.output
    assert "password:" in result.output
    token = runner.invoke(args=["users", "token", "op1"]).output.strip()
    assert token.startswith("sos_")
    stored = db.session.query(ApiToken).one()
    assert stored.token_hash != token and stored.token_hash == ApiToken.hash(token)
