"""Long work as jobs (issue 18): the starting request against a plain page, the job's
throughput, the worker's peak memory, and no web request near gunicorn's timeout.

gunicorn (2 sync workers) and one ``flask jobs worker`` on a scratch SQLite database (the job
queue in the instance folder, as ``make run``). Logged in as the organizer, in one run:

- a plain page (the event page), median of 15 GETs: the baseline;
- a 49,000-row CSV uploaded to the import page: the starting request's time (the POST alone,
  the form's CSRF token read before, as the open form holds it) as a ratio to the plain page
  (target <= 3x), the preview job's rows per second, and the longest web request of
  the whole flow (upload, progress polls, result page; target < 30 s, gunicorn's timeout);
- confirming it: the import job's rows per second (written rows, one transaction);
- 1,000 badges (``kartu.pdf``, over the 500-row threshold), made first, while the event holds its
  1,000 participants (after the import it holds 22,000, and a badge job of 22,000 pages is not
  the figure): the starting request's ratio and the job's pages per second;
- the worker's peak RSS (VmHWM; target <= 300 MB) through the badges, then, the peak started
  again (``clear_refs``), through the import; and the larger of the two.

    python -m bench.jobs [--quick]
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
from pathlib import Path

from .common import (
    BIN,
    ROOT,
    Figure,
    absolute_figure,
    app_context,
    bench_env,
    log,
    median,
    nip_for,
    peak_rss_mb,
    ratio_figure,
    scratch_dir,
    script_main,
    seed_event,
    start_gunicorn,
)
from .two_instances import Browser


def _csv(rows: int, units: int) -> bytes:
    out = io.StringIO()
    out.write("Nama,NIP,Unit Kerja,No HP\n")
    for i in range(rows):
        out.write(f"Peserta Bench {i},{nip_for(100_000 + i)},Dinas Bench {i % units:03d},\n")
    return out.getvalue().encode()


class Timed:
    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.longest = 0.0

    def __call__(self, method, *args, **kwargs):
        started = time.perf_counter()
        answer = method(*args, **kwargs)
        self.longest = max(self.longest, time.perf_counter() - started)
        return answer, time.perf_counter() - started


def _reset_peak(pid: int) -> None:
    """Start the process's VmHWM again from its current RSS (Linux ``clear_refs`` 5)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError as err:
        log(f"cannot reset the worker's peak RSS: {err}")


def _wait_job(timed: Timed, base: str, location: str, timeout: float) -> tuple[dict, float]:
    """Poll the job's JSON as the page does; the job's own duration from started/finished."""
    import json

    started = time.monotonic()
    state: dict = {}
    while time.monotonic() - started < timeout:
        (answer, _) = timed(timed.browser.request, f"{base}{location}/status.json")
        state = json.loads(answer[1])
        if state.get("finished"):
            break
        time.sleep(0.5)
    return state, time.monotonic() - started


def run(quick: bool) -> list[Figure]:
    rows = 2_000 if quick else 49_000
    badges = 520 if quick else 1_000
    units = 40
    figures: list[Figure] = []
    with scratch_dir() as tmp:
        db_url = f"sqlite:///{tmp / 'bench.db'}"
        with app_context(db_url, tmp):
            seeded = seed_event(badges, units=units, status="open", starts_in_minutes=7 * 24 * 60)
        env = bench_env(db_url, tmp)
        env.update(FLASK_APP="wsgi", JOBS_STALE_SECONDS="60")
        server = start_gunicorn("wsgi:app", env, tmp / "gunicorn.log", workers=2)
        worker = subprocess.Popen(
            [str(BIN / "flask"), "jobs", "worker", "--workers", "1", "--no-periodic"],
            cwd=ROOT,
            env=env,
            stdout=(tmp / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = server.url
            browser = Browser()
            status, _, _ = browser.post_form(
                f"{base}/masuk",
                {"username": seeded.username, "password": seeded.password},
                csrf_from=f"{base}/masuk",
            )
            assert status == 302, status
            timed = Timed(browser)
            event_page = f"{base}/acara/{seeded.event_id}"
            plain = []
            for _ in range(15):
                (answer, took) = timed(browser.request, event_page)
                assert answer[0] == 200, answer[0]
                plain.append(took * 1000)
            plain_ms = median(plain)

            (answer, took) = timed(browser.request, f"{base}/acara/{seeded.event_id}/kartu.pdf")
            location = answer[2].get("Location", "")
            location = "/" + location.split("/", 3)[-1] if location.startswith("http") else location
            assert answer[0] == 303, answer[0]
            figures.append(
                ratio_figure(
                    "jobs_badges_start",
                    f"{badges:,} badges: starting request vs plain page",
                    took * 1000,
                    plain_ms,
                    "ms",
                    "<=",
                    3,
                )
            )
            state, waited = _wait_job(timed, base, location, 600)
            figures.append(
                absolute_figure(
                    "jobs_badges_rate",
                    f"badges job ({badges:,} A6 pages)",
                    round(badges / waited, 1),
                    "pages/s",
                    ">=",
                    0,
                    note=state.get("status", ""),
                )
            )
            badges_rss = peak_rss_mb(worker.pid)
            figures.append(
                absolute_figure(
                    "jobs_badges_worker_rss",
                    f"job worker peak RSS through the {badges:,} badges",
                    badges_rss or 0,
                    "MB",
                    "<=",
                    300,
                )
            )
            _reset_peak(worker.pid)  # the import's peak on its own

            data = _csv(rows, units)
            log(f"uploading {rows} rows ({len(data) / 1e6:.1f} MB)")
            # The form is open before the upload starts: the starting request is the POST alone.
            csrf = browser.csrf(f"{base}/acara/{seeded.event_id}/impor")
            (answer, took) = timed(
                browser.post_file,
                f"{base}/acara/{seeded.event_id}/impor",
                {"over_quota_reason": "bench"},
                "besar.csv",
                data,
                csrf=csrf,
            )
            start_ms = took * 1000
            location = answer[2].get("Location", "")
            assert answer[0] == 303 and "/tugas/" in location, (answer[0], location)
            location = "/" + location.split("/", 3)[-1] if location.startswith("http") else location
            state, waited = _wait_job(timed, base, location, 600)
            assert state.get("status") == "done", state
            (page, _) = timed(browser.request, f"{base}{location}")
            token = page[1].decode().split("/impor/")[1].split('"')[0].split("/")[0]
            figures.append(
                ratio_figure(
                    "jobs_import_start",
                    f"import {rows:,} rows: starting request vs plain page",
                    start_ms,
                    plain_ms,
                    "ms",
                    "<=",
                    3,
                )
            )
            figures.append(
                absolute_figure(
                    "jobs_preview_rate",
                    f"import preview job ({rows:,} rows)",
                    round(rows / waited),
                    "rows/s",
                    ">=",
                    0,
                    note=f"{waited:.1f} s from upload to result",
                )
            )
            (answer, took) = timed(
                browser.post_form,
                f"{base}/acara/{seeded.event_id}/impor/{token}",
                {"token": token},
                csrf_from=f"{base}{location}",
            )
            location = answer[2].get("Location", "")
            location = "/" + location.split("/", 3)[-1] if location.startswith("http") else location
            state, waited = _wait_job(timed, base, location, 600)
            figures.append(
                absolute_figure(
                    "jobs_apply_rate",
                    f"import apply job ({rows:,} rows)",
                    round(rows / waited),
                    "rows/s",
                    ">=",
                    0,
                    note=f"{state.get('status')}; confirm request {took * 1000:.0f} ms",
                )
            )
            import_rss = peak_rss_mb(worker.pid)
            figures.append(
                absolute_figure(
                    "jobs_import_worker_rss",
                    f"job worker peak RSS through the {rows:,}-row import",
                    import_rss or 0,
                    "MB",
                    "<=",
                    300,
                )
            )

            figures.append(
                absolute_figure(
                    "jobs_longest_request",
                    "longest web request during the big jobs",
                    round(timed.longest, 2),
                    "s",
                    "<=",
                    29,
                )
            )
            figures.append(
                absolute_figure(
                    "jobs_worker_rss",
                    "job worker peak RSS (the larger of the two)",
                    max(badges_rss or 0, import_rss or 0),
                    "MB",
                    "<=",
                    300,
                )
            )
        finally:
            server.stop()
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
    return figures


if __name__ == "__main__":
    script_main(run)
