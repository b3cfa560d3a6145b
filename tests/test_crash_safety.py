"""Killed at each write step, `import` and `run` leave the old state or the new one, never a mix.

Each command is first run whole with ``EVALTOOLS_FAULT_TRACE``: the trace lists every
write step it reaches and the path it is about to change. Then a fresh copy is killed
(SIGKILL, from inside, exactly there: ``EVALTOOLS_FAULT=kill:<step>``) at every step,
the next command recovers, and the data (values and the import log together) or the
review's outputs must equal the state before or the state after, byte for byte.

``run`` renders are shared: the steps that fill the private stage folder are proved
private by the trace (their paths lie in the stage) and killed once, at the last of
them (the commit's rename); the steps after the commit are killed in the recovery that
replays the journal left by a run killed just after committing: the same function
(:func:`evaltools.store.journal.apply`) a run applies its journal with.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .conftest import ROOT, make_project
from .processes import clean_env, gone, hidden, survivors, tree, wait_for_mark  # noqa: F401 (survivors: older tests import it from here)

REVIEW = "ct20-2012-2017"
KILLED = -9


def cli(args: list[object], cwd: Path, fault: str | None = None, trace: Path | None = None,
        tag: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVALTOOLS_FAULT")}
    if fault:
        env["EVALTOOLS_FAULT"] = fault
    if trace:
        env["EVALTOOLS_FAULT_TRACE"] = str(trace)
    if tag:
        env["EVALTOOLS_TEST_TAG"] = tag
    return subprocess.run([sys.executable, "-m", "evaltools", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def steps(trace: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in trace.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------- import


@pytest.fixture(scope="module")
def import_world(tmp_path_factory):
    """A data folder and two returns: one replaces a stored 2022 figure, one adds 2023 figures."""
    root = tmp_path_factory.mktemp("import-world")
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root)
    stored = next(line for line in (root / "data" / "values" / "cam-lo-2022.csv").read_text().splitlines()
                  if line.startswith("CHILDREN,2022,19606,default,"))
    (root / "r2022.csv").write_text(f"Năm báo cáo;2022\nUNIT;CHILDREN\n19606;{int(stored.split(',')[4]) + 7}\n",
                                    encoding="utf-8")
    (root / "r2023.csv").write_text("Năm báo cáo;2023\nUNIT;CHILDREN;HI_CARDS\n19606;1.500;80\n", encoding="utf-8")
    old = (tree(root / "data" / "values"), (root / "data" / "imports.csv").read_bytes()
           if (root / "data" / "imports.csv").exists() else b"")
    whole = tmp_path_factory.mktemp("import-whole")
    _fresh(root, whole)
    trace = whole / "trace"
    done = cli(["import", "r2022.csv", "r2023.csv", "--replace", "--data", "data"], whole, trace=trace)
    assert done.returncode == 0, done.stderr
    new = (tree(whole / "data" / "values"), (whole / "data" / "imports.csv").read_bytes())
    return root, old, new, steps(trace)


def _fresh(world: Path, target: Path) -> Path:
    shutil.copytree(world / "data", target / "data")
    make_project(target)
    for name in ("r2022.csv", "r2023.csv"):
        shutil.copy2(world / name, target / name)
    return target


def _store_state(data: Path, old, new) -> str:
    values, log = tree(data / "values"), (data / "imports.csv").read_bytes() if (data / "imports.csv").exists() else b""
    if values == old[0]:
        assert log == old[1], "old values with a changed import log"
        return "old"
    assert values == new[0], "values that are neither the old nor the new ones"
    added = [row for row in log[len(old[1]):].decode("utf-8").splitlines() if not row.startswith("imported_at,")]
    assert log.startswith(old[1]) and len(added) == 2, "new values without their import log rows"
    assert [row.split(",")[1] for row in added] == ["r2022.csv", "r2023.csv"]
    return "new"


def test_the_import_trace_lists_every_write_step(import_world):
    _, old, new, trace = import_world
    names = [s for s, _ in trace]
    assert names[-5:] == ["journal.committed#1", "journal.apply#1", "journal.apply#2", "journal.apply#3",
                          "journal.retire#1"]
    applied = [p.split("data/", 1)[1] for s, p in trace if s.startswith("journal.apply")]
    assert applied == ["values/cam-lo-2022.csv", "values/returns-2023.csv", "imports.csv"]    # the log last
    print("\n".join(f"{s}\t{p.split('data/', 1)[-1]}" for s, p in trace))
    assert new[0] != old[0] and len(new[0]) == len(old[0]) + 1


def test_import_killed_at_each_step_leaves_old_or_new_and_the_next_command_recovers(import_world, tmp_path):
    world, old, new, trace = import_world
    found = {}
    for i, (step, _) in enumerate(trace):
        here = _fresh(world, tmp_path / f"k{i}")
        done = cli(["import", "r2022.csv", "r2023.csv", "--replace", "--data", "data"], here, fault=f"kill:{step}")
        assert done.returncode == KILLED, (step, done.stderr)
        # the next command that reads the store recovers first (a dry run here; `recover` does only that)
        nxt = (["import", "r2023.csv", "--dry-run", "--data", "data"] if step in ("stage#1", "journal.apply#2")
               else ["recover", "--data", "data", "--out", "outputs"])
        after = cli(nxt, here)
        assert after.returncode == 0 and "Traceback" not in after.stderr, (step, after.stderr)
        found[step] = _store_state(here / "data", old, new)
        assert hidden(here / "data") == [], (step, hidden(here / "data"))
    committed = [s for s, _ in trace].index("journal.committed#1")
    assert found == {s: "old" if i < committed else "new" for i, (s, _) in enumerate(trace)}
    assert len(found) >= 10


def test_a_full_disk_while_importing_is_one_line_and_changes_nothing(import_world, tmp_path):
    world, old, new, trace = import_world
    here = _fresh(world, tmp_path)
    done = cli(["import", "r2022.csv", "r2023.csv", "--replace", "--data", "data"], here, fault="enospc:write")
    assert done.returncode == 1
    assert done.stderr.endswith("the disk is full; nothing was half-written; free some space and run the command "
                                "again\n") and done.stderr.count("\n") == 1, done.stderr
    assert _store_state(here / "data", old, new) == "old" and hidden(here / "data") == []


def test_a_file_size_limit_while_importing_is_one_line_and_changes_nothing(import_world, tmp_path):
    world, old, new, trace = import_world
    here = _fresh(world, tmp_path)
    code = ("import resource, sys\nresource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))\n"
            "from evaltools.cli import main\nsys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "import", "r2022.csv", "r2023.csv", "--replace", "--data",
                           "data"], cwd=here, capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "the file would be larger than this system allows; nothing was half-written" in done.stderr
    assert _store_state(here / "data", old, new) == "old" and hidden(here / "data") == []


# ---------------------------------------------------------------------------- run

OLD_OUTPUTS = {"report.html": b"<p>OLD</p>", "manifest.json": b'{"old": true}', "report.docx": b"made by hand",
               "failed/review.ipynb": b"{}"}


@pytest.fixture(scope="module")
def run_world(tmp_path_factory):
    """Data, and outputs of the review from an earlier run (and a report.docx made by hand).

    The whole run that gives the trace and the new state also meets an import: started
    while the run reads the store (held there by a pause), the import (a 2017 figure of the
    review replaced) must wait for the read; the run must render the data it read.
    """
    world = tmp_path_factory.mktemp("run-world")
    shutil.copytree(ROOT / "data", world / "data")
    make_project(world)
    for name, content in OLD_OUTPUTS.items():
        (world / "outputs" / REVIEW / name).parent.mkdir(parents=True, exist_ok=True)
        (world / "outputs" / REVIEW / name).write_bytes(content)
    whole = _copy_world(world, tmp_path_factory.mktemp("run-whole"))
    stored = int(next(line for line in (whole / "data" / "values" / "cam-lo-2017.csv").read_text().splitlines()
                      if line.startswith("CHILDREN,2017,19606,default,")).split(",")[4])
    (whole / "r2017.csv").write_text(f"Năm báo cáo;2017\nUNIT;CHILDREN\n19606;{stored + 7}\n", encoding="utf-8")
    from evaltools.store.storetx import digest
    old_digest = digest(whole / "data")
    trace, mark = whole / "trace", whole / "mark"
    run = _popen(["run", f"data/reviews/{REVIEW}.yaml", "--to", "html", "--out", "outputs"], whole, trace, mark)
    assert wait_for_mark(run, mark).split("\t")[0] == "store.snapshot#1"     # the run holds the store, reading it, and waits
    importing = subprocess.Popen([sys.executable, "-m", "evaltools", "import", "r2017.csv", "--replace", "--data",
                                  "data"], cwd=whole, env=clean_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    waiting = importing.stderr.readline()               # said once the import found the store held
    mark.unlink()                                       # the run goes on, and lets the import in
    out, err = run.communicate(timeout=600)
    imported = subprocess.CompletedProcess(importing.args, importing.wait(timeout=600),
                                           importing.stdout.read(), waiting + importing.stderr.read())
    importing.stdout.close(), importing.stderr.close()
    assert run.returncode == 0, err
    assert out.rstrip().endswith("; kept from before, not re-rendered: report.docx; removed: failed/ "
                                 "(an earlier failed run)")
    race = {"import": imported, "stored": stored, "old_digest": old_digest}
    return world, tree(world / "outputs" / REVIEW), tree(whole / "outputs" / REVIEW), steps(trace), whole, race


def _popen(args: list[object], cwd: Path, trace: Path, mark: Path) -> subprocess.Popen:
    env = clean_env(EVALTOOLS_FAULT_TRACE=str(trace), EVALTOOLS_FAULT="wait:store.snapshot",
                    EVALTOOLS_FAULT_MARK=str(mark))
    return subprocess.Popen([sys.executable, "-m", "evaltools", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_an_import_during_a_run_waits_and_the_run_renders_the_state_it_started_with(run_world):
    *_, whole, race = run_world
    imported = race["import"]
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr == ("evaltools: waiting for another import, or a run reading the data, to finish with "
                               "data ...\n")
    manifest = json.loads((whole / "outputs" / REVIEW / "manifest.json").read_text(encoding="utf-8"))
    from evaltools.store.storetx import digest
    assert manifest["store"] == race["old_digest"] != digest(whole / "data")
    with open(whole / "outputs" / REVIEW / "indicators.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    children = [r["value"] for r in rows if (r["indicator"], r["unit"], r["period"], r["category"]) ==
                ("CHILDREN", "19606", "2017", "total")]
    assert [float(v) for v in children] == [race["stored"]]              # the figure before the import


def _copy_world(world: Path, target: Path) -> Path:
    shutil.copytree(world, target, dirs_exist_ok=True, symlinks=True)
    return target


def _outputs_state(folder: Path, old: dict, new: dict) -> str:
    now = tree(folder)
    if now == old:
        return "old"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rendered = {o["file"]: o["sha256"] for o in manifest["outputs"]}
    assert {k: v for k, v in now.items() if k != "manifest.json"} == {**rendered, "report.docx": old["report.docx"]}
    assert now.keys() == new.keys() and "store" in manifest
    return "new"


def test_the_run_trace_fills_only_its_stage_before_it_commits(run_world):
    _, _, new, trace, *_ = run_world
    trace = [(s, p) for s, p in trace if "/.columnar/" not in p]     # the store's read copy, not the store
    names = [s for s, _ in trace]
    commit = names.index("journal.commit#1")
    assert names[:2] == ["store.snapshot#1", "stage#1"]     # the store read; the stage about to be made
    assert "kernel.started#1" in names[2:commit]             # a kernel runs while the stage is filled
    # every step but the kernel's (started; then reset for the data-quality page, which runs on it) is in the stage
    assert all(".tmp" in Path(p).parent.name for s, p in trace[2:commit] if not s.startswith("kernel.started#")), \
        trace[:commit]
    assert [s for s in names[2:commit] if s.startswith("kernel.started#")] == ["kernel.started#1", "kernel.started#2"]
    retired = names.index("journal.retire#1") + 1
    assert names[commit:retired] == ["journal.commit#1", "journal.committed#1",
                                     *[f"journal.apply#{i}" for i in range(1, 8)], "journal.remove#1",
                                     "journal.retire#1"]
    # then outputs/index.html and run_results.json, each on its own (atomic writes: a kill leaves the old or the new)
    assert [(s.split("#")[0], Path(p).name) for s, p in trace[retired:]] == [
        ("write", "index.html"), ("rename", "index.html"),
        ("write", "run_results.json"), ("rename", "run_results.json")]
    assert Path(trace[commit + 8][1]).name == "manifest.json"              # the manifest goes in last
    assert set(new) == {"data_quality.html", "facts.json", "indicators.csv", "indicators.xlsx", "manifest.json",
                        "report.html", "review.ipynb", "report.docx"}


@pytest.fixture(scope="module")
def killed_runs(run_world, tmp_path_factory):
    """One run killed at each of: a kernel running, the stage full, the journal committed (kept pristine)."""
    world = run_world[0]
    out = {}
    for step in ("store.snapshot", "stage", "kernel.started", "journal.commit", "journal.committed"):
        here = _copy_world(world, tmp_path_factory.mktemp("killed"))
        tag = uuid.uuid4().hex
        done = cli(["run", f"data/reviews/{REVIEW}.yaml", "--to", "html", "--out", "outputs"], here,
                   fault=f"kill:{step}", tag=tag)
        out[step] = here, done.returncode, gone(tag)
    out["pristine"] = _copy_world(out["journal.committed"][0], tmp_path_factory.mktemp("committed")), 0, []
    return out


def test_a_killed_run_leaves_no_kernel_or_helper_alive(killed_runs):
    for step, (_, code, alive) in killed_runs.items():
        assert step == "pristine" or code == KILLED and alive == [], (step, alive)


def test_run_killed_at_each_step_leaves_old_or_new_after_recovery(run_world, killed_runs):
    _, old, new, *_ = run_world
    found = {}
    for step, (here, _, _) in killed_runs.items():
        if step == "pristine":
            continue
        folder = here / "outputs" / REVIEW
        if step == "journal.committed":
            assert tree(folder) == old                       # committed, nothing applied yet: still old on disk
        done = cli(["recover", "--data", "data", "--out", "outputs"], here)
        assert done.returncode == 0, done.stderr
        found[step] = _outputs_state(folder, old, new)
        assert hidden(here / "outputs") == []
    assert found == {"store.snapshot": "old", "stage": "old", "kernel.started": "old", "journal.commit": "old",
                     "journal.committed": "new"}


def test_recovery_killed_at_each_step_of_its_replay_still_ends_new(run_world, killed_runs, tmp_path):
    _, old, new, trace, *_ = run_world
    committed = killed_runs["pristine"][0]
    names = [s for s, _ in trace]
    replay = names[names.index("journal.apply#1"):names.index("journal.retire#1") + 1]
    for i, step in enumerate(replay):
        here = _copy_world(committed, tmp_path / f"r{i}")
        assert cli(["recover", "--out", "outputs"], here, fault=f"kill:{step}").returncode == KILLED, step
        assert cli(["recover", "--out", "outputs"], here).returncode == 0
        assert _outputs_state(here / "outputs" / REVIEW, old, new) == "new", step
        assert hidden(here / "outputs") == []


def test_a_run_does_not_publish_what_it_read_from_data_changed_by_hand(tmp_path):
    """An import waits for a run's read; a hand edit cannot be stopped, so the read is checked when it ends."""
    from evaltools.core.errors import EvaltoolsError
    from evaltools.store.storetx import digest, snapshot_of

    shutil.copytree(ROOT / "data", tmp_path / "data")
    make_project(tmp_path)
    review = tmp_path / "data" / "reviews" / f"{REVIEW}.yaml"
    with snapshot_of(review) as state:                                 # unchanged: no error
        assert state == digest(tmp_path / "data")
    with pytest.raises(EvaltoolsError, match=r"values: the data changed while they were read .* nothing was "
                                             r"published; run again"):
        with snapshot_of(review):
            (tmp_path / "data" / "values" / "cam-lo-2013.csv").unlink()    # a values file deleted mid-read
