"""Password policy and "sessions end when the password changes": the edge cases."""

from __future__ import annotations

import pytest

from sosialisasi.auth import services
from sosialisasi.auth.models import Role
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("pendek-1", "minimal 10 karakter"),
        ("1234567890123", "huruf dan angka"),
        ("hanyahurufsaja", "huruf dan angka"),
        ("xx-operator7-xx", "nama pengguna"),
        ("XX-OPERATOR7-99", "nama pengguna"),  # case does not hide it
    ],
)
def test_policy_refuses_weak_passwords_with_a_reason(password, reason):
    with pytest.raises(services.PasswordPolicyError) as err:
        services.check_password_policy(password, username="operator7")
    assert reason in err.value.message
    assert err.value.field == "password"


def test_policy_accepts_a_reasonable_password_and_generated_ones():
    services.check_password_policy("Bekasi-Maju-2025", username="operator7")
    for _ in range(50):
        services.check_password_policy(services.generate_password())


def test_admin_reset_of_a_password_is_checked_and_ends_the_users_sessions(
    app, client, login_as, make_user
):
    target = make_user(Role.VERIFIER)
    theirs = app.test_client()
    theirs.post("/masuk", data={"username": target.username, "password": PASSWORD})
    assert theirs.get("/beranda").status_code == 200
    login_as(Role.ADMIN)
    form = {"name": target.name, "role": "verifier", "unit_id": 0, "active": "y"}
    weak = client.post(f"/pengguna/{target.id}", data={**form, "password": "123"})
    assert "minimal 10 karakter" in weak.text
    assert theirs.get("/beranda").status_code == 200  # a refused change ends nothing
    done = client.post(f"/pengguna/{target.id}", data={**form, "password": "Reset-Oleh-Admin-1"})
    assert done.status_code == 302
    assert theirs.get("/beranda").status_code == 302


def test_remember_me_cookie_dies_with_the_password(app, client, make_user):
    user = make_user()
    phone = app.test_client()
    phone.post("/masuk", data={"username": user.username, "password": PASSWORD, "remember": "y"})
    phone.delete_cookie("session")  # the browser was closed; only the remember cookie is left
    assert phone.get("/beranda").status_code == 200
    client.post("/masuk", data={"username": user.username, "password": PASSWORD})
    client.post(
        "/akun/kata-sandi",
        data={
            "current_password": PASSWORD,
            "password": "Ganti-Sandi-77",
            "confirm": "Ganti-Sandi-77",
        },
    )
    phone.delete_cookie("session")
    assert phone.get("/beranda").status_code == 302


def test_wrong_current_password_changes_nothing(app, client, make_user, db):
    user = make_user()
    client.post("/masuk", data={"username": user.username, "password": PASSWORD})
    page = client.post(
        "/akun/kata-sandi",
        data={
            "current_password": "bukan-ini-1",
            "password": "Baru-Sekali-1",
            "confirm": "Baru-Sekali-1",
        },
    )
    assert "Kata sandi saat ini salah" in page.text
    db.session.refresh(user)
    assert user.check_password(PASSWORD) and user.session_version == 1


def test_a_tampered_session_cookie_is_not_a_login(app, client, make_user):
    user = make_user(Role.ADMIN)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:99"  # a version that never existed
    assert client.get("/beranda").status_code == 302
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}"  # no version at all
    assert client.get("/beranda").status_code == 302


def test_api_token_of_a_deactivated_user_or_revoked_token_is_refused(app, db, client, make_user):
    # Tokens open the API only (a page answered 200 to a token before issue 13).
    url = "/api/v1/openapi.json"
    user = make_user(Role.ORGANIZER)
    plain, token = services.create_token(user, "pintu")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get(url, headers=headers).status_code == 200
    services.revoke_token(token)
    db.session.commit()
    assert client.get(url, headers=headers).status_code == 401
    plain2, _ = services.create_token(user, "pintu-2")
    user.active = False
    db.session.commit()
    assert client.get(url, headers={"Authorization": f"Bearer {plain2}"}).status_code == 401


# --- issue 13: login timing ---------------------------------------------------------------------


def test_unknown_and_inactive_users_cost_a_password_hash_too(app, db, make_user, monkeypatch):
    """Found at 893d9ec: 154 ms for an existing user, 10 ms for an unknown one (no hash)."""
    from sosialisasi.auth import services as auth_services

    calls = []
    real = auth_services.check_password_hash
    monkeypatch.setattr(
        auth_services, "check_password_hash", lambda h, p: calls.append(p) or real(h, p)
    )
    inactive = make_user(Role.ORGANIZER, active=False)
    assert auth_services.authenticate("tidak-ada-orangnya", "tebakan-123") is None
    assert auth_services.authenticate(inactive.username, "rahasia-123") is None
    assert calls == ["tebakan-123", "rahasia-123"]


def test_login_timing_is_the_same_order_for_known_and_unknown_users(app, db, client, make_user):
    import time

    user = make_user(Role.ORGANIZER)

    def timed(username: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            client.post("/masuk", data={"username": username, "password": "salah-sekali-1"})
            best = min(best, time.perf_counter() - start)
        return best

    known, unknown = timed(user.username), timed("tidak-ada-orangnya")
    print(f"\nfailed login: known user {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms")
    assert unknown > known / 3, (known, unknown)
