"""Committed notebooks are thin: no outputs, no function definitions, one typed parameters cell."""

from __future__ import annotations

import ast
import nbformat
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert "review.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_outputs_committed(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_function_or_class_definitions_and_no_paths(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                ast.ClassDef, ast.Lambda))]
        assert not defined, cell.source
        texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not [t for t in texts if "/" in t or t.endswith((".yaml", ".csv", ".ipynb"))], cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_typed_commented_literals(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    for line in cells[0].source.splitlines():
        node = ast.parse(line).body[0]
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant), line
        assert "#" in line, f"parameter without a comment: {line}"


def test_committed_notebooks_are_what_the_script_writes(tmp_path):
    """scripts/make_notebooks.py is the source of the notebooks; they must not drift apart."""
    before = {p.name: p.read_bytes() for p in NOTEBOOKS}
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.NOTEBOOKS = tmp_path
    module.main()
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.ipynb")} == before
