"""Every command the README shows works: run them all, in order, on a copy of the sample data.

Conventions (stated at the end of README.md): every line of a ```sh block is a command;
lines starting with ``make`` are set-up commands and are not run here (they install
software; CI runs ``make test`` itself). The one step a person does by hand, the
communes filling in the template, is done by the test right after the template is
written. The README's YAML and Markdown examples must parse as what they claim to be.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from evaltools.model import narrative
from evaltools.project.review import load_review

from .conftest import ROOT, make_project
from .returns2023 import fill_returns

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
SETUP = "make "


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README) if lang == kind]


def commands() -> list[str]:
    lines = [line.strip() for body in blocks("sh") for line in body.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_set_up_commands_are_the_two_make_commands_and_make_lab():
    made = [c for c in commands() if c.startswith(SETUP)]
    assert made == ["make report", "make test", "make lab"]
    assert re.search(r"^make test$", README, re.M)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project as a user has it: data to change, the venv and scripts as they are."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root, copy=True)                 # `new-programme` writes into programmes/
    for name in (".venv", "scripts", "notebooks"):
        (root / name).symlink_to(ROOT / name)
    return root


def test_every_readme_command_runs(project):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    ran, said = [], {}
    for command in commands():
        if command.startswith(SETUP):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=project, capture_output=True, text=True, env=env)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        ran.append(command.split("#")[0].strip())
        said[ran[-1]] = done.stdout
        if " template " in f" {command} ":
            # The hand step: every commune fills in its row and sends the file back into returns/.
            fill_returns(project / "outputs" / "templates" / "return-2023.xlsx", project / "data" / "values",
                         project / "returns")
    # template, 2 imports, new-review, validate, 4 runs, new-programme and its first review, 3 batches, DHIS2
    # export and import, indicators, the consistency audit, screenshot, list, help, recover
    assert len(ran) == 22
    assert (project / "data" / "reviews" / "road-safety-2022.yaml").is_file()
    assert said[".venv/bin/evaltools check ct20-2012-2017"].strip().endswith("; 0 contradictions")
    assert (project / "outputs" / "injury-hi-2022" / "report.docx").is_file()
    assert (project / "programmes" / "road-safety" / "review.ipynb").is_file()
    assert {f"annual-{y}" for y in (2020, 2021, 2022)} <= {p.name for p in (project / "outputs").iterdir()}
    assert "annual-2021" in (project / "outputs" / "index.html").read_text(encoding="utf-8")
    batch = next(c for c in ran if c.startswith(".venv/bin/evaltools batch"))
    assert "3 reviews: 0 done, 3 skipped, 0 failed" in said[batch]      # the second, identical batch
    new = project / "outputs" / "ct20-2018-2023"
    assert {"report.html", "report.pdf", "report.docx", "indicators.xlsx"} <= {p.name for p in new.iterdir()}
    assert (project / "outputs" / "en" / "ct20-2012-2017" / "report.pdf").is_file()
    assert (project / "docs" / "report-page.png").read_bytes().startswith(b"\x89PNG")
    assert (project / "data" / "reviews" / "ct20-2018-2023.vi.md").is_file()
    results = json.loads((project / "outputs" / "batch.json").read_text(encoding="utf-8"))["results"]
    assert [(r["review"], r["status"]) for r in results] == [(f"annual-{y}", "skipped") for y in (2020, 2021, 2022)]


def test_the_yaml_examples_parse_and_the_review_example_loads(tmp_path):
    examples = [yaml.safe_load(body) for body in blocks("yaml")]
    assert len(examples) == 5
    units = examples.pop(0)["units"]                    # the national review's country root
    assert units[0]["level"] == "country" and units[1]["parent"] == units[0]["code"] == "VN"
    config = next(body for body in blocks("yaml") if body.startswith("id:"))
    path = tmp_path / "reviews" / "example.yaml"
    path.parent.mkdir()
    path.write_text(config, encoding="utf-8")
    review = load_review(path)
    assert (review.id, review.programme, review.first_year, review.last_year, review.area) == (
        "ct20-2018-2023", "ct20", 2018, 2023, "468")
    indicator, rule, standard = (e[0] for e in examples[1:])
    assert (indicator["numerator"], indicator["denominator"], indicator["factor"]) == (
        "ALLOWANCE.disabled", "CHILDREN", 1000)
    assert rule["operator"] == "<=" and rule["importance"] == "medium"
    assert sum(c["max"] for c in standard["criteria"]) == 1000


def test_the_narrative_example_parses():
    (example,) = blocks("markdown")
    parts = narrative.parse(example, ("general", "achievements+"))
    assert list(parts) == ["general", "achievements+"]
    assert "Ghi chú" not in parts["achievements+"]          # the comment is a note to oneself


def test_the_troubleshooting_messages_are_the_programs_own():
    """Each quoted error line is one the code can print (its fixed words are in the source)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "evaltools").rglob("*.py"))
    fixed = ["conflicts with the stored value", "check the year first", "If it corrects the stored", "unknown unit",
             "high-importance problem(s), e.g.", "or render anyway with --allow-invalid", "cannot be checked for",
             "unknown section key", "executed notebook kept in", "already exists; nothing was",
             "unknown format(s)", "the workbook's unpacked size", "nothing was half-written", "still in use by"]
    quoted = "\n".join(blocks("text"))
    for words in fixed:
        assert words in quoted and words in source, words
