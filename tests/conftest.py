"""Shared fixtures: the repository, the sample review, and small hand-made catalogs."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REVIEW = ROOT / "data" / "reviews" / "ct20-2012-2017.yaml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def python() -> str:
    """The interpreter of the project venv (the one running the tests)."""
    return sys.executable


@pytest.fixture()
def deadline():
    """Fail a test that hangs (a pipe read, a bomb inflated) after 300 s instead of hanging the suite.

    Generous: the 50 MB return takes ~90 s on a loaded 2-core machine; a hang never ends.
    """
    def expired(signum, frame):
        raise TimeoutError("the test took more than 300 s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(300)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def write(path: Path, text: str) -> Path:
    """Write dedented UTF-8 text, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def make_project(root: Path, copy: bool = False) -> Path:
    """Make ``root`` (holding a copy of data/) an evaltools project: the project file and the sample's
    programmes (linked, or copied when the test may write into them)."""
    shutil.copy(ROOT / "evaltools.yaml", root / "evaltools.yaml")
    if copy:
        shutil.copytree(ROOT / "programmes", root / "programmes", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    else:
        (root / "programmes").symlink_to(ROOT / "programmes")
    return root


SAMPLE_REVIEWS = ("ct20-2012-2017", "ct20-2012-2022", "annual-2022", "injury-hi-2022")

# The files that take longest (renders, one command line or kernel per test), longest first: `make test` runs
# them first (pytest-xdist, --dist loadfile --no-loadscope-reorder: a file runs whole on one worker, files in
# this order), so that no long file starts last and keeps one worker busy while the other has nothing to do.
# From the per-file seconds of a full run (junit); a file not named keeps its place after these.
LONG_FILES = ("test_readme.py", "test_print_layout.py", "test_intake_corpus.py", "test_cli_conventions.py",
              "test_analyst_day.py", "test_province_review.py", "test_crash_safety.py", "test_batch.py",
              "test_interrupts.py", "test_consistency.py", "test_interrupts_batch.py", "test_warm_kernels.py",
              "test_batch_distributed.py", "test_charts.py", "test_hostile_corpus.py", "test_notebooks_run.py",
              "test_run_once.py", "test_data_quality.py", "test_yearly_workflow.py", "test_report_run.py",
              "test_batch_scope.py", "test_word_and_spreadsheet.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long files first (:data:`LONG_FILES`); each file's tests keep their order (a stable sort)."""
    rank = {name: i for i, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def shared_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``name`` filled by ``make(folder)`` once per test run, however many pytest-xdist workers ask.

    Session fixtures run once per worker: an expensive render behind this is made by the first worker
    that asks (under a file lock) and read by the others. The folder lies in the run's own base
    temporary folder, so a later run never reads an earlier run's renders.
    """
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent                          # <pytest-N>/popen-gwK: <pytest-N> is this run's, shared
    folder, done = base / f"shared-{name}", base / f"shared-{name}.done"
    with FileLock(str(base / f"shared-{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed here left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _render_samples(out: Path, *options: str) -> None:
    """Every sample review rendered (HTML, PDF, Word) by the real `evaltools batch` into ``out``."""
    import subprocess

    home = out.parent / f"{out.name}-home"
    home.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "evaltools", "batch", *SAMPLE_REVIEWS, "--to", "html,pdf,docx",
                           "--out", str(out), "--workers", "2", *options], capture_output=True, text=True, cwd=ROOT,
                          env=without_registered_kernels(home))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def without_registered_kernels(home: Path) -> dict[str, str]:
    """An environment with no registered Jupyter kernel anywhere: a run must still find the project's own."""
    return {**os.environ, "HOME": str(home), "JUPYTER_PATH": str(home / "none"), "JUPYTER_DATA_DIR": str(home / "data")}


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory) -> Path:
    """Every sample review rendered once (HTML, PDF, Word) by the real `evaltools batch`, shared by the tests
    that read a report as a person would: ``<folder>/<review id>/report.pdf``... Rendered where no Jupyter kernel
    is registered (the project's own kernel is found without one). One render for the whole run, also with
    pytest-xdist: read it, never write into it (copy it to ``tmp_path`` first)."""
    return shared_once(tmp_path_factory, "sample-outputs", _render_samples)


@pytest.fixture(scope="session")
def sample_outputs_en(tmp_path_factory) -> Path:
    """The English copy of every sample review, rendered once like :func:`sample_outputs`."""
    return shared_once(tmp_path_factory, "sample-outputs-en", lambda out: _render_samples(out, "--lang", "en"))
