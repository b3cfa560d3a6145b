"""One error contract: one line naming the file and what to do, exit 1; usage errors exit 2; no traceback.

Faults a user meets on a real machine, in real processes: a read-only outputs or data
folder, a full disk, a bug (``--debug`` then shows the traceback); Ctrl-C is
tests/test_interrupts.py's. Read-only folders are made so for the test's process even when the tests run
as root: the child drops the capability that lets root write anywhere.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, make_project
from .processes import tree

REVIEW = "data/reviews/ct20-2012-2017.yaml"
_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _without_root_override() -> None:
    """In the child before exec: root loses the power to write where the permission bits say no."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(97)


def cli(args, cwd, *, read_only: bool = False, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("EVALTOOLS_FAULT")} | (env or {})
    done = subprocess.run([sys.executable, "-m", "evaltools", *map(str, args)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=600,
                          preexec_fn=_without_root_override if read_only and os.geteuid() == 0 else None, **kw)
    if done.returncode == 97:
        pytest.skip("cannot drop root's write override here")
    return done


def one_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    return done.stderr.rstrip("\n")


@pytest.fixture()
def world(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "outputs" / "ct20-2012-2017").mkdir(parents=True)
    (tmp_path / "outputs" / "ct20-2012-2017" / "report.html").write_text("OLD", encoding="utf-8")
    (tmp_path / "r.csv").write_text("Năm báo cáo;2023\nUNIT;CHILDREN\n19606;1.500\n", encoding="utf-8")
    return make_project(tmp_path)


def test_read_only_outputs_is_one_line_before_any_work(world):
    outputs = world / "outputs"
    before = tree(outputs)
    for folder in (outputs, outputs / "ct20-2012-2017"):
        folder.chmod(0o555)
    trace = world / "trace"
    try:
        done = cli(["run", REVIEW, "--to", "html"], world, read_only=True, env={"EVALTOOLS_FAULT_TRACE": str(trace)})
    finally:
        for folder in (outputs, outputs / "ct20-2012-2017"):
            folder.chmod(0o755)
    assert done.returncode == 1
    assert one_line(done).startswith("evaltools: error: outputs: permission denied; nothing was half-written; "
                                     "check the folder's permissions, or write elsewhere (--out, --data)")
    assert tree(outputs) == before
    reached = trace.read_text(encoding="utf-8") if trace.exists() else ""
    assert "stage#1" in reached and "kernel.started" not in reached     # refused at the stage, before any kernel


def test_read_only_data_refuses_an_import_in_one_line_and_still_validates(world):
    data = world / "data"
    before = tree(data)
    data.chmod(0o555)
    try:
        imported = cli(["import", "r.csv"], world, read_only=True)
        validated = cli(["validate", REVIEW], world, read_only=True)
    finally:
        data.chmod(0o755)
    assert imported.returncode == 1
    assert one_line(imported) == ("evaltools: error: data: permission denied; nothing was half-written; "
                                  "check the folder's permissions, or write elsewhere (--out, --data)")
    assert validated.returncode == 0, validated.stderr          # reading needs no write: locks are on the folder
    assert tree(data) == before


def test_a_full_disk_when_a_run_starts_is_one_line(world):
    before = tree(world / "outputs")
    done = cli(["run", REVIEW, "--to", "html"], world, env={"EVALTOOLS_FAULT": "enospc:stage"})
    assert done.returncode == 1
    assert one_line(done) == ("evaltools: error: outputs: the disk is full; nothing was half-written; free some "
                              "space and run the command again")
    assert tree(world / "outputs") == before and not list((world / "outputs").glob(".*"))


def test_a_bug_is_one_line_and_debug_shows_the_traceback(world):
    env = {"EVALTOOLS_FAULT": "raise:stage"}
    done = cli(["run", REVIEW, "--to", "html"], world, env=env)
    assert done.returncode == 1
    assert one_line(done) == ("evaltools: internal error: RuntimeError: fault injected at stage#1; nothing was "
                              "half-written; run the command again with --debug (evaltools --debug ...) and report "
                              "what it shows")
    debug = cli(["--debug", "run", REVIEW, "--to", "html"], world, env=env)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr and 'publish.py", line' in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == one_line(done)


def test_a_usage_error_exits_2(world):
    done = cli(["run", REVIEW, "--to"], world)
    assert done.returncode == 2 and done.stderr.startswith("usage: evaltools run") and "Traceback" not in done.stderr


