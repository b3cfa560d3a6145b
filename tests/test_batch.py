"""``evaltools batch`` end to end: real workers, real Papermill and nbconvert (Dask: test_batch_distributed.py).

One small synthetic province (3 districts, 2021–2022) is rendered to HTML only, with 2
workers and a data-quality page of one cell (tests/processes.py's ``quick_programme``), so that
these tests stay fast; the big run is benchmarks/batch.py.
"""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

from evaltools.batch import run_batch
from .sample import write_province

from .conftest import write
from .processes import quick_programme


def batch(python, root, *args):
    return subprocess.run([python, "-m", "evaltools", "batch", *map(str, args)], capture_output=True, text=True,
                          cwd=root)


def summary_rows(stdout: str) -> dict[str, str]:
    """review id -> status, from the summary table."""
    rows = {}
    for line in stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1] in ("done", "skipped", "failed", "interrupted"):
            rows[parts[0]] = parts[1]
    return rows


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    template = write_province(folder, districts=3, first_year=2021, last_year=2022, seed=5,
                              programme=quick_programme(tmp_path_factory.mktemp("programmes")))
    return folder, template


@pytest.fixture(scope="module")
def annual(province, tmp_path_factory):
    """Districts 901 and 902, one review per year 2021 and 2022, rendered once."""
    folder, template = province
    out = tmp_path_factory.mktemp("outputs")
    result = run_batch([template], areas="901,902", years="2021-2022", formats=["html"], out=out, workers=2)
    assert result.exit_code == 0, result.outcomes
    return folder, template, out, result


def test_expanded_batch_renders_every_area_and_year_and_writes_the_index(annual):
    folder, template, out, result = annual
    ids = ["ct20-901-2021", "ct20-901-2022", "ct20-902-2021", "ct20-902-2022"]
    assert result.by_status("done") == ids and result.exit_code == 0
    for review_id in ids:
        assert sorted(p.name for p in (out / review_id).iterdir()) == [
            "data_quality.html", "facts.json", "indicators.csv", "indicators.xlsx", "manifest.json",
            "report.html", "review.ipynb"]
    table = pd.read_csv(out / "ct20-902-2021" / "indicators.csv", dtype={"unit": str})
    assert set(table["period"].astype(str)) == {"2021"}
    assert set(table.loc[table["level"] == "district", "unit"]) == {"902"}
    config = (out / ".batch" / "configs" / "ct20-902-2021.yaml").read_text(encoding="utf-8")
    assert "area: '902'" in config and "first_year: 2021\nlast_year: 2021" in config
    assert sorted(p.name for p in (folder / "reviews").iterdir()) == [
        "annual-2022.yaml", "ct20-2021-2022.yaml", "province.en.md", "province.vi.md"]   # data/ untouched
    page = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{i}/report.html"' in page for i in ids)
    assert not list(out.glob(".*.tmp"))


def test_rerun_with_nothing_changed_renders_nothing(annual):
    folder, template, out, _ = annual
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/manifest.json")}
    again = run_batch([template], areas="901,902", years="2021-2022", formats=["html"], out=out, workers=2)
    assert again.by_status("skipped") == sorted(p.parent.name for p in before) and not again.by_status("done")
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/manifest.json")} == before
    forced = run_batch([template], areas="901", years="2022", formats=["html"], out=out, force=True)
    assert forced.by_status("done") == ["ct20-901-2022"], forced.outcomes


def test_one_value_change_rerenders_exactly_the_reviews_that_read_it(annual):
    folder, template, out, _ = annual
    units = (folder / "catalog" / "org_units.yaml").read_text(encoding="utf-8")
    commune = next(line.split('"')[1] for line in units.splitlines() if 'parent: "902"' in line)
    store = folder / "values" / "province-2021.csv"
    values = pd.read_csv(store, dtype=str, keep_default_na=False)
    row = (values["element"] == "GIFTS") & (values["unit"] == commune)
    assert row.sum() == 1
    values.loc[row, "value"] = str(int(values.loc[row, "value"].iloc[0]) + 7)
    store.write_text(values.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    result = run_batch([template], areas="901,902", years="2021-2022", formats=["html"], out=out, workers=2)
    # 902's 2022 review reads 2021 too (its report compares the year with the one before)
    assert result.by_status("done") == ["ct20-902-2021", "ct20-902-2022"]
    assert result.by_status("skipped") == ["ct20-901-2021", "ct20-901-2022"]
    table = pd.read_csv(out / "ct20-902-2021" / "indicators.csv", dtype={"unit": str})
    gifts = table[(table["indicator"] == "GIFTS") & (table["unit"] == commune)
                  & (table["period"].astype(str) == "2021")]
    assert gifts["value"].tolist() == [float(values.loc[row, "value"].iloc[0])]


def test_a_failing_review_does_not_stop_the_others_and_is_named(province, tmp_path, python, root):
    folder, template = province
    reviews = tmp_path / "reviews"
    source = template.read_text(encoding="utf-8")
    for name, area in (("good-a", "901"), ("good-b", "903")):
        write(reviews / f"{name}.yaml", source.replace("id: ct20-2021-2022", f"id: {name}")
              .replace('area: "901"', f'area: "{area}"').replace("data: ..", f"data: {folder}")
              .replace("province.", f"{folder}/reviews/province."))
    write(reviews / "broken.vi.md", "## Tình hình chung {#general}\n\nVăn bản.\n\n## Lạ {#no_such_part}\n\nx\n")
    write(reviews / "broken.yaml", (reviews / "good-a.yaml").read_text(encoding="utf-8")
          .replace("id: good-a", "id: broken").replace(f"{folder}/reviews/province.vi.md", "broken.vi.md"))
    out = tmp_path / "outputs"
    done = batch(python, root, reviews / "good-a.yaml", reviews / "broken.yaml", reviews / "good-b.yaml",
                 "--to", "html", "--workers", "2", "--out", out)
    assert done.returncode == 1, done.stderr
    assert summary_rows(done.stdout) == {"good-a": "done", "good-b": "done", "broken": "failed"}
    failure = next(line for line in done.stdout.splitlines() if line.startswith("broken "))
    # found by validation before any notebook runs: the narrative names a part the programme does not have
    assert "broken.vi.md:5: unknown section key {#no_such_part}" in failure
    assert "3 reviews: 2 done, 0 skipped, 1 failed" in done.stdout
    assert (out / "good-a" / "report.html").is_file() and (out / "good-b" / "report.html").is_file()
    assert not (out / "broken").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="good-a/report.html"' in page and "broken" not in page
