"""Security headers, cookies, HSTS, and templates that fit the Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sosialisasi.config import ROOT

PAGES_ANONYMOUS = ["/masuk"]
PAGES_LOGGED_IN = ["/beranda", "/acara/", "/unit/", "/pengguna", "/audit/", "/admin/data/orang"]


def _check_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in csp.split(";")) if part
    )
    script_src = directives["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert re.search(r"'nonce-[A-Za-z0-9_-]{16,}'", script_src)
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in response.headers["Permissions-Policy"]


def test_pages_carry_the_security_headers(app, client, login_as):
    for path in PAGES_ANONYMOUS:
        response = client.get(path)
        assert response.status_code == 200
        _check_headers(response)
    login_as("admin")
    for path in PAGES_LOGGED_IN:
        response = client.get(path)
        assert response.status_code == 200, path
        _check_headers(response)
    # Error pages and JSON answers too.
    _check_headers(client.get("/tidak-ada"))
    _check_headers(client.get("/api/v1/openapi.json"))


def test_each_response_gets_a_fresh_nonce(app, client):
    first = client.get("/masuk").headers["Content-Security-Policy"]
    second = client.get("/masuk").headers["Content-Security-Policy"]
    assert first != second


def test_no_hsts_over_plain_http_even_when_configured(app, client):
    app.config["HSTS"] = True
    assert "Strict-Transport-Security" not in client.get("/masuk").headers


def test_hsts_over_https_when_configured(app, client):
    app.config["HSTS"] = True
    response = client.get("/masuk", base_url="https://sosialisasi.bekasikab.go.id")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    app.config["HSTS"] = False
    response = client.get("/masuk", base_url="https://sosialisasi.bekasikab.go.id")
    assert "Strict-Transport-Security" not in response.headers


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "the login page sets the session cookie (CSRF token)"
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite_lax(app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # the token is kept in the session: a cookie is set
    cookie = _session_cookie(client.get("/masuk"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP by default (LAN without TLS)


def test_session_cookie_is_secure_when_configured(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = _session_cookie(client.get("/masuk", base_url="https://sosialisasi.bekasikab.go.id"))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_config_reads_secure_cookie_and_hsts_from_the_environment(monkeypatch):
    from sosialisasi.config import Config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("HSTS", "true")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = Config()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE and config.HSTS
    assert config.SESSION_COOKIE_HTTPONLY and config.SESSION_COOKIE_SAMESITE == "Lax"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the code to static/js/ (CSP forbids it)"
    assert not INLINE_HANDLER.search(text), "onclick= and friends are inline scripts"
    assert not JS_URL.search(text), "javascript: URLs are inline scripts"
    assert "|safe" not in text.replace(" ", ""), "|safe on template data risks XSS"


# --- issue 13: caching, every cookie's SameSite, Allow on 405 -----------------------------------


def test_pages_and_downloads_with_personal_data_are_not_stored_by_caches(
    app, client, login_as, make_event, make_registration
):
    event = make_event()
    make_registration(event)
    login_as("admin")
    for url in [*PAGES_LOGGED_IN, f"/acara/{event.id}/pendaftaran.csv"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_remember_me_cookie_has_samesite(app, client, make_user):
    from tests.conftest import PASSWORD

    user = make_user("organizer")
    response = client.post(
        "/masuk", data={"username": user.username, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember, cookies
    for cookie in cookies:
        assert "SameSite=Lax" in cookie, cookie
        assert "HttpOnly" in cookie, cookie


def test_method_not_allowed_names_the_allowed_methods(app, client):
    response = client.delete("/masuk")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    api = client.put("/api/v1/openapi.json")
    assert api.status_code == 405 and "GET" in api.headers["Allow"] and api.is_json
