"""Issue 18: the scanner on a throttled phone, against the same page unthrottled in the same run.

The app runs under gunicorn (2 sync workers, scratch SQLite); Debian's Chromium reaches it through
a small relay on 127.0.0.1 (:class:`Relay`) that counts every byte in both directions and notes
every request line, so what the page's service worker fetches is counted too (a CDP session on
the page does not see those). "Throttled" is what a mid-range phone on venue Wi-Fi gives, set over
CDP on the page: ``Emulation.setCPUThrottlingRate`` 4 and ``Network.emulateNetworkConditions``
with 150 ms latency (request sent to response headers, i.e. a round trip) and 1.6 Mbit/s
(200,000 bytes/s) down and up.

Four passes, each on its own tickets (a ticket is checked in once): the camera path (Chromium's
fake camera plays a y4m video of QR codes, as bench/scanner.py: 20 scans) and the typed/USB path
(30 scans), each unthrottled then throttled, timed once the page has settled (its offline copy
stored), as a door phone is opened before the first guest. Figures:

- camera -> green answer, median and p95, throttled as a ratio to unthrottled (target <= 3x);
- typed code (Enter) -> green answer, median and p95, likewise (target <= 3x);
- bytes the scanner page transfers (throttled) on a first load (empty cache) and on a cached
  load (a new tab, the service worker installed): both reported; the cached load FAILs when any
  application JS/CSS/wasm (anything under /static/) goes over the network again, whether the
  page or its service worker asked for it (the relay's request lines) or the page got it other
  than from its service worker or the HTTP cache (CDP ``Network.responseReceived``);
- POSTs to the check-in endpoint per scan, over every scan of the throttled passes (target
  exactly 1: a slow answer is waited for, never sent twice).

    python -m bench.scanner_phone [--quick]
"""

from __future__ import annotations

import contextlib
import math
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import (
    Figure,
    absolute_figure,
    app_context,
    bench_env,
    log,
    median,
    not_measured,
    ratio_figure,
    scratch_dir,
    script_main,
    seed_event,
    start_gunicorn,
)
from .scanner import (
    BASE_ARGS,
    CHROMIUM,
    FPS,
    GAP_FRAMES,
    INIT_JS,
    LEAD_FRAMES,
    SHOW_FRAMES,
    ensure_chromium,
    write_video,
)

CPU_RATE = 4
LATENCY_MS = 150  # CDP's latency: from the request sent to the response headers (a round trip)
THROUGHPUT = 1_600_000 // 8  # 1.6 Mbit/s in bytes per second, down and up
REQUEST_LINE = re.compile(rb"(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) HTTP/1\.[01]\r\n")


# ---------------------------------------------------------------------------- a counting relay


@dataclass
class Traffic:
    down: int = 0  # server -> browser
    up: int = 0  # browser -> server
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)

    @property
    def total(self) -> int:
        return self.down + self.up


class Relay:
    """TCP relay 127.0.0.1:<port> -> the app, counting bytes and request lines per phase."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.lock = threading.Lock()
        self.traffic = Traffic()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset(self) -> Traffic:
        """The traffic since the last reset; counting starts again from zero."""
        with self.lock:
            seen, self.traffic = self.traffic, Traffic()
        return seen

    def close(self) -> None:
        self.closed = True
        self.sock.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, upward: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    if upward:
                        self.traffic.up += len(data)
                        for m in REQUEST_LINE.finditer(data):
                            self.traffic.requests.append(
                                (m.group(1).decode(), m.group(2).decode(errors="replace"))
                            )
                    else:
                        self.traffic.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


# ---------------------------------------------------------------------------- the browser


def _name(i: int) -> str:
    return f"Peserta Bench {i:05d}, S.Kom."


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _throttle(context, page, throttled: bool):
    """A CDP session on ``page`` that records the page's responses; throttled when asked."""
    cdp = context.new_cdp_session(page)
    responses: dict[str, dict] = {}

    def on_response(params: dict) -> None:
        r = params["response"]
        responses[params["requestId"]] = {
            "url": r["url"],
            "status": r["status"],
            "type": params.get("type"),
            "cached": bool(r.get("fromDiskCache") or r.get("fromPrefetchCache")),
            "sw": bool(r.get("fromServiceWorker")),
        }

    def on_memory(params: dict) -> None:
        responses.setdefault(params["requestId"], {})["memory"] = True

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.requestServedFromCache", on_memory)
    cdp.send("Network.enable")
    if throttled:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": THROUGHPUT,
                "uploadThroughput": THROUGHPUT,
            },
        )
    return cdp, responses


def _launch(pw, video: Path | None):
    """Chromium; with ``video`` its fake camera plays it, without it there is no camera."""
    camera = []
    if video is not None:
        camera = [
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video.resolve()}",
        ]
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*BASE_ARGS, "--use-fake-ui-for-media-stream", *camera],
    )


def _context(browser, state: dict):
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": 390, "height": 844},
        permissions=["camera"],
        storage_state=state,
    )
    context.add_init_script(INIT_JS)
    return context


def _login_state(pw, base: str, seeded, video: Path) -> dict:
    """Cookies of a signed-in organizer, so that every measured context starts cold."""
    browser = _launch(pw, video)
    try:
        context = browser.new_context(locale="id-ID")
        page = context.new_page()
        page.goto(f"{base}/masuk")
        page.get_by_label("Nama pengguna").fill(seeded.username)
        page.get_by_label("Kata sandi").fill(seeded.password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{base}/beranda")
        return context.storage_state()
    finally:
        browser.close()


def _open_scanner(page, base: str, seeded, total: int, *, camera: bool) -> None:
    page.goto(f"{base}/registrasi-ulang/{seeded.event_id}")
    page.get_by_text(f"Tersimpan di perangkat: {total} peserta").wait_for()
    if camera:
        page.wait_for_function(
            "() => document.getElementById('scanner').dataset.camera === 'on'", timeout=60_000
        )


def _settle(page) -> None:
    """A door phone opens the scanner before the first guest: its offline copy is stored and
    the start-up requests are done before the first scan is timed."""
    page.wait_for_selector('#scanner[data-offline-ready="1"]', state="attached")
    page.wait_for_timeout(1000)


def loads(pw, relay: Relay, seeded, state: dict, video: Path, total: int) -> dict:
    """Throttled: the scanner page on an empty cache, then again in a new tab."""
    base = relay.url
    browser = _launch(pw, video)
    out: dict = {}
    try:
        context = _context(browser, state)
        for label in ("first", "cached"):
            page = context.new_page()
            page.set_default_timeout(60_000)
            cdp, responses = _throttle(context, page, True)
            relay.reset()
            started = time.monotonic()
            _open_scanner(page, base, seeded, total, camera=True)
            ready = time.monotonic() - started
            if label == "first":  # the service worker has its files before the next load
                page.wait_for_function(
                    "() => document.getElementById('scanner').dataset.offlineReady === '1'"
                )
            page.wait_for_timeout(1500)  # late requests (counter, attendance) land in the count
            traffic = relay.reset()
            static_over_network = sorted(
                {path for method, path in traffic.requests if path.startswith("/static/")}
            )
            page_fetched = sorted(
                r["url"].split("/static/", 1)[-1]
                for r in responses.values()
                if "/static/" in r.get("url", "")
                and not (r.get("sw") or r.get("cached") or r.get("memory"))
            )
            out[label] = {
                "bytes": traffic.total,
                "down": traffic.down,
                "up": traffic.up,
                "seconds": ready,
                "requests": traffic.requests,
                "static_over_network": static_over_network,
                "static_not_from_cache": page_fetched,
            }
            log(
                f"{label} load: {traffic.total:,} bytes ({traffic.down:,} down), "
                f"{len(traffic.requests)} requests, ready in {ready:.1f} s; "
                f"static over the network: {static_over_network}"
            )
            cdp.detach()
            page.close()
    finally:
        browser.close()
    return out


@contextlib.contextmanager
def _scanner_page(pw, relay: Relay, seeded, state: dict, video: Path | None, total: int,
                  throttled: bool):  # fmt: skip
    """The scanner open and settled in a fresh browser (with the fake camera ``video``, if any),
    throttled or not, behind the relay whose request log starts empty; closed afterwards."""
    relay.reset()
    browser = _launch(pw, video)
    try:
        context = _context(browser, state)
        page = context.new_page()
        page.set_default_timeout(60_000)
        _throttle(context, page, throttled)
        _open_scanner(page, relay.url, seeded, total, camera=False)
        _settle(page)
        yield page
    finally:
        browser.close()


def camera_pass(
    pw,
    relay: Relay,
    seeded,
    state: dict,
    video: Path,
    first: int,
    count: int,
    total: int,
    *,
    throttled: bool,
) -> tuple[list[float], list[str]]:
    """Latencies (ms) of the tickets ``first``..``first+count-1`` shown to the fake camera."""
    with _scanner_page(pw, relay, seeded, state, video, total, throttled) as page:
        budget_ms = (LEAD_FRAMES + count * (SHOW_FRAMES + GAP_FRAMES)) * 1000 / FPS + 30_000
        try:
            page.wait_for_function(
                "(n) => Object.keys(window.__bench.green).length >= n", arg=count, timeout=budget_ms
            )
        except Exception:  # noqa: BLE001 - a missed ticket is reported, not fatal
            log("camera: not every ticket got a green answer in time")
        page.wait_for_timeout(1000)
        data = page.evaluate("() => window.__bench")
    posts = _checkin_posts(relay)
    latencies = [
        data["green"][_name(first + i)] - data["appear"][str(i)]
        for i in range(count)
        if _name(first + i) in data["green"] and str(i) in data["appear"]
    ]
    return latencies, posts


def typed_pass(
    pw,
    relay: Relay,
    seeded,
    state: dict,
    first: int,
    count: int,
    total: int,
    *,
    throttled: bool,
) -> tuple[list[float], list[str]]:
    """Latencies (ms) from Enter to green of typed ticket URLs (no camera in this browser)."""
    latencies = []
    with _scanner_page(pw, relay, seeded, state, None, total, throttled) as page:
        for i in range(first, first + count):
            page.locator("#code").fill(f"{relay.url}/t/{seeded.tickets[i]}")
            page.keyboard.press("Enter")
            name = _name(i)
            page.wait_for_function("(name) => name in window.__bench.green", arg=name)
            data = page.evaluate("() => window.__bench")
            latencies.append(data["green"][name] - data["enter"][-1])
        page.wait_for_timeout(1000)
    return latencies, _checkin_posts(relay)


def _checkin_posts(relay: Relay) -> list[str]:
    """The POSTs to the check-in endpoint the server got since the last reset."""
    return [
        path
        for method, path in relay.reset().requests
        if method == "POST" and path.split("?")[0].endswith("/checkins")
    ]


# ---------------------------------------------------------------------------- figures


def _pair(key: str, what: str, fast: list[float], slow: list[float], count: int) -> list[Figure]:
    figures = []
    missed = 2 * count - len(fast) - len(slow)
    for stat, fn in (("median", median), ("p95", p95)):
        if not fast or not slow:
            figures.append(not_measured(f"{key}.{stat}", f"{what} {stat}", "no ticket answered"))
            continue
        baseline = fn(fast)
        fig = ratio_figure(
            f"scanner_phone.{key}.{stat}",
            f"throttled phone: {what} {stat} vs unthrottled ({count} scans each)",
            fn(slow),
            baseline,
            "ms",
            "<=",
            3,
            throttled=slow,
            unthrottled=fast,
        )
        if missed:
            fig.passed = False
            fig.note = f"{missed} scans never answered"
        elif not fig.passed:
            # Green waits for the server's answer: one round trip is a floor under the ratio.
            fig.note = f"the {LATENCY_MS} ms round trip alone is {LATENCY_MS / baseline:.1f}x"
        figures.append(fig)
    return figures


def run(quick: bool) -> list[Figure]:
    count = 3 if quick else 20  # camera scans per pass (2 s of video each)
    typed = 3 if quick else 30  # typed scans per pass
    total = 200
    try:
        ensure_chromium()
        from playwright.sync_api import sync_playwright
    except (RuntimeError, ImportError, subprocess.CalledProcessError) as exc:
        return [not_measured("scanner_phone", "throttled scanner", f"no browser: {exc}")]
    with scratch_dir() as tmp:
        url = f"sqlite:///{tmp / 'scanner.db'}"
        with app_context(url, tmp):
            seeded = seed_event(total)
        server = start_gunicorn("wsgi:app", bench_env(url, tmp), tmp / "app.log")
        relay = Relay(server.port)
        try:
            base = relay.url
            videos = []
            for n in range(2):  # camera passes: tickets [0, count) and [count, 2 count)
                video = tmp / f"tickets-{n}.y4m"
                first = n * count
                write_video(video, [f"{base}/t/{seeded.tickets[first + i]}" for i in range(count)])
                videos.append(video)
            blank = tmp / "blank.y4m"  # the loads: a camera that sees no ticket
            write_video(blank, [])
            with sync_playwright() as pw:
                state = _login_state(pw, base, seeded, blank)
                load = loads(pw, relay, seeded, state, blank, total)
                results = {}
                for throttled in (False, True):
                    n = int(throttled)
                    started = time.monotonic()
                    results["camera", throttled] = camera_pass(
                        pw,
                        relay,
                        seeded,
                        state,
                        videos[n],
                        n * count,
                        count,
                        total,
                        throttled=throttled,
                    )
                    results["typed", throttled] = typed_pass(
                        pw,
                        relay,
                        seeded,
                        state,
                        2 * count + n * typed,
                        typed,
                        total,
                        throttled=throttled,
                    )
                    log(f"passes throttled={throttled}: {time.monotonic() - started:.0f} s")
        finally:
            relay.close()
            server.stop()
    for (path, throttled), (lat, posts) in results.items():
        log(f"{path} throttled={throttled}: {[round(x) for x in lat]} ms, {len(posts)} POSTs")
    figures = _pair(
        "camera", "camera -> green", results["camera", False][0], results["camera", True][0], count
    )
    figures += _pair(
        "typed", "typed -> green", results["typed", False][0], results["typed", True][0], typed
    )
    first, cached = load["first"], load["cached"]
    figures.append(
        Figure(
            "scanner_phone.load.first",
            "throttled phone: scanner page first load (empty cache), bytes up+down",
            first["bytes"],
            "B",
            note=f"ready in {first['seconds']:.1f} s, {len(first['requests'])} requests",
            extra=first,
        )
    )
    again = sorted(set(cached["static_over_network"]) | set(cached["static_not_from_cache"]))
    figures.append(
        Figure(
            "scanner_phone.load.cached",
            "throttled phone: scanner page cached load, bytes (no JS/CSS/wasm again)",
            cached["bytes"],
            "B",
            target="0 static files",
            passed=not again,
            note=(
                f"ready in {cached['seconds']:.1f} s, {len(cached['requests'])} requests"
                + (f"; fetched again: {', '.join(again)}" if again else "")
            ),
            extra=cached,
        )
    )
    scans = sum(len(results[p, True][0]) for p in ("camera", "typed"))
    posts = sum(len(results[p, True][1]) for p in ("camera", "typed"))
    if scans:
        figures.append(
            absolute_figure(
                "scanner_phone.posts_per_scan",
                f"throttled phone: check-in POSTs per scan ({posts} for {scans} scans)",
                round(posts / scans, 3),
                "",
                "==",
                1,
                posts=posts,
                scans=scans,
            )
        )
    return figures


if __name__ == "__main__":
    script_main(run)
