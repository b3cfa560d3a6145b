"""Assessments with hand-computed expectations: targets, trends, ranking, legends, scorecards, comparison."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from evaltools.model import engine
from evaltools.assess import compare, legends, ranking, scorecards, targets, trends
from evaltools.core.errors import InputError
from evaltools.project.review import TARGET_FIELDS
from evaltools.core.schema import parse_records

from .conftest import ROOT, write
from .engine_area import UNITS as ENGINE_UNITS
from .engine_area import catalog, values  # noqa: F401  (fixtures: the hand-made area)


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


def series_table(code, values, first=2012, **columns):
    """Yearly rows of one indicator for district D, with extra columns per year (lists)."""
    rows = table([(code, "D", "district", str(first + i), v) for i, v in enumerate(values)])
    return rows.assign(**{k: v for k, v in columns.items()})


def one_trend(t, direction="lower", years=range(2012, 2017), **kwargs):
    inds = pd.DataFrame({"direction": [direction]}, index=[t["indicator"].iloc[0]])
    return trends.trends(t, inds, "D", list(years), **kwargs).iloc[0]


def test_a_trend_is_judged_on_the_whole_series_not_on_two_chosen_years():
    # Gifts: 820, 867, 902, 950 then 803: first against last falls, the whole series rises.
    gifts = one_trend(series_table("GIFTS", [820, 867, 902, 950, 803]), "higher", counts=frozenset({"GIFTS"}))
    assert gifts["slope"] > 0 and gifts["reading"] == "improving" and gifts["last"] < gifts["first"]
    assert not gifts["material"] and gifts["why"] == "inconsistent"
    # A steady fall of 60 to 40 injuries: Theil–Sen slope −5 a year, fitted 60 → 40, a third down.
    injuries = one_trend(series_table("INJURIES", [60, 55, 50, 44, 40]), counts=frozenset({"INJURIES"}))
    assert injuries["slope"] == pytest.approx(-5) and injuries["fitted_relative"] == pytest.approx(-20 / 60)
    assert (injuries["first_year"], injuries["last_year"], injuries["years"]) == (2012, 2016, 5)
    assert injuries["material"] and injuries["reading"] == "improving"
    assert injuries["threshold"] == pytest.approx(2 / math.sqrt(49.8))


def test_trivia_are_not_material_trends():
    # 3 → 5 bicycles: up two thirds, but a handful a year is no trend.
    bikes = one_trend(series_table("BICYCLES", [3, 4, 3, 4, 5]), "higher", counts=frozenset({"BICYCLES"}))
    assert bikes["reading"] == "improving" and not bikes["material"] and bikes["why"] == "small_counts"
    assert bikes["threshold"] == pytest.approx(2 / math.sqrt(3.8))
    # 30 → 21 injuries: steady, but within what counts of 25 a year do by chance (2 / √25 = 40 %)
    injuries = one_trend(series_table("INJURIES", [30, 28, 26, 24, 21]), counts=frozenset({"INJURIES"}))
    assert injuries["reading"] == "improving" and injuries["why"] == "within_noise"
    # two years are no series
    short = one_trend(series_table("BICYCLES", [3, 5], first=2015), "higher", years=range(2015, 2017))
    assert short["reading"] == "insufficient_data" and short["why"] == "too_few_years" and not short["material"]


def test_a_flows_partial_year_and_years_under_another_definition_are_left_out():
    t = series_table("CARDS", [1000, 990, 985, 970, 960, 400])
    cards = one_trend(t, "neutral", years=range(2012, 2018), partial_years=frozenset({2017}),
                      flows=frozenset({"CARDS"}))
    assert (cards["last_year"], cards["last"], cards["left_out"]) == (2016, 960, {2017: "partial_year"})
    kids = one_trend(series_table("KIDS", [300, 310, 320, 330, 340, 345]), "neutral", years=range(2012, 2018),
                     partial_years=frozenset({2017}))
    assert (kids["last_year"], kids["last"]) == (2017, 345)          # a stock on 31/05 is a stock
    csc = one_trend(series_table("CSC", [150, 145, 140, 210, 205, 200], first=2015), years=range(2015, 2021),
                    definitions={"CSC": 2018})
    assert (csc["first_year"], csc["first"], csc["years"]) == (2018, 210, 3)
    assert csc["left_out"] == {2015: "definition_changed", 2016: "definition_changed", 2017: "definition_changed"}


def test_a_count_with_a_missing_return_is_left_out_of_its_trend():
    t = series_table("CASES", [50, 48, 30, 44, 42], coverage=[1, 1, 8 / 9, 1, 1])
    out = one_trend(t, counts=frozenset({"CASES"}))
    assert out["left_out"] == {2014: "incomplete"} and out["years"] == 4


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


def test_a_rate_of_a_count_names_a_unit_lagging_only_beyond_chance():
    """Injuries per 1,000 children, the district at 2 ‰ (40 over 20.000): commune 1 has 14 where its 6.000
    children give 12 expected (|14 − 12| = 2 ≤ 2·√12 = 6,9: chance); commune 2 has 20 where 8 are expected
    (12 > 2·√8 = 5,7: lagging); commune 3 has 6 of 12 expected, the best."""
    rows = [("INJ_RATE", "1", "commune", "P", 1000 * 14 / 6000, 14, 6000),
            ("INJ_RATE", "2", "commune", "P", 1000 * 20 / 4000, 20, 4000),
            ("INJ_RATE", "3", "commune", "P", 1000 * 6 / 10000, 6, 10000),
            ("INJ_RATE", "D", "district", "P", 1000 * 40 / 20000, 40, 20000)]
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "level", "period", "value", "numerator", "denominator"])
    t = frame.assign(category="total", unit_name=frame["unit"].map(lambda u: f"Xã {u}"))
    inds = pd.DataFrame({"direction": ["lower"]}, index=["INJ_RATE"])
    counted = ranking.rank_units(t, inds, "D", "P", lagging=2, counts=frozenset({"INJ_RATE"})).set_index("unit")
    assert counted["rank"].tolist() == [1, 2, 3] and counted.index.tolist() == ["3", "1", "2"]
    assert counted["lagging"].to_dict() == {"3": False, "1": False, "2": True}
    # not a count (a score): the bottom places worse than the district are named as before
    plain = ranking.rank_units(t, inds, "D", "P", lagging=2).set_index("unit")
    assert plain["lagging"].to_dict() == {"3": False, "1": True, "2": True}


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
    assert summary.loc[2019, ["standard", "assessed", "passed"]].tolist() == ["qd06-2019", 3, 1]


def test_comparison_across_the_merger_compares_like_with_like(catalog, values):  # noqa: F811
    from evaltools.project.review import Review
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
    # flows: year against year (2019 against 2020), never 2018–2019 against 2018–2020
    assert out.loc[("CASES", "101", "total"), ["previous_year", "previous", "current_year", "current"]].tolist() \
        == [2019, 6, 2020, 7]
    assert out.loc[("POP", "10", "total"), ["previous", "current"]].tolist() == [110 + 55 + 0, 120 + 90]


def test_scorecards_count_and_name_only_the_reviews_own_communes(tmp_path):
    from evaltools.model.catalog import load_catalog
    folder = tmp_path / "catalog"
    write(folder / "org_units.yaml", ENGINE_UNITS)             # D1 (10): A, B, C; D2 (20): E
    for name in ("data_elements.yaml", "indicators.yaml"):
        write(folder / name, (ROOT / "data" / "catalog" / name).read_text(encoding="utf-8"))
    units = load_catalog(folder).units
    passing = [70, 80, 80, 80, 80, 80, 80, 80, 70, 70, 80, 70, 80]           # 1.000
    scores = pd.DataFrame(score_rows("100", 2019, "qd06", passing) + score_rows("200", 2019, "qd06", [0] * 13),
                          columns=["element", "period", "unit", "category", "value"])
    standards = scorecards.load_standards(STANDARDS)
    cards = scorecards.scorecards(scores, units, standards, area="10")
    assert list(cards["unit"]) == ["100"]                     # E, in D2, fails: not D1's business
    summary = scorecards.summary(cards, units, "10").set_index("year")
    # B and C sent no points: 1 of the 3 communes expected was assessed, and it passed
    assert summary.loc[2019, ["expected", "assessed", "passed", "missing"]].tolist() == [3, 1, 1, 2]
    assert standards.set_index("code").at["qd34-2014", "short_vi"] == "QĐ 34/2014/QĐ-TTg"


def test_a_target_without_a_year_is_judged_on_the_period_and_missing_data_decides_nothing():
    t = table([("RATE", "D", "district", "2018", 2.0), ("RATE", "D", "district", "2019", 1.0),
               ("RATE", "D", "district", "2018-2019", 1.6), ("SHARE", "D", "district", "2019", 100.0)])
    t = t.assign(aggregation=["year", "year", "ratio", "year"], coverage=[1, 1, 1, 10 / 11],
                 partial=False, value_year=pd.array([2018, 2019, pd.NA, 2019], dtype="Int16"))
    goals = target_frame({"indicator": "RATE", "operator": "<=", "value": 1.5},
                         {"indicator": "SHARE", "operator": ">=", "value": 90, "year": 2019})
    out = targets.attainment(t, goals, "D", 2018, 2019)
    rate, share = out.iloc[0], out.iloc[1]
    assert (rate["judged_on"], rate["judged_kind"], rate["aggregation"]) == ("2018-2019", "span", "ratio")
    assert (rate["actual"], rate["status"]) == (1.6, "not_achieved")        # 2019's own 1.0 is not the figure
    # 10 of 11 communes reported, all child-friendly: 100 % of them, which decides nothing
    assert (share["status"], share["coverage"]) == ("incomplete", pytest.approx(10 / 11))
    assert pd.isna(share["achieved"])


def test_a_target_due_later_is_judged_on_the_latest_full_year_of_a_flow():
    t = table([("CARDS", "D", "district", "2016", 1010.0), ("CARDS", "D", "district", "2017", 400.0)])
    t = t.assign(partial=[False, True], coverage=1.0)
    goal = target_frame({"indicator": "CARDS", "operator": ">=", "value": 1000, "year": 2020})
    out = targets.attainment(t, goal, "D", 2016, 2017, flows=frozenset({"CARDS"})).iloc[0]
    assert (out["judged_on"], out["judged_kind"], out["actual"], out["status"]) == ("2016", "latest", 1010, "achieved")


def test_a_unit_with_a_missing_return_is_not_ranked():
    t = table([("RATE", "1", "commune", "P", 2.0), ("RATE", "2", "commune", "P", 1.0),
               ("RATE", "3", "commune", "P", 0.5), ("RATE", "D", "district", "P", 1.5)])
    t = t.assign(coverage=[1, 1, 0.8, 14 / 15])
    out = ranking.rank_units(t, pd.DataFrame({"direction": ["lower"]}, index=["RATE"]), "D", "P")
    assert list(out["unit"]) == ["2", "1"] and list(out["of"]) == [2, 2]
