"""The package's shape (issue 18): layers that point one way, no import cycle, no module over 400
lines, no folder of more than 12 modules; and the library never imports click (STYLE.md §2).

Imports are read from the source (ast), every `import` and `from … import` at any depth except
those under `if TYPE_CHECKING:`, which never run. `from curate import reasons` is counted as an
import of `curate.reasons`, not of the package facade `curate/__init__.py`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "curate"
MAX_LINES = 400
MAX_MODULES = 12

# Lowest first: a module may import its own layer and the layers below it, never one above.
LAYERS: list[tuple[str, ...]] = [
    ("curate.version", "curate.errors", "curate.reasons", "curate.timing", "curate.sample"),
    ("curate.document",),
    ("curate.outputs", "curate.pipeline"),
    ("curate.rules", "curate.inputs"),
    ("curate.steps",),
    ("curate.config",),
    ("curate.store",),
    ("curate.engines",),
    ("curate.reports",),
    ("curate.runner",),
    ("curate.checks",),
    ("curate.train",),  # the content model's training side: above every run-time layer, below cli
    ("curate.cli",),
    ("curate.__main__",),
]
# Modules every step package may share; otherwise a step package imports only itself.
SHARED_STEP_MODULES = ("curate.steps.spill", "curate.steps.stopwords")


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(node: ast.AST) -> Iterator[str]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            continue
        if isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
            yield from (f"{child.module}.{alias.name}" for alias in child.names)
            yield child.module
        yield from _imported(child)


@cache
def imports() -> dict[str, frozenset[str]]:
    """Each module's run-time imports of other curate modules (the facade `curate` left out)."""
    known = modules()
    return {name: frozenset(m for m in _imported(ast.parse(path.read_text(encoding="utf-8")))
                            if m in known and m not in ("curate", name))
            for name, path in known.items()}


def layer(module: str) -> int:
    """`module`'s layer; the facade `curate/__init__.py` (the public names) sits above them all."""
    if module == "curate":
        return len(LAYERS)
    for number, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    raise AssertionError(f"{module} is in no layer of tests/test_layering.py: place it")


def cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in order:
            continue
        work = [(root, iter(sorted(graph[root])))]
        order[root] = low[root] = len(order)
        stack.append(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in order:
                    order[step] = low[step] = len(order)
                    stack.append(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in stack:
                    low[node] = min(low[node], order[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_is_over_400_lines() -> None:
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_folder_holds_more_than_12_modules() -> None:
    folders: dict[Path, int] = {}
    for path in modules().values():
        folders[path.parent] = folders.get(path.parent, 0) + 1
    assert {str(f.relative_to(PACKAGE.parent)): n for f, n in folders.items() if n > MAX_MODULES} == {}


def test_no_import_cycle() -> None:
    assert cycles(imports()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_imports_point_down_the_layers() -> None:
    upward = sorted(f"{module} -> {target}" for module, targets in imports().items() for target in targets
                    if layer(target) > layer(module))
    assert upward == []


@pytest.mark.parametrize(("module", "target"), [
    ("curate.pipeline", "curate.engines.timing"),  # the upward imports issue 18 names
    ("curate.reports.audit", "curate.runner"),
    ("curate.rules.lint", "curate.steps.strip"),
])
def test_the_layers_refuse_the_imports_that_pointed_up(module: str, target: str) -> None:
    assert layer(target) > layer(module)


def test_a_step_package_imports_no_other_step() -> None:
    def package(module: str) -> str:
        return ".".join(module.split(".")[:3])
    crossing = sorted(f"{module} -> {target}" for module, targets in imports().items()
                      if module.startswith("curate.steps.") for target in targets
                      if target.startswith("curate.steps.") and package(target) != package(module)
                      and package(target) not in SHARED_STEP_MODULES)
    assert crossing == []


def test_library_modules_import_without_click() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click' or name.startswith('click.'):\n"
        "            raise ImportError('click is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import curate, curate.runner, curate.steps.strip, curate.steps.repair, curate.steps.langid\n"
        "import curate.steps.dedup, curate.steps.extract, curate.store, curate.reports, curate.rules\n"
        "import curate.checks.lint, curate.checks.dryrun, curate.checks.audit, curate.store.index\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
