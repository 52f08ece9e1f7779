"""Every route is either on the explicit public list or refuses anonymous users and wrong roles.

The audit walks ``app.url_map``: a new route that forgets its check fails here.
"""

from __future__ import annotations

import pytest

from sosialisasi.auth.models import Role

# Endpoints anyone may open without logging in, and why.
PUBLIC = {
    "static": "CSS, JS and vendored libraries",
    "auth.login": "the login page",
    "auth.login_alias": "/login, what people type, redirects to the login page /masuk",
    "auth.set_language": "choosing the interface language before logging in",
    "main.root": "redirects to the login page or home",
}
# Endpoints added by other areas register here as they come (ticket page, public registration,
# certificate verification, self check-in): each with its reason.
PUBLIC_PREFIXES = (
    "registration.public_",
    "checkin.public_",
    "documents.public_",
    "attendance.public_",  # self check-in page scanned from the projector (token-protected)
    "training.public_",  # own page, tests and surveys of a participant (the ticket code is the key)
)


def _url(rule) -> str:
    values = {arg: 1 if "id" in arg else "x" for arg in rule.arguments}
    path = rule.rule
    for arg, value in values.items():
        # An int converter gets a number whatever its name (``<int:year>``).
        path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", str(value))
        path = path.replace(f"<path:{arg}>", str(value)).replace(f"<string:{arg}>", str(value))
    return path


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield rule, method


def test_every_private_route_refuses_anonymous_users(app, client):
    checked = 0
    for rule, method in _routes(app):
        response = client.open(_url(rule), method=method)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, rule.rule
        else:
            assert response.status_code == 302, (rule.rule, response.status_code)
            assert "/masuk" in response.headers["Location"], rule.rule
        checked += 1
    assert checked > 20
    print(f"route audit: {checked} private routes refuse anonymous users")


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_role_restricted_routes_refuse_other_roles(app, client, login_as, role):
    login_as(role)
    refused = 0
    for rule, method in _routes(app):
        view = app.view_functions[rule.endpoint]
        allowed = getattr(view, "allowed_roles", None)
        if allowed is None or role.value in allowed:
            continue
        response = client.open(_url(rule), method=method)
        assert response.status_code in (403, 404), (rule.rule, role.value, response.status_code)
        refused += 1
    print(f"route audit: {role.value} refused on {refused} routes")


def test_public_list_only_names_existing_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(PUBLIC) <= endpoints
