"""The indicator engine on a small hand-made area, every expectation computed by hand.

Area: province P (9) with district D1 (10) and district D2 (20).
D1 holds communes A (100), B (101) and C (102); on 01/01/2020 B and C merge
into "BC", which keeps B's code 101. D2 holds commune E (200).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evaltools.model import engine
from evaltools.model.engine import REASON_NO_DATA, REASON_NO_DENOMINATOR, REASON_ZERO_DENOMINATOR, Period

from .engine_area import ELEMENTS, INDICATORS, ROWS, UNITS, catalog, values  # noqa: F401 (fixtures)


def run(catalog, values, area, first, last, as_of=None):
    periods = engine.periods_for(first, last)
    facts = engine.aggregate(values, catalog, area, periods, as_of=as_of)
    return engine.evaluate(facts, catalog.indicators).set_index(["indicator", "unit", "period", "category"])


def test_sum_adds_the_years_and_last_takes_the_latest_year(catalog, values):
    out = run(catalog, values, "10", 2018, 2020)
    assert out.loc[("CASES", "100", "2018-2020", "total"), "value"] == 1 + 2 + 3 + 5
    assert out.loc[("POP", "100", "2018-2020", "total"), "value"] == 120


def test_last_falls_back_to_the_latest_year_with_data_and_never_mixes_years(catalog, values):
    out = run(catalog, values, "9", 2018, 2021)      # nobody reported POP for 2021
    assert out.loc[("POP", "100", "2018-2021", "total"), "value"] == 120
    # E reported POP only in 2018: in 2020, the year the span takes, it has none.
    assert math.isnan(out.loc[("POP", "200", "2018-2021", "total"), "value"])
    assert out.loc[("POP", "9", "2018-2021", "total"), "value"] == 120 + 90


def test_ratio_with_factor(catalog, values):
    out = run(catalog, values, "10", 2018, 2019, as_of=2019)
    row = out.loc[("RATE", "100", "2019", "total")]
    assert row["numerator"] == 7 and row["denominator"] == 110
    assert row["value"] == pytest.approx(7 / 110 * 1000)
    assert (row["aggregation"], row["value_year"], row["partial"]) == ("year", 2019, False)


def test_a_rate_over_a_span_is_per_child_year_never_over_the_last_years_stock(catalog, values):
    out = run(catalog, values, "10", 2018, 2019, as_of=2019)
    span = out.loc[("RATE", "100", "2018-2019", "total")]
    # Σ cases (1 + 2 + 5) over Σ children (100 in 2018, 110 in 2019), not 8 / 110
    assert (span["numerator"], span["denominator"]) == (8, 100 + 110)
    assert span["value"] == pytest.approx(8 / 210 * 1000)
    assert span["aggregation"] == "ratio" and pd.isna(span["value_year"])
    # the span's other figures say how they were made
    assert out.loc[("CASES", "100", "2018-2019", "total"), "aggregation"] == "sum"
    stock = out.loc[("POP", "100", "2018-2019", "total")]
    assert (stock["aggregation"], stock["value_year"], stock["value"]) == ("last", 2019, 110)


def test_zero_or_missing_denominator_gives_missing_value_with_reason(catalog, values):
    out = run(catalog, values, "10", 2018, 2020, as_of=2019)
    zero = out.loc[("RATE", "102", "2019", "total")]
    assert math.isnan(zero["value"]) and zero["reason"] == REASON_ZERO_DENOMINATOR
    assert zero["numerator"] == 6 and zero["denominator"] == 0
    missing = out.loc[("RATE", "100", "2020", "total")]
    assert missing["value"] == pytest.approx(3 / 120 * 1000)
    no_den = run(catalog, values, "9", 2018, 2020).loc[("RATE", "200", "2020", "total")]
    assert math.isnan(no_den["value"]) and no_den["reason"] == REASON_NO_DENOMINATOR
    no_num = out.loc[("CASES", "102", "2018", "total")]
    assert math.isnan(no_num["value"]) and no_num["reason"] == REASON_NO_DATA


def test_merged_unit_compares_with_its_predecessors_before_the_merger(catalog, values):
    out = run(catalog, values, "10", 2018, 2020)          # expressed in 2020's units
    assert ("POP", "102", "2018", "total") not in out.index
    assert out.loc[("POP", "101", "2018", "total"), "value"] == 50 + 30
    assert out.loc[("POP", "101", "2020", "total"), "value"] == 90
    assert out.loc[("CASES", "101", "2018-2020", "total"), "value"] == 4 + 6 + 7
    # Two communes became one: the share of flagged communes stays comparable.
    assert out.loc[("SHARE", "101", "2019", "total"), "numerator"] == 1
    assert out.loc[("SHARE", "101", "2019", "total"), "denominator"] == 2
    assert out.loc[("SHARE", "101", "2020", "total"), "value"] == 100
    assert out.loc[("SHARE", "10", "2019", "total"), "value"] == pytest.approx(200 / 3)
    assert out.loc[("SHARE", "10", "2020", "total"), "value"] == 100
    before = run(catalog, values, "10", 2018, 2019)        # expressed in 2019's units
    assert before.loc[("POP", "102", "2018", "total"), "value"] == 30
    assert before.loc[("POP", "101", "2018", "total"), "value"] == 50


def test_disaggregation_rows_add_up_to_the_total(catalog, values):
    out = run(catalog, values, "10", 2018, 2020)
    x = out.loc[("CASES", "10", "2018-2020", "x"), "value"]
    y = out.loc[("CASES", "10", "2018-2020", "y"), "value"]
    assert (x, y) == (1 + 2 + 3 + 4, 5 + 6 + 7)
    assert out.loc[("CASES", "10", "2018-2020", "total"), "value"] == x + y
    assert out.loc[("OTHER", "10", "2018-2020", "total"), "value"] == y


def test_scores_average_over_units_and_counts_sum_up_the_hierarchy(catalog, values):
    out = run(catalog, values, "9", 2018, 2019, as_of=2019)
    assert out.loc[("SCORE", "10", "2019", "total"), "value"] == pytest.approx((900 + 800 + 700) / 3)
    assert out.loc[("CASES", "9", "2018-2019", "total"), "value"] == 1 + 2 + 5 + 4 + 6
    # The district's own report (plans) counts for the district and the province.
    assert out.loc[("PLANS", "10", "2019", "total"), "value"] == 3
    assert out.loc[("PLANS", "9", "2018-2019", "total"), "value"] == 3


def test_a_merged_unit_averages_over_its_predecessors(catalog, values):
    out = run(catalog, values, "10", 2018, 2020)           # 2020 units: 101 holds B and C
    assert out.loc[("SCORE", "101", "2019", "total"), "value"] == (800 + 700) / 2
    assert out.loc[("SCORE", "10", "2019", "total"), "value"] == pytest.approx((900 + 800 + 700) / 3)


def test_area_limits_the_units(catalog, values):
    out = run(catalog, values, "20", 2018, 2020)
    assert set(out.index.get_level_values("unit")) == {"20", "200"}
    assert out.loc[("CASES", "20", "2018-2020", "total"), "value"] == 10


def test_periods_for_lists_years_then_the_span():
    assert engine.periods_for(2016, 2018) == (Period("2016", 2016, 2016), Period("2017", 2017, 2017),
                                            Period("2018", 2018, 2018), Period("2016-2018", 2016, 2018))
    assert engine.periods_for(2022, 2022) == (Period("2022", 2022, 2022),)
