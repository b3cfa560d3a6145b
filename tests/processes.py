"""Helpers for tests that run evaltools in a real process: what it left on disk and alive, and Ctrl-C at a step.

A signal is sent when the command reports a step (``EVALTOOLS_FAULT=wait:<step>``, see
:mod:`evaltools.core.faults`): the command writes the mark file and waits there, so the signal
lands exactly at that step however busy the machine is. No test sleeps and then acts.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


def tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``; not the store's read copy (a cache of the CSV files)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".columnar" not in p.relative_to(folder).parts}


def hidden(folder: Path) -> list[str]:
    """Hidden leftovers (stages, journals); not the store's read copy, a cache rebuilt from the CSV files."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".columnar") \
        if folder.is_dir() else []


def survivors(tag: str) -> list[int]:
    """Processes (kernels, helpers) started by a tagged command that are still alive."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"EVALTOOLS_TEST_TAG={tag}".encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            pass
    return found


def gone(tag: str, seconds: float = 30) -> list[int]:
    """The tagged processes still alive once they had ``seconds`` to end: a kernel ends when the kernel of the
    operating system tells it its parent died (``PR_SET_PDEATHSIG``), a moment after the parent."""
    deadline = time.monotonic() + seconds
    while (alive := survivors(tag)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any fault set by the caller's, plus ``extra``."""
    return {k: v for k, v in os.environ.items() if not k.startswith("EVALTOOLS_FAULT")} | extra


@dataclass
class Stopped:
    """A command sent Ctrl-C at a step: the step it reported, its exit code and output."""

    reached: str
    returncode: int
    stdout: str
    stderr: str


def wait_for_mark(proc: subprocess.Popen, mark: Path, seconds: float = 600) -> str:
    """The step the command reported in ``mark`` (it waits there), a tab and its path; fails if it ended first."""
    deadline = time.monotonic() + seconds
    while not mark.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the command ended ({proc.returncode}) before it reached the step")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the command never reached the step")
        time.sleep(0.05)            # a condition polled, not a moment guessed: the command waits at the step
    return mark.read_text(encoding="utf-8").strip()


def ctrl_c_at(step: str, args: list[str], cwd: Path, tmp: Path, *, workers: bool = False,
              env: dict[str, str] | None = None) -> Stopped:
    """Run ``evaltools <args>`` in its own process group; when it reports ``step``, send the group SIGINT (as a
    terminal's Ctrl-C does) and wait for the command to end. ``workers``: a batch's workers report steps too."""
    mark = tmp / f"mark-{os.getpid()}-{time.monotonic_ns()}"
    full = clean_env(EVALTOOLS_FAULT=f"wait:{step}", EVALTOOLS_FAULT_MARK=str(mark)) | (env or {})
    if workers:
        full["EVALTOOLS_FAULT_WORKERS"] = "1"
    out, err = mark.with_suffix(".out"), mark.with_suffix(".err")     # files: a full pipe would stall the command
    with open(out, "w") as stdout, open(err, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "evaltools", *args], cwd=cwd, env=full, stdout=stdout,
                                stderr=stderr, start_new_session=True)
        try:
            reached = wait_for_mark(proc, mark)
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=600)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return Stopped(reached, proc.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))


def small_notebook(path: Path) -> Path:
    """A report notebook of a heading and three quick cells: the steps of a run without a long render."""
    nb = new_notebook(cells=[
        new_code_cell('review = ""\nlang = "vi"\nsnapshot = ""\nhigh_findings = 0', metadata={"tags": ["parameters"]}),
        new_markdown_cell("## I. Tình hình chung"),
        new_code_cell("total = 1 + 1"), new_code_cell("print(total)"), new_code_cell("total * 2")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def quick_programme(folder: Path) -> Path:
    """The sample programme ct20 copied to ``folder/ct20``, its data-quality page a notebook of one quick cell.

    For the tests of the runner's machinery (steps, signals, kills, kernels, batches): a run goes through the
    same steps with it (a second kernel, a page exported, files staged and committed). A run of
    :func:`small_notebook` took 5-6 s with it and 10-14 s with the shared page (2 busy cores). What a
    reader sees of the shared page is tested on the sample renders (tests/conftest.py).
    """
    programme = folder / "ct20"
    shutil.copytree(ROOT / "programmes" / "ct20", programme, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    nb = new_notebook(cells=[
        new_code_cell('review = ""\nlang = "vi"\nsnapshot = ""', metadata={"tags": ["parameters"]}),
        new_markdown_cell("# Chất lượng số liệu"), new_code_cell("len(review) > 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, programme / "quality.ipynb")
    config = programme / "programme.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\n# data_quality:" in text
    config.write_text(text.replace("\n# data_quality:", "\ndata_quality: quality.ipynb  #", 1), encoding="utf-8")
    return programme


def quick_project(root: Path) -> Path:
    """Make ``root`` (holding a copy of data/) an evaltools project whose programme ct20 is
    :func:`quick_programme`'s."""
    shutil.copy(ROOT / "evaltools.yaml", root / "evaltools.yaml")
    quick_programme(root / "programmes")
    return root
