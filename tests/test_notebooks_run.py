"""Every committed notebook runs with its default parameters, in the project's own kernel.

A regression check: each notebook in notebooks/ is executed by real Papermill with
:class:`evaltools.kernel.ProjectKernelManager`, from the notebooks/ folder as JupyterLab
would start it. One probe cell, added to a copy, prints ``sys.executable`` from inside
the kernel: it must be this venv's Python, the one running the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell

from evaltools.kernel import KERNEL_NAME, ProjectKernelManager

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PROBE = "import sys as _probe_sys; print(_probe_sys.executable)"
# What each known notebook must show with its defaults (the 2012–2017 review of Cam Lộ).
EXPECTED = {
    "review.ipynb": ["353 trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng", "3.667.005.000 đồng"],
    "data_quality.ipynb": ["BÁO CÁO CHẤT LƯỢNG SỐ LIỆU", "Không phát hiện vấn đề nào trong số liệu."],
    "explore.ipynb": ["Xã Cam Thủy", "Trẻ em đang hưởng trợ cấp xã hội hằng tháng"],
}
# PNG outputs: the report pages embed their charts in HTML; explore shows three seaborn charts.
IMAGES = {"review.ipynb": 0, "data_quality.ipynb": 0, "explore.ipynb": 3}


def _texts(nb) -> list[str]:
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                out.append(output["text"])
            for mime in ("text/plain", "text/html"):
                data = output.get("data", {}).get(mime)
                if data:
                    out.append(data if isinstance(data, str) else "".join(data))
    return out


def _images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.name)
def executed(request, tmp_path_factory):
    path: Path = request.param
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(PROBE))
    folder = tmp_path_factory.mktemp(path.stem)
    source = folder / path.name
    nbformat.write(nb, source)
    # No kernel_name: Papermill takes the notebook's own kernelspec, as JupyterLab does.
    result = papermill.execute_notebook(str(source), str(folder / "executed.ipynb"), progress_bar=False,
                                        kernel_manager_class=ProjectKernelManager, cwd=str(ROOT / "notebooks"))
    return path, result


def test_every_notebook_names_the_project_kernel():
    assert len(NOTEBOOKS) >= 3
    for path in NOTEBOOKS:
        spec = nbformat.read(path, as_version=4).metadata["kernelspec"]
        assert spec["name"] == KERNEL_NAME, path.name


def test_notebook_ran_in_this_venvs_python(executed):
    path, nb = executed
    probe = nb.cells[-1].outputs
    assert [o["text"].strip() for o in probe if o.get("name") == "stdout"] == [sys.executable], path.name
    if path.name == "explore.ipynb":            # explore.environment() tells the analyst the same
        assert any(sys.executable in t for t in _texts(nb)[:-1])


def test_notebook_shows_its_figures_with_default_parameters(executed):
    path, nb = executed
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = "\n".join(_texts(nb))
    for phrase in EXPECTED.get(path.name, []):
        assert phrase in text, (path.name, phrase)
    if path.name in IMAGES:
        assert _images(nb) == IMAGES[path.name]
