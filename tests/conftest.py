"""Shared fixtures: the repository, the sample review, and small hand-made catalogs."""

from __future__ import annotations

import shutil
import signal
import sys
import textwrap
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


def _render_samples(out: Path, *options: str) -> Path:
    """Every sample review rendered (HTML, PDF, Word) by the real `evaltools batch` into ``out``."""
    import subprocess

    done = subprocess.run([sys.executable, "-m", "evaltools", "batch", *SAMPLE_REVIEWS, "--to", "html,pdf,docx",
                           "--out", str(out), "--workers", "2", *options], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory) -> Path:
    """Every sample review rendered once (HTML, PDF, Word) by the real `evaltools batch`, shared by the tests
    that read a report as a person would: ``<folder>/<review id>/report.pdf``..."""
    return _render_samples(tmp_path_factory.mktemp("sample-outputs"))


@pytest.fixture(scope="session")
def sample_outputs_en(tmp_path_factory) -> Path:
    """The English copy of every sample review, rendered once like :func:`sample_outputs`."""
    return _render_samples(tmp_path_factory.mktemp("sample-outputs-en"), "--lang", "en")
