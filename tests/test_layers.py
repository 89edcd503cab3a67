"""The architecture as a test: every import of the harness points down its layers, and no modules form a circle.

Imports are read from the source (ast), including those inside functions and under TYPE_CHECKING: a lazy import
is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import harness

PACKAGE = Path(harness.__file__).parent

LAYERS: tuple[tuple[str, ...], ...] = (
    ("harness.errors", "harness.exposed", "harness.lazy"),
    ("harness.cognito",),
    ("harness.emulator",),
    ("harness.mock",),
    ("harness.clients",),
    ("harness.scenario",),
    ("harness.backends",),
    ("harness.steps",),
    ("harness.engine",),
    ("harness.report",),
    ("harness.catalogue", "harness.compare"),
    ("harness.fixtures",),
    ("harness.pytest_plugin",),
    ("harness.cli",),
    ("harness",),  # the public API re-exports from everything below
)
"""From the bottom up; units on one line are peers that must not import each other."""


def _unit(module: str) -> str:
    """The layer unit a module belongs to: the longest unit name it is, or is inside of."""
    units = [unit for layer in LAYERS for unit in layer if module == unit or module.startswith(unit + ".")]
    return max(units, key=len)


def _rank(unit: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if unit in layer)


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every harness module ``module`` imports, with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names if alias.name.startswith("harness"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("harness"):
                continue
            for alias in node.names:  # `from harness.x import y` may name the module harness.x.y
                candidate = f"{base}.{alias.name}"
                known = any(name == candidate for name, _ in MODULES)
                yield (candidate if known else base), node.lineno


MODULES = list(_modules())


def test_every_import_points_down_or_sideways_within_its_unit() -> None:
    wrong = []
    for module, path in MODULES:
        here = _unit(module)
        for target, line in _imports(module, path):
            there = _unit(target)
            if there != here and _rank(there) >= _rank(here):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} {module} -> {target} ({here} -> {there})")
    assert not wrong, "imports that run up or sideways:\n" + "\n".join(wrong)


def test_no_circles_between_modules() -> None:
    graph = {module: {target for target, _ in _imports(module, path)} for module, path in MODULES}
    graph = {module: {t for t in targets if t in graph and t != module} for module, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert not circles, f"modules that import each other: {circles}"


@pytest.mark.parametrize("module", [module for module, _ in MODULES])
def test_every_module_is_in_a_layer(module: str) -> None:
    assert _unit(module)
