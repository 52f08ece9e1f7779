"""Sosialisasi: events, QR check-in and compliance follow-up for a pemerintah daerah."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user

from .config import ROOT, Config
from .extensions import babel, csrf, db, limiter, login_manager, migrate

AREAS = (
    "auth",
    "units",
    "events",
    "registration",
    "checkin",
    "attendance",
    "followup",
    "documents",
    "audit",
    "api",
    "ops",
    "main",
)


def create_app(config: object | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or Config())
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in _protect below
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    limiter.init_app(app)

    from .common import sqlite

    sqlite.install(app)

    from .web import install_converters

    install_converters(app)
    for area in AREAS:
        # Import every area's models so that metadata (and migrations) see all tables.
        try:
            importlib.import_module(f".{area}.models", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{area}.models":
                raise
        routes = importlib.import_module(f".{area}.routes", __name__)
        app.register_blueprint(routes.bp)
        try:
            commands = importlib.import_module(f".{area}.commands", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{area}.commands":
                raise
        else:
            commands.register(app)

    from . import cli, errors, security, web

    errors.register(app)
    web.register(app)
    cli.register(app)
    security.install(app)  # TRUSTED_PROXIES, bounded query ints, no-store, download audit

    @app.before_request
    def _protect() -> None:
        if request.method in {"GET", "HEAD", "OPTIONS"} or not app.config.get(
            "WTF_CSRF_ENABLED", True
        ):
            return
        # A bearer token is not a cookie, so a forged cross-site request cannot carry it.
        # Tokens are read only under /api/ (auth.routes._load_user_from_token).
        bearer = request.headers.get("Authorization", "").startswith("Bearer ")
        if bearer and request.path.startswith("/api/"):
            signed_in = current_user.is_authenticated  # loads the user (sets g.api_token_user)
            if not signed_in or g.get("api_token_user") is not None:
                return  # the token's user, or nobody (a wrong token: the route answers 401)

        csrf.protect()

    return app


def _select_locale() -> str:
    langs = ("id", "en")
    if not has_request_context():  # CLI commands, background work: the default language
        return "id"
    chosen = session.get("lang")
    if chosen in langs:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in langs:
        return current_user.locale
    return "id"
