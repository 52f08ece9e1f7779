"""Nothing lost under faults: check-ins while a gunicorn worker is SIGKILLed mid-run.

gunicorn with 4 sync workers serves Sosialisasi on 127.0.0.1 (a scratch SQLite file, then the
PostgreSQL database ``test_security_fault``). 20 client threads check in 2,000 distinct tickets
through ``POST /api/v1/events/<id>/checkins``, each request with its own nonce; a client whose
request fails (connection reset by the dying worker, timeout, 5xx) retries it with the SAME nonce,
as the scanner does. At 30 %, 50 % and 70 % of the tickets one worker is killed with SIGKILL (one
at a time; the arbiter respawns it), so that some requests are cut in the middle. One ticket in
ten is also sent a second time on purpose, same nonce.

Afterwards, from the database: every ticket answered 201 has exactly one row, no registration has
two rows for the session, the number of rows equals the number of tickets (retries did not
double-write), every row carries its ticket's nonce, and the server answered throughout (longest
gap between two answers while the worker died).

The same for registrations against a quota: 20 clients submit the public registration form
(CSRF token and cookie per client, as browsers do) for 120 distinct civil servants of one unit
whose invitation quota is 30, while a worker is SIGKILLed; a client that loses its answer sends
the same form again. Afterwards exactly 30 are registered, nobody twice, and every success answer
(the redirect to the ticket) has its row.

    python -m bench.fault_checkin [--quick] [--json FILE]
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .common import (
    Figure,
    absolute_figure,
    app_context,
    bench_env,
    log,
    nip_for,
    not_measured,
    pg_available,
    pg_reset,
    scratch_dir,
    script_main,
    seed_event,
    start_gunicorn,
)

PG_DB = "test_security_fault"
CLIENTS = 20
WORKERS = 4
MAX_ATTEMPTS = 8
TIME_BUDGET_S = 110  # the whole run per database stays under 2 minutes


@dataclass
class Tally:
    attempts: int = 0
    retries: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # reason -> count (before a retry)
    answers: dict[int, int] = field(default_factory=dict)  # final status -> tickets
    ok: set[str] = field(default_factory=set)  # tickets answered 201
    duplicates_sent: int = 0
    duplicate_answers: dict[int, int] = field(default_factory=dict)
    answer_times: list[float] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, reason: str) -> None:
        with self.lock:
            self.failures[reason] = self.failures.get(reason, 0) + 1


def _post(url: str, token: str, code: str, nonce: str) -> tuple[int, str]:
    body = json.dumps({"code": code, "nonce": nonce, "method": "qr"}).encode()
    req = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
        return 0, type(exc).__name__


def _check_in(url: str, token: str, code: str, nonce: str, tally: Tally, deadline: float) -> int:
    """Send until an answer that is not a fault; retries keep the nonce."""
    for attempt in range(MAX_ATTEMPTS):
        if time.monotonic() > deadline:
            break
        with tally.lock:
            tally.attempts += 1
            tally.retries += attempt > 0
        status, _ = _post(url, token, code, nonce)
        if status and status < 500:
            with tally.lock:
                tally.answer_times.append(time.monotonic())
            return status
        tally.fail("connection" if status == 0 else f"http_{status}")
        time.sleep(0.05 * (attempt + 1))  # the scanner backs off a little
    return 0


def run_one(database_url: str, tmp: Path, tickets: int, label: str) -> list[Figure]:
    with app_context(database_url, tmp) as _app:
        seeded = seed_event(tickets, units=40)
    env = bench_env(database_url, tmp)
    server = start_gunicorn("wsgi:app", env, tmp / "fault.log", workers=WORKERS)
    url = f"{server.url}/api/v1/events/{seeded.event_id}/checkins"
    tally = Tally()
    done = 0
    done_lock = threading.Lock()
    kills: list[tuple[int, float]] = []  # (pid, when)
    kill_at = {int(tickets * share) for share in (0.3, 0.5, 0.7)}
    deadline = time.monotonic() + TIME_BUDGET_S
    try:
        workers_before = server.worker_pids()

        def one(index: int) -> None:
            nonlocal done
            code = seeded.tickets[index]
            nonce = f"fault-{label}-{index}"
            status = _check_in(url, seeded.token, code, nonce, tally, deadline)
            with tally.lock:
                tally.answers[status] = tally.answers.get(status, 0) + 1
                if status == 201:
                    tally.ok.add(code)
                elif status == 0:
                    tally.gave_up.append(code)
            if index % 10 == 0 and status == 201:  # a deliberate retry, same nonce
                again = _check_in(url, seeded.token, code, nonce, tally, deadline)
                with tally.lock:
                    tally.duplicates_sent += 1
                    tally.duplicate_answers[again] = tally.duplicate_answers.get(again, 0) + 1
            with done_lock:
                done += 1
                if done in kill_at:
                    pids = server.worker_pids()
                    if pids:
                        victim = pids[done % len(pids)]
                        os.kill(victim, signal.SIGKILL)
                        kills.append((victim, time.monotonic()))
                        log(f"{label}: SIGKILL worker {victim} after {done} tickets")

        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(one, range(tickets)))
        elapsed = time.monotonic() - started
        # The arbiter respawns the killed worker: wait for the condition, bounded.
        respawn_deadline = time.monotonic() + 20
        while time.monotonic() < respawn_deadline:
            pids = server.worker_pids()
            if len(pids) == WORKERS and not {pid for pid, _ in kills} & set(pids):
                break
            time.sleep(0.1)
        workers_after = server.worker_pids()
    finally:
        server.stop()

    rows = _rows(database_url, seeded.event_id)
    nonce_of = {seeded.tickets[i]: f"fault-{label}-{i}" for i in range(tickets)}
    missing = [code for code in tally.ok if code not in rows["by_code"]]
    wrong_nonce = [c for c, n in rows["by_code"].items() if nonce_of.get(c) != n]
    times = sorted(tally.answer_times)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    kill_gap = 0.0
    for _pid, at in kills:
        around = [g for a, g in zip(times, gaps, strict=False) if abs(a - at) < 15]
        kill_gap = max([kill_gap, *around])
    name = f"fault.{label.lower()}"
    figures = [
        absolute_figure(
            f"{name}.lost", f"201 answers without a row ({label})", len(missing), "", "==", 0,
            answered_201=len(tally.ok), rows=rows["total"],
        ),
        absolute_figure(
            f"{name}.double", f"tickets with two rows ({label})", rows["doubles"], "", "==", 0,
        ),
        absolute_figure(
            f"{name}.rows", f"rows minus tickets after retries ({label})",
            rows["total"] - tickets, "", "==", 0,
            retries=tally.retries, duplicates_sent=tally.duplicates_sent,
            duplicate_answers=tally.duplicate_answers, wrong_nonce=len(wrong_nonce),
        ),
        absolute_figure(
            f"{name}.unanswered", f"tickets never answered ({label})", len(tally.gave_up), "",
            "==", 0, failures=tally.failures, answers=tally.answers,
        ),
        absolute_figure(
            f"{name}.gap", f"longest wait for any answer around the kill ({label})",
            round(kill_gap * 1000), "ms", "<=", 5000,
            killed=[pid for pid, _ in kills], workers_before=workers_before,
            workers_after=workers_after,
        ),
        absolute_figure(
            f"{name}.respawn", f"workers serving after the kill ({label})", len(workers_after),
            "", "==", WORKERS,
        ),
        absolute_figure(
            f"{name}.time",
            f"{tickets} tickets, {CLIENTS} clients, {len(kills)} SIGKILLs ({label})",
            round(elapsed, 1), "s", "<=", 120,
            requests=tally.attempts, cut_by_kills=sum(tally.failures.values()),
        ),
    ]  # fmt: skip
    log(
        f"{label}: {tally.attempts} requests, {len(tally.ok)} tickets answered 201, "
        f"{tally.retries} retries after {sum(tally.failures.values())} failed attempts "
        f"{tally.failures}, {tally.duplicates_sent} deliberate duplicates -> "
        f"{tally.duplicate_answers}, rows {rows['total']}, doubles {rows['doubles']}, "
        f"lost {len(missing)}, longest gap near the kill {kill_gap * 1000:.0f} ms"
    )
    return figures


def _rows(database_url: str, event_id: int) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        pairs = conn.execute(
            text(
                "SELECT r.ticket_code, c.nonce FROM checkins c "
                "JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = :e"
            ),
            {"e": event_id},
        ).all()
        doubles = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT registration_id, session_id FROM checkins "
                "GROUP BY registration_id, session_id HAVING count(*) > 1) d"
            )
        )
    engine.dispose()
    by_code: dict[str, str] = {}
    for code, nonce in pairs:
        by_code[code] = nonce
    return {"total": len(pairs), "by_code": by_code, "doubles": int(doubles or 0)}


# --- registrations against a quota ---------------------------------------------------------

QUOTA = 30
PEOPLE_PER_CLIENT = 6
KILL_AFTER_PEOPLE = (10, 20)  # within the quota: registrations are still being written
_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"|value="([^"]+)" name="csrf_token"'
)


def _seed_public_event(database_url: str, tmp: Path) -> tuple[int, int]:
    from datetime import timedelta

    from sqlalchemy import text

    from sosialisasi.common.types import utcnow
    from sosialisasi.events.models import Event, EventSession, EventStatus, Invitation
    from sosialisasi.extensions import db
    from sosialisasi.units.models import Unit, UnitKind

    with app_context(database_url, tmp, create=False):
        unit = Unit(code="FAULT-Q", name="Dinas Kuota Uji", kind=UnitKind.DINAS, aliases=[])
        start = utcnow().replace(microsecond=0) + timedelta(days=7)
        event = Event(
            title="Sosialisasi dengan kuota (uji gangguan)",
            venue="Aula",
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            status=EventStatus.OPEN,
            default_quota=QUOTA,
            public_registration=True,
        )
        event.sessions.append(
            EventSession(title="Utama", starts_at=event.starts_at, ends_at=event.ends_at)
        )
        event.invitations.append(Invitation(unit=unit, quota=QUOTA))
        db.session.add_all([unit, event])
        if db.engine.dialect.name == "postgresql":
            # seed_event inserts people and registrations with explicit ids: move the sequences
            # past them, or new rows would collide with the seeded ones (a seeding artefact).
            for table in ("people", "registrations", "checkins"):
                sql = "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {t}), false)"  # noqa: E501
                db.session.execute(text(sql.format(t=table)))
        db.session.commit()
        return event.id, unit.id


class _Browser:
    """One client: its own cookie jar, like a phone's browser."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def open(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, method="POST" if body else "GET")  # noqa: S310
        try:
            with self.opener.open(req, timeout=10) as resp:
                return resp.status, resp.read().decode(errors="replace"), ""
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location", "") if exc.headers else ""
            return exc.code, exc.read().decode(errors="replace"), location
        except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
            return 0, type(exc).__name__, ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is the answer we count
        return None


def run_quota(database_url: str, tmp: Path, label: str, server_env: dict) -> list[Figure]:
    event_id, unit_id = _seed_public_event(database_url, tmp)
    server = start_gunicorn("wsgi:app", server_env, tmp / "quota.log", workers=WORKERS)
    url = f"{server.url}/daftar/{event_id}"
    outcomes: dict[str, str] = {}  # nip -> "registered" | "full" | "already" | "lost"
    failures: dict = {"count": 0, "reasons": {}}

    def failed(reason: str) -> None:
        with lock:
            failures["count"] += 1
            failures["reasons"][reason] = failures["reasons"].get(reason, 0) + 1

    lock = threading.Lock()
    done = {"n": 0, "killed": 0}  # people done, SIGKILLs sent
    deadline = time.monotonic() + TIME_BUDGET_S

    def client(index: int) -> None:
        browser = _Browser()
        for k in range(PEOPLE_PER_CLIENT):
            n = 30000 + index * PEOPLE_PER_CLIENT + k
            nip = nip_for(n)
            result = "lost"
            for _attempt in range(MAX_ATTEMPTS):
                if time.monotonic() > deadline:
                    break
                status, page, _ = browser.open(url)
                match = _CSRF.search(page) if status == 200 else None
                if not match:
                    failed(f"form {status}")
                    time.sleep(0.05)
                    continue
                token = next(g for g in match.groups() if g)
                form = {
                    "csrf_token": token, "nip": nip, "name": f"Pegawai Kuota {n}",
                    "kind": "pns", "position": "Analis", "rank": "III/a",
                    "phone": f"0812{n:08d}", "email": "", "unit_id": unit_id, "website": "",
                }  # fmt: skip
                status, page, location = browser.open(url, form)
                if status == 302 and "/t/" in location:
                    result = "registered"
                elif status == 422 and "Kuota" in page:
                    result = "full"
                elif status == 422 and "sudah terdaftar" in page:
                    result = "already"
                else:
                    title = re.search(r"<title>([^<]*)</title>", page)
                    failed(f"post {status} {title.group(1).strip()[:40] if title else page[:40]}")
                    time.sleep(0.05)
                    continue
                break
            with lock:
                outcomes[nip] = result
                done["n"] += 1
                if done["n"] in KILL_AFTER_PEOPLE:
                    pids = server.worker_pids()
                    if pids:
                        os.kill(pids[-1], signal.SIGKILL)
                        done["killed"] += 1
                        log(f"{label} quota: SIGKILL worker {pids[-1]} after {done['n']} people")

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, range(CLIENTS)))
    finally:
        server.stop()
    elapsed = time.monotonic() - started
    rows = _registrations(database_url, event_id)
    counts: dict[str, int] = {}
    for result in outcomes.values():
        counts[result] = counts.get(result, 0) + 1
    ok_without_row = [nip for nip, r in outcomes.items() if r == "registered" and nip not in rows]
    row_without_answer = [
        nip
        for nip in rows
        if not nip.startswith("__") and outcomes.get(nip) not in ("registered", "already")
    ]
    name = f"fault.{label.lower()}.quota"
    figures = [
        absolute_figure(
            f"{name}.registered", f"registered against a quota of {QUOTA} ({label})",
            rows["__registered__"], "", "==", QUOTA, answers=counts,
        ),
        absolute_figure(
            f"{name}.lost", f"success answers without a registration ({label})",
            len(ok_without_row), "", "==", 0, rows_without_success_answer=len(row_without_answer),
        ),
        absolute_figure(
            f"{name}.double", f"people registered twice ({label})", rows["__doubles__"], "",
            "==", 0, failed_attempts=failures["reasons"], killed=done["killed"],
            seconds=round(elapsed, 1),
        ),
    ]  # fmt: skip
    log(
        f"{label} quota: {len(outcomes)} people, answers {counts}, registered rows "
        f"{rows['__registered__']} (quota {QUOTA}), doubles {rows['__doubles__']}, "
        f"{failures['count']} failed attempts retried {failures['reasons']}, {elapsed:.1f} s"
    )
    return figures


def _registrations(database_url: str, event_id: int) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.nip, r.status FROM registrations r JOIN people p ON p.id = r.person_id "
                "WHERE r.event_id = :e"
            ),
            {"e": event_id},
        ).all()
        doubles = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT person_id FROM registrations WHERE event_id = :e "
                "GROUP BY person_id HAVING count(*) > 1) d"
            ),
            {"e": event_id},
        )
    engine.dispose()
    out: dict = dict(rows)
    out["__registered__"] = sum(1 for _, s in rows if str(s).lower() == "registered")
    out["__doubles__"] = int(doubles or 0)
    return out


def run(quick: bool) -> list[Figure]:
    tickets = 200 if quick else 2000
    figures: list[Figure] = []
    with scratch_dir("sosfault-") as tmp:
        sqlite_dir = tmp / "sqlite"
        sqlite_dir.mkdir()
        sqlite_url = f"sqlite:///{sqlite_dir / 'fault.db'}"
        figures += run_one(sqlite_url, sqlite_dir, tickets, "SQLite")
        figures += run_quota(sqlite_url, sqlite_dir, "SQLite", bench_env(sqlite_url, sqlite_dir))
        if pg_available():
            pg_dir = tmp / "pg"
            pg_dir.mkdir()
            pg_url = pg_reset(PG_DB)
            figures += run_one(pg_url, pg_dir, tickets, "PostgreSQL")
            figures += run_quota(pg_url, pg_dir, "PostgreSQL", bench_env(pg_url, pg_dir))
        else:
            figures.append(not_measured("fault.pg", "fault run on PostgreSQL", "no server"))
    return figures


if __name__ == "__main__":
    script_main(run)
