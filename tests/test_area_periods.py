"""Periods belong to areas (data/README.md, "Periods belong to areas"): the sample store with a second
district whose 2017 is complete, as a new user adds one from the documentation.

Cam Lộ's 2017 runs to 31/05/2017 (periods.yaml, unit "468"); district 469 ("Huyện Thử", two
communes) shares the store with a full 2017: 24 injuries among 17.000 children. Its figures must
not inherit Cam Lộ's cut-off: 24 / 17.000 = 1,41 ‰, not 24 / (17.000 × 151/365) = 3,41 ‰; no
partial mark; its 2017 recognitions (made at the end of a full year) are no timing finding; a
DHIS2 file of its twelve months of 2017 imports. Expected values are plain arithmetic.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd

import pytest

from evaltools.dataset.context import open_review
from evaltools.validation import validate

from .conftest import ROOT, make_project
from .test_intake_support import data_copy, problem_lines, run

UNITS = """
  - {code: "469", name: Huyện Thử, level: district, parent: "45", valid_from: 2012-01-01}
  - {code: "46901", name: Xã Thử Một, level: commune, parent: "469", valid_from: 2012-01-01}
  - {code: "46902", name: Xã Thử Hai, level: commune, parent: "469", valid_from: 2012-01-01}
"""
# (element, option): {(year, commune): value}; 24 injuries among 17.000 children in 2017
FIGURES = {("CHILDREN", "default"): {(2016, "46901"): 8400, (2016, "46902"): 8500, (2017, "46901"): 8450,
                                     (2017, "46902"): 8550},
           ("INJURIES", "drowning"): {(2016, "46901"): 10, (2016, "46902"): 11, (2017, "46901"): 13,
                                      (2017, "46902"): 11},
           ("CF_RECOGNISED", "default"): {(y, c): 1 for y in (2016, 2017) for c in ("46901", "46902")}}
VALUES = "element,period,unit,category,value,source,comment\n" + "".join(
    f"{e},{y},{c},{o},{v},test,\n" for (e, o), cells in FIGURES.items() for (y, c), v in cells.items())
REVIEW = """id: thu-2016-2017
kind: final
title: {vi: Báo cáo thử, en: Test review}
issuing_office: {vi: Phòng Lao động - Thương binh và Xã hội, en: Labour office}
place: Thử
date: 2018-01-15
area: "469"
first_year: 2016
last_year: 2017
cutoff: 2017-12-31
data: ..
indicators: [CHILDREN, INJURIES, INJURY_RATE, CF_COMMUNES]
"""


def add_district(data):
    units = data / "catalog" / "org_units.yaml"
    units.write_text(units.read_text(encoding="utf-8").rstrip("\n") + "\n" + UNITS, encoding="utf-8")
    (data / "values" / "thu-2016-2017.csv").write_text(VALUES, encoding="utf-8")
    (data / "reviews" / "thu-2016-2017.yaml").write_text(REVIEW, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = tmp_path_factory.mktemp("two-districts") / "data"
    shutil.copytree(ROOT / "data", data)
    make_project(data.parent)
    return add_district(data)


def test_the_second_districts_full_2017_is_a_full_year(store):
    data = open_review(store / "reviews" / "thu-2016-2017.yaml", "vi")
    rate = data.row("INJURY_RATE", 2017)
    assert rate["value"] == pytest.approx(24 / 17_000 * 1000)           # 1,41 ‰, not 3,41 ‰
    assert format(data.quantity("INJURY_RATE", 2017)) == "1,41"
    assert not rate["partial"] and rate["partial_days"] == "" and rate["denominator"] == 17_000
    assert data.partial_years == {} and data.year_label(2017) == "2017"
    span = data.row("INJURY_RATE")                                       # Σ/Σ over 2016–2017, full years
    assert span["value"] == pytest.approx((21 + 24) / (16_900 + 17_000) * 1000) and not span["partial"]
    assert data.quantity("INJURIES").partial_in == ()


def test_cam_lo_keeps_its_own_cut_off_in_the_same_store(store):
    data = open_review(store / "reviews" / "ct20-2012-2017.yaml", "vi")
    alone = open_review(ROOT / "data" / "reviews" / "ct20-2012-2017.yaml", "vi")
    for code in ("INJURY_RATE", "HI_CARDS", "CHILDREN"):
        a, b = data.row(code, 2017), alone.row(code, 2017)
        assert a["value"] == pytest.approx(b["value"]) and bool(a["partial"]) == bool(b["partial"])
    assert bool(data.row("INJURY_RATE", 2017)["partial"]) and data.year_label(2017) == "2017*"
    assert data.partial_years == {2017: dt.date(2017, 5, 31)}
    assert data.row("HI_CARDS")["partial_days"] == "2017-05-31"


def test_the_second_districts_2017_recognitions_are_no_timing_finding(store):
    found = validate(store / "reviews" / "thu-2016-2017.yaml").findings
    assert not found["rule"].astype(str).str.endswith("_NOT_BEFORE").any()
    # Cam Lộ's own 2017 recognition would still be one: the cut-off is its area's
    cam_lo = validate(store / "reviews" / "ct20-2012-2017.yaml").findings
    assert not cam_lo["rule"].astype(str).str.endswith("_NOT_BEFORE").any()   # the sample holds none for 2017


def test_a_dhis2_year_of_the_second_district_is_twelve_months(tmp_path):
    data = add_district(data_copy(tmp_path))
    months = tmp_path / "thu.json"
    months.write_text(json.dumps({"orgUnit": "46901", "dataValues": [
        {"dataElement": "HI_CARDS", "period": f"2017{m:02d}", "value": "10"} for m in range(1, 13)]}), encoding="utf-8")
    code, out, err = run(["import", months.name, "--data", data, "--dry-run"], tmp_path)
    assert (code, err) == (0, ""), err
    assert "importCount imported 1, updated 0, ignored 0, deleted 0; conflicts 0 (dry run" in out
    # the same months for a Cam Lộ commune stop on 31/05/2017
    late = tmp_path / "cam-lo.json"
    late.write_text(json.dumps({"orgUnit": "19597", "dataValues": [
        {"dataElement": "HI_CARDS", "period": f"2017{m:02d}", "value": "1"} for m in range(1, 7)]}), encoding="utf-8")
    code, _, err = run(["import", late.name, "--data", data], tmp_path)
    assert code == 1 and "2017's figures stop on 31/05/2017" in " ".join(problem_lines(err))


def test_a_stocks_parts_are_of_its_totals_year_and_add_to_it():
    """The ten-year review's scholarships: 2022's holders and amounts by donor, from the store itself."""
    data = open_review(ROOT / "data" / "reviews" / "ct20-2012-2022.yaml", "vi")
    store = pd.read_csv(ROOT / "data" / "values" / "cam-lo-2022.csv", dtype={"unit": str})
    for code in ("SCHOLARSHIPS", "SCHOLARSHIP_VALUE"):
        element = data.catalog.indicators.at[code, "numerator"]
        plain = store[store["element"] == element].groupby("category")["value"].sum()
        total = data.row(code)
        assert int(total["value_year"]) == 2022 and total["value"] == plain.sum()
        parts = data.parts(code).set_index("category")["value"]
        for donor, value in parts.items():
            # a donor without a 2022 figure (VNEP, AIA) is missing, never its last year's figure
            assert (value == plain[donor]) if donor in plain.index else pd.isna(value), (code, donor)
        assert parts.sum() == total["value"]                                    # the parts add to the total
    assert data.row("SCHOLARSHIPS")["value"] == 78 and data.row("SCHOLARSHIP_VALUE")["value"] == 106_560_000
