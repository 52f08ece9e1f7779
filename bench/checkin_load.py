"""Figures 1 and 6: the check-in API under load, against its ceilings, and worker memory.

gunicorn with 2 sync workers serves (a) bench/baseline_app.py and (b) Sosialisasi, each on a
scratch database (SQLite in WAL mode, then PostgreSQL ``test_bench``). wrk on 127.0.0.1 keeps 16
connections busy for 15 s; every request carries a distinct ticket (bench/checkin.lua). After the
timed run a drain phase sends a further batch of distinct tickets from 16 Python threads and waits
for every answer, so that "rows written == 201 answers" is checked exactly (wrk abandons the
requests in flight when its clock stops; those may or may not have been written).

    python -m bench.checkin_load [--quick]
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .common import (
    Figure,
    LoadResult,
    absolute_figure,
    app_context,
    bench_env,
    log,
    not_measured,
    peak_rss_mb,
    pg_available,
    pg_reset,
    ratio_figure,
    run_wrk,
    scratch_dir,
    script_main,
    seed_event,
    start_gunicorn,
)

API_RULE = "/api/v1/events/<int:event_id>/checkins"


def _has_api(app) -> bool:
    return any(r.rule == API_RULE and "POST" in (r.methods or ()) for r in app.url_map.iter_rules())


def _post(url: str, code: str, token: str = "") -> int:
    body = json.dumps({"code": code}).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - 127.0.0.1 only
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def drain(url: str, codes: list[str], token: str = "") -> dict[int, int]:
    """Send every code (16 at a time) and wait for every answer; counts per status."""
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda c: _post(url, c, token), codes))
    counts: dict[int, int] = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return counts


def _count_rows(database_url: str, codes: list[str]) -> int:
    """Check-in rows written for these tickets."""
    from sqlalchemy import bindparam, create_engine, text

    query = text(
        "SELECT count(*) FROM checkins JOIN registrations r ON r.id = checkins.registration_id "
        "WHERE r.ticket_code IN :codes"
    ).bindparams(bindparam("codes", expanding=True))
    engine = create_engine(database_url)
    total = 0
    with engine.connect() as conn:
        for start in range(0, len(codes), 500):
            total += conn.scalar(query, {"codes": codes[start : start + 500]}) or 0
    engine.dispose()
    return int(total)


def _baseline(database_url: str, tmp: Path, tickets: int, seconds: float, hello: bool):
    """(hello result or None, check-in result) for the minimal app."""
    env = dict(bench_env(database_url, tmp), BASELINE_DATABASE_URL=database_url)
    tickets_file = tmp / "baseline_tickets.txt"
    subprocess.run(
        [sys.executable, "-m", "bench.baseline_app", "seed", str(tickets), str(tickets_file)],
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    server = start_gunicorn("bench.baseline_app:app", env, tmp / "baseline.log")
    try:
        hello_result = run_wrk(server.url + "/hello", seconds=seconds) if hello else None
        log(f"baseline hello: {hello_result}")
        result = run_wrk(server.url + "/checkin", seconds=seconds, tickets_file=tickets_file)
        log(f"baseline checkin: {result}")
    finally:
        server.stop()
    return hello_result, result


def _app_run(database_url: str, tmp: Path, seeded, seconds: float, reserve: int):
    env = bench_env(database_url, tmp)
    tickets_file = tmp / "app_tickets.txt"
    timed, spare = seeded.tickets[:-reserve], seeded.tickets[-reserve:]
    tickets_file.write_text("\n".join(timed) + "\n")
    server = start_gunicorn("wsgi:app", env, tmp / "app.log")
    url = f"{server.url}/api/v1/events/{seeded.event_id}/checkins"
    try:
        # One request first: it must be a 201, or the load would only measure refusals.
        first = _post(url, spare[0], seeded.token)
        if first != 201:
            raise RuntimeError(f"check-in API answered {first} to a valid ticket")
        result = run_wrk(url, seconds=seconds, tickets_file=tickets_file, token=seeded.token)
        log(f"app checkin: {result}")
        counts = drain(url, spare[1:], seeded.token)
        rows_timed = _count_rows(database_url, timed)
        rows_drain = _count_rows(database_url, spare[1:])
        rss = [peak_rss_mb(pid) for pid in server.worker_pids()]
    finally:
        server.stop()
    return result, rows_timed, counts, rows_drain, [r for r in rss if r is not None]


def _figures(
    db: str, base: LoadResult, app: LoadResult, rows_timed, counts, rows_drain, rss
) -> list[Figure]:
    label = {"sqlite": "SQLite", "pg": "PostgreSQL"}[db]
    ok_timed = app.status.get("201", 0)
    in_flight = max(0, rows_timed - ok_timed)
    drain_ok = counts.get(201, 0)
    drain_errors = sum(n for s, n in counts.items() if s not in (200, 201))
    figs = [
        ratio_figure(
            f"checkin.{db}.rps",
            f"check-in API req/s ({label}) vs minimal app",
            app.rps,
            base.rps,
            "req/s",
            ">=",
            0.7,
            note="tickets ran out: rate understated" if app.exhausted else "",
        ),
        ratio_figure(
            f"checkin.{db}.p99",
            f"check-in API p99 ({label}) vs minimal app",
            app.p99_ms,
            base.p99_ms,
            "ms",
            "<=",
            2.0,
            p50_ms=app.p50_ms,
            baseline_p50_ms=base.p50_ms,
        ),
        absolute_figure(
            f"checkin.{db}.errors",
            f"check-in API errors ({label})",
            app.errors + drain_errors,
            "",
            "==",
            0,
            status=app.status,
            drain=counts,
        ),
        Figure(
            f"checkin.{db}.rows",
            f"check-in rows written vs 201 answers ({label})",
            rows_drain,
            "rows",
            drain_ok,
            rows_drain / drain_ok if drain_ok else None,
            "== 1x",
            rows_drain == drain_ok and ok_timed <= rows_timed <= ok_timed + 16,
            f"drain phase; timed run {rows_timed} rows / {ok_timed} answers, "
            f"{in_flight} in flight at stop",
        ),
    ]
    if rss:
        figs.append(
            absolute_figure(
                f"checkin.{db}.worker_rss",
                f"gunicorn worker peak RSS after load ({label})",
                max(rss),
                "MB",
                "<=",
                150,
                workers=rss,
            )
        )
    return figs


def run(quick: bool) -> list[Figure]:
    registrations = 1_000 if quick else 10_000
    seconds = 2 if quick else 15
    baseline_tickets = 6_000 if quick else 60_000
    reserve = 40 if quick else 400
    figures: list[Figure] = []
    for db in ("sqlite", "pg"):
        label = {"sqlite": "SQLite", "pg": "PostgreSQL"}[db]
        if db == "pg" and not pg_available():
            figures.append(
                not_measured(f"checkin.{db}", f"check-in API ({label})", "no PostgreSQL on :5432")
            )
            continue
        with scratch_dir() as tmp:
            if db == "sqlite":
                app_url = f"sqlite:///{tmp / 'app.db'}"
                base_url = f"sqlite:///{tmp / 'baseline.db'}"
            else:
                app_url = base_url = pg_reset()
            log(f"{label}: seeding {registrations} registrations")
            with app_context(app_url, tmp) as app:
                has_api = _has_api(app)
                seeded = seed_event(registrations)
            hello, base = _baseline(base_url, tmp, baseline_tickets, seconds, hello=db == "sqlite")
            if hello is not None:
                figures.append(
                    Figure(
                        "checkin.hello.rps",
                        "minimal app: plain 'hello' req/s (framework ceiling)",
                        hello.rps,
                        "req/s",
                        note="info",
                        extra={"p99_ms": hello.p99_ms},
                    )
                )
            figures.append(
                Figure(
                    f"checkin.{db}.baseline_rps",
                    f"minimal app: lookup+insert+commit req/s ({label})",
                    base.rps,
                    "req/s",
                    hello.rps if hello else None,
                    base.rps / hello.rps if hello else None,
                    note="info; baseline = hello",
                    extra={"p99_ms": base.p99_ms, "errors": base.errors},
                )
            )
            if not has_api:
                figures.append(
                    not_measured(
                        f"checkin.{db}",
                        f"check-in API ({label})",
                        f"POST {API_RULE} does not exist yet",
                    )
                )
                continue
            log(f"{label}: loading the check-in API")
            result = _app_run(app_url, tmp, seeded, seconds, reserve)
            figures.extend(_figures(db, base, *result))
    return figures


if __name__ == "__main__":
    script_main(run)
