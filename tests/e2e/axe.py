"""axe-core (vendored in static/vendor/axe-core) over a page the browser test has open.

``violations(page)`` injects axe.min.js and runs the WCAG 2.0/2.1 A and AA rules; it returns the
critical and serious violations as short strings (rule, impact, first targets), so that a test
can ``assert not violations(page)`` and read what failed.
"""

from __future__ import annotations

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page, *, impacts=("critical", "serious")) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Served by the app itself (static/vendor), so the page's CSP ('self') lets it run.
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                    (n.any[0] ? n.any[0].message : '')),
                count: v.nodes.length,
            }));
        }""",
        TAGS,
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}, {v['count']}): {v['nodes']}"
        for v in result
        if v["impact"] in impacts
    ]
