"""Committed notebooks: no outputs (nbstripout keeps them so), one typed parameters cell, code hidden at export
by tags, headings in both languages, and nothing a JupyterLab save adds can break them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from evaltools.project.headings import lone_headings

from .conftest import ROOT

NOTEBOOKS = sorted([*(ROOT / "programmes").glob("*/*.ipynb"), *(ROOT / "notebooks").glob("*.ipynb"),
                    *(ROOT / "src" / "evaltools" / "resources" / "notebooks").glob("*.ipynb")])
REPORTS = [p for p in NOTEBOOKS if "notebooks" != p.parent.name]        # exported to a report


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def nbstripout(*args: str) -> subprocess.CompletedProcess:
    """The nbstripout the git filter runs (set up by scripts/setup.sh), cell ids kept."""
    return subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", *args], capture_output=True, text=True)


def test_the_notebooks_are_found():
    names = {_name(p) for p in NOTEBOOKS}
    assert {"programmes/ct20/review.ipynb", "programmes/injury-hi/review.ipynb", "notebooks/explore.ipynb",
            "src/evaltools/resources/notebooks/data_quality.ipynb"} <= names


def committed_text(path: Path, root: Path = ROOT) -> str:
    """The notebook as git would commit it: its staged blob (``git show :path``, through the nbstripout
    filter when the file was added), else HEAD's; the file itself outside a git checkout (an sdist)."""
    rel = path.relative_to(root).as_posix()
    for ref in (f":{rel}", f"HEAD:{rel}"):
        done = subprocess.run(["git", "show", ref], cwd=root, capture_output=True, text=True, encoding="utf-8")
        if done.returncode == 0:
            return done.stdout
    return path.read_text(encoding="utf-8")


def with_outputs(path: Path, root: Path = ROOT) -> str:
    """What git would commit of ``path`` that it must not: "" when nothing; else one line saying what to do."""
    nb = nbformat.reads(committed_text(path, root), as_version=4)
    dirty = [n for n, c in enumerate(nb.cells, 1) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    if not dirty:
        return ""
    return (f"{path.relative_to(root)}: committed with outputs (cells {', '.join(map(str, dirty[:5]))}"
            f"{'…' if len(dirty) > 5 else ''}): run scripts/setup.sh (it sets git's nbstripout filter), "
            f"then `git add {path.relative_to(root)}` again")


def test_no_outputs_committed():
    problems = [line for path in NOTEBOOKS if (line := with_outputs(path))]
    assert not problems, "\n".join(problems)


def test_the_git_filter_strips_notebooks():
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "*.ipynb filter=nbstripout" in attributes


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_one_parameters_cell_of_typed_commented_literals(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    names = []
    for line in cells[0].source.splitlines():
        node = ast.parse(line).body[0]
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant), line
        assert "#" in line, f"parameter without a comment: {line}"
        names.append(node.target.id)
    if path in REPORTS:
        assert names[:3] == ["review", "lang", "snapshot"]


@pytest.mark.parametrize("path", REPORTS, ids=_name)
def test_report_code_is_hidden_by_tags_and_every_heading_has_both_languages(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            assert tags & {"remove-input", "remove-cell", "parameters"}, cell.source
    headings = [(set(c.metadata.get("tags", [])), c.source) for c in nb.cells
                if c.cell_type == "markdown" and c.source.startswith("#") and "remove-cell" not in
                c.metadata.get("tags", [])]
    vi = [s for tags, s in headings if "vi" in tags]
    assert len(vi) >= 3
    lone = lone_headings(nb)
    assert not lone, "\n".join(f"{_name(path)}, {h}" for h in lone)
    assert not [s for tags, s in headings if not tags & {"vi", "en"}]


def _lab_save(path: Path, folder: Path) -> Path:
    """The notebook as JupyterLab saves it after Run All: outputs, counts, full language_info, UI metadata."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["language_info"] = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                                    "mimetype": "text/x-python", "name": "python",
                                    "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
                                    "version": "3.11.7"}
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": f"out {n}"})]
        cell.metadata["scrolled"] = True
        cell.metadata["jupyter"] = {"outputs_hidden": False}
    saved = folder / path.name
    saved.write_text(nbformat.writes(nb), encoding="utf-8")
    return saved


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_a_jupyterlab_save_is_stripped_back_to_the_same_cells(path, tmp_path):
    saved = _lab_save(path, tmp_path)
    assert nbstripout("--verify", str(saved)).returncode != 0         # outputs to strip
    assert nbstripout(str(saved)).returncode == 0
    before, after = nbformat.read(path, as_version=4), nbformat.read(saved, as_version=4)
    assert [(c.id, c.cell_type, c.source, c.metadata.get("tags")) for c in after.cells] == \
           [(c.id, c.cell_type, c.source, c.metadata.get("tags")) for c in before.cells]
    assert all(c.outputs == [] and c.execution_count is None for c in after.cells if c.cell_type == "code")
    test_one_parameters_cell_of_typed_commented_literals(saved)
