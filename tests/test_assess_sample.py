"""The assessment of the sample reviews: one count of child-friendly communes, honest trends and targets."""

from __future__ import annotations

import shutil

import pytest

from evaltools.assess.review import assess_review
from evaltools.dataset.context import open_review

from .conftest import ROOT, make_project


@pytest.fixture(scope="module")
def five_year():
    data = open_review(ROOT / "data" / "reviews" / "ct20-2012-2017.yaml")
    return data, assess_review(data)


@pytest.fixture(scope="module")
def ten_year_missing_return(tmp_path_factory):
    """The ten-year review on a copy whose Cam Hiếu sent no child-friendly return for 2021."""
    data = tmp_path_factory.mktemp("copy") / "data"
    shutil.copytree(ROOT / "data", data)
    make_project(data.parent)
    store = data / "values" / "cam-lo-2021.csv"
    lines = store.read_text(encoding="utf-8").splitlines(keepends=True)
    store.write_text("".join(l for l in lines if not (",19615," in l and l.startswith(("CF_SCORE", "CF_RECOG"))))
                     , encoding="utf-8")
    loaded = open_review(data / "reviews" / "ct20-2012-2022.yaml")
    return loaded, assess_review(loaded)


def test_the_child_friendly_count_and_the_scorecards_agree_every_year(ten_year_missing_return):
    data, a = ten_year_missing_return
    table = data.indicators.set_index(["indicator", "unit", "period", "category"])
    summary = a.scorecard_summary.set_index("year")
    for year in range(2012, 2023):
        if year == 2017:                          # nothing decided by 31/05/2017: no row
            assert 2017 not in summary.index
            continue
        if year < 2014:                           # before QĐ 34/2014 took effect (15/07/2014): no scorecard
            assert year not in summary.index and a.no_standard_years == (2012, 2013)
            continue
        share = table.loc[("CF_SHARE", "468", str(year), "total")]
        count = table.loc[("CF_COMMUNES", "468", str(year), "total")]
        assert summary.loc[year, "passed"] == count["value"] == share["numerator"]
        assert summary.loc[year, "assessed"] == share["denominator"] == count["reported"]
        assert summary.loc[year, "expected"] == count["expected"]
    # 2021: 7 of the 8 communes assessed, all passed; the missing one neither passed nor failed
    assert summary.loc[2021, ["expected", "assessed", "passed", "missing"]].tolist() == [8, 7, 7, 1]
    share = table.loc[("CF_SHARE", "468", "2021", "total")]
    assert (share["value"], share["coverage"]) == (100, pytest.approx(7 / 8))
    assert summary.loc[2019, ["standard", "assessed", "passed", "partial"]].tolist() == ["qd06-2019", 9, 8, False]


def test_trends_leave_out_2017s_five_months_and_trivia(five_year):
    _, a = five_year
    trends = a.trends.set_index("indicator")
    gifts = trends.loc["GIFTS"]
    assert gifts["left_out"] == {2017: "partial_year"} and gifts["last_year"] == 2016
    bikes = trends.loc["BICYCLES"]
    # 0, 0, 0, 3 and 5 bicycles: eight in five years is no trend, however steep
    assert bikes["reading"] == "improving" and not bikes["material"] and bikes["why"] == "small_counts"
    allowance = trends.loc["ALLOWANCE"]         # a stock on 31/05/2017 is a stock: 306 → 353
    assert (allowance["first_year"], allowance["first"], allowance["last_year"], allowance["last"]) == (
        2012, 306, 2017, 353)
    assert allowance["material"] and allowance["reading"] == "increasing"


def test_a_target_due_later_is_judged_on_the_latest_year_with_a_figure(five_year):
    _, a = five_year
    target = a.targets.iloc[0]
    # CF_SHARE ≥ 100 % by 2020: no recognition exists by 31/05/2017, so 2016 is the latest figure
    assert (target["judged_on"], target["judged_kind"], target["actual"], target["status"]) == (
        "2016", "latest", 100, "achieved")
