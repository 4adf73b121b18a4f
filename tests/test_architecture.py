"""The package's shape: no import cycles (imports inside functions count), layers only import
downwards, no module over 500 lines.

Imports are read with :mod:`ast`, so every ``import`` statement counts wherever it stands,
except under ``if TYPE_CHECKING:`` (not run).  A module's dependency on a package is a
dependency on the package's ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "negotiate"
MAX_LINES = 500

#: Layers from the bottom up; a module may import only from its own layer or those below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("negotiate._version", "negotiate.errors"),
    (
        "negotiate.core",
        "negotiate._exact",
        "negotiate.results",
        "negotiate._registry",
        "negotiate.labels",
        "negotiate._safe_eval",
        "negotiate.expr",
        "negotiate._bundled",
    ),
    ("negotiate.games",),
    ("negotiate.solvers", "negotiate.interop"),
    ("negotiate.pipeline",),
    ("negotiate.theory",),
    ("negotiate.scenario",),
    ("negotiate.sweeps", "negotiate.uncertainty"),
    ("negotiate.figures",),
    ("negotiate.reports", "negotiate.papers"),
    ("negotiate.cli", "negotiate.__main__"),
    ("negotiate",),
)


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The negotiate modules ``name`` imports, anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if _type_checking_block(node):
            skip.update(id(n) for n in ast.walk(node))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import mod`` depends on the module; ``from mod import name`` on mod
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            # the longest prefix that is a module of the package
            parts = target.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            dep = ".".join(parts)
            # a module's own ancestor packages are imported first by Python itself
            if dep and dep != name and not name.startswith(dep + "."):
                found.add(dep)
    return found


def graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def layer_of(name: str) -> int:
    best, level = -1, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), i
    return level


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_layers_only_import_downwards() -> None:
    upward = [
        f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)})"
        for a, targets in graph().items()
        for b in targets
        if a != "negotiate" and layer_of(b) > layer_of(a)
    ]
    assert upward == []


def test_every_module_has_a_layer() -> None:
    assert [m for m in all_modules() if layer_of(m) < 0] == []


@pytest.mark.parametrize("name", sorted(all_modules()))
def test_module_size(name: str) -> None:
    lines = all_modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_cycle_finder_finds_a_cycle() -> None:
    """The check can fail: a planted two-module cycle is found."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_layer_check_flags_an_upward_import() -> None:
    assert layer_of("negotiate.games.tree") < layer_of("negotiate.reports.report")
