"""Ctrl-C at every step a `run` reports: the exit code and what is on disk always agree.

The command is sent SIGINT (to its process group, as a terminal's Ctrl-C) exactly when it
reports a step (``EVALTOOLS_FAULT=wait:<step>``, :mod:`tests.processes`), never after a
guessed sleep. Before the outputs are committed the command stops: exit 130, one line, the
old outputs byte for byte, no stage left, no kernel alive. From the commit on there is
nothing left to stop: exit 0 and the new outputs, complete. A Ctrl-C that lands where
Python swallows it (a callback) is raised again at the next step (:mod:`evaltools.core.interrupts`).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import uuid
import weakref
from pathlib import Path

import pytest

from .conftest import ROOT
from .processes import clean_env, ctrl_c_at, gone, hidden, quick_project, small_notebook, tree

REVIEW = "ct20-2012-2017"
INTERRUPTED = "evaltools: interrupted; nothing was left half-written"
FILES = ["data_quality.html", "indicators.csv", "indicators.xlsx", "manifest.json", "report.html", "review.ipynb"]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project with the sample data (no read copy yet), old outputs of the review, the small notebook and
    the sample programme with a quick data-quality page."""
    root = tmp_path_factory.mktemp("interrupt-world")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns(".columnar"))
    (root / "outputs" / REVIEW).mkdir(parents=True)
    (root / "outputs" / REVIEW / "report.html").write_text("OLD", encoding="utf-8")
    small_notebook(root / "small.ipynb")
    return quick_project(root)


def run_args() -> list[str]:
    return ["run", f"data/reviews/{REVIEW}.yaml", "--to", "html", "--notebook", "small.ipynb"]


@pytest.fixture(scope="module")
def run_steps(template, tmp_path_factory) -> list[tuple[str, str]]:
    """The steps of a whole run, in order, with the path each is about to change."""
    world = shutil.copytree(template, tmp_path_factory.mktemp("traced") / "w", symlinks=True)
    trace = world / "trace"
    done = subprocess.run([sys.executable, "-m", "evaltools", *run_args()], cwd=world, capture_output=True, text=True,
                          env=clean_env(EVALTOOLS_FAULT_TRACE=str(trace)), timeout=600)
    assert done.returncode == 0, done.stderr
    return [tuple(line.split("\t", 1)) for line in trace.read_text(encoding="utf-8").splitlines()]


def _in_stage(name: str):
    return lambda step, path: step.startswith("write#") and ".tmp/" in path and path.endswith("/" + name)


def _target(step: str, path: str) -> str:
    """The fault's target: a write by the end of its path (how many writes come before it depends on the read
    copy's cache), any other step by its number."""
    if step.startswith("write#"):
        return "write@" + ("/outputs/index.html" if path.endswith("/outputs/index.html") else "/" + Path(path).name)
    return step


# (what the run is doing, how to find that step in the trace, whether the outputs are committed by then)
RUN_STEPS = [
    ("reading the store", lambda s, p: s.startswith("store.snapshot#"), False),
    ("building the read copy", lambda s, p: s.startswith("columnar.build#"), False),
    ("staging", lambda s, p: s.startswith("stage#"), False),
    ("data snapshot written", _in_stage(".snapshot.pkl"), False),
    ("kernel started", lambda s, p: s.startswith("kernel.started#"), False),
    ("first cell", lambda s, p: s.startswith("cell#"), False),
    ("a cell done", lambda s, p: s == "cell.done#2", False),
    ("report exported", _in_stage("report.html"), False),
    ("manifest written", _in_stage("manifest.json"), False),
    ("journal written", _in_stage(".evaltools-journal.json"), True),
    ("journal committed", lambda s, p: s.startswith("journal.commit#"), True),
    ("files moved into place", lambda s, p: s == "journal.apply#3", True),
    ("journal retired", lambda s, p: s.startswith("journal.retire#"), True),
    ("index written", lambda s, p: s.startswith("write#") and p.endswith("/outputs/index.html"), True),
]


@pytest.mark.parametrize("doing, find, committed", RUN_STEPS, ids=[s[0] for s in RUN_STEPS])
def test_ctrl_c_of_a_run_at_each_step(doing, find, committed, template, run_steps, tmp_path):
    step, path = next((s, p) for s, p in run_steps if find(s, p))
    world = shutil.copytree(template, tmp_path / "w", symlinks=True)
    before, tag = tree(world / "outputs"), uuid.uuid4().hex
    target = _target(step, path)
    stopped = ctrl_c_at(target, run_args(), world, tmp_path, env={"EVALTOOLS_TEST_TAG": tag})
    reached, _, where = stopped.reached.partition("\t")
    assert find(reached, where) if "@" in target else reached == step
    assert "Traceback" not in stopped.stderr and "Exception ignored" not in stopped.stderr, stopped.stderr
    assert gone(tag) == []                                                   # no kernel, no helper left
    assert hidden(world / "outputs") == [] and hidden(world / "data") == []  # no stage, no journal
    assert tree(world / "data") == tree(template / "data")
    if committed:     # nothing left to stop: the run finished, and says so
        assert stopped.returncode == 0, stopped.stderr
        assert sorted(p.name for p in (world / "outputs" / REVIEW).iterdir()) == FILES
        assert (world / "outputs" / REVIEW / "report.html").read_text(encoding="utf-8") != "OLD"
        manifest = json.loads((world / "outputs" / REVIEW / "manifest.json").read_text(encoding="utf-8"))
        assert sorted(o["file"] for o in manifest["outputs"]) == sorted(set(FILES) - {"manifest.json"})
    else:
        assert stopped.returncode == 130, stopped.stderr
        *progress, last = stopped.stderr.splitlines()      # the sections finished before Ctrl-C, then one line
        assert last == INTERRUPTED
        assert all(re.match(rf"\[ *\d+\.\d s\] {REVIEW}: ", line) for line in progress), stopped.stderr
        assert tree(world / "outputs") == before


def test_a_ctrl_c_swallowed_in_a_callback_stops_at_the_next_step():
    """Python prints a KeyboardInterrupt raised in a weakref callback as "ignored" and goes on; the
    handler the command line installs recorded it, and the next step raises it."""
    from evaltools.core import interrupts

    class Thing:
        pass

    previous = signal.getsignal(signal.SIGINT)
    unraisable, hook = [], sys.unraisablehook
    sys.unraisablehook = unraisable.append
    try:
        interrupts.install()
        thing = Thing()
        weakref.finalize(thing, signal.raise_signal, signal.SIGINT)     # Ctrl-C arrives inside a finaliser
        del thing
        assert [u.exc_type for u in unraisable] == [KeyboardInterrupt]  # Python swallowed it there
        with pytest.raises(KeyboardInterrupt):
            interrupts.checkpoint()
        interrupts.checkpoint()                                          # raised once, not at every later step
    finally:
        sys.unraisablehook = hook
        interrupts.install()                        # no request left for the next test of this process
        signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_once_the_outputs_are_committed_is_recorded_not_raised():
    from evaltools.core import interrupts

    previous = signal.getsignal(signal.SIGINT)
    try:
        interrupts.install()
        interrupts.begin()
        interrupts.settle()
        signal.raise_signal(signal.SIGINT)          # nothing raised: the run finished
        interrupts.checkpoint()
        interrupts.begin()                          # the next run of the same process is stopped by a new one
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    finally:
        interrupts.install()
        signal.signal(signal.SIGINT, previous)
