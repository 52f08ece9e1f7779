"""Browser tests: the app served on 127.0.0.1 (port 0) and Debian's Chromium driven by Playwright.

Browsers are never downloaded: Playwright launches ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tests.e2e.axe import Audit

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


# axe-core over every page every browser test opens (see tests/e2e/axe.py). AXE_AUDIT=report
# prints the findings without failing the tests; AXE_AUDIT=off turns the audit off.
AXE_MODE = os.environ.get("AXE_AUDIT", "fail")
_AUDIT = Audit()
# Playwright calls before which the page they act on is audited (once per page state); what a
# test types through page.keyboard is not a hook, its next locator action or the end of the test is.
_LOCATOR_ACTIONS = (
    "check",
    "clear",
    "click",
    "dblclick",
    "dispatch_event",
    "fill",
    "press",
    "press_sequentially",
    "select_option",
    "set_checked",
    "set_input_files",
    "tap",
    "type",
    "uncheck",
)
_PAGE_ACTIONS = ("click", "fill", "press", "goto", "reload", "go_back", "go_forward", "close")


def _before(method, pages_of):
    def audited(self, *args, **kwargs):
        _AUDIT.check_all(pages_of(self))
        return method(self, *args, **kwargs)

    audited.__wrapped__ = method
    return audited


@pytest.fixture(autouse=True)
def axe_audit(monkeypatch) -> Iterator[Audit]:
    """Audit each page the test opens; the test fails on critical or serious violations."""
    if AXE_MODE == "off":
        yield _AUDIT
        return
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

    for name in _LOCATOR_ACTIONS:
        monkeypatch.setattr(Locator, name, _before(getattr(Locator, name), lambda loc: [loc.page]))
    for name in _PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, _before(getattr(Page, name), lambda page: [page]))
    monkeypatch.setattr(
        BrowserContext, "close", _before(BrowserContext.close, lambda context: context.pages)
    )
    monkeypatch.setattr(
        Browser,
        "close",
        _before(Browser.close, lambda browser: [p for c in browser.contexts for p in c.pages]),
    )
    _AUDIT.take()
    yield _AUDIT
    found = _AUDIT.take()
    if found and AXE_MODE == "report":
        print("\n".join(["", *found]))
    if found and AXE_MODE == "fail":
        pytest.fail(
            "axe-core: critical/serious violations on the pages this test opened:\n"
            + "\n".join(found),
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter) -> None:
    if AXE_MODE == "off" or not (_AUDIT.runs or _AUDIT.missed):
        return
    write = terminalreporter.write_line
    write(
        f"axe-core: {_AUDIT.runs} audits over {len(_AUDIT.urls)} distinct URLs "
        f"({len(_AUDIT.templates)} path templates); {_AUDIT.skipped} skipped as already audited "
        f"in that state, {_AUDIT.missed} not audited (page left or closed meanwhile); "
        f"{_AUDIT.seconds:.1f} s spent auditing"
    )
    for (rule, impact), count in sorted(_AUDIT.rules.items()):
        write(f"axe-core: {rule} ({impact}): {count} nodes")
    if os.environ.get("AXE_AUDIT_LIST"):
        for template in sorted(_AUDIT.templates):
            write(f"axe-core page: {template}")
