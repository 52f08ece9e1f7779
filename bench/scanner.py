"""Figure 5: the scanner's round trip in a real browser (Playwright + Debian's Chromium).

The app runs under gunicorn (2 sync workers, scratch SQLite). Chromium's fake camera plays a y4m
video (DESIGN.md section 6) that shows 20 tickets in turn, each for 1.5 s with 0.5 s of empty view
between them. Every frame carries a marker along its top edge (black/white blocks: a presence bit
and five index bits) that names the ticket in view. A script added to the page
(``add_init_script``) reads the marker of each frame the page receives
(``requestVideoFrameCallback``) and notes when each ticket first appears; a ``MutationObserver``
notes when the green answer shows that ticket's name. The figure is the median of (green answer -
ticket appears). The typed/USB path puts 20 other ticket URLs into the focused field (as a
keyboard-wedge scanner does) and measures from the Enter key to the green answer. Target: median
<= 500 ms for both.

    python -m bench.scanner [--quick]
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from .common import (
    Figure,
    absolute_figure,
    app_context,
    bench_env,
    log,
    median,
    not_measured,
    scratch_dir,
    script_main,
    seed_event,
    start_gunicorn,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags of tests/e2e/conftest.py (BASE_ARGS): never a downloaded browser.
BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT, FPS = 640, 480, 10
SHOW_FRAMES, GAP_FRAMES, LEAD_FRAMES = 15, 5, 50

INIT_JS = """
(() => {
  const B = (window.__bench = { appear: {}, green: {}, enter: [], errors: [], levels: [] });
  const canvas = document.createElement("canvas");
  canvas.width = 6;
  canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  function watchVideo(video) {
    let last = null;
    const onFrame = (now) => {
      try {
        const w = video.videoWidth, h = video.videoHeight;
        if (w && h) {
          // Six 40 px blocks along the top edge: [present, bit0 .. bit4], black = set.
          ctx.drawImage(video, 0, 0, (240 * w) / 640, (40 * h) / 480, 0, 0, 6, 1);
          const px = ctx.getImageData(0, 0, 6, 1).data;
          const set = (i) => px[i * 4] < 128;
          let idx = -1;
          if (set(0)) {
            idx = 0;
            for (let b = 0; b < 5; b++) if (set(b + 1)) idx |= 1 << b;
          }
          if (idx !== last) {
            last = idx;
            if (B.levels.length < 200) B.levels.push([Math.round(now), idx]);
            if (idx >= 0 && !(idx in B.appear)) B.appear[idx] = now;
          }
        }
      } catch (e) { B.errors.push(String(e)); }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }
  document.addEventListener("DOMContentLoaded", () => {
    const video = document.querySelector("video");
    if (video) watchVideo(video);
    const result = document.getElementById("result");
    if (result) {
      const check = () => {
        if (result.dataset.result !== "ok") return;
        const name = (document.getElementById("result-name") || {}).textContent || "";
        if (name && !(name in B.green)) B.green[name] = performance.now();
      };
      new MutationObserver(check).observe(result, {
        attributes: true, subtree: true, childList: true, characterData: true,
      });
    }
    document.addEventListener("keydown", (e) => {
      if (e.key === "Enter") B.enter.push(performance.now());
    }, true);
  });
})();
"""


def ensure_chromium() -> str:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.geteuid() != 0:
        raise RuntimeError(f"no Chromium at {CHROMIUM}: run 'sudo apt-get install chromium'")
    log("installing chromium (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    return CHROMIUM


def _frame(text: str | None, index: int | None) -> bytes:
    """640x480 grey view, the QR of ``text`` in the middle, the marker of ``index`` on top."""
    import qrcode
    from PIL import Image

    canvas = Image.new("RGB", (WIDTH, HEIGHT), (235, 235, 235))
    if index is not None:  # [present, bit0 .. bit4] as black (set) or white 40 px blocks
        bits = [True] + [bool(index >> b & 1) for b in range(5)]
        for n, bit in enumerate(bits):
            shade = (0, 0, 0) if bit else (255, 255, 255)
            canvas.paste(shade, (40 * n, 0, 40 * n + 40, 40))
    else:
        canvas.paste((255, 255, 255), (0, 0, 240, 40))
    if text is not None:
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        qr.add_data(text)
        qr.make(fit=True)
        side = 360
        image = qr.make_image(fill_color="black", back_color="white").convert("RGB")
        image = image.resize((side, side), Image.NEAREST)
        canvas.paste(image, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    return b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()


def write_video(path: Path, urls: list[str]) -> None:
    """Lead-in, then each URL for SHOW_FRAMES with GAP_FRAMES of empty view, then a tail."""
    blank = _frame(None, None)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        out.write(blank * LEAD_FRAMES)
        for n, url in enumerate(urls):
            out.write(_frame(url, n) * SHOW_FRAMES)
            out.write(blank * GAP_FRAMES)
        out.write(blank * (LEAD_FRAMES * 2))


def _login(page, base: str, seeded, n_registrations: int) -> None:
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill(seeded.username)
    page.get_by_label("Kata sandi").fill(seeded.password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/beranda")
    page.goto(f"{base}/registrasi-ulang/{seeded.event_id}")
    page.get_by_text(f"Tersimpan di perangkat: {n_registrations} peserta").wait_for()


def _name(i: int) -> str:
    return f"Peserta Bench {i:05d}, S.Kom."


def camera_path(pw, base: str, seeded, video: Path, count: int, total: int) -> dict:
    browser = pw.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *BASE_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video.resolve()}",
        ],
    )
    try:
        context = browser.new_context(
            locale="id-ID", viewport={"width": 390, "height": 844}, permissions=["camera"]
        )
        context.add_init_script(INIT_JS)
        page = context.new_page()
        page.set_default_timeout(30_000)
        _login(page, base, seeded, total)
        budget_ms = (LEAD_FRAMES + count * (SHOW_FRAMES + GAP_FRAMES)) * 1000 / FPS + 15_000
        try:
            page.wait_for_function(
                "(n) => Object.keys(window.__bench.green).length >= n",
                arg=count,
                timeout=budget_ms,
            )
        except Exception:  # noqa: BLE001 - a missed ticket is reported, not fatal
            log("camera: not every ticket got a green answer in time")
        return page.evaluate("() => window.__bench")
    finally:
        browser.close()


def typed_path(pw, base: str, seeded, first: int, count: int, total: int) -> list[float]:
    browser = pw.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*BASE_ARGS, "--use-fake-ui-for-media-stream"]
    )
    try:
        context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
        context.add_init_script(INIT_JS)
        page = context.new_page()
        page.set_default_timeout(30_000)
        _login(page, base, seeded, total)
        latencies = []
        for i in range(first, first + count):
            url = f"{base}/t/{seeded.tickets[i]}"
            page.locator("#code").fill(url)  # a wedge types the whole code in a few ms
            page.keyboard.press("Enter")
            name = _name(i)
            page.wait_for_function("(name) => name in window.__bench.green", arg=name)
            data = page.evaluate("() => window.__bench")
            latencies.append(data["green"][name] - data["enter"][-1])
        return latencies
    finally:
        browser.close()


def run(quick: bool) -> list[Figure]:
    count = 3 if quick else 20
    total = 200
    try:
        ensure_chromium()
        from playwright.sync_api import sync_playwright
    except (RuntimeError, ImportError, subprocess.CalledProcessError) as exc:
        return [not_measured("scanner", "scanner round trip", f"no browser: {exc}")]
    with scratch_dir() as tmp:
        url = f"sqlite:///{tmp / 'scanner.db'}"
        with app_context(url, tmp) as app:
            if not any(r.endpoint == "checkin.scanner" for r in app.url_map.iter_rules()):
                return [not_measured("scanner", "scanner round trip", "no scanner page yet")]
            seeded = seed_event(total)
        server = start_gunicorn("wsgi:app", bench_env(url, tmp), tmp / "app.log")
        try:
            base = server.url
            video = tmp / "tickets.y4m"
            write_video(video, [f"{base}/t/{seeded.tickets[i]}" for i in range(count)])
            with sync_playwright() as pw:
                started = time.monotonic()
                data = camera_path(pw, base, seeded, video, count, total)
                log(f"camera path: {time.monotonic() - started:.0f} s, errors {data['errors'][:3]}")
                camera = [
                    data["green"][_name(i)] - data["appear"][str(i)]
                    for i in range(count)
                    if _name(i) in data["green"] and str(i) in data["appear"]
                ]
                typed = typed_path(pw, base, seeded, count, count, total)
        finally:
            server.stop()
    log(f"camera latencies ms: {[round(x) for x in camera]}")
    log(f"typed latencies ms: {[round(x) for x in typed]}")
    figures = []
    if camera:
        missed = count - len(camera)
        figures.append(
            absolute_figure(
                "scanner.camera.median",
                f"scanner: ticket in camera view -> green answer, median of {count}",
                median(camera),
                "ms",
                "<=",
                500,
                note=f"{missed} tickets never answered" if missed else "",
                latencies=camera,
            )
        )
        if missed:
            figures[-1].passed = False
    else:
        figures.append(
            not_measured("scanner.camera", "scanner camera path", "no ticket was answered")
        )
    figures.append(
        absolute_figure(
            "scanner.typed.median",
            f"scanner: typed/USB code (Enter) -> green answer, median of {count}",
            median(typed),
            "ms",
            "<=",
            500,
            latencies=typed,
        )
    )
    return figures


if __name__ == "__main__":
    script_main(run)
