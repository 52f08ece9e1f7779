"""The huey instance and its tasks.

Storage: a SQLite file ``instance/jobs.sqlite`` by default (one machine, no other service), Redis
when ``REDIS_URL`` is set (several machines). ``JOBS_IMMEDIATE=1`` runs every job inside the
request that starts it (tests, or a machine without a worker).

Huey removes a task from the queue when a worker takes it, so a worker killed mid-job would lose
it: the ``Job`` row is the truth instead. ``recover_jobs`` (every minute, and when a worker starts)
puts back jobs whose worker stopped beating its heart; claiming a job is a conditional UPDATE, so
a job queued twice still runs once.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from ..config import INSTANCE

_app: Flask | None = None


def _make_huey() -> Huey:
    url = os.environ.get("JOBS_REDIS_URL") or os.environ.get("REDIS_URL")
    immediate = os.environ.get("JOBS_IMMEDIATE", "").lower() in {"1", "true", "yes", "on"}
    if url:
        return RedisHuey("sosialisasi", url=url, immediate=immediate, utc=True)
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        "sosialisasi",
        filename=str(INSTANCE / "jobs.sqlite"),
        immediate=immediate,
        utc=True,
        timeout=30,
    )


huey = _make_huey()


def init_app(app: Flask) -> None:
    """Bind the app the worker's tasks run in; ``JOBS_IMMEDIATE`` runs them in the request."""
    global _app
    _app = app
    if app.config.get("JOBS_IMMEDIATE"):
        huey.immediate = True


def app() -> Flask:
    if _app is None:  # a bare huey_consumer: build the app from the environment
        from .. import create_app

        init_app(create_app())
    assert _app is not None
    return _app


def put(key: str, value: Any) -> None:
    """A small value beside the database (progress, heartbeats): never waits on a job's own
    database transaction."""
    huey.put(key, value)


def peek(key: str) -> Any:
    return huey.get(key, peek=True)


def beat(job_id: str) -> None:
    put(f"hb:{job_id}", time.time())


@huey.task(name="jobs.run")
def run_task(job_id: str) -> None:
    from . import services

    flask_app = current_app._get_current_object() if has_app_context() else app()  # type: ignore[attr-defined]  # LocalProxy's real object
    # A fresh app context: the job has its own database session, even in immediate mode.
    with flask_app.app_context():
        services.run(job_id)


@huey.periodic_task(crontab(minute="*"), name="jobs.recover")
def recover_task() -> None:
    from . import services

    with app().app_context():
        services.recover()


@huey.periodic_task(crontab(minute="0", hour="1"), name="jobs.reminders")
def reminders_task() -> None:
    """The follow-up reminders and the H-1 reminders of tomorrow's events, every day at 08:00
    WIB (01:00 UTC): replaces the cron line of ``flask followup remind``. One job per day (its
    key is the date; per event for H-1), so twice is once."""
    from . import services

    with app().app_context():
        services.start_daily_reminders()
        services.start_h1_reminders()
