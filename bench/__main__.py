"""Run every benchmark script (each in its own process), print one table, write results.json.

python -m bench                 # everything, full sizes (make bench)
python -m bench --quick         # tiny sizes: checks that every script still runs
python -m bench checkin_load    # only the named scripts
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from .common import ROOT, Figure, format_table, log, not_measured

SCRIPTS = {
    # name: (timeout in s for the full run, what it measures)
    "checkin_load": (420, "check-in API throughput, latency, worker memory (figures 1, 6)"),
    "pages": (420, "pages that grow with data: queries and render time (figure 2)"),
    "import_xlsx": (
        900,
        "10,000- and 50,000-row XLSX imports: time, peak memory (fig. 3, issue 18)",
    ),
    "documents": (300, "500 A6 badges and a 500-row daftar hadir (figure 4)"),
    "scanner": (300, "scanner round trip in Chromium: camera and typed input (figure 5)"),
    "fault_checkin": (300, "nothing lost when a gunicorn worker is SIGKILLed (issue 8)"),
    "jobs": (600, "long work as jobs: 49,000-row import, 1,000 badges, worker RSS (issue 18)"),
    "scanner_phone": (420, "scanner on a throttled phone: CPU 4x, 150 ms, 1.6 Mbit/s (issue 18)"),
    "burst": (420, "public registration burst: 300 from 50 clients, SQLite and PG (issue 18)"),
    "district": (
        1200,
        "district scale: 100,000 people, 300,000 registrations, 5 years of follow-up (issue 18)",
    ),
}


def run_script(name: str, quick: bool, timeout: float) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="sosbench-") as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [sys.executable, "-m", f"bench.{name}", "--json", str(out)]
        if quick:
            cmd.append("--quick")
        started = time.monotonic()
        # Its own process group: on a timeout, SIGTERM lets the script stop its servers (its
        # ``finally`` blocks run), then whatever is left of the group is killed.
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            _stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop_group(proc)
            return [not_measured(name, name, f"script timed out after {timeout:.0f} s")]
        log(f"{name}: {time.monotonic() - started:.0f} s, exit {proc.returncode}")
        if proc.returncode != 0 or not out.exists():
            lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
            reason = lines[-1] if lines else f"exit status {proc.returncode}"
            sys.stderr.write(stderr[-4000:])
            return [not_measured(name, name, f"script failed: {reason[:200]}")]
        return [Figure(**f) for f in json.loads(out.read_text())]


def _stop_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.communicate(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("scripts", nargs="*", choices=[[], *SCRIPTS], default=[])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    names = args.scripts or list(SCRIPTS)
    figures: list[Figure] = []
    for name in names:
        timeout, what = SCRIPTS[name]
        log(f"{name}: {what}")
        figures.extend(run_script(name, args.quick, timeout / (3 if args.quick else 1)))
    print(format_table(figures))
    failed = [f for f in figures if f.passed is False]
    missing = [f for f in figures if f.note.startswith("not measured")]
    print(
        f"\n{sum(f.passed is True for f in figures)} pass, {len(failed)} fail, "
        f"{len(missing)} not measured"
    )
    Path(args.output).write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "commit": _commit(),
                "quick": args.quick,
                "machine": {
                    "cpus": __import__("os").cpu_count(),
                    "python": platform.python_version(),
                },
                "figures": [asdict(f) for f in figures],
            },
            indent=2,
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
