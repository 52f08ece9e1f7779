"""Smoke test of the benchmark suite (bench/): the pieces run, quickly, without timing anything.

The benchmarks themselves are not part of ``make test`` (``make bench`` runs them). The test
marked ``slow`` runs every script end to end at tiny sizes (``python -m bench --quick``, a few
minutes: servers, wrk and Chromium); it is deselected unless asked for: ``make bench-quick``
(``pytest -m slow``).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import SCRIPTS
from bench.common import Figure, absolute_figure, fill_rule, format_table, ratio_figure

ROOT = Path(__file__).resolve().parents[2]


def test_every_script_has_a_run_function():
    for name in SCRIPTS:
        module = importlib.import_module(f"bench.{name}")
        assert callable(module.run), name


def test_ratios_targets_and_table():
    fast = ratio_figure("a", "check-in req/s", 80.0, 100.0, "req/s", ">=", 0.7)
    slow = ratio_figure("b", "p99", 250.0, 100.0, "ms", "<=", 2.0)
    equal = ratio_figure("c", "queries", 7, 7, "queries", "==", 1.0)
    memory = absolute_figure("d", "worker RSS", 120.0, "MB", "<=", 150)
    missing = Figure("e", "scanner", None, note="not measured: no browser")
    assert (fast.ratio, fast.passed) == (0.8, True)
    assert (slow.ratio, slow.passed) == (2.5, False)
    assert equal.passed and memory.passed and missing.passed is None
    table = format_table([fast, slow, equal, memory, missing])
    assert "0.80x" in table and "FAIL" in table and "not measured: no browser" in table
    assert fill_rule("/acara/<int:event_id>/kehadiran", event_id=7) == "/acara/7/kehadiran"


def test_baseline_app_does_one_lookup_and_one_insert(tmp_path, monkeypatch):
    from sqlalchemy import event

    monkeypatch.setenv("BASELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'b.db'}")
    sys.modules.pop("bench.baseline_app", None)
    baseline = importlib.import_module("bench.baseline_app")
    try:
        baseline.seed(3, str(tmp_path / "tickets.txt"))
        codes = (tmp_path / "tickets.txt").read_text().split()
        client = baseline.app.test_client()
        statements = []
        with baseline.app.app_context():
            event.listen(
                baseline.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2])
            )
        assert client.get("/hello").data == b"hello"
        assert client.post("/checkin", json={"code": codes[0]}).status_code == 201
        verbs = [s.split()[0] for s in statements]
        assert verbs == ["SELECT", "INSERT"]
        assert client.post("/checkin", json={"code": "nope"}).status_code == 404
        assert baseline.count_scans() == 1
    finally:
        with baseline.app.app_context():
            baseline.db.engine.dispose()
        sys.modules.pop("bench.baseline_app", None)


def test_document_baselines_make_pdfs():
    from bench.documents import baseline_badges, baseline_list

    badges = baseline_badges(["http://127.0.0.1/t/abc", "http://127.0.0.1/t/def"])
    table = baseline_list(5)
    assert badges.startswith(b"%PDF") and table.startswith(b"%PDF")


def test_scanner_video_has_a_frame_per_tenth_of_a_second(tmp_path):
    from bench import scanner

    video = tmp_path / "t.y4m"
    scanner.write_video(video, ["http://127.0.0.1/t/abc"])
    data = video.read_bytes()
    assert data.startswith(b"YUV4MPEG2 W640 H480 F10:1")
    frames = data.count(b"FRAME\n")
    expected = scanner.LEAD_FRAMES * 3 + scanner.SHOW_FRAMES + scanner.GAP_FRAMES
    assert frames == expected


def test_check_in_profiler_compares_cpu_per_request(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.profile_checkin", "-n", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith("check-in API:") and "ms CPU per request" in line for line in lines)
    assert any(line.startswith("ratio:") for line in lines)


@pytest.mark.slow
def test_every_script_runs_at_tiny_sizes(tmp_path):
    out = tmp_path / "results.json"
    subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(out)],
        cwd=ROOT,
        timeout=900,
        check=False,
    )
    figures = json.loads(out.read_text())["figures"]
    failed = [f["name"] for f in figures if f["note"].startswith("not measured: script failed")]
    assert not failed
