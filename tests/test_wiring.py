"""How the house is wired: areas named, hooks connected, no hidden passages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sosialisasi.cli import SEEDERS, run_seed
from sosialisasi.documents.services import require_report_for_reported
from sosialisasi.events import signals

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sosialisasi"


def test_no_area_is_discovered_by_name_and_no_template_include_may_be_missing():
    hidden = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in PACKAGE.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"import_module|__import__", line)
    ]
    assert hidden == []
    optional = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "ignore missing" in path.read_text(encoding="utf-8")
    ]
    assert optional == []


def _imports(path: Path, package: str) -> set[str]:
    """Sibling modules of ``package`` a module imports, at any depth (function level too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith(f"sosialisasi.{package}.")
        ):
            found.add(node.module.split(".")[2])
    return found


def test_the_documents_modules_import_one_way():
    folder = PACKAGE / "documents"
    graph = {p.stem: _imports(p, "documents") & {q.stem for q in folder.glob("*.py")}
             for p in folder.glob("*.py")}  # fmt: skip

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(m for m in graph if reaches(m, m, {m}))
    assert circles == []


def test_the_report_guard_is_connected_by_create_app(app):
    connected = list(signals.status_changing.receivers_for(object()))
    assert require_report_for_reported in connected


def test_seed_runs_the_named_seeders_after_the_units(db):
    lines = run_seed()
    assert lines[0].startswith("units:")
    assert len(lines) == 1 + len(SEEDERS)
    assert any(line.startswith("letterhead") for line in lines)


def _module_imports() -> dict[str, set[str]]:
    """sosialisasi's modules and the sosialisasi modules each imports at module level."""
    import ast

    root = Path(__file__).resolve().parent.parent / "sosialisasi"
    paths = {}
    for path in root.rglob("*.py"):
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        paths[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + [node.module or ""])
                else:
                    base = node.module or ""
                targets = [f"{base.rstrip('.')}.{a.name}" for a in node.names]
                targets = [t if t in paths else base.rstrip(".") for t in targets]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                while target not in paths and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in paths and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def test_no_import_circle_between_modules():
    """Issue 12: no module imports, at module level, a module that imports it back (directly or
    through others); blueprints live apart from the packages that import their page modules."""
    graph = _module_imports()
    state: dict[str, int] = {}
    circles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(trail[trail.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert circles == []
