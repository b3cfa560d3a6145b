"""Outputs never land in the data folder, nor through a link that leaves the outputs folder
(evaltools.project.outpaths). The hostile corpus (tests/corpus/hostile, families output-paths and
output-links) runs each writing command; these are the cases it cannot run in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from evaltools.core.errors import EvaltoolsError
from evaltools.project.outpaths import review_folder

from .conftest import ROOT, make_project
from .test_intake_support import tree_hashes


def test_stdout_redirected_into_the_data_folder_is_refused_and_nothing_is_written(tmp_path):
    """The shell makes the file before evaltools starts; evaltools writes nothing into it and says so."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    make_project(tmp_path)
    before = tree_hashes(tmp_path / "data")
    with open(tmp_path / "data" / "values" / "report.txt", "wb") as redirected:
        done = subprocess.run([sys.executable, "-m", "evaltools", "validate", "ct20-2012-2017"], cwd=tmp_path,
                              stdout=redirected, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr == ("evaltools: error: data/values/report.txt: the file the output is redirected to is inside "
                           "the data folder data; outputs never go into the store, which holds only what imports "
                           "write; nothing was written: choose a path outside it, such as outputs/\n")
    assert (tmp_path / "data" / "values" / "report.txt").read_bytes() == b""
    os.unlink(tmp_path / "data" / "values" / "report.txt")
    assert tree_hashes(tmp_path / "data") == before


def test_a_link_inside_the_review_folder_may_not_leave_it(tmp_path):
    """failed/ (where a failing run keeps its notebook) as a link outside the review's folder is refused."""
    out = tmp_path / "outputs"
    (out / "r").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (out / "r" / "failed").symlink_to(tmp_path / "elsewhere")
    (out / "inside").mkdir()
    (out / "linked").symlink_to(out / "inside")
    assert review_folder(out, "linked") == out / "linked"           # a link that stays inside is fine
    assert review_folder(out, "r") == out / "r"
    with pytest.raises(EvaltoolsError, match="failed: a symbolic link to .*elsewhere, outside the outputs folder"):
        review_folder(out / "r", "failed")
