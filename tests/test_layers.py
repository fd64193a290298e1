"""The import structure of reiki_scan/: no circle, and no import from a floor to a floor above it.

The floors and the rule are written down in docs/architecture.md; this test is their check (every
import statement of the package, at module level or inside a function, read with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reiki_scan"

# Lowest first: a module may import from its own floor and the floors below it, never above.
FLOORS = [
    {"models", "textnorm", "errors", "data", "ids", "outfiles", "numbering", "docheader", "__init__"},
    {"load"},
    {"structure"},
    {"config"},
    {"detect"},
    {"forms"},
    {"classify"},
    {"group"},
    {"store"},
    {"scan"},
    {"review"},
    {"draft"},
    {"pipeline"},
    {"cli", "evaluate"},
]
FLOOR = {name: n for n, names in enumerate(FLOORS) for name in names}


def _unit(path: Path) -> str:
    """The floor member a file belongs to: its package under reiki_scan/, or its module name."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _is_unit(name: str) -> bool:
    return (PACKAGE / name / "__init__.py").is_file() or (PACKAGE / f"{name}.py").is_file()


def _module(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = ["reiki_scan", *rel.parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> set[str]:
    """The reiki_scan units ``path`` imports (absolute and relative imports, anywhere in the file)."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            if target[:1] != ["reiki_scan"]:
                continue
            if len(target) == 1:
                # from reiki_scan import load, structure: each name is a unit (or a name of __init__)
                found.update(a.name if _is_unit(a.name) else "__init__" for a in node.names)
            else:
                found.add(target[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "reiki_scan" and len(parts) > 1:
                    found.add(parts[1])
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        graph.setdefault(unit, set()).update(u for u in _imports(path) if u != unit)
    return graph


def test_every_unit_has_a_floor():
    assert set(_graph()) - set(FLOOR) == set()


def test_no_import_climbs_to_a_higher_floor():
    climbs = sorted((unit, FLOOR[unit], target, FLOOR[target])
                    for unit, targets in _graph().items() for target in targets if FLOOR[target] > FLOOR[unit])
    assert climbs == []


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    found, todo = set(), list(graph.get(start, ()))
    while todo:
        n = todo.pop()
        if n not in found:
            found.add(n)
            todo.extend(graph.get(n, ()))
    return found


def test_no_import_circle_between_units():
    graph = _graph()
    assert sorted(u for u in graph if u in _reach(graph, u)) == []


@pytest.mark.parametrize("package", sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()))
def test_no_import_circle_between_the_modules_of_a_package(package):
    """Inside a package, imports (at module level or in a function) make no circle between its
    modules, the package's ``__init__`` (its face, importing from the others) included: each
    module can be read knowing only those below it."""
    root = PACKAGE / package
    names = {p.stem for p in root.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in root.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    # from . import x: the module x, or a name of the package's __init__
                    deps.update(a.name if a.name in names else "__init__" for a in node.names)
        graph[path.stem] = deps & names
    assert sorted(n for n in graph if n in _reach(graph, n)) == []
