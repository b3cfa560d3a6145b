"""The command line as papermill, nbconvert, Quarto and dbt users expect it, in real subprocesses.

Reviews by id or path everywhere; ``-p KEY VALUE`` into the report notebook; progress per
section (plain lines in a log, an updating bar on a terminal); ``--quiet``; ``--log-level``;
``--execution-timeout``; exit codes 0 / 1 / 2; ``--json`` and ``run_results.json``; "did you mean".
Two renders of the sample review serve the tests: one in a log at DEBUG, one on a terminal that a timeout stops.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from .conftest import ROOT, make_project

SECTIONS = ["start", "I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN", "III. NHIỆM VỤ TRỌNG TÂM VÀ GIẢI PHÁP",
            "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Phụ lục I", "Phụ lục II"]
PROGRESS = re.compile(r"^\[ *\d+\.\d s\] ")
OVERRIDES = ["-p", "note", "Ghi chú: 2017", "--parameter", "threshold", "7", "-p", "pause", "0"]


def code_cells(project) -> int:
    """The cells a run of own.ipynb executes (the programme's code cells and the one added here)."""
    return sum(c.cell_type == "code" for c in nbformat.read(project / "own.ipynb", as_version=4).cells)


def cli(*args, cwd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaltools", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project with the sample data and the ct20 notebook given three parameters of its own: a note and a
    threshold it prints in section I, and a pause (seconds) it sleeps there."""
    root = tmp_path_factory.mktemp("conventions")
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root)
    nb = nbformat.read(ROOT / "programmes" / "ct20" / "review.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += '\nnote: str = ""  # a note\nthreshold: int = 5  # a threshold\npause: float = 0.0  # seconds'
    heading = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## I. TÌNH HÌNH CHUNG"))
    nb.cells.insert(heading + 2, new_code_cell("import time\ntime.sleep(pause)\nprint(repr(note), threshold)",
                                               id="own-pause", metadata={"tags": ["remove-input"]}))
    nbformat.write(nb, root / "own.ipynb")
    return root


@pytest.fixture(scope="module")
def logged(project):
    """`run` by id, with -p values, --json and --log-level DEBUG, stderr a pipe (as in a log)."""
    done = cli("run", "ct20-2012-2017", "--to", "html", "--notebook", "own.ipynb", *OVERRIDES, "--json",
               "--log-level", "debug", cwd=project)
    assert done.returncode == 0, done.stderr
    return done


def test_a_run_in_a_log_prints_one_plain_line_per_section_and_per_cell_at_debug(logged, project):
    lines, cells = logged.stderr.splitlines(), code_cells(project)
    assert "\r" not in logged.stderr and all(PROGRESS.match(line) for line in lines), logged.stderr
    sections = [re.sub(r" \(\d+ cells?, \d+\.\d s\)$", "", line.split("] ", 2)[2]) for line in lines
                if re.search(r"\] ct20-2012-2017: \[\d/7\] ", line)]
    assert sections == SECTIONS
    assert re.search(r"\[2/7\] I\. TÌNH HÌNH CHUNG \(3 cells, \d+\.\d s\)$", logged.stderr, re.M)
    assert "ct20-2012-2017: data read (0 high-, 0 medium-importance findings); executing own.ipynb: 7 sections, " \
           f"{cells} cells" in lines[0] and cells > 30
    assert sum("ct20-2012-2017: cell " in line and " done (" in line for line in lines) == cells
    assert re.search(r"\] ct20-2012-2017: report\.html written \(\d+\.\d s\)$", lines[-1])


def test_json_and_run_results_say_what_the_run_did(logged, project):
    doc = json.loads(logged.stdout)
    assert json.loads((project / "outputs" / "run_results.json").read_text(encoding="utf-8")) == doc
    assert doc["metadata"]["command"] == "run" and doc["metadata"]["schema"] == "evaltools/run-results/v1"
    (entry,) = doc["results"]
    assert entry["review"] == "ct20-2012-2017" and entry["status"] == "done" and entry["message"] is None
    assert entry["parameters"] == {"note": "Ghi chú: 2017", "threshold": 7, "pause": 0.0}
    assert entry["findings"] == {"high": 0, "medium": 0, "low": 0}
    assert entry["outputs"] == [f"outputs/ct20-2012-2017/{f}" for f in (
        "data_quality.html", "facts.json", "indicators.csv", "indicators.xlsx", "report.html", "review.ipynb",
        "manifest.json")]
    manifest = project / "outputs" / "ct20-2012-2017" / "manifest.json"
    assert entry["data"]["manifest"] == "outputs/ct20-2012-2017/manifest.json"
    assert entry["data"]["manifest_sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    record = json.loads(manifest.read_text(encoding="utf-8"))
    assert entry["data"]["store"] == record["store"] and entry["started"] == record["started"]
    assert 0 < entry["elapsed_seconds"] <= doc["elapsed_seconds"]


def test_the_overrides_reach_the_notebook_and_the_manifest(logged, project):
    folder = project / "outputs" / "ct20-2012-2017"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["parameters"]["overrides"] == {
        "note": "Ghi chú: 2017", "threshold": 7, "pause": 0.0}
    executed = nbformat.read(folder / "review.ipynb", as_version=4)
    (cell,) = [c for c in executed.cells if c.get("id") == "own-pause"]
    assert cell.outputs[0]["text"] == "'Ghi chú: 2017' 7\n"


def test_batch_skips_the_same_overrides_and_says_so_in_json(logged, project):
    done = cli("batch", "data/reviews/ct20-2012-2017.yaml", "--to", "html", "--notebook", "own.ipynb", *OVERRIDES,
               "--json", "--quiet", cwd=project)
    assert (done.returncode, done.stderr) == (0, "")
    (entry,) = json.loads(done.stdout)["results"]
    assert entry["status"] == "skipped" and entry["parameters"]["threshold"] == 7
    assert entry["outputs"][-1] == "outputs/ct20-2012-2017/manifest.json"
    assert json.loads((project / "outputs" / "run_results.json").read_text(encoding="utf-8"))["metadata"][
        "command"] == "batch"


def test_on_a_terminal_a_bar_is_drawn_and_a_timeout_names_the_cell_on_a_line_of_its_own(project):
    # 20 s: the other cells finish well within it, even on a busy machine
    command = shlex.join([sys.executable, "-m", "evaltools", "run", "ct20-2012-2017", "--to", "html", "--notebook",
                          "own.ipynb", "-p", "pause", "90", "--execution-timeout", "20"])
    done = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=project, capture_output=True, timeout=600,
                          env=os.environ | {"COLUMNS": "100", "LINES": "40"})
    screen = done.stdout.decode("utf-8").replace("\r\n", "\n")
    assert done.returncode == 1, screen
    cells = code_cells(project)
    filled = round(24 * 2 / cells)
    assert re.search(rf"\r\x1b\[K\[#{{{filled}}}\.{{{24 - filled}}}\]  2/{cells}  ct20-2012-2017: I\. TÌNH HÌNH CHUNG",
                     screen), screen
    assert re.search(r"\] ct20-2012-2017: \[1/7\] start \(2 cells, \d+\.\d s\)\n", screen)
    assert screen.endswith("\r\x1b[Kevaltools: error: own.ipynb, cell 6 (section I. TÌNH HÌNH CHUNG): still running "
                           "after 20 s (--execution-timeout 20); stopped; executed notebook kept in "
                           "outputs/ct20-2012-2017/failed/own.ipynb\n")
    kept = nbformat.read(project / "outputs" / "ct20-2012-2017" / "failed" / "own.ipynb", as_version=4)
    at = next(i for i, c in enumerate(kept.cells) if c.get("id") == "own-pause")
    ran, stopped, later = kept.cells[:at], kept.cells[at], [c for c in kept.cells[at + 1:] if c.cell_type == "code"]
    assert [c.execution_count for c in ran if c.cell_type == "code"] == [1, 2, 3]    # parameters twice, the load
    assert not [o for o in stopped.outputs if o["output_type"] == "stream"]          # stopped before its print
    assert later and all(c.execution_count is None for c in later)


@pytest.mark.parametrize(("args", "line"), [
    (["-p", "treshold", "3"], "evaltools: error: -p treshold: own.ipynb has no parameter 'treshold'; did you mean "
                              "threshold? (its parameters: note, threshold, pause)"),
    (["-p", "threshold", "high"], "evaltools: error: -p threshold high: expected an int (the notebook declares "
                                  "threshold: int)"),
    (["-p", "lang", "en"], "evaltools: error: -p lang: set by evaltools run; use --lang"),
    (["-p", "note", "a", "-p", "note", "b"], "evaltools: error: -p note: given twice ('a' and 'b')"),
    (["--to", "exe"], "evaltools: error: unknown format(s) exe; expected html, pdf, docx"),
])
def test_bad_parameters_are_usage_errors_before_any_kernel(project, args, line):
    done = cli("run", "ct20-2012-2017", "--notebook", "own.ipynb", *args, cwd=project)
    assert (done.returncode, done.stderr) == (2, line + "\n")          # no progress line: no kernel started


@pytest.mark.parametrize(("args", "hint"), [
    (["rn", "x"], "invalid choice: 'rn' (choose from"),
    (["run", "x", "--qiet"], "unrecognized arguments: --qiet; did you mean --quiet?"),
    (["batch", "x", "--scheduller", "tcp://h:1"], "did you mean --scheduler?"),
    (["validate", "x", "--lang", "fr"], "invalid choice: 'fr' (choose from 'vi', 'en')"),
    (["run", "x", "--execution-timeout", "soon"], "expected a number of seconds, found 'soon'"),
])
def test_usage_errors_exit_2_with_did_you_mean(project, args, hint):
    done = cli(*args, cwd=project)
    assert done.returncode == 2 and hint in done.stderr and "Traceback" not in done.stderr
    if args[0] == "rn":
        assert done.stderr.rstrip().endswith("; did you mean run?")


@pytest.mark.parametrize(("args", "line"), [
    (["indicators", "ct20-2012-2071"], "no review 'ct20-2012-2071': data/reviews/ct20-2012-2071.yaml not found; "
                                       "did you mean ct20-2012-2017, ct20-2012-2022?"),
    (["validate", "ct20-2012-2071"], "no review 'ct20-2012-2071': data/reviews/ct20-2012-2071.yaml not found; "
                                     "did you mean ct20-2012-2017, ct20-2012-2022?"),
    (["run", "data/reviews/ct20-2012-2071.yaml"], "data/reviews/ct20-2012-2071.yaml: review config not found; "
                                                  "did you mean ct20-2012-2017.yaml, ct20-2012-2022.yaml?"),
    (["batch", "anual-2022"], "no review 'anual-2022': data/reviews/anual-2022.yaml not found; did you mean "
                              "annual-2022?"),
    (["new-review", "--from", "anual-2022", "--first", "2023", "--last", "2023"],
     "no review 'anual-2022': data/reviews/anual-2022.yaml not found; did you mean annual-2022?"),
])
def test_a_review_unknown_by_id_or_path_is_one_line_with_the_closest(project, args, line):
    done = cli(*args, cwd=project)
    assert (done.returncode, done.stderr) == (1, f"evaltools: error: {line}\n")


def test_every_command_takes_a_review_by_id(project):
    validated = cli("validate", "annual-2022", "--quiet", cwd=project)
    assert validated.returncode == 0, validated.stderr
    computed = cli("indicators", "annual-2022", cwd=project)
    assert computed.returncode == 0 and computed.stdout.startswith(
        str(project / "outputs" / "annual-2022" / "indicators.csv") + ":")
    made = cli("new-review", "--from", "annual-2022", "--first", "2023", "--last", "2023", cwd=project)
    assert made.returncode == 0, made.stderr
    assert (project / "data" / "reviews" / "annual-2023.yaml").is_file()


def test_a_typo_in_the_project_file_gets_did_you_mean(tmp_path):
    (tmp_path / "evaltools.yaml").write_text("outptus: out\n", encoding="utf-8")
    done = cli("validate", "x", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "evaltools: error: evaltools.yaml: unknown key(s) outptus; did you "
                                                 "mean outputs?; expected name, data, programmes, outputs\n")
