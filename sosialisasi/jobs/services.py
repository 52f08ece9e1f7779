"""Start, run, follow and recover jobs.

A route starts long work with :func:`enqueue` (a ``Job`` row; with a ``key`` the same work
started twice is one job), commits, then calls :func:`dispatch`. A worker runs :func:`run`:
it claims the job with a conditional UPDATE (a job queued twice, or by two instances, runs
once), calls the kind's function (``kinds.KINDS``), and commits its effects together with the
job's ``done`` status. A kind that works in several transactions records each effect with
:meth:`JobContext.mark` in the same transaction, and skips what :meth:`JobContext.already` says
was done: a worker killed mid-job is retried by :func:`recover` without doing anything twice.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as dt_time
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.engine import CursorResult, Result

from ..auth.models import User
from ..common.errors import DomainError, NotFound
from ..common.tabular import TableError
from ..common.types import utcnow
from ..events.models import Event
from ..extensions import db
from . import queue
from .models import Job, JobEffect, JobStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


class JobContext:
    """What a running job may do besides its work: report progress, record effects."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0
        self._after_commit: list[Callable[[], None]] = []

    def progress(self, done: int, total: int) -> None:
        """Shown on the progress page; kept beside the database (never waits on the job's
        own transaction), at most a few times a second."""
        now = time.monotonic()
        if now - self._last < 0.25 and done < total:
            return
        self._last = now
        queue.put(f"pg:{self.job.id}", (int(done), int(total)))
        queue.beat(self.job.id)

    def already(self, key: str) -> bool:
        return (
            db.session.scalar(
                select(JobEffect.id).where(JobEffect.job_id == self.job.id, JobEffect.key == key)
            )
            is not None
        )

    def mark(self, key: str) -> None:
        db.session.add(JobEffect(job_id=self.job.id, key=key))

    def checkpoint(self, done: int, total: int) -> None:
        """Commit the effects so far (with their marks) and the progress."""
        self.job.done, self.job.total = done, total
        db.session.commit()
        self.progress(done, total)

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the job's last transaction (with its ``done`` status) is committed."""
        self._after_commit.append(fn)


def enqueue(
    kind: str,
    params: dict[str, Any],
    *,
    actor: User | None,
    event: Event | None = None,
    key: str | None = None,
    total: int = 0,
) -> Job:
    """A new job (flushed, not committed; call :func:`dispatch` after the commit). With ``key``,
    an unfinished or finished job of that key is returned instead; a failed one starts again."""
    from .kinds import KINDS

    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    if key is not None:
        existing = db.session.scalar(select(Job).where(Job.key == key))
        if existing is not None:
            if existing.status == JobStatus.FAILED:
                existing.status = JobStatus.QUEUED
                existing.error = None
                existing.attempts = 0
                existing.params = params
                existing.finished_at = None
                db.session.flush()
            return existing
    job = Job(
        id=secrets.token_hex(16),
        key=key,
        kind=kind,
        params=params,
        status=JobStatus.QUEUED,
        user_id=actor.id if actor is not None else None,
        event_id=event.id if event is not None else None,
        total=total,
    )
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(job: Job) -> None:
    """Hand a committed job to the queue (in immediate mode it runs now)."""
    if job.status == JobStatus.QUEUED:
        queue.run_task(job.id)


def get_job_or_404(job_id: str, user: User) -> Job:
    job = db.session.get(Job, job_id) if len(job_id) <= 32 else None
    if job is None or (job.user_id != user.id and user.role.value != "admin"):
        raise NotFound("")
    return job


def state(job: Job) -> dict[str, Any]:
    """What the progress page polls."""
    done, total = job.done, job.total
    if job.status == JobStatus.RUNNING:
        live = queue.peek(f"pg:{job.id}")
        if live:
            done, total = live
    percent = job.percent
    if job.status == JobStatus.RUNNING and total:
        percent = max(0, min(99, done * 100 // total))
    return {
        "id": job.id,
        "kind": job.kind,
        "status": str(job.status),
        "done": done,
        "total": total,
        "percent": percent,
        "error": job.error,
        "finished": job.finished,
    }


class _Heart(threading.Thread):
    """Beats while a job runs in a worker, so that :func:`recover` leaves it alone."""

    def __init__(self, job_id: str, every: float) -> None:
        super().__init__(daemon=True)
        self.job_id, self.every = job_id, every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                queue.beat(self.job_id)
            except Exception:  # noqa: BLE001 - a missed beat only delays nothing
                log.warning("job %s: heartbeat failed", self.job_id)


def _message(err: Exception) -> str:
    if isinstance(err, DomainError):
        return str(err.message or _("Pekerjaan tidak dapat diselesaikan."))
    if isinstance(err, TableError):
        return str(err)
    return str(
        _("Terjadi kesalahan saat menjalankan pekerjaan ini; coba lagi atau hubungi administrator.")
    )


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE touched (``Session.execute`` is typed as a plain ``Result``)."""
    return cast(CursorResult[Any], result).rowcount


def run(job_id: str) -> bool:
    """Claim and run one job; False when another worker has it or it is finished."""
    from .kinds import KINDS

    queue.beat(job_id)  # before the claim: a recovering worker sees a live job
    claimed = _rowcount(
        db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow())
        )
    )
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get(Job, job_id)
    assert job is not None
    kind = job.kind
    ctx = JobContext(job)
    heart = None
    if not queue.huey.immediate:
        heart = _Heart(job_id, float(current_app.config.get("JOBS_STALE_SECONDS", 30)) / 4)
        heart.start()
    try:
        result = KINDS[job.kind](job, ctx) or {}
        job = db.session.get(Job, job_id)  # the kind may have rolled back
        assert job is not None
        job.status = JobStatus.DONE
        job.result = result
        job.done = job.total = max(job.total, job.done, 1)
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as err:  # noqa: BLE001 - every failure is shown on the job's page
        db.session.rollback()
        if not isinstance(err, (DomainError, TableError)):
            log.exception("job %s (%s) failed", job_id, kind)
        job = db.session.get(Job, job_id)
        assert job is not None
        job.status = JobStatus.FAILED
        job.error = _message(err)
        job.finished_at = utcnow()
        db.session.commit()
        return True
    finally:
        if heart is not None:
            heart.stopped.set()
    for fn in ctx._after_commit:
        try:
            fn()
        except Exception:  # noqa: BLE001 - clean-up only
            log.exception("job %s: after-commit step failed", job_id)
    return True


def recover(now: float | None = None) -> list[str]:
    """Put back the jobs whose worker died (no heartbeat for ``JOBS_STALE_SECONDS``) and the
    queued jobs nobody took (``JOBS_REQUEUE_SECONDS``); returns their ids."""
    now = time.time() if now is None else now
    stale = float(current_app.config.get("JOBS_STALE_SECONDS", 30))
    requeue = float(current_app.config.get("JOBS_REQUEUE_SECONDS", 600))
    again: list[str] = []
    running = db.session.scalars(select(Job).where(Job.status == JobStatus.RUNNING)).all()
    for job in running:
        beat = queue.peek(f"hb:{job.id}")
        if beat is not None and now - float(beat) < stale:
            continue
        if job.attempts >= MAX_ATTEMPTS:
            job.status = JobStatus.FAILED
            job.error = _("Pekerjaan terhenti %(n)d kali; tidak dicoba lagi.", n=job.attempts)
            job.finished_at = utcnow()
            continue
        moved = _rowcount(
            db.session.execute(
                update(Job)
                .where(Job.id == job.id, Job.status == JobStatus.RUNNING)
                .where(Job.attempts == job.attempts)
                .values(status=JobStatus.QUEUED)
            )
        )
        if moved:
            again.append(job.id)
    old = utcnow() - timedelta(seconds=requeue)
    again += db.session.scalars(
        select(Job.id).where(Job.status == JobStatus.QUEUED, Job.created_at < old)
    ).all()
    db.session.commit()
    for job_id in again:
        log.info("job %s: queued again", job_id)
        queue.run_task(job_id)
    return again


def start_daily_reminders() -> Job:
    """The follow-up reminders of today, as one job (the date is its key)."""
    from sqlalchemy.exc import IntegrityError

    from ..followup.services import tasks as followup_tasks

    today = followup_tasks.today_wib()
    key = f"followup.reminders:{today.isoformat()}"
    try:
        job = enqueue(
            "followup.reminders",
            {"days": int(current_app.config.get("REMINDER_DAYS", 7))},
            actor=None,
            key=key,
        )
        db.session.commit()
    except IntegrityError:  # another machine's scheduler started today's job at the same moment
        db.session.rollback()
        existing = db.session.scalar(select(Job).where(Job.key == key))
        assert existing is not None
        return existing
    dispatch(job)
    return job


def start_h1_reminders(today: date | None = None) -> list[Job]:
    """The H-1 reminder ("pengingat H-1", the event's saved text) to the operators of every
    invited unit of each event that starts tomorrow (WIB), by e-mail: one job per event and day,
    so a second scheduler or a second run starts nothing. Without a mail server there is nothing
    to send; the organizer sends it by WhatsApp from "Kirim ke semua"."""
    from ..common.mail import mail_configured
    from ..common.wib import from_wib, to_wib
    from ..events.models import EventStatus
    from ..registration import message_templates
    from ..registration.models import MessageKind

    if not mail_configured(current_app.config):
        return []
    today = today or to_wib(utcnow()).date()
    tomorrow = today + timedelta(days=1)
    events = db.session.scalars(
        select(Event).where(
            Event.status.in_([EventStatus.OPEN, EventStatus.CLOSED]),
            Event.starts_at >= from_wib(tomorrow, dt_time(0, 0)),
            Event.starts_at < from_wib(tomorrow + timedelta(days=1), dt_time(0, 0)),
        )
    ).all()
    jobs = []
    for event in events:
        params = {
            "kind": MessageKind.PENGINGAT.value,
            "template": message_templates.text_for(MessageKind.PENGINGAT, event),
        }
        key = f"registration.h1:{event.id}:{tomorrow.isoformat()}"
        job = enqueue("registration.notices", params, actor=None, event=event, key=key)
        db.session.commit()
        if job.status == JobStatus.QUEUED:
            dispatch(job)
        jobs.append(job)
    return jobs


def enqueue_import_preview(
    event: Event, data: bytes, filename: str, reason: str | None, *, actor: User
) -> Job:
    """The preview of a big import file as a job: the file waits in the shared upload folder
    (written when the session commits, with the job's row)."""
    from ..common import uploads

    upload = uploads.store("jobs", data, "bin")
    return enqueue(
        "import.preview",
        {"upload": upload, "filename": filename, "reason": reason or ""},
        actor=actor,
        event=event,
    )


def start_pdf(kind: str, params: dict[str, Any], *, actor: User, event: Event) -> Job:
    """A big PDF as a job; ``params`` say what the page's request asked for. Call
    :func:`dispatch` after the commit."""
    return enqueue(kind, params, actor=actor, event=event)


def pdf_job_min_rows() -> int:
    """PDFs of more rows than this are made by a job (``PDF_JOB_MIN_ROWS``, default 500)."""
    return int(current_app.config.get("PDF_JOB_MIN_ROWS", 500))


def count_rows(stmt: Select[Any]) -> int:
    """How many rows a page's query would give (to decide between a request and a job)."""
    from sqlalchemy import func

    return (
        db.session.scalar(
            select(func.count()).select_from(stmt.order_by(None).options().subquery())
        )
        or 0
    )
