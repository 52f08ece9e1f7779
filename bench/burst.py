"""Issue 18: a burst on the public registration link, as when it is shared in a WhatsApp group.

An event open for public registration with a capacity of 250 and per-unit quotas: 10 units with a
quota of 30 and 2 units with a quota of 10. 50 concurrent clients (Python threads, one
``requests`` session each, its own ``X-Forwarded-For`` address behind ``TRUSTED_PROXIES=1``, rate
limits on as in production) send 300 registrations: 26 for each large unit, 20 for each small one.
Each submission GETs the form (keeping the session cookie and its CSRF token), then POSTs it; the
client notes when it sent the POST and when the answer came. So 20 are refused by their unit's
quota (10 per small unit), 280 are accepted: the first 250 hold a seat, 30 wait.

Against gunicorn with 4 sync workers, on SQLite (WAL) and on PostgreSQL (``test_edge`` unless
``BENCH_BURST_PG_DB`` says otherwise). Figures per database:

- never over: registered <= capacity, every unit's registrations (waiting included) <= its quota,
  and no seat left empty while someone waits: the counts are exactly 250 registered, 30 waiting,
  20 refused;
- in order of arrival: among submissions where one was answered before the other was sent, the
  earlier never waits while the later holds a seat, and never stands behind it on the waiting
  list (``created_at, id``, the order the list is promoted in);
- 0 errors: no 5xx, no failed connection, no accepted submission missing from the database and no
  refused one in it;
- POST p99 as a ratio to the p99 of a plain page (the same form, GET) under the same 50 clients
  in the same run (target <= 5x).

    python -m bench.burst [--quick]
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
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
    ratio_figure,
    scratch_dir,
    script_main,
    seed_event,
    start_gunicorn,
)

PG_DB = os.environ.get("BENCH_BURST_PG_DB", "test_edge")
CLIENTS = 50
CAPACITY = 250
BIG_UNITS, BIG_QUOTA, BIG_SENT = 10, 30, 26
SMALL_UNITS, SMALL_QUOTA, SMALL_SENT = 2, 10, 20


@dataclass
class Submission:
    n: int
    unit_index: int
    nip: str
    name: str
    client: int = -1
    sent: float = 0.0  # client clock (time.monotonic) when the POST went out
    answered: float = 0.0
    status: int = 0  # 0: no HTTP answer
    outcome: str = ""  # accepted / quota / refused / error
    detail: str = ""


def plan(scale: float = 1.0) -> tuple[list[tuple[int, int]], list[Submission]]:
    """(quota per unit index) and the submissions, interleaved over units."""
    units = [(i, BIG_QUOTA) for i in range(BIG_UNITS)]
    units += [(BIG_UNITS + i, SMALL_QUOTA) for i in range(SMALL_UNITS)]
    sent = dict.fromkeys(range(BIG_UNITS), BIG_SENT)
    sent.update({BIG_UNITS + i: SMALL_SENT for i in range(SMALL_UNITS)})
    if scale != 1.0:
        units = [(i, max(1, round(q * scale))) for i, q in units]
        sent = {i: max(1, round(s * scale)) for i, s in sent.items()}
    subs: list[Submission] = []
    left = dict(sent)
    while any(left.values()):
        for i in sorted(left):
            if left[i]:
                n = len(subs)
                subs.append(
                    Submission(n, i, nip_for(5001 + n), f"Pendaftar Gelombang {n:04d}, S.E.")
                )
                left[i] -= 1
    return units, subs


def seed(database_url: str, tmp: Path, quotas: list[tuple[int, int]], capacity: int):
    """The event (open, public link, capacity) and its invited units with their quotas."""
    from sqlalchemy import select

    from sosialisasi.common.types import utcnow
    from sosialisasi.events.models import Event, EventStatus, Invitation
    from sosialisasi.extensions import db

    with app_context(database_url, tmp):
        seeded = seed_event(0, units=len(quotas), status="open", starts_in_minutes=7 * 24 * 60)
        event = db.session.get(Event, seeded.event_id)
        assert event is not None
        event.capacity = capacity
        event.public_registration = True
        event.status = EventStatus.OPEN
        event.registration_closes_at = utcnow() + timedelta(days=6)
        by_unit = {
            inv.unit_id: inv
            for inv in db.session.scalars(select(Invitation).where(Invitation.event_id == event.id))
        }
        for index, quota in quotas:
            by_unit[seeded.unit_ids[index]].quota = quota
        db.session.commit()
        return seeded


def _fields(page: str) -> dict[str, str]:
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    return {"csrf_token": token.group(1) if token else ""}


def _messages(page: str) -> list[str]:
    """The error messages a re-rendered form shows."""
    import html
    import re

    found = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', page)
    return [html.unescape(m).strip() for m in found] or [page[:200]]


def run_clients(base: str, event_id: int, unit_ids: list[int], subs: list[Submission]) -> dict:
    """The burst: CLIENTS threads take the submissions in order; GET form, POST it."""
    import requests

    url = f"{base}/daftar/{event_id}"
    lock = threading.Lock()
    queue = list(subs)
    barrier = threading.Barrier(CLIENTS)
    gets: list[float] = []

    def client(c: int) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = f"10.18.{c // 250}.{c % 250 + 1}"
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    return
                sub = queue.pop(0)
            sub.client = c
            try:
                started = time.monotonic()
                page = session.get(url, timeout=60)
                with lock:
                    gets.append(time.monotonic() - started)
                data = {
                    **_fields(page.text),
                    "nip": sub.nip,
                    "name": sub.name,
                    "kind": "pns",
                    "position": "Analis Kebijakan",
                    "rank": "Penata (III/c)",
                    "phone": f"+62813{5000 + sub.n:08d}",
                    "email": "",
                    "unit_id": str(unit_ids[sub.unit_index]),
                    "website": "",
                }
                sub.sent = time.monotonic()
                answer = session.post(url, data=data, timeout=60, allow_redirects=False)
                sub.answered = time.monotonic()
                sub.status = answer.status_code
            except requests.RequestException as exc:
                sub.answered = time.monotonic()
                sub.outcome, sub.detail = "error", f"{type(exc).__name__}: {exc}"[:200]
                continue
            if answer.status_code == 302:
                sub.outcome = "accepted"
            elif answer.status_code == 422 and "Kuota" in answer.text:
                sub.outcome = "quota"
            elif answer.status_code < 500:
                sub.outcome = "refused"
                sub.detail = f"{answer.status_code} " + " | ".join(_messages(answer.text))
            else:
                sub.outcome = "error"
                sub.detail = answer.text[:300]

    threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"seconds": time.monotonic() - started, "gets": gets}


def warm_up(base: str, event_id: int) -> None:
    """Every worker imports and compiles what the form and its POST use before timing."""
    import requests

    url = f"{base}/daftar/{event_id}"

    def client(c: int) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = f"10.17.0.{c + 1}"
        for _ in range(5):
            page = session.get(url, timeout=60)
            # The honeypot filled in: refused with 422 after the whole form is validated.
            session.post(url, data={**_fields(page.text), "website": "x"}, timeout=60)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def plain_page(base: str, event_id: int, requests_total: int) -> list[float]:
    """The baseline: the same form, GET only, ``requests_total`` times from CLIENTS threads."""
    import requests

    url = f"{base}/daftar/{event_id}"
    lock = threading.Lock()
    left = [requests_total]
    took: list[float] = []
    barrier = threading.Barrier(CLIENTS)

    def client(c: int) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = f"10.19.{c // 250}.{c % 250 + 1}"
        barrier.wait()
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            started = time.monotonic()
            session.get(url, timeout=60).raise_for_status()
            with lock:
                took.append(time.monotonic() - started)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return took


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-99 * len(ordered) // 100) - 1)]


def stored(database_url: str, event_id: int) -> dict[str, tuple[str, int, object, int]]:
    """NIP -> (status, unit id, created_at, id) of the event's registrations."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.nip, r.status, r.unit_id, r.created_at, r.id FROM registrations r "
                "JOIN people p ON p.id = r.person_id WHERE r.event_id = :e"
            ),
            {"e": event_id},
        ).all()
    engine.dispose()
    return {row[0]: (str(row[1]).lower().split(".")[-1], row[2], row[3], row[4]) for row in rows}


def check(
    subs: list[Submission],
    rows: dict[str, tuple[str, int, object, int]],
    quotas: list[tuple[int, int]],
    unit_ids: list[int],
    capacity: int,
) -> dict:
    statuses = Counter(status for status, *_ in rows.values())
    registered = statuses.get("registered", 0)
    waiting = statuses.get("waitlisted", 0)
    per_unit = Counter(unit for status, unit, *_ in rows.values() if status != "cancelled")
    over_quota = {
        unit_ids[i]: per_unit[unit_ids[i]] for i, q in quotas if per_unit[unit_ids[i]] > q
    }
    outcomes = Counter(s.outcome for s in subs)
    lost = [s.n for s in subs if s.outcome == "accepted" and s.nip not in rows]
    sneaked = [s.n for s in subs if s.outcome != "accepted" and s.nip in rows]
    http_5xx = sum(1 for s in subs if s.status >= 500)
    errors = outcomes.get("error", 0) + outcomes.get("refused", 0) + len(lost) + len(sneaked)

    # Waiting-list order against the clients' order: pairs where A was answered before B was sent.
    accepted = [s for s in subs if s.outcome == "accepted" and s.nip in rows]
    place = {
        s.n: rank
        for rank, s in enumerate(
            sorted(
                (s for s in accepted if rows[s.nip][0] == "waitlisted"),
                key=lambda s: (rows[s.nip][2], rows[s.nip][3]),
            )
        )
    }
    pairs = inversions = 0
    by_answer = sorted(accepted, key=lambda s: s.answered)
    for a in by_answer:
        for b in accepted:
            if a.answered >= b.sent:
                continue
            pairs += 1
            a_waits, b_waits = a.n in place, b.n in place
            if (a_waits and not b_waits) or (a_waits and b_waits and place[a.n] > place[b.n]):
                inversions += 1
    return {
        "registered": registered,
        "waitlisted": waiting,
        "other_statuses": {
            k: v for k, v in statuses.items() if k not in ("registered", "waitlisted")
        },
        "over_quota_units": over_quota,
        "outcomes": dict(outcomes),
        "lost": lost,
        "sneaked": sneaked,
        "http_5xx": http_5xx,
        "errors": errors,
        "error_details": [s.detail for s in subs if s.outcome in ("error", "refused")][:5],
        "order_pairs": pairs,
        "order_inversions": inversions,
    }


def measure(db: str, database_url: str, tmp: Path, quick: bool) -> list[Figure]:
    quotas, subs = plan(0.2 if quick else 1.0)
    capacity = round(CAPACITY * (0.2 if quick else 1.0))
    expected_quota = sum(max(0, sum(1 for s in subs if s.unit_index == i) - q) for i, q in quotas)
    expected_accepted = len(subs) - expected_quota
    expected_registered = min(capacity, expected_accepted)
    seeded = seed(database_url, tmp, quotas, capacity)
    env = bench_env(database_url, tmp)
    env.update(RATELIMIT_ENABLED="1", TRUSTED_PROXIES="1")
    server = start_gunicorn("wsgi:app", env, tmp / f"app-{db}.log", workers=4)
    try:
        warm_up(server.url, seeded.event_id)
        plain = plain_page(server.url, seeded.event_id, len(subs))
        burst = run_clients(server.url, seeded.event_id, seeded.unit_ids, subs)
    finally:
        server.stop()
    rows = stored(database_url, seeded.event_id)
    result = check(subs, rows, quotas, seeded.unit_ids, capacity)
    posts = [s.answered - s.sent for s in subs if s.status]
    log(
        f"{db}: {len(subs)} submissions in {burst['seconds']:.1f} s; {result['outcomes']}; "
        f"registered {result['registered']}, waiting {result['waitlisted']}; "
        f"errors {result['errors']} {result['error_details'][:2]}; "
        f"order: {result['order_inversions']} of {result['order_pairs']} pairs out of order"
    )
    if result["http_5xx"]:
        log_text = (tmp / f"app-{db}.log").read_text(errors="replace")
        log(f"{db}: server log tail: {log_text[-1500:]}")
    label = f"burst {db}"
    never_over = (
        result["registered"] <= capacity
        and not result["over_quota_units"]
        and result["registered"] == expected_registered
        and result["waitlisted"] == expected_accepted - expected_registered
        and result["outcomes"].get("quota", 0) == expected_quota
    )
    figures = [
        Figure(
            f"burst.{db}.allocation",
            f"{label}: registered / waiting / refused by quota (capacity {capacity})",
            result["registered"],
            "registered",
            target=(
                f"{expected_registered} / {expected_accepted - expected_registered} / "
                f"{expected_quota}"
            ),
            passed=never_over,
            note=(
                f"{result['waitlisted']} waiting, {result['outcomes'].get('quota', 0)} refused"
                + (
                    f", over quota: {result['over_quota_units']}"
                    if result["over_quota_units"]
                    else ""
                )
            ),
            extra=result,
        ),
        absolute_figure(
            f"burst.{db}.order",
            f"{label}: waiting list out of arrival order ({result['order_pairs']:,} ordered pairs)",
            result["order_inversions"],
            "pairs",
            "==",
            0,
        ),
        absolute_figure(
            f"burst.{db}.errors",
            f"{label}: errors ({len(subs)} from {CLIENTS} clients: 5xx, lost, failed)",
            result["errors"],
            "",
            "==",
            0,
            note=f"{result['http_5xx']} HTTP 5xx" if result["http_5xx"] else "",
        ),
    ]
    if posts and plain:
        figures.append(
            ratio_figure(
                f"burst.{db}.p99",
                f"{label}: POST p99 vs plain page p99 (the form, GET, {CLIENTS} clients)",
                round(p99(posts) * 1000, 1),
                round(p99(plain) * 1000, 1),
                "ms",
                "<=",
                5,
                seconds=burst["seconds"],
                post_median_ms=round(sorted(posts)[len(posts) // 2] * 1000, 1),
                plain_median_ms=round(sorted(plain)[len(plain) // 2] * 1000, 1),
            )
        )
    return figures


def run(quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    with scratch_dir() as tmp:
        figures += measure("SQLite", f"sqlite:///{tmp / 'burst.db'}", tmp, quick)
    if pg_available():
        with scratch_dir() as tmp:
            figures += measure("PostgreSQL", pg_reset(PG_DB), tmp, quick)
    else:
        figures.append(not_measured("burst.PostgreSQL", "burst PostgreSQL", "no PostgreSQL"))
    return figures


if __name__ == "__main__":
    script_main(run)
