"""Two instances, one state (issue 18): two gunicorn instances on two ports, as two machines
would run them, over one PostgreSQL database (``test_jobs``), one Redis (started here on a free
127.0.0.1 port) and one shared upload folder; each instance has its own ``instance/`` folder and
its own job worker (``flask jobs worker``), both taking jobs from Redis.

Checks (each printed; exit status 1 when any fails with ``--strict``):

- a storm of 50 scans of one ticket, split across both instances at once -> one check-in row;
- a login lockout counts across both (failures alternate between the instances);
- a file uploaded through one instance downloads, byte for byte, through the other;
- a job queued through one instance runs once (two workers listen), and its result file
  downloads through the other.

    python -m bench.two_instances [--strict]
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .common import (
    BIN,
    ROOT,
    app_context,
    bench_env,
    log,
    pg_available,
    pg_reset,
    scratch_dir,
    seed_event,
    start_gunicorn,
)

PG_DB = "test_jobs"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_redis() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() == 0:
        log("installing redis-server (Debian)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "redis-server"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
    found = shutil.which("redis-server")
    if not found:
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    return found


def _start_redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            _ensure_redis(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=(tmp / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis did not start")


class Browser:
    """A cookie jar and CSRF-aware form posts (as a browser would)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - http only
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read(), dict(err.headers)

    def csrf(self, url: str) -> str:
        _, body, _ = self.request(url)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', body
        )
        assert match, f"no CSRF token on {url}"
        return match.group(1).decode()

    def post_form(self, url: str, fields: dict, csrf_from: str = "", csrf: str = ""):
        """POST a form with the CSRF token of the page ``csrf_from`` (fetched first), or the
        ``csrf`` token already read (a timed POST times the POST alone)."""
        fields = {"csrf_token": csrf or self.csrf(csrf_from), **fields}
        body = urllib.parse.urlencode(fields).encode()
        return self.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(
        self, url: str, fields: dict, name: str, data: bytes, csrf_from: str = "", csrf: str = ""
    ):
        boundary = "----sosialisasi" + os.urandom(8).hex()
        parts = []
        for key, value in {"csrf_token": csrf or self.csrf(csrf_from), **fields}.items():
            parts.append(
                (
                    f"--{boundary}\r\n"
                    f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
                ).encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


def _scan_storm(a: str, b: str, seeded, db_url: str) -> dict:
    from sqlalchemy import create_engine, text

    code = seeded.tickets[0]
    answers: list[int] = []
    lock = threading.Lock()

    def scan(i: int) -> None:
        base = a if i % 2 else b
        body = json.dumps({"code": code, "nonce": f"storm-{i}", "method": "qr"}).encode()
        req = urllib.request.Request(  # noqa: S310 - http only
            f"{base}/api/v1/events/{seeded.event_id}/checkins",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {seeded.token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
                status = resp.status
        except urllib.error.HTTPError as err:
            status = err.code
        with lock:
            answers.append(status)

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.scalar(
            text(
                "SELECT count(*) FROM checkins c JOIN registrations r ON r.id = c.registration_id"
                " WHERE r.ticket_code = :c"
            ),
            {"c": code},
        )
    engine.dispose()
    errors = sum(1 for s in answers if s >= 500)
    return {
        "name": "50 scans of one ticket across both instances -> rows",
        "value": rows,
        "target": "1 row, 0 errors",
        "ok": rows == 1 and errors == 0 and len(answers) == 50,
        "detail": {str(s): answers.count(s) for s in sorted(set(answers))},
    }


def _lockout(a: str, b: str, limit: int) -> dict:
    statuses = []
    for i in range(limit + 1):
        base = a if i % 2 == 0 else b
        browser = Browser()  # a new client each time: only the shared store can count
        status, _, _ = browser.post_form(
            f"{base}/masuk",
            {"username": "tidak-ada", "password": f"salah-{i}"},
            csrf_from=f"{base}/masuk",
        )
        statuses.append(status)
    ok = all(s == 200 for s in statuses[:limit]) and statuses[limit] == 429
    return {
        "name": f"login lockout ({limit} failures, alternating) counts across both",
        "value": statuses[limit],
        "target": "429 on the next try",
        "ok": ok,
        "detail": statuses,
    }


def _login(browser: Browser, base: str, seeded) -> None:
    status, _, headers = browser.post_form(
        f"{base}/masuk",
        {"username": seeded.username, "password": seeded.password},
        csrf_from=f"{base}/masuk",
    )
    assert status == 302, f"login failed: {status}"


def _upload_download(a: str, b: str, seeded, db_url: str, browser: Browser) -> dict:
    from sqlalchemy import create_engine, text

    data = b"%PDF-1.4\n% materi narasumber\n" + os.urandom(2048) + b"\n%%EOF\n"
    page = f"{a}/acara/{seeded.event_id}/dokumen"
    status, _, _ = browser.post_file(
        f"{a}/acara/{seeded.event_id}/dokumen/berkas",
        {"kind": "material", "caption": "dua mesin"},
        "materi.pdf",
        data,
        csrf_from=page,
    )
    engine = create_engine(db_url)
    with engine.connect() as conn:
        file_id = conn.scalar(text("SELECT max(id) FROM event_files"))
    engine.dispose()
    got_status, got, _ = browser.request(f"{b}/acara/{seeded.event_id}/dokumen/berkas/{file_id}")
    ok = status == 302 and got_status == 200 and got == data
    return {
        "name": "file uploaded through one instance downloads through the other",
        "value": "same bytes" if got == data else f"HTTP {got_status}",
        "target": "same bytes",
        "ok": ok,
    }


def _job_once(a: str, b: str, seeded, db_url: str, browser: Browser) -> dict:
    from sqlalchemy import create_engine, text

    status, _, headers = browser.request(f"{a}/acara/{seeded.event_id}/kartu.pdf")
    location = headers.get("Location", "")
    job_id = location.rstrip("/").rsplit("/", 1)[-1]
    engine = create_engine(db_url)
    state = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            state = conn.execute(
                text("SELECT status, attempts FROM jobs WHERE id = :i"), {"i": job_id}
            ).first()
        if state and state[0] in ("done", "failed"):
            break
        time.sleep(0.2)
    time.sleep(2)  # a second run, if any, would have claimed it by now
    with engine.connect() as conn:
        state = conn.execute(
            text("SELECT status, attempts FROM jobs WHERE id = :i"), {"i": job_id}
        ).first()
        count = conn.scalar(text("SELECT count(*) FROM jobs"))
    engine.dispose()
    pdf_status, pdf, _ = browser.request(f"{b}/tugas/{job_id}/berkas")
    ok = (
        status == 303
        and state is not None
        and tuple(state) == ("done", 1)
        and count == 1
        and pdf_status == 200
        and pdf.startswith(b"%PDF")
    )
    return {
        "name": "job queued through one instance runs once; result downloads through the other",
        "value": f"{state[0] if state else '?'}, attempts={state[1] if state else '?'}",
        "target": "done, attempts=1",
        "ok": ok,
    }


def run() -> list[dict]:
    if not pg_available():
        return [{"name": "two instances", "value": None, "ok": False, "detail": "no PostgreSQL"}]
    db_url = pg_reset(PG_DB)
    results = []
    with scratch_dir("sos2inst-") as tmp:
        redis_proc, redis_url = _start_redis(tmp)
        servers, workers = [], []
        try:
            with app_context(db_url, tmp) as _app:
                seeded = seed_event(30, units=3, status="running")
            base_env = bench_env(db_url, tmp)
            limit = 4
            for name in ("a", "b"):
                env = dict(base_env)
                env.update(
                    INSTANCE_PATH=str(tmp / f"instance-{name}"),
                    UPLOAD_FOLDER=str(tmp / "shared-uploads"),
                    REDIS_URL=redis_url,
                    RATELIMIT_ENABLED="1",
                    LOGIN_RATE_LIMIT=f"{limit} per 5 minutes",
                    PDF_JOB_MIN_ROWS="5",
                    JOBS_STALE_SECONDS="5",
                    FLASK_APP="wsgi",
                )
                env.pop("RATELIMIT_STORAGE_URI", None)
                servers.append(
                    start_gunicorn("wsgi:app", env, tmp / f"gunicorn-{name}.log", workers=2)
                )
                workers.append(
                    subprocess.Popen(
                        [str(BIN / "flask"), "jobs", "worker", "--workers", "1", "--no-periodic"],
                        cwd=ROOT,
                        env=env,
                        stdout=(tmp / f"worker-{name}.log").open("w"),
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            a, b = servers[0].url, servers[1].url
            log(f"instances at {a} and {b}, Redis {redis_url}")
            browser = Browser()
            _login(browser, a, seeded)  # before the lockout (same client address)
            for check in (
                lambda: _scan_storm(a, b, seeded, db_url),
                lambda: _upload_download(a, b, seeded, db_url, browser),
                lambda: _job_once(a, b, seeded, db_url, browser),
                lambda: _lockout(a, b, limit),
            ):
                results.append(check())
                log(f"{'PASS' if results[-1]['ok'] else 'FAIL'} {results[-1]['name']}")
        finally:
            for server in servers:
                server.stop()
            for proc in workers:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
                    try:
                        proc.wait(15)
                    except subprocess.TimeoutExpired:
                        os.killpg(proc.pid, signal.SIGKILL)
            os.killpg(redis_proc.pid, signal.SIGTERM)
            redis_proc.wait(10)
    return results


def main() -> None:
    started = time.monotonic()
    results = run()
    for r in results:
        mark = "PASS" if r["ok"] else "FAIL"
        print(
            f"{mark}  {r['name']}: {r['value']} (target {r.get('target', '')})"
            + (f"  {r['detail']}" if "detail" in r else "")
        )
    print(f"two instances: {time.monotonic() - started:.0f} s")
    if "--strict" in sys.argv and not all(r["ok"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
