"""Warm kernels: a batch worker keeps one kernel for its notebooks, and each notebook still starts as on a new one.

Real Papermill and nbclient on real kernels. First the kernel itself (:class:`WarmKernel` under
:func:`evaltools.render.nbexec.execute`) with small notebooks written here: what one notebook leaves in the
kernel (a variable, matplotlib's rcParams and figures, pandas' options, the working folder) is gone for the
next, which runs in the same process; a notebook that kills its kernel or runs past its timeout fails
alone, and the next one gets a new kernel. Then one real batch (one worker, four district reviews of a
synthetic province, their data-quality pages, of one cell, on the same kernel) in which the second review kills its
kernel: it alone fails, and the reviews after it render on a new kernel that they share.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from evaltools.batch import run_batch
from evaltools.core.errors import EvaltoolsError
from evaltools.render.kernel import WarmKernel
from evaltools.render.nbexec import execute

from .processes import quick_programme
from .sample import write_province

# What a notebook finds on arrival, printed as one JSON line; then it changes all of it.
LOOK = """import json, os
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
print(json.dumps({"pid": os.getpid(), "leaked": "mark" in globals(), "cwd": os.getcwd(),
                  "linewidth": matplotlib.rcParams["lines.linewidth"], "figures": len(plt.get_fignums()),
                  "max_rows": pd.get_option("display.max_rows"), "count": get_ipython().execution_count}))"""
CHANGE = """mark = review
matplotlib.rcParams["lines.linewidth"] = 7.25
plt.figure()
pd.set_option("display.max_rows", 3)
os.chdir(os.path.dirname(os.path.abspath(review)) or "/")"""


def notebook(path: Path, *cells: str) -> Path:
    """A report notebook: the parameters a run passes, a heading, then ``cells``."""
    nb = new_notebook(cells=[
        new_code_cell('review = ""\nlang = "vi"\nsnapshot = ""\nhigh_findings = 0', metadata={"tags": ["parameters"]}),
        new_markdown_cell("## I. Tình hình chung"), *map(new_code_cell, cells)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def looked(nb) -> dict:
    """The JSON line the LOOK cell printed."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("name") == "stdout" and output["text"].startswith("{"):
                return json.loads(output["text"])
    raise AssertionError("the notebook printed no look")


@pytest.fixture()
def kernel():
    warm = WarmKernel()
    yield warm
    warm.close()


def run(warm: WarmKernel, nb: Path, tmp: Path, name: str, timeout: float | None = None):
    return execute(nb, tmp / f"{name}.ipynb", {"review": str(tmp / f"{name}.yaml")}, tmp / "out" / name,
                   timeout=timeout, kernel=warm)


def test_a_notebook_on_a_warm_kernel_finds_it_as_a_new_kernel_was(kernel, tmp_path):
    import matplotlib
    import pandas as pd

    state = notebook(tmp_path / "state.ipynb", LOOK, CHANGE)
    first = looked(run(kernel, state, tmp_path, "first"))
    # a new kernel: matplotlib's and pandas' defaults, the worker's folder, the first cell numbered 1 after
    # the parameters
    assert (first["leaked"], first["figures"]) == (False, 0)
    assert first["linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"]
    assert first["max_rows"] == pd.get_option("display.max_rows")
    assert first["cwd"] == str(Path.cwd())
    second = looked(run(kernel, state, tmp_path, "second"))
    assert second["pid"] == first["pid"]                         # the same kernel process...
    assert {k: v for k, v in second.items() if k != "pid"} == {k: v for k, v in first.items() if k != "pid"}


def test_a_kernel_that_died_or_timed_out_is_replaced_and_the_next_notebook_runs(kernel, tmp_path):
    state = notebook(tmp_path / "state.ipynb", LOOK, CHANGE)
    before = looked(run(kernel, state, tmp_path, "before"))
    crash = notebook(tmp_path / "crash.ipynb", "x = 1", "import os\nos._exit(3)")
    with pytest.raises(EvaltoolsError, match=r"crash\.ipynb, a cell: the kernel died .*executed notebook kept in"):
        run(kernel, crash, tmp_path, "crash")
    assert (tmp_path / "out" / "crash" / "failed" / "crash.ipynb").is_file()
    after = looked(run(kernel, state, tmp_path, "after"))
    assert after["pid"] != before["pid"] and after["leaked"] is False and after["linewidth"] == before["linewidth"]
    slow = notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(600)")
    with pytest.raises(EvaltoolsError, match=r"slow\.ipynb, a cell: still running after 3 s"):
        run(kernel, slow, tmp_path, "slow", timeout=3)
    last = looked(run(kernel, state, tmp_path, "last"))
    assert last["pid"] not in (before["pid"], after["pid"]) and last["max_rows"] == before["max_rows"]


def test_a_cell_that_raises_keeps_the_kernel_and_its_namespace_is_still_reset(kernel, tmp_path):
    state = notebook(tmp_path / "state.ipynb", LOOK, CHANGE)
    failing = notebook(tmp_path / "failing.ipynb", LOOK, CHANGE, "1 / 0")
    first = looked(run(kernel, state, tmp_path, "first"))
    with pytest.raises(EvaltoolsError, match="ZeroDivisionError"):
        run(kernel, failing, tmp_path, "failing")
    after = looked(run(kernel, state, tmp_path, "after"))
    assert after["pid"] == first["pid"] and after["leaked"] is False and after["max_rows"] == first["max_rows"]


def test_a_batch_worker_keeps_its_kernel_and_a_crashed_review_fails_alone(tmp_path, monkeypatch):
    import matplotlib
    import pandas as pd

    monkeypatch.delenv("EVALTOOLS_COLD_KERNELS", raising=False)
    config = write_province(tmp_path / "province", districts=4, first_year=2021, last_year=2021, seed=5,
                            programme=quick_programme(tmp_path / "programmes"))
    report = notebook(tmp_path / "report.ipynb", LOOK, CHANGE,
                      "if '-902-' in os.path.basename(review):\n    os._exit(3)      # this review kills its kernel")
    out = tmp_path / "outputs"
    result = run_batch([config], areas="901,902,903,904", years="2021", formats=["html"], out=out, workers=1,
                       notebook=report)
    ids = [f"ct20-2021-{area}-2021" for area in ("901", "902", "903", "904")]
    assert [o.review_id for o in result.outcomes] == ids                  # one worker: one after another
    assert result.by_status("done") == [ids[0], ids[2], ids[3]] and result.by_status("failed") == [ids[1]]
    failed = next(o for o in result.outcomes if o.status == "failed")
    assert "report.ipynb, cell 5" in failed.message and "the kernel died" in failed.message
    executed = {i: nbformat.read(out / i / "review.ipynb", as_version=4) for i in (ids[0], ids[2], ids[3])}
    seen = {i: looked(nb) for i, nb in executed.items()}
    # each review's notebooks ran after the review before it, on the same kernel
    fresh = {"leaked": False, "figures": 0, "linewidth": matplotlib.rcParamsDefault["lines.linewidth"],
             "max_rows": pd.get_option("display.max_rows")}
    assert [{k: s[k] for k in fresh} for s in seen.values()] == [fresh] * 3
    for nb in executed.values():       # numbered from 1, as on a new kernel (parameters, injected ones, 3 cells)
        assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2, 3, 4, 5]
    assert seen[ids[2]]["pid"] == seen[ids[3]]["pid"] != seen[ids[0]]["pid"]     # replaced after the crash, then kept
    for review_id in (ids[0], ids[2], ids[3]):
        assert (out / review_id / "data_quality.html").is_file() and (out / review_id / "report.html").is_file()
    assert not (out / ids[1]).exists() or not (out / ids[1] / "report.html").exists()


def test_a_single_run_starts_one_kernel_and_its_data_quality_page_finds_it_as_new(tmp_path, monkeypatch):
    """`evaltools run` (overlapping) runs the data-quality page on the report's kernel after a reset: one kernel is
    started for the two notebooks, and a report that changes the kernel's state (the working folder, options,
    a variable) leaves the page as it is on a kernel of its own."""
    import os
    import shutil

    from evaltools.render import run as render_run
    from evaltools.render.kernel import ProjectKernelManager

    from .conftest import ROOT, make_project

    shutil.copytree(ROOT / "data", tmp_path / "data")
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    launched, launch = tmp_path / "launched", ProjectKernelManager._async_launch_kernel

    async def counted(self, kernel_cmd, **kw):        # a line per kernel started, by this process or a forked helper
        with launched.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return await launch(self, kernel_cmd, **kw)

    monkeypatch.setattr(ProjectKernelManager, "_async_launch_kernel", counted)
    report = notebook(tmp_path / "report.ipynb", LOOK, CHANGE)
    result = render_run.run_review("ct20-2012-2017", formats=("html",), out=tmp_path / "outputs", notebook=report)
    assert len(launched.read_text(encoding="utf-8").splitlines()) == 1
    assert looked(nbformat.read(result.folder / "review.ipynb", as_version=4))["leaked"] is False
    quality = (result.folder / "data_quality.html").read_text(encoding="utf-8")
    assert "Không phát hiện vấn đề nào trong số liệu." in quality and "giai đoạn 2012–2017" in quality
