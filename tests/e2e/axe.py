"""axe-core (vendored in static/vendor/axe-core) over the pages the browser tests open.

``violations(page)`` runs the WCAG 2.0/2.1 A and AA rules over the page as it is now and returns
the critical and serious violations as short strings (rule, impact, first targets), so that a test
can ``assert not violations(page)`` and read what failed.

``Audit`` does the same for *every* page every browser test opens, without the test asking: the
e2e conftest hooks Playwright so that a page is audited the first time the test acts on it (click,
fill, press ...), before it leaves it (goto, reload, close) and when the test ends. One audit per
(path template, rendered state) for the whole session: the same page in the same state (same set
of visible element kinds, so more rows of one table are the same state, an alert or an open
overlay is another) is not audited twice.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious")
AXE_JS = Path(__file__).resolve().parents[2] / "static/vendor/axe-core/axe.min.js"

# Runs axe once the document has loaded; one run at a time per document (axe refuses overlaps).
_RUN_AXE = """async (tags) => {
    if (document.readyState !== 'complete') {
        await Promise.race([
            new Promise((r) => window.addEventListener('load', r, {once: true})),
            new Promise((r) => setTimeout(r, 5000)),
        ]);
    }
    const previous = window.__axeQueue || Promise.resolve();
    const run = previous.catch(() => null).then(() =>
        axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}));
    window.__axeQueue = run;
    const r = await run;
    return r.violations.map(v => ({
        id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
            (n.any[0] ? n.any[0].message : (n.all[0] ? n.all[0].message : ''))),
        count: v.nodes.length,
    }));
}"""

# What the page shows, as a short hash: its title and the set of kinds (tag, classes, role, type,
# scan result) of the elements that are rendered, independent of how many rows a table has.
_STATE = """() => {
    if (document.readyState === 'loading') return null;
    const kinds = new Set();
    for (const el of document.querySelectorAll('body *')) {
        if (!el.getClientRects().length) continue;
        const cls = typeof el.className === 'string'
            ? el.className.trim().split(/\\s+/).sort() : [];
        kinds.add([el.tagName, cls.join('.'), el.getAttribute('role') || '',
                   el.getAttribute('type') || '', el.getAttribute('data-result') || ''].join('|'));
    }
    const text = [...kinds].sort().join('\\n');
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    return document.title + '#' + h.toString(16);
}"""

_ID_LIKE = re.compile(r"^(?=.*\d)[\w-]{1,}$")


_AXE_SOURCE: list[str] = []


def _ensure_axe(page) -> None:
    """Put axe into the page. Evaluated through the DevTools protocol (which the page's CSP does
    not govern), so it also works offline and after the test server has stopped."""
    if page.evaluate("() => typeof window.axe !== 'undefined'"):
        return
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE_JS.read_text(encoding="utf-8"))
    page.evaluate("() => {\n" + _AXE_SOURCE[0] + "\n}")


def _run(page) -> list[dict]:
    _ensure_axe(page)
    return page.evaluate(_RUN_AXE, TAGS)


def _format(url: str, found: list[dict], impacts=IMPACTS) -> list[str]:
    return [
        f"{url}: {v['id']} ({v['impact']}, {v['count']}): {v['nodes']}"
        for v in found
        if v["impact"] in impacts
    ]


def violations(page, *, impacts=IMPACTS) -> list[str]:
    return _format(page.url, _run(page), impacts)


def path_template(url: str) -> str:
    """``/acara/12/peserta?q=x`` -> ``/acara/#/peserta?q``: ids and codes folded, query keys
    kept."""
    parts = urlsplit(url)
    segments = ["#" if _ID_LIKE.match(s) else s for s in parts.path.split("/")]
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Audit:
    """Session-wide record of what axe checked; ``take(test)`` hands a test its own findings."""

    seen: set[tuple[str, str]] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)
    runs: int = 0
    skipped: int = 0
    missed: int = 0
    rules: Counter = field(default_factory=Counter)
    pending: list[str] = field(default_factory=list)
    seconds: float = 0.0
    _busy: bool = False

    def check(self, page) -> None:
        """Audit ``page`` now unless this page in this state was already audited."""
        if self._busy:
            return
        started = time.perf_counter()
        try:
            if page.is_closed():
                return
            url = page.url
            if not url.startswith("http"):
                return
            self._busy = True
            state = page.evaluate(_STATE)
            if state is None:
                return
            key = (path_template(url), state)
            if key in self.seen:
                self.skipped += 1
                return
            found = _run(page)
        except Exception as exc:  # the page navigated or closed meanwhile: audited at its next stop
            self.missed += 1
            if os.environ.get("AXE_AUDIT_DEBUG"):
                print(f"axe-core: not audited {page.url}: {str(exc).splitlines()[0]}")
            return
        finally:
            self._busy = False
            self.seconds += time.perf_counter() - started
        self.seen.add(key)
        self.urls.add(url.split("#")[0])
        self.templates.add(key[0])
        self.runs += 1
        serious = [v for v in found if v["impact"] in IMPACTS]
        for v in serious:
            self.rules[(v["id"], v["impact"])] += v["count"]
        self.pending.extend(_format(url, serious))

    def check_all(self, pages) -> None:
        for page in list(pages):
            self.check(page)

    def take(self) -> list[str]:
        found, self.pending = self.pending, []
        return found
