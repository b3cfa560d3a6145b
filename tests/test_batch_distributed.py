"""The README's multi-machine path for real: ``dask scheduler``, two ``dask worker`` processes, ``evaltools batch
--scheduler``.

Each worker is its own process tree started as the README types it, in its own working folder with its own
HOME and TMPDIR (as on another machine: only the project folder is shared). The batch renders three district
reviews of a small synthetic province to HTML; the figures are checked against plain pandas from the generated
returns (data/README.md: a district's count is the sum of its communes' returns).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from .processes import gone, quick_project
from .sample import write_province

distributed = pytest.importorskip("distributed")

BIN = Path(sys.executable).parent
DISTRICTS = ("901", "902", "903")
TAG = f"dask-{os.getpid()}"


def _start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    """A process in its own folder, HOME and TMPDIR (as on a machine of its own), tagged for the leftover check."""
    home = cwd.parent / f"{cwd.name}-home"
    tmp = cwd.parent / f"{cwd.name}-tmp"
    for folder in (cwd, home, tmp):
        folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVALTOOLS_", "DASK_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), EVALTOOLS_TEST_TAG=TAG)
    return subprocess.Popen(args, cwd=cwd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM each process group (a worker's nanny and its worker), then SIGKILL what did not end."""
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _scheduler_address(proc: subprocess.Popen, file: Path) -> str:
    """The address the scheduler wrote to its --scheduler-file (port chosen by the system: always free)."""
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the scheduler ended ({proc.returncode}) or never listened")
        try:
            return json.loads(file.read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.05)       # a condition polled: the file appears when the scheduler listens


@pytest.fixture(scope="module")
def cluster_batch(tmp_path_factory):
    """The project on a 'shared folder', a scheduler and two workers elsewhere, one batch of three districts."""
    base = tmp_path_factory.mktemp("distributed")
    project = base / "shared" / "project"
    template = write_province(project / "data", districts=3, first_year=2021, last_year=2022, seed=5)
    quick_project(project)                               # the real report; a data-quality page of one cell
    text = template.read_text(encoding="utf-8")          # the programme by name, as a project's configs have it
    template.write_text(re.sub(r"(?m)^programme: .*$", "programme: ct20", text), encoding="utf-8")
    logs = base / "logs"
    logs.mkdir()
    file = base / "scheduler" / "scheduler.json"
    procs: list[subprocess.Popen] = []
    try:
        procs.append(_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                             "--scheduler-file", str(file)], base / "scheduler", logs / "scheduler.log"))
        address = _scheduler_address(procs[0], file)
        for name in ("w1", "w2"):
            procs.append(_start([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--memory-limit", "2GB",
                                 "--name", name], base / name, logs / f"{name}.log"))
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=300)     # both registered before anything is sent
            workers = sorted(w["name"] for w in client.scheduler_info()["workers"].values())
        done = subprocess.run([str(BIN / "evaltools"), "batch", template.stem, "--areas", ",".join(DISTRICTS),
                               "--to", "html", "--scheduler", address], cwd=project, capture_output=True, text=True,
                              env={k: v for k, v in os.environ.items() if not k.startswith("EVALTOOLS_")},
                              timeout=1800)      # a hang fails the test instead of the suite
    finally:
        _stop(procs)
    return project, base, done, workers, procs, logs


def _district_sums(data: Path, element: str, year: int) -> dict[str, int]:
    """Each district's ``element`` in ``year``: the sum of its communes' returns, in plain pandas."""
    units = pd.DataFrame(yaml.safe_load((data / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"])
    parent = units.set_index(units["code"].astype(str))["parent"].astype(str)
    values = pd.read_csv(data / "values" / f"province-{year}.csv", dtype={"unit": str})
    rows = values[(values["element"] == element) & values["unit"].map(parent).isin(DISTRICTS)]
    return rows.groupby(rows["unit"].map(parent))["value"].sum().astype(int).to_dict()


def test_every_review_is_rendered_on_the_cluster_with_the_figures_of_the_returns(cluster_batch):
    project, base, done, workers, _, logs = cluster_batch
    assert workers == ["w1", "w2"]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:] + (logs / "w1.log").read_text()[-3000:]
    out = project / "outputs"
    sums = {year: _district_sums(project / "data", "GIFTS", year) for year in (2021, 2022)}
    assert all(len(found) == 3 for found in sums.values())
    for district in DISTRICTS:
        folder = out / f"ct20-2021-2022-{district}"
        assert (folder / "manifest.json").is_file()
        table = pd.read_csv(folder / "indicators.csv", dtype={"unit": str})
        row = table[(table["indicator"] == "GIFTS") & (table["unit"] == district)
                    & (table["period"].astype(str) == "2022")]
        assert row["value"].tolist() == [sums[2022][district]]
        # the report's summary table: the district's row, each year and the whole period (a sum), 1.339 style
        shown = [sums[2021][district], sums[2022][district], sums[2021][district] + sums[2022][district]]
        words = " ".join(re.sub(r"<[^>]+>", " ", (folder / "report.html").read_text(encoding="utf-8")).split())
        row = " ".join(f"{n:,}".replace(",", ".") for n in shown)
        assert f"Lượt trẻ em được thăm, tặng quà lượt {row} tổng các năm" in words


def test_the_reviews_ran_on_both_workers_and_left_nothing_in_their_folders(cluster_batch):
    project, base, done, _, procs, _ = cluster_batch
    entries = json.loads((project / "outputs" / "run_results.json").read_text(encoding="utf-8"))["results"]
    assert sorted(e["review"] for e in entries) == [f"ct20-2021-2022-{d}" for d in DISTRICTS]
    assert {e["worker"] for e in entries} == {"w1", "w2"}
    for name in ("w1", "w2"):
        assert sorted(p.name for p in (base / name).iterdir()) == []
    assert len(list((project / "data" / ".columnar").glob("g*"))) == 1    # the read copy built once, shared
    assert all(p.poll() is not None for p in procs)
    assert gone(TAG) == []          # no worker, nanny or kernel left running


def test_the_summary_gives_the_time_per_review_of_each_worker(cluster_batch):
    project, _, done, _, _, _ = cluster_batch
    entries = json.loads((project / "outputs" / "run_results.json").read_text(encoding="utf-8"))["results"]
    line = next(x for x in done.stdout.splitlines() if x.startswith("time per review: "))
    found = re.fullmatch(r"time per review: mean ([\d.]+) s over 3 rendered, (\d+) reviews per worker-hour; "
                         r"w1 (\d) \(mean ([\d.]+) s\), w2 (\d) \(mean ([\d.]+) s\)", line)
    assert found, line
    mean = sum(e["elapsed_seconds"] for e in entries) / 3          # run_results.json keeps 2 decimals
    assert abs(float(found[1]) - mean) < 0.06 and abs(int(found[2]) - 3600 / mean) < 1
    for name, count, each in (("w1", found[3], found[4]), ("w2", found[5], found[6])):
        own = [e["elapsed_seconds"] for e in entries if e["worker"] == name]
        assert int(count) == len(own) and abs(float(each) - sum(own) / len(own)) < 0.06
