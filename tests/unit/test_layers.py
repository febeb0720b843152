"""The package's shape: one subpackage per stage, imports only downward, no import circle.

The import graph is built from the source with :mod:`ast` (nothing is imported), so a circle
hidden inside a function body counts as much as one at the top of a module.
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "reach"

#: Stages from the bottom up; a module may import from its own stage or any stage below it.
LAYERS = [
    ("reach.errors",),
    ("reach.core",),
    ("reach.config",),
    ("reach.ingest",),
    ("reach.tidy",),
    ("reach.store", "reach.build"),
    ("reach.estimate",),
    ("reach.summary",),
    ("reach.report",),
    ("reach.sample",),
    ("reach.run",),
    ("reach.__main__",),
]
STAGE_PACKAGES = ["core", "ingest", "tidy", "estimate", "summary", "report", "sample", "run"]
MAX_MODULE_LINES = 800


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def import_graph(found: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the reach modules it imports anywhere in its source (``from reach.x import y``)."""
    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, path in found.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "reach":
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
                targets = [t if t in found else node.module for t in targets]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names if alias.name.split(".")[0] == "reach"]
            graph[name].update(t for t in targets if t != name)
    return graph


def layer(name: str) -> int | None:
    if name == "reach":
        return -1  # the package itself holds only __version__
    for rank, prefixes in enumerate(LAYERS):
        if any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes):
            return rank
    return None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


class TestTheCheckerItself:
    """The checks below would pass vacuously if the graph or the cycle finder were wrong."""

    def test_finds_a_two_module_circle_and_a_longer_one(self):
        graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}
        assert sorted(cycles(graph)) == [["a", "b"], ["c", "d", "e"]]

    def test_a_chain_is_no_circle(self):
        assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []

    def test_reads_imports_inside_functions(self, tmp_path, monkeypatch):
        package = tmp_path / "reach"
        (package / "core").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "core" / "__init__.py").write_text("")
        (package / "core" / "months.py").write_text("def f():\n    from reach.run import cli\n")
        monkeypatch.setattr(f"{__name__}.PACKAGE", package)
        graph = import_graph(modules())
        assert graph["reach.core.months"] == {"reach.run"}  # reach.run.cli is not in this package

    def test_knows_every_module_of_the_package(self):
        found = modules()
        assert "reach.ingest.read" in found and "reach.run.cli" in found
        assert all(layer(name) is not None for name in found), [n for n in found if layer(n) is None]


def test_the_stage_subpackages_exist():
    for package in STAGE_PACKAGES:
        assert (PACKAGE / package / "__init__.py").is_file(), package


def test_no_import_circle_anywhere():
    assert cycles(import_graph(modules())) == []


def test_no_import_goes_up_a_stage():
    graph = import_graph(modules())
    upward = [
        f"{name} (stage {layer(name)}) imports {other} (stage {layer(other)})"
        for name, others in graph.items()
        for other in sorted(others)
        if layer(other) is not None and layer(other) > layer(name)
    ]
    assert upward == []


def test_core_imports_nothing_else_from_reach():
    graph = import_graph(modules())
    outside = {
        (name, other)
        for name, others in graph.items()
        if name.startswith("reach.core")
        for other in others
        if not (other.startswith("reach.core") or other == "reach.errors")
    }
    assert outside == set()


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_is_small(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines"


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_says_what_it_holds(name):
    assert ast.get_docstring(ast.parse(modules()[name].read_text(encoding="utf-8")))
