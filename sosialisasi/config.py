"""Configuration read from the environment.

Secrets never live in the code: ``SECRET_KEY`` comes from the environment or, for a local
``make run``, from a file generated once in ``instance/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _instance_secret() -> str:
    """Return the secret kept in ``instance/secret_key``, creating it on first use."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'sosialisasi.db'}"
    # Heroku-style URLs name the old driver; psycopg 3 is what we install.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret()
        self.SQLALCHEMY_DATABASE_URI = database_url()
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 12 * 1024 * 1024))
        self.REDIS_URL = os.environ.get("REDIS_URL")
        # Limits are counted in one store that every worker shares: Redis when REDIS_URL is set,
        # otherwise a SQLite file in instance/ (one machine; see common/limitstore.py).
        self.RATELIMIT_STORAGE_URI = (
            os.environ.get("RATELIMIT_STORAGE_URI")
            or self.REDIS_URL
            or f"sqlitefile://{INSTANCE / 'ratelimits.sqlite'}"
        )
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        # Proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto/-Host are trusted.
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
        # Failed logins, per client address and per account name (distributed guessing).
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per 5 minutes")
        self.LOGIN_USERNAME_RATE_LIMIT = "30 per 15 minutes"
        # Public doors count failures only (a whole office behind one NAT registers or checks in
        # at once); every post at all is capped much higher.
        self.SELF_CHECKIN_RATE_LIMIT = "60 per 5 minutes"
        self.PUBLIC_REGISTRATION_POST_RATE_LIMIT = "300 per 10 minutes"
        # The other limits (SELF_CHECKIN_RATE_LIMIT, API_AUTH_RATE_LIMIT, ...) are read by their
        # routes at request time with a default; any of them can be set from the environment.
        for key, value in os.environ.items():
            if key.endswith("_RATE_LIMIT") and key != "LOGIN_RATE_LIMIT":
                setattr(self, key, value)
        # `flask privacy purge` anonymises people absent for this many years.
        self.PRIVACY_RETENTION_YEARS = float(os.environ.get("PRIVACY_RETENTION_YEARS", 5))
        self.PUBLIC_REGISTRATION_RATE_LIMIT = os.environ.get(
            "PUBLIC_REGISTRATION_RATE_LIMIT", "60 per 10 minutes"
        )
        self.BABEL_DEFAULT_LOCALE = "id"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
        self.LANGUAGES = ["id", "en"]
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", "sosialisasi@bekasikab.go.id")
        # Absolute base for links that leave the app (QR codes, e-mail, WhatsApp); optional.
        self.PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.HSTS = _bool("HSTS", False)
        self.WTF_CSRF_TIME_LIMIT = None  # a form left open at the door all morning still posts
        self.ITEMS_PER_PAGE = 50
        # Jobs (sosialisasi/jobs): huey on instance/jobs.sqlite, or Redis when REDIS_URL is set.
        # JOBS_IMMEDIATE runs a job inside the request that starts it (tests; no worker).
        self.JOBS_IMMEDIATE = _bool("JOBS_IMMEDIATE", False)
        self.JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", 30))
        self.JOBS_REQUEUE_SECONDS = float(os.environ.get("JOBS_REQUEUE_SECONDS", 600))
        # Work smaller than this stays in the request (an instant answer); larger becomes a job.
        self.IMPORT_INLINE_MAX_BYTES = int(os.environ.get("IMPORT_INLINE_MAX_BYTES", 100_000))
        self.PDF_JOB_MIN_ROWS = int(os.environ.get("PDF_JOB_MIN_ROWS", 500))
        # Bulk approve/cancel/waiting list on more rows than this (tickets: always a job).
        self.BULK_JOB_MIN_ROWS = int(os.environ.get("BULK_JOB_MIN_ROWS", 200))


class TestConfig(Config):
    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret"  # noqa: S105 - tests only
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
        self.WTF_CSRF_ENABLED = False
        # Limits stay on (so that they are tested) but generous; a test that checks a limit
        # lowers its config value, e.g. LOGIN_RATE_LIMIT = "3 per minute".
        self.RATELIMIT_ENABLED = True
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.LOGIN_RATE_LIMIT = "1000 per minute"
        self.LOGIN_USERNAME_RATE_LIMIT = "1000 per minute"
        self.TRUSTED_PROXIES = 0
        self.MAIL_SERVER = None
        self.JOBS_IMMEDIATE = True
