"""Template helpers, security headers and the language switch."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import get_locale
from werkzeug.routing import IntegerConverter, Map

from .common import static_files, wib
from .common.nip import format_nip
from .common.phone import whatsapp_link


class DatabaseInt(IntegerConverter):
    """``<int:id>`` limited to what an INTEGER column holds: /acara/99999999999999999999 is a
    404, not an overflow in the database driver (a 500)."""

    def __init__(
        self,
        map: Map,  # noqa: A002
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = 2**31 - 1,  # noqa: A002
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def install_converters(app: Flask) -> None:
    """Call before any blueprint is registered (rules pick their converter when added)."""
    app.url_map.converters["int"] = DatabaseInt


def _lang() -> str:
    return str(get_locale() or "id")


def register(app: Flask) -> None:
    app.jinja_env.filters["tanggal"] = lambda v, weekday=True: wib.format_date(v, _lang(), weekday)
    app.jinja_env.filters["jam"] = lambda v, zone=True: wib.format_time(v, zone)
    app.jinja_env.filters["waktu"] = lambda v: wib.format_datetime(v, _lang())
    app.jinja_env.filters["rentang"] = lambda a, b: wib.format_range(a, b, _lang())
    app.jinja_env.filters["wib"] = wib.to_wib
    # Scores and other decimals: {{ score | angka }} -> "82,70" (Indonesian), "82.70" (English).
    app.jinja_env.filters["angka"] = lambda v, digits=2: wib.format_number(v, _lang(), digits)
    # One NIP format on every page: {{ p.nip | nip }} -> "NIP. 19860926 201505 1 001";
    # {{ p.nip | nip(False) }} in a column already labelled NIP.
    app.jinja_env.filters["nip"] = format_nip
    app.jinja_env.globals["whatsapp_link"] = whatsapp_link
    app.jinja_env.globals["current_lang"] = _lang
    app.jinja_env.globals["page_url"] = _page_url
    static_files.install(app)  # ?v=<version> on static URLs, a year's cache for them

    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.context_processor
    def _inject() -> dict:
        return {"csp_nonce": g.get("csp_nonce", "")}

    @app.after_request
    def _headers(response):
        nonce = g.get("csp_nonce", "")
        csp = (
            "default-src 'self'; "
            f"script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; media-src 'self' blob:; "
            "connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
            "font-src 'self' data:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'"
        )
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=()"
        )
        if app.config.get("HSTS") and request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def _page_url(page: int) -> str:
    """The current page's URL with another ``page`` argument (filters kept)."""
    args: dict[str, Any] = request.args.to_dict()
    args["page"] = page
    assert request.endpoint is not None  # a paged list is only rendered by a routed view
    return url_for(request.endpoint, **(request.view_args or {}), **args)
