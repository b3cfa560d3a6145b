"""The ten-year review against the five-year one: year against year, and never across a definition change."""

from __future__ import annotations

import pandas as pd
import pytest

from evaltools.assess import compare
from evaltools.dataset.context import open_review
from evaltools.project.review import load_review

from .conftest import ROOT

REVIEWS = ROOT / "data" / "reviews"


@pytest.fixture(scope="module")
def comparison():
    data = open_review(REVIEWS / "ct20-2012-2022.yaml")
    previous = load_review(REVIEWS / "ct20-2012-2017.yaml")
    out = compare.compare(data.values, data.catalog, data.review, previous, data.indicators)
    return out, data


def district(out, code):
    return out[(out["indicator"] == code) & (out["unit"] == "468") & (out["category"] == "total")].iloc[0]


def test_flows_compare_the_last_full_year_of_each_review_never_two_overlapping_totals(comparison):
    out, data = comparison
    table = data.indicators.set_index(["indicator", "unit", "period", "category"])["value"]
    cards = district(out, "HI_CARDS")
    # 2017 stops on 31/05/2017: the five-year review's last full year is 2016
    assert (cards["previous_year"], cards["current_year"], cards["comparable"]) == (2016, 2022, True)
    assert cards["previous"] == table[("HI_CARDS", "468", "2016", "total")] != 5905
    assert cards["current"] == table[("HI_CARDS", "468", "2022", "total")]
    rate = district(out, "INJURY_RATE")
    assert rate["previous"] == pytest.approx(table[("INJURY_RATE", "468", "2016", "total")])
    assert rate["change"] == pytest.approx(rate["current"] - rate["previous"]) and rate["change"] < 0


def test_stocks_compare_the_end_of_each_period(comparison):
    allowance = district(comparison[0], "ALLOWANCE")
    assert (allowance["previous_year"], allowance["previous"], allowance["previous_partial"]) == (2017, 353, True)
    assert allowance["current_year"] == 2022 and allowance["comparable"]


def test_figures_under_another_law_or_standard_are_not_compared(comparison):
    out, _ = comparison
    csc, score = district(out, "CSC_CHILDREN"), district(out, "CF_SCORE")
    assert (csc["comparable"], csc["reason"]) == (False, "definition_changed")
    assert "Luật Trẻ em số 102/2016/QH13" in csc["note_vi"] and pd.isna(csc["change"])
    # no score exists by 31/05/2017: the five-year review's scores are 2016's, under QĐ 34/2014
    assert (score["previous_year"], score["current_year"], score["reason"]) == (2016, 2022, "definition_changed")
    assert "Quyết định số 06/QĐ-TTg" in score["note_vi"]
    assert district(out, "CF_SHARE")["reason"] == "definition_changed"
