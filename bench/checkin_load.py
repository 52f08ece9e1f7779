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
import os
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
    median,
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


def combine(results: list[LoadResult]) -> LoadResult:
    """Rounds added up: total requests over total time; the median round's percentiles."""
    duration = sum(r.duration_s for r in results)
    requests = sum(r.requests for r in results)
    status: dict[str, int] = {}
    for r in results:
        for code, n in r.status.items():
            status[code] = status.get(code, 0) + n
    return LoadResult(
        requests=requests,
        duration_s=duration,
        rps=requests / duration if duration else 0.0,
        p50_ms=median([r.p50_ms for r in results]),
        p99_ms=median([r.p99_ms for r in results]),
        errors=sum(r.errors for r in results),
        status=status,
        exhausted=any(r.exhausted for r in results),
    )


def _chunks(items: list[str], n: int, tmp: Path, prefix: str) -> list[Path]:
    size = len(items) // n
    files = []
    for i in range(n):
        path = tmp / f"{prefix}-{i}.txt"
        path.write_text("\n".join(items[i * size : (i + 1) * size]) + "\n")
        files.append(path)
    return files


def measure(
    db: str,
    app_url: str,
    base_url: str,
    tmp: Path,
    seeded,
    *,
    seconds: float,
    rounds: int,
    baseline_tickets: int,
    reserve: int,
) -> dict:
    """Both servers up at once; rounds alternate baseline and app so that drift hits both."""
    root = Path(__file__).resolve().parent.parent
    base_env = dict(bench_env(base_url, tmp), BASELINE_DATABASE_URL=base_url)
    base_tickets = tmp / "baseline_tickets.txt"
    subprocess.run(
        [sys.executable, "-m", "bench.baseline_app", "seed", str(baseline_tickets), base_tickets],
        check=True,
        env=base_env,
        cwd=root,
    )
    base_files = _chunks(base_tickets.read_text().split(), rounds, tmp, "base")
    timed, spare = seeded.tickets[:-reserve], seeded.tickets[-reserve:]
    app_files = _chunks(timed, rounds, tmp, "app")
    per_round = seconds / rounds
    hello_runs, base_runs, app_runs = [], [], []
    base_server = start_gunicorn("bench.baseline_app:app", base_env, tmp / "baseline.log")
    app_server = None
    try:
        app_server = start_gunicorn("wsgi:app", bench_env(app_url, tmp), tmp / "app.log")
        url = f"{app_server.url}/api/v1/events/{seeded.event_id}/checkins"
        # One request first: it must be a 201, or the load would only measure refusals.
        first = _post(url, spare[0], seeded.token)
        if first != 201:
            raise RuntimeError(f"check-in API answered {first} to a valid ticket")
        for i in range(rounds):
            if db == "sqlite":
                hello_runs.append(run_wrk(base_server.url + "/hello", seconds=per_round))
            base_runs.append(
                run_wrk(base_server.url + "/checkin", seconds=per_round, tickets_file=base_files[i])
            )
            app_runs.append(
                run_wrk(url, seconds=per_round, tickets_file=app_files[i], token=seeded.token)
            )
            log(
                f"{db} round {i + 1}: baseline {base_runs[-1].rps:.0f} req/s, "
                f"app {app_runs[-1].rps:.0f} req/s"
            )
        counts = drain(url, spare[1:], seeded.token)
        rows_timed = _count_rows(app_url, timed)
        rows_drain = _count_rows(app_url, spare[1:])
        rss = [peak_rss_mb(pid) for pid in app_server.worker_pids()]
    finally:
        base_server.stop()
        if app_server is not None:
            app_server.stop()
    return {
        "hello": combine(hello_runs) if hello_runs else None,
        "base": combine(base_runs),
        "app": combine(app_runs),
        "rows_timed": rows_timed,
        "counts": counts,
        "rows_drain": rows_drain,
        "rss": [r for r in rss if r is not None],
    }


def _figures(
    db: str, base: LoadResult, app: LoadResult, rows_timed, counts, rows_drain, rss, rounds: int
) -> list[Figure]:
    """The figures of one database. wrk abandons up to 16 requests (its connections) in flight
    when each round's clock stops; those may have been written, so the timed run's rows lie
    between its 201 answers and that plus 16 per round. The drain phase is checked exactly."""
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
            rows_drain == drain_ok and ok_timed <= rows_timed <= ok_timed + 16 * rounds,
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
    # 10,000 registrations asked; seeded twice that so that at the target rate the distinct
    # tickets last the whole run (the event is bigger, never smaller, than asked).
    registrations = 1_000 if quick else int(os.environ.get("BENCH_REGISTRATIONS", 20_000))
    seconds = 3 if quick else 15
    rounds = 1 if quick else 3
    baseline_tickets = 6_000 if quick else 60_000
    reserve = 40 if quick else 400
    figures: list[Figure] = []
    for db in os.environ.get("BENCH_DATABASES", "sqlite,pg").split(","):
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
            if not has_api:
                figures.append(
                    not_measured(
                        f"checkin.{db}",
                        f"check-in API ({label})",
                        f"POST {API_RULE} does not exist yet",
                    )
                )
                continue
            m = measure(
                db,
                app_url,
                base_url,
                tmp,
                seeded,
                seconds=seconds,
                rounds=rounds,
                baseline_tickets=baseline_tickets,
                reserve=reserve,
            )
        hello, base = m["hello"], m["base"]
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
                note="info",
                extra={"p99_ms": base.p99_ms, "errors": base.errors},
            )
        )
        figures.extend(
            _figures(
                db,
                base,
                m["app"],
                m["rows_timed"],
                m["counts"],
                m["rows_drain"],
                m["rss"],
                rounds,
            )
        )
    return figures


if __name__ == "__main__":
    script_main(run)
