"""CSRF with protection ON: every state-changing route refuses a request without a token.

The suite runs with CSRF off for convenience; here the switch is turned on for each test (it is
read at request time, and the ``app`` fixture restores it afterwards). The route list comes from
``app.url_map``, so a route added tomorrow is checked too.
"""

from __future__ import annotations

import re

import pytest

from sosialisasi.auth import services as auth_services
from sosialisasi.checkin.models import CheckIn

CSRF_MESSAGE = "Sesi formulir sudah kedaluwarsa atau tidak sah"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture()
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _url(rule) -> str:
    path = rule.rule
    for arg in rule.arguments:
        value = "1" if "id" in arg else "x"
        path = re.sub(rf"<(?:[a-z]+:)?{arg}>", value, path)
    return path


def _state_changing(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            yield rule, method


def _token(client) -> str:
    page = client.get("/masuk", follow_redirects=True)
    match = re.search(rb'name="csrf-token" content="([^"]+)"', page.data)
    assert match, "base.html carries the CSRF token in a meta tag"
    return match.group(1).decode()


def _refused(response) -> bool:
    if response.status_code != 400:
        return False
    if response.is_json:
        return CSRF_MESSAGE in response.get_json()["message"]
    return CSRF_MESSAGE in response.get_data(as_text=True)


def test_every_state_changing_route_refuses_a_request_without_a_token(csrf_app, client, login_as):
    admin = login_as("admin")
    checked = []
    for rule, method in _state_changing(csrf_app):
        # Logged in as admin (so no role check can answer first), form data but no token.
        login_as(admin)
        response = client.open(_url(rule), method=method, data={"x": "1"})
        assert _refused(response), (method, rule.rule, response.status_code)
        # A JSON body without the header is refused the same way.
        response = client.open(_url(rule), method=method, json={"x": 1})
        assert _refused(response), (method, rule.rule, "json", response.status_code)
        # A wrong token too.
        response = client.open(
            _url(rule), method=method, data={"csrf_token": "forged"}, headers={"X-CSRFToken": "x"}
        )
        assert _refused(response), (method, rule.rule, "forged", response.status_code)
        checked.append(f"{method} {rule.rule}")
    assert len(checked) >= 20
    print(f"csrf: {len(checked)} state-changing routes refuse requests without a valid token")


def test_the_same_routes_accept_a_valid_token(csrf_app, client, login_as):
    """The control: with the page's token the CSRF check lets each request through."""
    admin = login_as("admin")
    passed = 0
    for rule, method in _state_changing(csrf_app):
        login_as(admin)
        token = _token(client)
        response = client.open(_url(rule), method=method, headers={"X-CSRFToken": token})
        assert not _refused(response), (method, rule.rule)
        passed += 1
    assert passed >= 20


def test_anonymous_post_without_token_is_refused_before_anything_else(csrf_app, client):
    response = client.post("/masuk", data={"username": "admin", "password": "x"})
    assert _refused(response)


def test_login_form_works_with_csrf_on(csrf_app, client, make_user):
    user = make_user("organizer")
    token = _token(client)
    response = client.post(
        "/masuk", data={"username": user.username, "password": "rahasia-123", "csrf_token": token}
    )
    assert response.status_code == 302


def test_bearer_token_api_request_needs_no_csrf_token(
    csrf_app, db, client, make_user, make_event, make_registration
):
    from datetime import UTC, datetime, timedelta

    organizer = make_user("organizer")
    plain, _ = auth_services.create_token(organizer, "pintu")
    db.session.commit()
    event = make_event(starts_at=datetime.now(UTC) - timedelta(minutes=10))
    reg = make_registration(event)
    response = client.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": reg.ticket_code, "nonce": "csrf-test-1"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 201, response.get_json()
    assert db.session.query(CheckIn).count() == 1
    # A wrong token falls back to the CSRF check: no cookie-less forgery gets through either.
    response = client.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": reg.ticket_code, "nonce": "csrf-test-2"},
        headers={"Authorization": "Bearer sos_not-a-token"},
    )
    assert response.status_code in (400, 401)
    assert response.is_json


def test_api_with_a_session_cookie_still_needs_the_csrf_header(
    csrf_app, client, login_as, make_event
):
    login_as("organizer")
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/checkins", json={"code": "x" * 22})
    assert response.status_code == 400 and response.is_json
    assert CSRF_MESSAGE in response.get_json()["message"]
