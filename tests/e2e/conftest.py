"""Browser tests: the app served on 127.0.0.1 (port 0) and Debian's Chromium driven by Playwright.

Browsers are never downloaded: Playwright launches ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture()
def live_server(app) -> Iterator[str]:
    """Serve the test app in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: 'make test' installs it (apt-get chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture()
def launch_browser(playwright_instance):
    """``launch_browser(extra_args)``: Chromium with the project's flags plus the test's own."""
    browsers = []

    def launch(extra_args: list[str] = ()):
        browser = playwright_instance.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*BASE_ARGS, *extra_args]
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


@pytest.fixture()
def page(launch_browser):
    browser = launch_browser()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture()
def browser_login(page, live_server):
    """Log the browser in through the real login form."""

    def login(user, password: str) -> None:
        page.goto(f"{live_server}/masuk")
        page.get_by_label("Nama pengguna").fill(user.username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server}/beranda")

    return login
