"""Every hostile config, catalog, narrative, store file, command line and output case: one line, nothing changed.

The cases are listed in tests/corpus/hostile/manifest.yaml (the returns have their own
corpus, tests/test_intake_corpus.py); their setups in tests/hostile_setups.py make the
big files, pipes and devices at test time, and the fake DHIS2 servers (tests/fake_dhis2.py,
loopback addresses only), whose addresses a setup returns for the case's ``$NAMES``. Each case
runs the real command line in this process, under a deadline (a hang fails the case instead of
the suite).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from evaltools.cli import main

from . import hostile_setups
from .conftest import ROOT, make_project
from .intake_support import tree_hashes

CORPUS = ROOT / "tests" / "corpus" / "hostile"
CASES = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["cases"]
RETURN = "Năm báo cáo;2023\nUNIT;CHILDREN\n19606;1.500\n"


def _run(args: list[object], cwd: Path) -> tuple[int, str, str]:
    """The real command line in this process (a usage error included): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as usage:                  # argparse ends a usage error so
            code = usage.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def world(tmp_path):
    """A private data folder, an earlier run's outputs and a good return."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "outputs" / "ct20-2012-2017").mkdir(parents=True)
    (tmp_path / "outputs" / "ct20-2012-2017" / "report.html").write_text("<p>earlier</p>", encoding="utf-8")
    (tmp_path / "r.csv").write_text(RETURN, encoding="utf-8")
    yield make_project(tmp_path)
    hostile_setups.stop_servers()


def _fill(text: object, names: dict[str, str]) -> str:
    """``text`` with the setup's ``$NAMES`` (a server's address, a certificate) filled in."""
    text = str(text)
    for name, value in names.items():
        text = text.replace(name, value)
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_input_gets_one_line_and_changes_nothing(case, world, monkeypatch, deadline):
    names = getattr(hostile_setups, case["setup"])(world) or {}
    for setting, value in case.get("env", {}).items():
        monkeypatch.setenv(setting, _fill(value, names))
    before = {part: tree_hashes(world / part) for part in ("data", "outputs")}
    if case["args"]:
        code, out, err = _run([_fill(a, names) for a in case["args"]], world)
        text = out if case.get("stream") == "stdout" else err
        assert "Traceback" not in err and "internal error" not in err, err
        assert code == case.get("code", 1), (code, out, err)
        lines = case.get("lines", 1)
        if lines is not None:
            assert text.count("\n") == lines, text
        assert all(part in text for part in case["parts"]), (case["parts"], text)
    if "check" in case:
        getattr(hostile_setups, case["check"])(world)
    else:
        assert {part: tree_hashes(world / part) for part in ("data", "outputs")} == before
    for check in case.get("also", []):
        getattr(hostile_setups, check)(world)


def test_the_hostile_corpus_covers_every_family():
    counts = Counter(c["family"] for c in CASES)
    assert set(counts) == {"configs", "catalogs", "narratives", "store", "scaffold", "outputs", "cli", "network",
                           "output-paths", "output-links", "dhis2-keys"}
    assert len(CASES) >= 75 and min(counts.values()) >= 5
    assert len({c["id"] for c in CASES}) == len(CASES)
