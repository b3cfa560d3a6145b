"""Ctrl-C at every step a `batch` reports: finished reviews kept whole, the others reported interrupted.

The batch's one worker reports its steps (``EVALTOOLS_FAULT_WORKERS=1``); the test sends the
batch's process group SIGINT there, as a terminal's Ctrl-C does. Exit 130; no traceback (no
asyncio task's "Task exception was never retrieved" from a kernel shut down under it); each
review done before the stop has all its files, the others none; no stage, journal or kernel left.
"""

from __future__ import annotations

import re
import uuid

import pytest

from .conftest import ROOT
from .processes import ctrl_c_at, gone, hidden, quick_programme, small_notebook

FILES = ["data_quality.html", "indicators.csv", "indicators.xlsx", "manifest.json", "report.html", "review.ipynb"]

BATCH_DONE = "evaltools: interrupted; finished reviews were kept, unfinished ones left nothing behind"
FIRST, SECOND = "ct20-2021-901-2021", "ct20-2021-902-2021"

# (what the batch's one worker is doing, the step, the status each review ends with)
BATCH_STEPS = [
    ("first kernel starting", "kernel.started#1", {FIRST: "interrupted", SECOND: "interrupted"}),
    ("a cell of the first review", "cell#3", {FIRST: "interrupted", SECOND: "interrupted"}),
    ("first review publishing", "journal.apply#2", {FIRST: "done", SECOND: "interrupted"}),
    ("second review staging", "stage#2", {FIRST: "done", SECOND: "interrupted"}),
    ("data-quality kernel of the first review", "kernel.started#2", {FIRST: "interrupted", SECOND: "interrupted"}),
    ("second kernel starting", "kernel.started#3", {FIRST: "done", SECOND: "interrupted"}),
]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    from .sample import write_province

    folder = tmp_path_factory.mktemp("province")
    config = write_province(folder, districts=2, first_year=2021, last_year=2021, seed=5,
                            programme=quick_programme(tmp_path_factory.mktemp("programmes")))
    small_notebook(folder / "small.ipynb")
    return folder, config


@pytest.mark.parametrize("doing, step, statuses", BATCH_STEPS, ids=[s[0] for s in BATCH_STEPS])
def test_ctrl_c_of_a_batch_at_each_step(doing, step, statuses, province, tmp_path):
    folder, config = province
    out = tmp_path / "outputs"
    tag = uuid.uuid4().hex
    stopped = ctrl_c_at(step, ["batch", str(config), "--areas", "901,902", "--years", "2021", "--to", "html",
                               "--workers", "1", "--notebook", str(folder / "small.ipynb"), "--out", str(out)],
                        ROOT, tmp_path, workers=True, env={"EVALTOOLS_TEST_TAG": tag})
    assert stopped.reached.split("\t")[0] == step
    assert stopped.returncode == 130, stopped.stderr
    # no asyncio task's traceback from a kernel shut down under it, no "Kernel died"
    *progress, last = stopped.stderr.strip().splitlines()
    assert last == BATCH_DONE and all(line.startswith("[") for line in progress), stopped.stderr
    assert not re.search("Traceback|Task exception|DeadKernelError|Kernel died|ignored", stopped.stderr)
    rows = {}
    for line in stopped.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1] in ("done", "skipped", "failed", "interrupted"):
            rows[parts[0]] = parts[1]
    assert rows == statuses
    assert gone(tag) == []
    kept = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert kept == [i for i, s in statuses.items() if s == "done"]
    for review_id in kept:
        assert sorted(p.name for p in (out / review_id).iterdir()) == FILES
    assert [n for n in hidden(out) if n != ".batch"] == []          # no stage, no journal (.batch: its record)
