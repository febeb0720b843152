"""The report notebooks hold narrative and calls only, with one typed parameters cell."""

import ast

import nbformat
import pytest

from reach.config import load_config
from tests.conftest import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_every_configured_notebook_exists():
    for name in load_config()["notebooks"]:
        assert (REPO_ROOT / "notebooks" / name).is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebook:
    def test_one_parameters_cell_typed_and_commented(self, path):
        book = nbformat.read(path, as_version=4)
        tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1
        for line in tagged[0].source.splitlines():
            node = ast.parse(line.split("#")[0]).body[0]
            assert isinstance(node, ast.AnnAssign), f"parameter not typed: {line}"
            assert "#" in line, f"parameter has no help comment: {line}"

    def test_next_cell_validates_parameters(self, path):
        book = nbformat.read(path, as_version=4)
        code = [c for c in book.cells if c.cell_type == "code"]
        index = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
        assert "RunParams.from_mapping(globals())" in code[index + 1].source

    def test_no_definitions_or_loops(self, path):
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                assert not isinstance(
                    node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While | ast.Lambda | ast.ListComp
                ), f"{type(node).__name__} in a notebook cell: move it into src/reach/"

    def test_outputs_are_stripped(self, path):
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
