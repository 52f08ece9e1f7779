"""Where a check-in's time goes: CPU per request in one process, the app against the minimal app.

Not a figure of ``make bench`` (that is ``checkin_load``, through gunicorn and wrk): a tool for
the work on the check-in path. Both apps answer the same number of distinct tickets through
Flask's test client on SQLite; the printout is CPU time per request (``time.process_time``, which
other processes on a shared machine disturb far less than wall time) and the ratio.

    .venv/bin/python -m bench.profile_checkin              # 2,000 check-ins each
    .venv/bin/python -m bench.profile_checkin -n 500 --profile   # + cProfile of the app's requests
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from pathlib import Path

from .common import app_context, scratch_dir, seed_event

WARM_UP = 100


def _app_requests(tmp: Path, count: int, profile: bool) -> float:
    with app_context(f"sqlite:///{tmp / 'app.db'}", tmp) as app:
        seeded = seed_event(count + WARM_UP)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {seeded.token}"}
    path = f"/api/v1/events/{seeded.event_id}/checkins"

    def scan(codes: list[str]) -> None:
        for code in codes:
            response = client.post(path, json={"code": code}, headers=headers)
            if response.status_code != 201:
                raise SystemExit(f"check-in answered {response.status_code}: {response.text}")

    scan(seeded.tickets[:WARM_UP])
    codes = seeded.tickets[WARM_UP:]
    profiler = cProfile.Profile() if profile else None
    start = time.process_time()
    if profiler:
        profiler.enable()
    scan(codes)
    if profiler:
        profiler.disable()
    spent = time.process_time() - start
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"sosialisasi|flask_login|sqlalchemy/orm", 40)
    return spent / len(codes)


def _baseline_requests(tmp: Path, count: int) -> float:
    os.environ["BASELINE_DATABASE_URL"] = f"sqlite:///{tmp / 'baseline.db'}"
    from . import baseline_app

    tickets = tmp / "tickets.txt"
    baseline_app.seed(count + WARM_UP, str(tickets))
    client = baseline_app.app.test_client()
    codes = tickets.read_text().split()
    for code in codes[:WARM_UP]:
        client.post("/checkin", json={"code": code})
    start = time.process_time()
    for code in codes[WARM_UP:]:
        if client.post("/checkin", json={"code": code}).status_code != 201:
            raise SystemExit("the minimal app refused a ticket")
    return (time.process_time() - start) / (len(codes) - WARM_UP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="check-ins per app (default 2000)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the app")
    args = parser.parse_args()
    with scratch_dir() as tmp:
        app_cpu = _app_requests(tmp, args.n, args.profile)
        base_cpu = _baseline_requests(tmp, args.n)
    print(f"check-in API:  {app_cpu * 1000:.3f} ms CPU per request ({args.n} check-ins)")
    print(f"minimal app:   {base_cpu * 1000:.3f} ms CPU per request")
    print(f"ratio:         {app_cpu / base_cpu:.2f}x (CPU; the throughput ratio is its inverse)")


if __name__ == "__main__":
    main()
