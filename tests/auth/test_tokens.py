"""API tokens open the API and nothing else, and die with the password or the account
(issue 13: a check-in staff token opened HTML pages; an admin token minted a new token without a
CSRF token; tokens survived a password change and came back on re-activation)."""

from __future__ import annotations

from sqlalchemy import select

from sosialisasi.auth import services
from sosialisasi.auth.models import ApiToken, Role

API = "/api/v1/openapi.json"


def _bearer(plain: str) -> dict:
    return {"Authorization": f"Bearer {plain}"}


def test_a_token_does_not_open_html_pages(app, db, client, make_user):
    staff = make_user(Role.CHECKIN_STAFF)
    plain, _ = services.create_token(staff, "pintu")
    db.session.commit()
    assert client.get(API, headers=_bearer(plain)).status_code == 200
    for url in ("/beranda", "/acara/", "/registrasi-ulang/", "/pengguna"):
        response = client.get(url, headers=_bearer(plain))
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert "/masuk" in response.headers["Location"], url


def test_an_admin_token_cannot_mint_a_token_without_csrf(app, db, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    admin = make_user(Role.ADMIN)
    target = make_user(Role.CHECKIN_STAFF)
    plain, _ = services.create_token(admin, "skrip")
    db.session.commit()
    response = client.post(
        f"/pengguna/{target.id}/token", data={"name": "curian"}, headers=_bearer(plain)
    )
    assert response.status_code in (302, 400)
    assert response.status_code != 302 or "/masuk" in response.headers["Location"]
    db.session.expire_all()
    minted = db.session.scalars(select(ApiToken).where(ApiToken.user_id == target.id)).all()
    assert minted == []


def test_api_posts_with_a_token_need_no_csrf(app, db, client, make_user, make_event):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user(Role.ORGANIZER)
    event = make_event()
    plain, _ = services.create_token(user, "pintu")
    db.session.commit()
    response = client.post(
        f"/api/v1/events/{event.id}/checkins", json={"code": "tidak-ada"}, headers=_bearer(plain)
    )
    assert response.is_json and response.status_code != 401
    assert "Sesi formulir" not in response.get_data(as_text=True)  # not a CSRF refusal


def test_tokens_are_revoked_when_the_password_changes(app, db, client, make_user):
    user = make_user(Role.ORGANIZER)
    plain, _ = services.create_token(user, "pintu")
    db.session.commit()
    services.set_password(user, "kata-sandi-baru-99")
    db.session.commit()
    assert client.get(API, headers=_bearer(plain)).status_code == 401


def test_own_password_change_revokes_own_tokens(app, db, client, login_as):
    from tests.conftest import PASSWORD

    user = login_as("organizer")
    plain, _ = services.create_token(user, "pintu")
    db.session.commit()
    response = client.post(
        "/akun/kata-sandi",
        data={
            "current_password": PASSWORD,
            "password": "sandi-baru-2026",
            "confirm": "sandi-baru-2026",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert app.test_client().get(API, headers=_bearer(plain)).status_code == 401


def test_tokens_do_not_come_back_when_the_user_is_reactivated(app, db, client, login_as, make_user):
    user = make_user(Role.CHECKIN_STAFF)
    plain, _ = services.create_token(user, "pintu")
    db.session.commit()
    admin = login_as("admin")
    for active in (False, True):
        services.update_user(
            user, name=user.name, email=None, role=user.role, unit=None, active=active, actor=admin
        )
        db.session.commit()
    assert user.active
    assert app.test_client().get(API, headers=_bearer(plain)).status_code == 401
