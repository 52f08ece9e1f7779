"""The pieces of the issue 18 edge benchmarks that decide PASS/FAIL, without servers or browsers:
the registration burst's plan and its order check, and the scanner relay's byte count."""

from __future__ import annotations

import socket
import threading
import urllib.request

from bench.burst import BIG_QUOTA, CAPACITY, Submission, check, plan
from bench.scanner_phone import Relay, p95


def test_burst_plan_overfills_capacity_and_the_small_units_quotas():
    quotas, subs = plan()
    assert len(subs) == 300
    assert len({s.nip for s in subs}) == 300
    refused = sum(max(0, sum(s.unit_index == i for s in subs) - q) for i, q in quotas)
    assert refused == 20  # the two small units: 20 sent each, quota 10
    assert len(subs) - refused - CAPACITY == 30  # waiting
    assert max(q for _, q in quotas) == BIG_QUOTA


def _sub(n: int, sent: float, answered: float) -> Submission:
    return Submission(
        n, 0, f"nip{n}", f"P{n}", sent=sent, answered=answered, status=302, outcome="accepted"
    )


def test_burst_order_check_counts_a_later_submission_that_overtook_an_earlier_one():
    subs = [_sub(0, 0.0, 1.0), _sub(1, 2.0, 3.0), _sub(2, 2.5, 3.5)]  # 1 and 2 overlap
    quotas, unit_ids = [(0, 10)], [7]
    in_order = {
        "nip0": ("registered", 7, 1, 1),
        "nip1": ("waitlisted", 7, 2, 2),
        "nip2": ("waitlisted", 7, 3, 3),
    }
    result = check(subs, in_order, quotas, unit_ids, capacity=1)
    assert (result["order_pairs"], result["order_inversions"], result["errors"]) == (2, 0, 0)

    overtaken = dict(in_order, nip0=("waitlisted", 7, 1, 1), nip1=("registered", 7, 2, 2))
    assert check(subs, overtaken, quotas, unit_ids, capacity=1)["order_inversions"] == 1
    # Overlapping submissions may be served in either order.
    swapped = dict(in_order, nip1=("waitlisted", 7, 3, 3), nip2=("waitlisted", 7, 2, 2))
    assert check(subs, swapped, quotas, unit_ids, capacity=1)["order_inversions"] == 0


def test_burst_check_finds_lost_submissions_and_quota_overruns():
    subs = [_sub(0, 0.0, 1.0), _sub(1, 0.0, 1.0)]
    rows = {"nip0": ("registered", 7, 1, 1)}
    result = check(subs, rows, [(0, 0)], [7], capacity=5)
    assert result["lost"] == [1]
    assert result["errors"] == 1
    assert result["over_quota_units"] == {7: 1}


def test_relay_counts_bytes_and_request_lines():
    body = b"x" * 5000
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + body)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    relay = Relay(server.getsockname()[1])
    try:
        with urllib.request.urlopen(f"{relay.url}/static/js/app.js?v=1", timeout=10) as resp:  # noqa: S310
            assert resp.read() == body
        seen = relay.reset()
        assert seen.requests == [("GET", "/static/js/app.js?v=1")]
        assert seen.down > 5000 and seen.up > 0
        assert relay.reset().total == 0
    finally:
        relay.close()
        server.close()


def test_p95_is_the_nearest_rank():
    assert p95([float(n) for n in range(1, 21)]) == 19.0
    assert p95([5.0]) == 5.0
