"""Sosialisasi: events, QR check-in and compliance follow-up for a pemerintah daerah."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user

from .config import ROOT, Config
from .extensions import babel, csrf, db, limiter, login_manager, migrate


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
    _register_areas(app)
    _connect_hooks()

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


def _register_areas(app: Flask) -> None:
    """Every area's models (so that metadata and migrations see all tables), blueprints and
    commands, named one by one: what the application is made of is read here, not discovered."""
    from .api.routes import bp as api_bp
    from .attendance import commands as attendance_commands
    from .attendance.routes import bp as attendance_bp
    from .audit import models as audit_models  # noqa: F401 (for its tables)
    from .audit.routes import bp as audit_bp
    from .auth import models as auth_models  # noqa: F401
    from .auth.routes import bp as auth_bp
    from .checkin import models as checkin_models  # noqa: F401
    from .checkin.routes import bp as checkin_bp
    from .documents import models as documents_models  # noqa: F401
    from .documents.routes import bp as documents_bp
    from .events import models as events_models  # noqa: F401
    from .events.routes import bp as events_bp
    from .followup import commands as followup_commands
    from .followup import models as followup_models  # noqa: F401
    from .followup.routes import bp as followup_bp
    from .jobs import commands as jobs_commands
    from .jobs import models as jobs_models  # noqa: F401
    from .jobs import queue as jobs_queue
    from .jobs.routes import bp as jobs_bp
    from .main.routes import bp as main_bp
    from .ops import commands as ops_commands
    from .ops.routes import bp as ops_bp
    from .registration import commands as registration_commands
    from .registration import models as registration_models  # noqa: F401
    from .registration.routes import bp as registration_bp
    from .training import models as training_models  # noqa: F401
    from .training.routes import bp as training_bp
    from .units import commands as units_commands
    from .units import models as units_models  # noqa: F401
    from .units.routes import bp as units_bp

    for bp in (
        auth_bp,
        units_bp,
        events_bp,
        registration_bp,
        checkin_bp,
        attendance_bp,
        followup_bp,
        documents_bp,
        training_bp,
        audit_bp,
        api_bp,
        jobs_bp,
        ops_bp,
        main_bp,
    ):
        app.register_blueprint(bp)
    for commands in (
        units_commands,
        registration_commands,
        attendance_commands,
        followup_commands,
        ops_commands,
        jobs_commands,
    ):
        commands.register(app)
    jobs_queue.init_app(app)


def _connect_hooks() -> None:
    """Connect the receivers of the areas' signals (blinker; connecting twice is a no-op)."""
    from flask import before_render_template

    from .documents import routes as documents_routes
    from .documents import services as documents_services
    from .events import signals as event_signals
    from .followup.routes import partials as followup_partials
    from .registration import snapshots
    from .training.routes import public as training_public

    event_signals.status_changing.connect(documents_services.require_report_for_reported)
    event_signals.status_changing.connect(snapshots.freeze_when_finished)
    before_render_template.connect(documents_routes.certificate_for_ticket_page)
    before_render_template.connect(documents_routes.setup_checklist_for_pages)
    before_render_template.connect(followup_partials.person_tasks_for_person_page)
    before_render_template.connect(training_public.owed_for_ticket_page)
    before_render_template.connect(followup_partials.verifier_overview_for_home)


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
