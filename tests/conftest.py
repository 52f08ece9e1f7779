"""Shared fixtures: the app on a test database, clients, and factories.

``TEST_DATABASE_URL`` picks the database (PostgreSQL in CI); otherwise a SQLite file in a temporary
folder (a file, not ``:memory:``, so that tests with threads share it). The schema is created once
per run and the reference data of ``flask seed`` (the Bekasi units, the follow-up frameworks, the
letterhead) is loaded once; every test then starts from exactly that state: what a test wrote is
removed after it and what it changed of the reference data is put back (``tests/isolation.py``).
"""

from __future__ import annotations

import functools
import itertools
import os
from datetime import UTC, datetime, timedelta

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from sosialisasi import create_app
from sosialisasi.auth.models import Role, User
from sosialisasi.cli import run_seed
from sosialisasi.config import TestConfig
from sosialisasi.events.models import Event, EventSession, EventStatus, Invitation
from sosialisasi.extensions import db as _db
from sosialisasi.extensions import limiter
from sosialisasi.registration.models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationStatus,
)
from sosialisasi.units.models import Unit, UnitKind
from tests.isolation import Reset

PASSWORD = "rahasia-123"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` run only when asked for by name (``-m slow``); otherwise they are
    deselected (counted as such in the summary), never skipped."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


class Client(FlaskClient):
    """A test client whose requests start with a clean ``g``, as real requests do.

    The ``app`` fixture keeps one application context open for the factories, and Flask reuses
    it for test requests; without this, ``g`` (and Flask-Login's cached user) would leak from one
    request into the next.
    """

    def open(self, *args, **kwargs):
        for key in list(g):
            g.pop(key)
        _db.session.expire_all()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.UPLOAD_FOLDER = str(tmp_path_factory.mktemp("uploads"))
    app = create_app(config)
    app.test_client_class = Client
    app.config["_DEFAULTS"] = dict(app.config)  # tests may change settings; restored after each
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        run_seed()
        _db.session.commit()
        app.extensions["test_reset"] = Reset(_db.engine, _db.metadata)
    yield app
    with app.app_context():
        _db.session.remove()
        app.extensions["test_reset"].close()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture()
def app(_app):
    reset: Reset = _app.extensions["test_reset"]
    with _app.app_context():
        yield _app
        _db.session.remove()
        reset.after_test()
        limiter.reset()
        defaults = _app.config["_DEFAULTS"]
        for key in [k for k in _app.config if k not in defaults and k != "_DEFAULTS"]:
            del _app.config[key]
        _app.config.update(defaults)


@pytest.fixture()
def db(app):
    return _db


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


_seq = itertools.count(1)


@pytest.fixture()
def make_unit(db):
    """``make_unit(name, kind=..., code=..., ...)``: a new unit; or, when the code or the name is
    one of the seeded catalogue's (``code="DINKES"``, ``"Dinas Kesehatan"``), that unit with the
    given fields applied, so that no test builds a second Dinas Kesehatan beside the real one
    (the change is undone after the test like any change to the reference data)."""

    def make(name: str | None = None, *, kind: UnitKind | None = None, **kw) -> Unit:
        code = kw.get("code")
        seeded = None
        if code:
            seeded = db.session.scalar(select(Unit).where(Unit.code == code.upper()))
        if seeded is None and name:
            seeded = db.session.scalar(select(Unit).where(func.lower(Unit.name) == name.lower()))
        if seeded is not None:
            given = kw | {k: v for k, v in (("name", name), ("kind", kind)) if v is not None}
            for key, value in given.items():
                setattr(seeded, key, value)
            db.session.commit()
            return seeded
        n = next(_seq)
        unit = Unit(
            code=kw.pop("code", f"U{n}"),
            name=name or f"Dinas Contoh {n}",
            kind=kind or UnitKind.DINAS,
            aliases=kw.pop("aliases", []),
            **kw,
        )
        db.session.add(unit)
        db.session.commit()
        return unit

    return make


@functools.cache
def _password_hash() -> str:
    """``PASSWORD`` hashed as ``User.set_password`` does (scrypt: costly, so once per run)."""
    probe = User(username="-", name="-", role=Role.ADMIN)
    probe.set_password(PASSWORD)
    return probe.password_hash


@pytest.fixture()
def make_user(db, make_unit):
    def make(role: Role | str = Role.ORGANIZER, *, unit: Unit | None = None, **kw) -> User:
        role = Role(role)
        n = next(_seq)
        if role is Role.UNIT_OPERATOR and unit is None:
            unit = make_unit()
        user = User(
            username=kw.pop("username", f"{role.value}{n}"),
            name=kw.pop("name", f"Pengguna {n}"),
            role=role,
            unit=unit,
            **kw,
        )
        user.password_hash = _password_hash()  # the same for every user: hashed once
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def login_as(client, make_user):
    """Log the test client in: ``login_as("organizer")`` or ``login_as(user)``; returns the user."""

    def login(who: Role | str | User = Role.ORGANIZER, **kw) -> User:
        user = who if isinstance(who, User) else make_user(who, **kw)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login


def _at(days: float = 7, hour: int = 1) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return base + timedelta(days=days, hours=hour)


@pytest.fixture()
def make_event(db):
    def make(
        title: str = "Sosialisasi Penilaian Kepatuhan Pelayanan Publik",
        *,
        starts_at: datetime | None = None,
        hours: float = 4,
        status: EventStatus = EventStatus.OPEN,
        invite: list[Unit] = (),
        quota: int = 2,
        **kw,
    ) -> Event:
        starts_at = starts_at or _at()
        ends_at = starts_at + timedelta(hours=hours)
        event = Event(
            title=title,
            venue=kw.pop("venue", "Hotel Primebiz Cikarang"),
            starts_at=starts_at,
            ends_at=ends_at,
            status=status,
            default_quota=quota,
            **kw,
        )
        event.sessions.append(
            EventSession(title="Acara utama", starts_at=starts_at, ends_at=ends_at)
        )
        for unit in invite:
            event.invitations.append(Invitation(unit=unit, quota=quota))
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture()
def make_person(db, make_unit):
    def make(name: str | None = None, *, unit: Unit | None = None, **kw) -> Person:
        n = next(_seq)
        person = Person(
            name=name or f"Peserta {n}",
            unit=unit or make_unit(),
            kind=kw.pop("kind", EmployeeKind.PNS),
            nip=kw.pop("nip", f"19860926{2015 + n % 5}05{1 + n % 2}{n % 999 + 1:03d}"),
            **kw,
        )
        db.session.add(person)
        db.session.commit()
        return person

    return make


@pytest.fixture()
def make_registration(db, make_event, make_person):
    def make(
        event: Event | None = None,
        person: Person | None = None,
        *,
        status: RegistrationStatus = RegistrationStatus.REGISTERED,
        role: RegistrationRole = RegistrationRole.PESERTA,
        **kw,
    ) -> Registration:
        event = event or make_event()
        person = person or make_person(unit=kw.pop("unit", None))
        reg = Registration(
            event=event, person=person, unit=person.unit, status=status, role=role, **kw
        )
        db.session.add(reg)
        db.session.commit()
        return reg

    return make


class MailOutbox(list):
    """The messages an SMTP server would have been handed (``email.message.EmailMessage``), and
    how the app talked to it: ``connections`` (host, port), ``tls`` (STARTTLS count), ``logins``."""

    def __init__(self) -> None:
        super().__init__()
        self.connections: list[tuple[str, int]] = []
        self.tls = 0
        self.logins: list[str] = []

    @property
    def recipients(self) -> list[str]:
        return [m["To"] for m in self]


@pytest.fixture()
def mail_outbox(app, monkeypatch) -> MailOutbox:
    """A mail server configured (``MAIL_SERVER``) whose every message lands in the returned list
    instead of the network; the test may set ``MAIL_USERNAME``/``MAIL_PASSWORD`` itself."""
    from sosialisasi.common import mail

    outbox = MailOutbox()

    class FakeSMTP:
        def __init__(self, host, port, timeout=None):
            outbox.connections.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            outbox.tls += 1

        def login(self, user, password):
            outbox.logins.append(user)

        def send_message(self, message):
            outbox.append(message)

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.go.id")
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    return outbox
