"""The batch planner reads each review's own area and years of the store, not the whole store.

A synthetic country of 2 provinces × 2 districts (2022 only) is rendered once, for district
0101, to HTML. Changes elsewhere (another province's data, even a value its checks refuse;
a neighbouring district of the same province) leave it skipped; a change in its own
district renders it again.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaltools.batch import run_batch
from evaltools.batch.fingerprints import DataCache, job_fingerprint
from .processes import quick_programme
from .sample import write_province


def _edit(store, unit: str, element: str, value) -> str:
    """Set one value of ``store`` (a long CSV file), in place; returns the value it had."""
    values = pd.read_csv(store, dtype=str, keep_default_na=False)
    row = (values["element"] == element) & (values["unit"] == unit)
    assert row.sum() == 1
    before = values.loc[row, "value"].iloc[0]
    values.loc[row, "value"] = str(value(before) if callable(value) else value)
    store.write_text(values.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return before


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    folder = tmp_path_factory.mktemp("country")
    template = write_province(folder, districts=2, first_year=2022, last_year=2022, seed=7, provinces=2,
                              programme=quick_programme(tmp_path_factory.mktemp("programmes")))
    out = tmp_path_factory.mktemp("outputs")
    first = run_batch([template], areas="0101", formats=["html"], out=out, workers=1)
    assert first.by_status("done") == ["ct20-2022-2022-0101"], first.outcomes
    return folder, template, out


def _again(country):
    folder, template, out = country
    return run_batch([template], areas="0101", formats=["html"], out=out, workers=1)


def test_changes_outside_the_district_do_not_render_it_again(country):
    folder, template, out = country
    units = (folder / "catalog" / "org_units.yaml").read_text(encoding="utf-8")
    neighbour = next(line.split('"')[1] for line in units.splitlines() if 'parent: "0102"' in line)
    other = next(line.split('"')[1] for line in units.splitlines() if 'parent: "0201"' in line)
    _edit(folder / "values" / "province-02-2022.csv", other, "GIFTS", lambda v: int(v) + 11)
    assert _again(country).by_status("skipped") == ["ct20-2022-2022-0101"]
    _edit(folder / "values" / "province-01-2022.csv", neighbour, "GIFTS", lambda v: int(v) + 3)
    assert _again(country).by_status("skipped") == ["ct20-2022-2022-0101"]
    # A value the checks refuse, in the other province: the whole-store read refused it for every review.
    _edit(folder / "values" / "province-02-2022.csv", other, "GIFTS", "many")
    assert _again(country).by_status("skipped") == ["ct20-2022-2022-0101"]


def test_a_change_in_its_own_district_renders_it_again(country):
    folder, template, out = country
    units = (folder / "catalog" / "org_units.yaml").read_text(encoding="utf-8")
    own = next(line.split('"')[1] for line in units.splitlines() if 'parent: "0101"' in line)
    config = out / ".batch" / "configs" / "ct20-2022-2022-0101.yaml"
    before = job_fingerprint(config, None, ["html"], None, DataCache())["values"]
    old = _edit(folder / "values" / "province-01-2022.csv", own, "GIFTS", lambda v: int(v) + 5)
    assert job_fingerprint(config, None, ["html"], None, DataCache())["values"] != before
    result = _again(country)
    assert result.by_status("done") == ["ct20-2022-2022-0101"], result.outcomes
    table = pd.read_csv(out / "ct20-2022-2022-0101" / "indicators.csv", dtype={"unit": str})
    gifts = table[(table["indicator"] == "GIFTS") & (table["unit"] == own)]
    assert gifts["value"].tolist() == [float(int(old) + 5)]
