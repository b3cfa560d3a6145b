"""Outliers: modified z-score, year-on-year ratio, their guards, and series cut at a merger.

Every expected score below is worked out by hand in the comments.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from evaltools.model.catalog import load_catalog
from evaltools.validation import OutlierSettings, validate
from evaltools.validation.outliers import find_outliers
from evaltools.validation.unityears import unit_years

from .validation_area import every_commune, make_area

DEFAULTS = OutlierSettings()          # z 3,5 (medium from 7), ratio × 2 (medium from × 5), min 10, 5 years, floor 10 %


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("area")
    make_area(folder, [])
    return load_catalog(folder / "catalog")


def outliers(catalog, series: dict[tuple[str, str], dict[int, float]], settings=DEFAULTS) -> pd.DataFrame:
    """Run the outlier checks on {(element, unit): {year: value}}."""
    rows = [(element, year, unit, "default", value)
            for (element, unit), values in series.items() for year, value in values.items()]
    frame = pd.DataFrame(rows, columns=["element", "period", "unit", "category", "value"])
    frame = frame.assign(value=frame["value"].astype(float), file="v.csv", line=range(2, len(frame) + 2),
                         source="test")
    years = range(frame["period"].min(), frame["period"].max() + 1)
    found = find_outliers(frame, catalog, settings, unit_years(catalog.units, years, "10"))
    return found.sort_values(["rule", "unit", "year"]).reset_index(drop=True) if len(found) else found


def test_modified_z_score(catalog):
    # median (100 + 105) / 2 = 102,5; |deviations| 2,5 7,5 12,5 2,5 7,5 87,5 -> MAD 7,5;
    # floor 10 % × 102,5 = 10,25 > 7,5, so z(190) = 0,6745 × 87,5 / 10,25 = 5,758 (low, under 7).
    # 190 / 95 = 2,0 is not above × 2: no ratio finding.
    values = dict(zip(range(2012, 2018), [100, 110, 90, 105, 95, 190]))
    found = outliers(catalog, {("POP", "100"): values})
    assert found[["rule", "unit", "year", "element", "value", "expected", "importance"]].values.tolist() == [
        ["OUTLIER_Z", "100", 2017, "POP", 190, 102.5, "low"]]
    assert found.loc[0, "score"] == pytest.approx(0.6745 * 87.5 / 10.25)
    assert found.loc[0, "message"] == ("POP = 190 is far from this unit's median 102,5 over its 6 years "
                                       "(modified z-score 5,76; threshold 3,5)")
    assert (found.loc[0, "file"], found.loc[0, "line"]) == ("v.csv", 7)
    # Without the floor the MAD itself is used: 0,6745 × 87,5 / 7,5 = 7,869, medium.
    raw = outliers(catalog, {("POP", "100"): values}, dataclasses.replace(DEFAULTS, mad_floor=0))
    assert raw.loc[0, "score"] == pytest.approx(0.6745 * 87.5 / 7.5)
    assert raw.loc[0, "importance"] == "medium"


def test_year_on_year_ratio(catalog):
    found = outliers(catalog, {
        ("POP", "100"): {2012: 50, 2013: 52, 2014: 130},   # × 2,5: up (low)
        ("POP", "101"): {2012: 50, 2013: 20},              # × 0,4: down (low)
        ("POP", "102"): {2012: 2, 2013: 8},                # × 4, but small counts: ignored
        ("CARDS", "100"): {2012: 0, 2013: 12},             # from nothing to 12: beyond × 5, medium
        ("CARDS", "101"): {2012: 10, 2014: 30},            # 2013 missing: not consecutive, no ratio
        ("FLAG", "100"): {2012: 0, 2013: 1},               # yes/no: never tested
        ("AID_TOTAL", "101"): {2012: 10, 2013: 60},        # × 6: medium
    })
    assert found[["unit", "year", "element", "value", "expected", "score", "importance"]].values.tolist() == [
        ["100", 2013, "CARDS", 12, 0, float("inf"), "medium"],
        ["100", 2014, "POP", 130, 52, 2.5, "low"],
        ["101", 2013, "AID_TOTAL", 60, 10, 6.0, "medium"],
        ["101", 2013, "POP", 20, 50, 0.4, "low"]]
    assert set(found["rule"]) == {"OUTLIER_RATIO"}                 # three years or fewer: no z-scores
    assert found.loc[1, "message"] == "POP went from 52 in 2013 to 130 in 2014 (× 2,5; allowed × 0,5 to × 2)"
    assert found.loc[0, "message"] == "CARDS went from 0 in 2012 to 12 in 2013 (from nothing; allowed × 0,5 to × 2)"


def test_mad_zero_guard(catalog):
    found = outliers(catalog, {
        # MAD 0, floor 10 % × 20 = 2: z(60) = 0,6745 × 40 / 2 = 13,49 (medium); ratio × 3 (low)
        ("POP", "100"): dict(zip(range(2012, 2018), [20, 20, 20, 20, 20, 60])),
        # MAD 0: z(21) = 0,6745 × 1 / 2 = 0,34, no finding
        ("POP", "101"): dict(zip(range(2012, 2018), [20, 20, 20, 20, 20, 21])),
        # median and MAD both 0: no z-score at all (no division by zero); the ratio check still sees it
        # (from nothing: beyond × 5, medium)
        ("CARDS", "100"): dict(zip(range(2012, 2018), [0, 0, 0, 0, 0, 12])),
    })
    assert found[["rule", "unit", "element", "year", "score", "importance"]].values.tolist() == [
        ["OUTLIER_RATIO", "100", "CARDS", 2017, float("inf"), "medium"],
        ["OUTLIER_RATIO", "100", "POP", 2017, 3.0, "low"],
        ["OUTLIER_Z", "100", "POP", 2017, pytest.approx(0.6745 * 40 / 2), "medium"]]


def test_a_merger_starts_a_new_series(tmp_path):
    # B (101) reports 50 a year until 2019; from 2020 it is BC, B and C together, 80 a year.
    # As one series: median 50, MAD 0, floor 5: z(80) = 0,6745 × 30 / 5 = 4,05 for 2020–2022.
    # Cut at the merger: 8 steady years, then 3 years (too few for a z-score); 80 / 50 is not compared.
    rows = []
    for year in range(2012, 2023):
        rows += every_commune(year, pop=100)
    rows = [r if not (r[0] == "POP" and r[2] == "101") else (*r[:4], 50 if r[1] < 2020 else 80) for r in rows]
    result = validate(make_area(tmp_path, rows, first=2012, last=2022))
    assert result.findings.empty, result.findings[["rule", "unit", "year", "message"]]
    # The same values under a code that never changed are flagged three times.
    rows = [r if not (r[0] == "POP" and r[2] == "100") else (*r[:4], 50 if r[1] < 2020 else 80) for r in rows]
    flagged = validate(make_area(tmp_path / "steady", rows, first=2012, last=2022)).findings
    assert flagged[["rule", "unit", "year"]].values.tolist() == [
        ["OUTLIER_Z", "100", 2020], ["OUTLIER_Z", "100", 2021], ["OUTLIER_Z", "100", 2022]]
    assert flagged["score"].tolist() == pytest.approx([0.6745 * 30 / 5] * 3)


def test_thresholds_come_from_the_rules_file(tmp_path):
    rules = """
    outliers:
      max_ratio: 3
      elements:
        CARDS: {check: false}
        AID_TOTAL: {min_value: 100}
    """
    rows = every_commune(2018) + every_commune(2019) + [
        ("AID_TOTAL", 2018, "100", "default", 20), ("AID_TOTAL", 2019, "100", "default", 50),   # × 2,5 < 3
        ("AID_TOTAL", 2018, "101", "default", 20), ("AID_TOTAL", 2019, "101", "default", 80),   # × 4, but < 100
        ("CARDS", 2018, "100", "default", 20), ("CARDS", 2019, "100", "default", 200),          # not checked
        ("AID", 2018, "102", "g1", 20), ("AID", 2019, "102", "g1", 70)]                         # × 3,5
    found = validate(make_area(tmp_path, rows, rules=rules)).findings
    assert found[["rule", "unit", "year", "element", "score"]].values.tolist() == [
        ["OUTLIER_RATIO", "102", 2019, "AID", 3.5]]


def test_flows_of_a_partial_last_year_are_not_compared(tmp_path):
    # Cards (a flow) fall from 100 to 40 in 2019: × 0,4. With figures only to 31/05/2019 that is
    # five months against twelve, so no finding; a full year is flagged. POP (a stock) is always tested.
    rows = every_commune(2018) + every_commune(2019) + [
        ("CARDS", 2018, "100", "default", 100), ("CARDS", 2019, "100", "default", 40)]
    rows = [r if not (r[0] == "POP" and r[2] == "101" and r[1] == 2019) else (*r[:4], 300) for r in rows]
    full = validate(make_area(tmp_path, rows)).findings              # REVIEW's cutoff is 2019-12-31
    full = full[full["kind"] == "outlier"]
    assert full[["element", "unit", "year", "score"]].values.tolist() == [
        ["CARDS", "100", 2019, 0.4], ["POP", "101", 2019, 3.0]]
    review = make_area(tmp_path / "may", rows)
    review.write_text(review.read_text(encoding="utf-8").replace("cutoff: 2019-12-31", "cutoff: 2019-05-31"),
                      encoding="utf-8")
    partial = validate(review).findings
    assert partial.loc[partial["kind"] == "outlier", ["element", "unit", "year"]].values.tolist() == [
        ["POP", "101", 2019]]


def test_a_denominator_jumping_fivefold_is_high_unless_small_or_confirmed(catalog):
    # POP becomes a denominator once an indicator divides by it (read from the indicator catalog)
    rate = catalog.indicators.loc[["POP"]].assign(denominator="POP").rename(index={"POP": "POP_SHARE"})
    with_rate = dataclasses.replace(catalog, indicators=pd.concat([catalog.indicators, rate]))
    assert outliers(catalog, {("POP", "100"): {2016: 100, 2017: 600}})["rule"].tolist() == ["OUTLIER_RATIO"]
    found = outliers(with_rate, {("POP", "100"): {2016: 100, 2017: 600}, ("POP", "101"): {2016: 1, 2017: 6}})
    # 600 / 100 = × 6 ≥ × 5: high; 1 → 6 stays under min_value (10): no finding at all
    assert found[["rule", "unit", "year", "importance", "kind"]].values.tolist() == [
        ["DENOMINATOR_JUMP", "100", 2017, "high", "rule"]]
    assert found.loc[0, "rule_name_en"] == "Denominator jumps from the previous year"
    # × 4,9 is an ordinary ratio finding (medium from × 5 is not reached: low)
    assert outliers(with_rate, {("POP", "100"): {2016: 100, 2017: 490}})["rule"].tolist() == ["OUTLIER_RATIO"]
    sure = pd.DataFrame([{"unit": "100", "element": "POP", "year": 2017, "reason": "new hamlet", "line": 1}])
    rows = pd.DataFrame([("POP", y, "100", "default", float(v), "v.csv", i, "test")
                         for i, (y, v) in enumerate(((2016, 100), (2017, 600)), 2)],
                        columns=["element", "period", "unit", "category", "value", "file", "line", "source"])
    confirmed = find_outliers(rows, with_rate, DEFAULTS, unit_years(catalog.units, range(2016, 2018), "10"),
                              confirmed=sure)
    assert confirmed[["rule", "importance"]].values.tolist() == [["OUTLIER_RATIO", "medium"]]
    assert confirmed.loc[0, "message"].endswith("; confirmed in the rules file: new hamlet)")
