"""Assessments with hand-computed expectations: targets, trends, ranking, legends, scorecards, comparison."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from evaltools import engine
from evaltools.assess import compare, legends, ranking, scorecards, targets, trends
from evaltools.errors import InputError
from evaltools.review import TARGET_FIELDS
from evaltools.schema import parse_records

from .conftest import ROOT, write
from .test_engine import catalog, values  # noqa: F401  (fixtures: the hand-made area)


def table(rows):
    """A tidy indicator table from (indicator, unit, level, period, value)."""
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "level", "period", "value"])
    return frame.assign(category="total", unit_name=frame["unit"].map(lambda u: f"Xã {u}"))


def target_frame(*entries):
    frame, problems = parse_records(list(entries), TARGET_FIELDS, "review.yaml", "targets")
    assert problems == []
    return frame


def test_attainment_achieved_missed_pending_and_no_data():
    t = table([("SHARE", "D", "district", "2019", 88.9), ("SHARE", "D", "district", "2020", 100.0),
               ("RATE", "D", "district", "2020", 1.8), ("RATE", "D", "district", "2018-2020", 5.0)])
    goals = target_frame(
        {"indicator": "SHARE", "operator": ">=", "value": 100, "year": 2020},
        {"indicator": "SHARE", "operator": ">=", "value": 95, "year": 2019},
        {"indicator": "RATE", "operator": "<=", "value": 1.5, "year": 2020},
        {"indicator": "RATE", "operator": "<", "value": 6},
        {"indicator": "SHARE", "operator": ">=", "value": 100, "year": 2025},
        {"indicator": "NOPE", "operator": "==", "value": 1})
    out = targets.attainment(t, goals, "D", 2018, 2020)
    assert list(out["status"]) == ["achieved", "not_achieved", "not_achieved", "achieved", "achieved", "no_data"]
    assert list(out["period"]) == ["2020", "2019", "2020", "2018-2020", "2020", "2018-2020"]
    assert out["gap"].iloc[1] == pytest.approx(95 - 88.9)
    assert out["gap"].iloc[2] == pytest.approx(1.8 - 1.5)
    assert out["gap"].iloc[0] == 0
    late = targets.attainment(t, target_frame({"indicator": "SHARE", "operator": ">=", "value": 100,
                                              "year": 2025}), "D", 2018, 2019)
    assert late["status"].iloc[0] == "not_yet_due" and late["gap"].iloc[0] == pytest.approx(100 - 88.9)


@pytest.mark.parametrize(("direction", "first", "last", "expected"), [
    ("higher", 100, 120, "improving"), ("higher", 100, 80, "worsening"),
    ("lower", 30, 19, "improving"), ("lower", 19, 30, "worsening"),
    ("neutral", 306, 353, "increasing"), ("neutral", 353, 306, "decreasing"),
    ("higher", 100, 105, "stable"), ("lower", 100, 95, "stable"),          # exactly ±5 %: stable
    ("higher", 100, 105.1, "improving"), ("lower", 100, 94.9, "improving"),
    ("higher", 0, 2, "improving"), ("higher", math.nan, 2, "insufficient_data"),
])
def test_trend_reading_through_the_direction_and_the_stable_band(direction, first, last, expected):
    assert trends.reading(direction, first, last, 0.05) == expected


def test_trends_skip_a_partial_last_year_for_flows():
    t = table([("CARDS", "D", "district", str(y), v) for y, v in [(2015, 1000), (2016, 1010), (2017, 400)]]
              + [("KIDS", "D", "district", str(y), v) for y, v in [(2015, 300), (2016, 310), (2017, 330)]])
    inds = pd.DataFrame({"direction": ["higher", "neutral"]}, index=["CARDS", "KIDS"])
    out = trends.trends(t, inds, "D", [2015, 2016, 2017], partial_year=2017, flows=frozenset({"CARDS"}))
    cards, kids = out.iloc[0], out.iloc[1]
    assert (cards["last_year"], cards["last"], cards["reading"]) == (2016, 1010, "stable")
    assert (kids["last_year"], kids["last"], kids["reading"]) == (2017, 330, "increasing")


def test_ranking_shares_ties_and_names_lagging_units():
    t = table([("SCORE", "1", "commune", "P", 910), ("SCORE", "2", "commune", "P", 930),
               ("SCORE", "3", "commune", "P", 930), ("SCORE", "4", "commune", "P", 890),
               ("SCORE", "D", "district", "P", 915),
               ("RATE", "1", "commune", "P", 2.0), ("RATE", "2", "commune", "P", 1.0),
               ("RATE", "3", "commune", "P", 3.0), ("RATE", "D", "district", "P", 1.5)])
    inds = pd.DataFrame({"direction": ["higher", "lower"]}, index=["SCORE", "RATE"])
    out = ranking.rank_units(t, inds, "D", "P", lagging=2).set_index(["indicator", "unit"])
    assert [out.loc[("SCORE", u), "rank"] for u in "1234"] == [3, 1, 1, 4]
    assert [bool(out.loc[("SCORE", u), "lagging"]) for u in "1234"] == [True, False, False, True]
    assert [out.loc[("RATE", u), "rank"] for u in "123"] == [2, 1, 3]
    assert [bool(out.loc[("RATE", u), "lagging"]) for u in "123"] == [True, False, True]


def test_legends_classify_and_refuse_gaps_or_overlaps(tmp_path):
    good = legends.load_legends(ROOT / "data" / "catalog" / "legends.yaml")["CF_SHARE"]
    assert [legends.classify(v, good) for v in (0, 49.9, 50, 89.99, 90, 100)] == [
        "Thấp", "Thấp", "Trung bình", "Trung bình", "Đạt", "Đạt"]
    assert legends.classify(100.1, good) is None
    bad = write(tmp_path / "legends.yaml", """
        legends:
          - indicator: X
            bands:
              - {name: A, from: 0, to: 40}
              - {name: B, from: 50, to: 80}
              - {name: C, from: 70, to: 100}
        """)
    with pytest.raises(InputError) as exc:
        legends.load_legends(bad)
    found = [str(p) for p in exc.value.problems]
    assert any("gap between 40 and 50" in m and ":5:" in m for m in found)
    assert any("overlaps the band ending at 80" in m and ":6:" in m for m in found)


STANDARDS = ROOT / "data" / "catalog" / "standards.yaml"


def score_rows(unit, year, prefix, points):
    return [("CF_SCORE", year, unit, f"{prefix}_c{i + 1:02d}", p) for i, p in enumerate(points)]


def test_scorecards_under_each_standard_and_the_zero_criterion_rule():
    units = pd.DataFrame({"code": ["A", "B", "C"], "class": ["standard", "disadvantaged", "ward"],
                          "valid_from": [dt.date(2012, 1, 1)] * 3, "valid_to": [None] * 3})
    qd34_pass = [60, 80, 80, 60, 70, 70, 60, 80, 80, 80, 60, 60, 0, 0, 0]         # 840 ≥ 750
    qd34_fail = [40] * 15                                                         # 600 < 750
    qd06_high = [70, 80, 80, 80, 80, 80, 0, 80, 70, 70, 80, 70, 80]               # 920, criterion 7 at 0
    qd06_820 = [63, 72, 72, 72, 72, 72, 60, 60, 56, 56, 56, 56, 53]              # 820
    scores = pd.DataFrame(
        score_rows("A", 2015, "qd34", qd34_pass) + score_rows("B", 2015, "qd34", qd34_fail)
        + score_rows("A", 2019, "qd06", qd06_high) + score_rows("B", 2019, "qd06", qd06_820)
        + score_rows("C", 2019, "qd06", qd06_820) + score_rows("A", 2020, "qd06", qd06_820),
        columns=["element", "period", "unit", "category", "value"])
    cards = scorecards.scorecards(scores, units, scorecards.load_standards(STANDARDS)).set_index(["unit", "year"])
    assert sum(qd34_pass) == 840 and sum(qd06_high) == 920 and sum(qd06_820) == 820
    assert cards.loc[("A", 2015), ["standard", "total", "threshold", "passed"]].tolist() == ["qd34-2014", 840, 750, True]
    # QĐ 34 does not fail a commune for a criterion at 0
    assert cards.loc[("A", 2015), "zero_criteria"] == ["qd34_c13", "qd34_c14", "qd34_c15"]
    assert cards.loc[("B", 2015), ["passed", "reason"]].tolist() == [False, "below_threshold"]
    assert cards.loc[("A", 2019), ["total", "passed", "reason", "zero_criteria"]].tolist() == [
        920, False, "zero_criterion", ["qd06_c07"]]
    assert cards.loc[("B", 2019), ["threshold", "passed"]].tolist() == [800, True]       # disadvantaged
    assert cards.loc[("C", 2019), ["threshold", "passed"]].tolist() == [900, False]      # urban ward
    assert cards.loc[("A", 2020), ["threshold", "passed"]].tolist() == [850, False]      # standard
    summary = scorecards.summary(cards.reset_index()).set_index("year")
    assert summary.loc[2019].tolist() == [3, 1]


def test_comparison_across_the_merger_compares_like_with_like(catalog, values):  # noqa: F811
    from evaltools.review import Review
    def review(first, last):
        return Review(path=ROOT, id=f"r{last}", kind="annual", title={"vi": "x", "en": "x"},
                      issuing_office={"vi": "x", "en": "x"}, place="x", date=dt.date(last, 12, 31), area="10",
                      first_year=first, last_year=last, cutoff=dt.date(last, 12, 31),
                      indicators=["POP", "CASES"], data=ROOT)
    now, before = review(2018, 2020), review(2018, 2019)
    facts = engine.aggregate(values, catalog, "10", engine.periods_for(2018, 2020))
    table_now = engine.evaluate(facts, catalog.indicators.loc[["POP", "CASES"]])
    out = compare.compare(values, catalog, now, before, table_now).set_index(["indicator", "unit", "category"])
    # Before the merger B (101) and C (102) were two communes; in 2020's units they are one.
    assert ("POP", "102", "total") not in out.index
    assert out.loc[("POP", "101", "total"), ["previous", "current", "change"]].tolist() == [55 + 0, 90, 35]
    assert out.loc[("CASES", "101", "total"), ["previous", "current"]].tolist() == [4 + 6, 4 + 6 + 7]
    assert out.loc[("POP", "10", "total"), ["previous", "current"]].tolist() == [110 + 55 + 0, 120 + 90]
