"""Request-wide hardening, installed once by ``create_app``: the proxy in front, query-string
integers, bearer tokens only under ``/api/``, ``Cache-Control: no-store`` on personal data and the
audit of personal-data downloads.

- ``TRUSTED_PROXIES`` (number of proxy hops, 0 by default) applies Werkzeug's ``ProxyFix`` to
  ``X-Forwarded-For``/``-Proto``/``-Host``: behind nginx the client's address, not 127.0.0.1,
  is what rate limits and the audit log see. Read per request, so a test (or an operator
  reloading the config) changes it without rebuilding the app. Never set it higher than the
  number of proxies you run: a client could then choose its own address.
- ``?page=``, ``?unit=``, ``?sesi=``, ``?acara=``, ``?kerangka=`` holding a number past the
  database's INTEGER range answer 400 before any view runs (views read them with
  :func:`sosialisasi.common.http.bounded_int`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, abort, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from .audit.downloads import record_download
from .common.http import out_of_range_args

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class ConfiguredProxyFix:
    """``ProxyFix`` with the number of trusted hops read from ``app.config`` per request."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._fixes: dict[int, ProxyFix] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse):
        hops = int(self.app.config.get("TRUSTED_PROXIES") or 0)
        if hops <= 0:
            return self.wsgi_app(environ, start_response)
        fix = self._fixes.get(hops)
        if fix is None:
            fix = self._fixes[hops] = ProxyFix(
                self.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=0, x_prefix=0
            )
        return fix(environ, start_response)


def _signed_in() -> bool:
    """Whether this request acts for a user, without a query: after the view's commit the
    user row is expired, and ``current_user.is_authenticated`` would reload it (the check-in
    hot path counts its queries)."""
    user = g.get("_login_user")
    if user is not None and not user.is_anonymous:
        return True
    return "_user_id" in session


def install(app: Flask) -> None:
    app.wsgi_app = ConfiguredProxyFix(app, app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def _bounded_query_ints() -> None:
        if request.args and out_of_range_args():
            abort(400)

    @app.after_request
    def _personal_data_not_cached(response):
        if request.endpoint == "static" or request.endpoint is None:
            return response
        personal = "Content-Disposition" in response.headers or _signed_in()
        if personal and "no-store" not in (response.headers.get("Cache-Control") or ""):
            response.headers["Cache-Control"] = "private, no-store"
        return response

    @app.after_request
    def _audit_downloads(response):
        if response.status_code == 200 and request.method == "GET":
            record_download(request.endpoint, request.view_args or {})
        return response
