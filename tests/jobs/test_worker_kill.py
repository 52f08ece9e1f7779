"""A real worker (``flask jobs worker``) killed with SIGKILL in the middle of an import: the
next worker runs the job again and every row is imported exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "JOBS_"))}
    env.update(
        SECRET_KEY="x",
        DATABASE_URL=f"sqlite:///{tmp / 'app.db'}",
        INSTANCE_PATH=str(tmp),
        UPLOAD_FOLDER=str(tmp / "uploads"),
        JOBS_STALE_SECONDS="1",
        FLASK_APP="wsgi",
    )
    return env


def _py(env: dict, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tests.jobs.scenario", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [FLASK, "jobs", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _peek(tmp: Path, job: str) -> dict:
    """The job's status and whether it reported progress, read straight from the files (a
    subprocess would be too slow to catch the job mid-way)."""
    state: dict = {}
    with sqlite3.connect(tmp / "app.db", timeout=10) as conn:
        row = conn.execute("SELECT status, attempts FROM jobs WHERE id = ?", (job,)).fetchone()
        state["status"], state["attempts"] = row
    with sqlite3.connect(tmp / "jobs.sqlite", timeout=10) as conn:
        state["progress"] = (
            conn.execute("SELECT 1 FROM kv WHERE key = ?", (f"pg:{job}",)).fetchone() is not None
        )
    return state


def _wait(tmp: Path, job: str, until, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = _peek(tmp, job)
        if until(state):
            return state
        time.sleep(0.02)
    raise AssertionError(f"job state never reached: {state}")


def test_a_worker_killed_mid_import_is_retried_and_imports_each_row_once(tmp_path):
    env = _env(tmp_path)
    job = _py(env, "setup", "3000")["job"]
    log = tmp_path / "worker.log"

    first = _worker(env, log)
    try:
        # The job is running and has started reading rows: kill the worker there.
        _wait(tmp_path, job, lambda s: s["status"] == "running" and s["progress"], timeout=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)
    killed = _py(env, "state", job)
    assert killed["status"] == "running" and killed["registrations"] == 0, killed

    second = _worker(env, log)
    try:
        _wait(tmp_path, job, lambda s: s["status"] in ("done", "failed"), timeout=90)
        done = _py(env, "state", job)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            os.kill(second.pid, signal.SIGKILL)
    assert done["status"] == "done", (done, log.read_text()[-2000:])
    assert done["attempts"] == 2
    assert done["registrations"] == done["people"] == 3000  # every row once, not twice
