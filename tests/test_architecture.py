"""The house rules of docs/architecture.md, checked on the source tree: imports flow one way
through the layers, no import cycles, no private names across modules, modules under 600
lines, and criterion classes named only where their meaning lives."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import geotech
from geotech import criteria

SRC = Path(geotech.__file__).parent

#: Layers, lowest first. A module may import from its own layer and the layers below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "files"),
    ("entities",),
    ("criteria",),
    ("policies",),
    ("world", "validation"),
    ("engine",),
    ("reforms", "analysis", "compute", "supply", "sweep", "classification", "frames"),
    ("io", "render", "casefile", "stream"),
    ("catalog", "interop"),
    ("plot", "strategies", "testing", "cli", "reports"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}

MAX_LINES = 600

#: Modules that may name criterion classes: the criteria themselves, the Hypothesis strategies
#: that build them, and at most one more (the compiled matcher).
CRITERION_HOMES = ("criteria", "strategies")
MAX_OTHER_MODULES_NAMING_CRITERIA = 1


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("geotech", *parts))] = path
    return found


MODULES = _modules()


def _top(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(module: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """(imported module, names taken from it, whether it is a runtime import) per import."""
    tree = ast.parse(MODULES[module].read_text())
    typing_only = _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("geotech"):
                    found.append((alias.name, (), node.lineno not in typing_only))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("geotech"):
                continue
            names = tuple(a.name for a in node.names)
            submodules = [n for n in names if f"{node.module}.{n}" in MODULES]
            runtime = node.lineno not in typing_only
            for n in submodules:
                found.append((f"{node.module}.{n}", (), runtime))
            rest = tuple(n for n in names if n not in submodules)
            if rest or not submodules:
                found.append((node.module, rest, runtime))
    return found


def test_every_module_has_a_layer() -> None:
    assert sorted({_top(m) for m in MODULES if m != "geotech" and _top(m) not in RANK}) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_down_the_layers(module: str) -> None:
    if module == "geotech":
        return  # the curated public API re-exports from every layer
    upward = [
        target
        for target, _, _ in _imports(module)
        if target != "geotech" and RANK[_top(target)] > RANK[_top(module)]
    ]
    assert upward == [], f"{module} imports from a higher layer"


def test_no_import_cycles() -> None:
    graph = {
        m: {t for t, _, runtime in _imports(m) if runtime and t in MODULES and t != "geotech"}
        for m in MODULES
    }
    # a package imports its own submodules to re-export them; that edge is not a cycle
    for m, targets in graph.items():
        graph[m] = {t for t in targets if not t.startswith(m + ".")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_private_names_across_modules() -> None:
    private = [
        f"{m}: {target}.{name}"
        for m in MODULES
        for target, names, _ in _imports(m)
        for name in names
        if name.startswith("_")
    ]
    assert private == []


def test_modules_are_short() -> None:
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_criterion_classes_are_named_in_few_places() -> None:
    names = {cls.__name__ for cls in criteria.kinds().values()}
    naming = sorted(
        m
        for m, path in MODULES.items()
        if _top(m) not in CRITERION_HOMES
        and m != "geotech"
        and any(
            isinstance(node, ast.Name | ast.Attribute)
            and (node.id if isinstance(node, ast.Name) else node.attr) in names
            for node in ast.walk(ast.parse(path.read_text()))
        )
    )
    assert len(naming) <= MAX_OTHER_MODULES_NAMING_CRITERIA, naming


def test_the_public_api_is_curated() -> None:
    exported = set(geotech.__all__)
    assert {"Restriction", "ProblemsError", "evaluate", "evaluate_many", "World"} <= exported
    assert sorted(n for n in exported if not hasattr(geotech, n)) == []
    shown = set(dir(geotech))
    assert shown == exported | set(geotech.PUBLIC_MODULES)
    assert all(f"geotech.{m}" in MODULES for m in geotech.PUBLIC_MODULES)
