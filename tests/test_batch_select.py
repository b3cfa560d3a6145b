"""``evaltools batch --select PATTERN`` (issue 21: dbt's ``--select``), by the real command line.

A project whose data folder is a small synthetic province (3 districts, 2021–2022, two review configs).
One batch renders (HTML only) the reviews a district's name selects; the others read what it left.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
import yaml

from .conftest import make_project
from .processes import quick_programme
from .sample import write_province
from .test_batch import summary_rows


def batch(project, *args):
    return subprocess.run([sys.executable, "-m", "evaltools", "batch", *map(str, args)], capture_output=True,
                          text=True, cwd=project)


def units_of(project) -> pd.DataFrame:
    text = (project / "data" / "catalog" / "org_units.yaml").read_text(encoding="utf-8")
    return pd.DataFrame(yaml.safe_load(text)["units"]).astype({"code": str, "parent": str})


@pytest.fixture(scope="module")
def selected(tmp_path_factory):
    """The project, and the batch of every project review over every district, selected by one district's name
    as a user types it: without its prefix "Huyện", in lower case."""
    project = tmp_path_factory.mktemp("select")
    write_province(project / "data", districts=3, first_year=2021, last_year=2022, seed=5,
                   programme=quick_programme(tmp_path_factory.mktemp("programmes")))
    make_project(project)
    units = units_of(project)
    name = units.set_index("code").at["902", "name"]
    assert name.startswith("Huyện ")
    done = batch(project, "--select", name.removeprefix("Huyện ").lower(), "--areas", "all-districts",
                 "--years", "2022", "--to", "html", "--workers", "2")
    return project, units, done


def test_a_district_name_selects_its_reviews_of_every_project_config(selected):
    project, units, done = selected
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert summary_rows(done.stdout) == {"annual-902-2022": "done", "ct20-902-2022": "done"}
    out = project / "outputs"
    # the configs of the reviews not chosen are not even written
    assert sorted(p.name for p in (out / ".batch" / "configs").iterdir()) == ["annual-902-2022.yaml",
                                                                              "ct20-902-2022.yaml"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "annual-902-2022", "ct20-902-2022", "index.html", "run_results.json"]
    # the district's figure is the sum of its communes' returns (data/README.md), in plain pandas
    values = pd.read_csv(project / "data" / "values" / "province-2022.csv", dtype={"unit": str})
    communes = set(units.loc[units["parent"] == "902", "code"])
    expected = values.loc[(values["element"] == "GIFTS") & values["unit"].isin(communes), "value"].sum()
    table = pd.read_csv(out / "ct20-902-2022" / "indicators.csv", dtype={"unit": str})
    row = table[(table["indicator"] == "GIFTS") & (table["unit"] == "902") & (table["period"].astype(str) == "2022")]
    assert row["value"].tolist() == [expected] and expected > 0


def test_a_code_glob_and_an_id_glob_select_the_same_review_once(selected):
    project, _, _ = selected
    again = batch(project, "ct20-2021-2022", "--areas", "all-districts", "--years", "2022",
                  "--select", "9?2", "--select", "CT20-902-*", "--to", "html")
    assert again.returncode == 0, again.stderr
    assert summary_rows(again.stdout) == {"ct20-902-2022": "skipped"}
    assert "1 reviews: 0 done, 1 skipped, 0 failed" in again.stdout


def test_a_pattern_that_matches_nothing_is_one_line_naming_it_and_writes_nothing(selected):
    project, _, _ = selected
    configs = project / "outputs" / ".batch" / "configs"
    before = sorted(p.name for p in configs.iterdir())
    done = batch(project, "ct20-2021-2022", "--areas", "all-districts", "--select", "903", "--select",
                 "ct20-2021-2022-904", "--to", "html")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "evaltools: error: --select 'ct20-2021-2022-904': matches none of the 3 reviews (by id, area code or "
        "area name); did you mean ct20-2021-2022-903, ct20-2021-2022-902, ct20-2021-2022-901?"]
    assert sorted(p.name for p in configs.iterdir()) == before


def test_neither_a_review_nor_a_selection_is_a_usage_error(selected):
    project, _, _ = selected
    done = batch(project, "--to", "html")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "evaltools: error: batch: name the reviews (REVIEW ...) or select among the project's (--select PATTERN)"]
