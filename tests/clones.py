"""A set-up clone of this repository: where the tests ``git add`` through the nbstripout filter.

Shared by tests/test_analyst_day.py and tests/test_lab.py (each imports the fixture; module scope: one
clone per test file that uses it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A clone of this repository after ``scripts/setup.sh report`` (what ``make report`` runs first),
    sharing this checkout's .venv (installed: the script finds nothing to install)."""
    folder = tmp_path_factory.mktemp("analyst") / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", folder / "scripts" / "setup.sh")   # as this checkout has it
    (folder / ".venv").symlink_to(ROOT / ".venv")
    stamp = (ROOT / ".venv" / ".installed-test").stat().st_mtime
    os.utime(folder / "pyproject.toml", (stamp - 60, stamp - 60))            # this clone's is the installed one
    done = subprocess.run(["scripts/setup.sh", "report"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "installing" not in done.stdout
    return folder
