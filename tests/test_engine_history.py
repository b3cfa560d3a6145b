"""The engine across a split, with missing returns and partial years; every expectation by hand.

Province P (9) holds district D1 (10) and district D2 (20). In D1, commune A (100) lives
throughout; commune X (103) splits on 01/01/2020 into Y and Z (105). Y is a new code
(104), or X's own code kept (103): either way X's history stays with D1 and goes to
neither part. D2 holds commune E (200).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from evaltools.model import engine
from evaltools.model.catalog import load_catalog
from evaltools.core.errors import InputError

from .conftest import write
from .engine_area import UNITS as ENGINE_UNITS

# test_engine's province, districts and commune A, then X and its parts, and E
UNITS = "\n".join(ENGINE_UNITS.strip().splitlines()[:5]) + """
  - {code: "103", name: X, level: commune, parent: "10", valid_from: 2018-01-01, valid_to: 2019-12-31,
     successor: ["Y", "105"]}
  - {code: "Y", name: Y, level: commune, parent: "10", valid_from: 2020-01-01}
  - {code: "105", name: Z, level: commune, parent: "10", valid_from: 2020-01-01}
  - {code: "200", name: E, level: commune, parent: "20", valid_from: 2018-01-01}
"""
ELEMENTS = """
disaggregations: {}
elements:
  - {code: POP, name: Children, unit: children, value_type: integer, aggregation_time: last}
  - {code: CASES, name: Cases, unit: cases, value_type: integer, aggregation_time: sum}
  - {code: FLAG, name: Recognised, unit: communes, value_type: boolean, aggregation_time: last}
"""
INDICATORS = """
indicators:
  - {code: POP, name: Children, numerator: POP, direction: neutral}
  - {code: CASES, name: Cases, numerator: CASES, direction: lower}
  - {code: RATE, name: Cases per 1000, numerator: CASES, denominator: POP, factor: 1000, direction: lower}
  - {code: COMMUNES, name: Communes, numerator: "@communes", direction: neutral}
  - {code: FLAGGED, name: Recognised, numerator: FLAG, direction: neutral}
  - {code: SHARE, name: Share recognised, numerator: FLAG, denominator: "@communes", factor: 100, direction: higher}
"""
VALUES = {  # (element, year): {unit: value}; Y stands for the new part's code
    ("POP", 2018): {"100": 100, "103": 200, "200": 50}, ("POP", 2019): {"100": 100, "103": 210, "200": 50},
    ("POP", 2020): {"100": 110, "Y": 120, "105": 100, "200": 55}, ("POP", 2021): {"Y": 125, "105": 105, "200": 55},
    ("CASES", 2018): {"100": 1, "103": 4}, ("CASES", 2019): {"100": 2, "103": 3},
    ("CASES", 2020): {"100": 2, "Y": 1, "105": 2}, ("CASES", 2021): {"100": 5, "Y": 2, "105": 1},
    ("FLAG", 2019): {"100": 1, "103": 0}, ("FLAG", 2020): {"100": 1, "Y": 1},
    ("FLAG", 2021): {"100": 1, "Y": 1, "105": 1},
}


@pytest.fixture(scope="module", params=["104", "103"], ids=["new-code", "kept-code"])
def area(request, tmp_path_factory):
    """(catalog, values, code of the part Y)."""
    y = request.param
    folder = tmp_path_factory.mktemp("catalog")
    write(folder / "org_units.yaml", UNITS.replace('"Y"', f'"{y}"'))
    write(folder / "data_elements.yaml", ELEMENTS)
    write(folder / "indicators.yaml", INDICATORS)
    rows = [(e, year, y if u == "Y" else u, "default", v) for (e, year), units in VALUES.items()
            for u, v in units.items()]
    return load_catalog(folder), pd.DataFrame(rows, columns=["element", "period", "unit", "category", "value"]), y


def run(area, code="10", first=2018, last=2021, cutoff=None):
    catalog, values, _ = area
    facts = engine.aggregate(values, catalog, code, engine.periods_for(first, last), cutoff=cutoff)
    return engine.evaluate(facts, catalog.indicators).set_index(["indicator", "unit", "period", "category"])


def cell(out, indicator, unit, period):
    return out.loc[(indicator, unit, period, "total")]


def test_a_split_communes_history_stays_with_the_district_and_the_parts_start_at_the_split(area):
    out, y = run(area), area[2]
    assert set(out.index.get_level_values("unit")) == {"10", "100", y, "105"}    # X is gone
    assert [cell(out, "POP", "10", str(year))["value"] for year in (2018, 2019, 2020)] == [300, 310, 330]
    part = cell(out, "POP", y, "2019")
    assert math.isnan(part["value"]) and part["expected"] == 0 and math.isnan(part["coverage"])
    assert cell(out, "POP", y, "2020")["value"] == 120
    assert cell(out, "CASES", y, "2018-2021")["value"] == 1 + 2              # its own years only
    assert [cell(out, "COMMUNES", "10", str(year))["value"] for year in (2019, 2020)] == [2, 3]


def test_before_the_split_the_commune_is_a_row_of_its_own(area):
    out = run(area, last=2019)
    assert cell(out, "POP", "103", "2018-2019")["value"] == 210
    assert "105" not in set(out.index.get_level_values("unit"))


def test_a_missing_last_return_is_reported_as_coverage_never_imputed(area):
    out = run(area)
    stock = cell(out, "POP", "10", "2018-2021")
    # A sent no children for 2021: the stock is Y's and Z's, and says 2 of 3 communes
    assert (stock["value"], stock["value_year"], stock["aggregation"]) == (125 + 105, 2021, "last")
    assert (stock["reported"], stock["expected"]) == (2, 3) and stock["coverage"] == pytest.approx(2 / 3)
    assert math.isnan(cell(out, "POP", "100", "2018-2021")["value"])          # not A's 2020 figure
    flows = cell(out, "CASES", "10", "2018-2021")
    assert (flows["value"], flows["reported"], flows["expected"]) == (23, 10, 10)


def test_a_rate_counts_only_units_that_reported_both_sides(area):
    out = run(area)
    year = cell(out, "RATE", "10", "2021")        # A reported 5 cases but no children
    assert (year["numerator"], year["denominator"]) == (2 + 1, 125 + 105)
    assert (year["reported"], year["expected"]) == (2, 3)
    span = cell(out, "RATE", "10", "2018-2021")
    assert (span["numerator"], span["denominator"]) == (18, 1170)
    assert span["value"] == pytest.approx(18 / 1170 * 1000)
    assert (span["reported"], span["expected"]) == (9, 10)


def test_a_missing_return_is_neither_a_failure_nor_a_success(area):
    out = run(area)
    share, count = cell(out, "SHARE", "10", "2020"), cell(out, "FLAGGED", "10", "2020")
    # Z sent nothing: 2 of the 2 communes that reported, not 2 of 3 (nor 3 of 3)
    assert (share["numerator"], share["denominator"], share["value"]) == (2, 2, 100)
    assert (count["value"], count["reported"], count["expected"]) == (2, 2, 3)
    assert (share["reported"], share["expected"]) == (2, 3)
    assert cell(out, "SHARE", "10", "2019")["value"] == 50                  # X reported 0: not recognised


def test_a_cut_off_inside_the_last_year_marks_it_partial_and_counts_child_years(area):
    out = run(area, cutoff=dt.date(2021, 6, 30))
    share = 181 / 365
    year = cell(out, "RATE", "10", "2021")
    assert year["denominator"] == pytest.approx((125 + 105) * share) and bool(year["partial"])
    span = cell(out, "RATE", "10", "2018-2021")
    assert span["denominator"] == pytest.approx(1170 - 230 + 230 * share) and bool(span["partial"])
    assert not cell(out, "RATE", "10", "2020")["partial"]
    assert cell(out, "POP", "10", "2021")["value"] == 230                   # a stock on 30/06 is not scaled
    assert bool(cell(out, "POP", "10", "2018-2021")["partial"])


def _partial_catalog(area, tmp_path, periods: str):
    catalog, values, _ = area
    folder = tmp_path / "catalog"
    for path in catalog.files:
        write(folder / path.name, path.read_text(encoding="utf-8"))
    write(folder / "periods.yaml", periods)
    cases = pd.DataFrame([("CASES", 2019, "200", "default", 1)], columns=values.columns)   # E's one case
    return load_catalog(folder), pd.concat([values, cases], ignore_index=True), None


def test_a_year_the_catalog_declares_partial_for_an_area_is_partial_in_its_every_review(area, tmp_path):
    partial = _partial_catalog(area, tmp_path, 'partial_years:\n  - {unit: "10", year: 2019, last_day: 2019-05-31}\n')
    out = run(partial)
    assert bool(cell(out, "CASES", "10", "2019")["partial"]) and not cell(out, "CASES", "10", "2020")["partial"]
    assert cell(out, "RATE", "10", "2019")["denominator"] == pytest.approx(310 * 151 / 365)
    assert cell(out, "CASES", "100", "2019")["partial_days"] == "2019-05-31"      # its communes too
    # the span's stock comes from 2021, a full year; the span's flow says which year is cut short
    assert not cell(out, "POP", "10", "2018-2021")["partial"]
    assert cell(out, "CASES", "10", "2018-2021")["partial_days"] == "2019-05-31"
    assert cell(out, "CASES", "10", "2020")["partial_days"] == ""


def test_the_other_district_of_the_store_keeps_its_full_year(area, tmp_path):
    partial = _partial_catalog(area, tmp_path, 'partial_years:\n  - {unit: "10", year: 2019, last_day: 2019-05-31}\n')
    out = run(partial, code="20")
    assert not cell(out, "RATE", "20", "2019")["partial"]
    assert cell(out, "RATE", "20", "2019")["denominator"] == 50                 # a full year of its children
    assert cell(out, "CASES", "20", "2018-2021")["partial_days"] == ""
    # the province holds both: partial, each district's children weighted by its own share of the year
    province = run(partial, code="9")
    assert bool(cell(province, "POP", "9", "2019")["partial"]) and not cell(province, "POP", "20", "2019")["partial"]
    assert cell(province, "RATE", "9", "2019")["denominator"] == pytest.approx(310 * 151 / 365 + 50)
    assert cell(province, "RATE", "20", "2019")["value"] == pytest.approx(1 / 50 * 1000)


@pytest.mark.parametrize("entry, message", [
    ("{year: 2019, last_day: 2019-05-31}", "add unit: \"<code>\" to the entry"),
    ('{unit: "77", year: 2019, last_day: 2019-05-31}', "unit '77' is not in org_units.yaml"),
])
def test_a_partial_year_without_its_area_or_of_an_unknown_unit_is_refused_in_one_line(area, tmp_path, entry,
                                                                                       message):
    with pytest.raises(InputError) as caught:
        _partial_catalog(area, tmp_path, f"partial_years:\n  - {entry}\n")
    text = str(caught.value)
    assert "periods.yaml:2: key 'unit': " in text          # file, line and key
    assert message in text and len(text.strip().splitlines()) == 1, text


def test_one_districts_figures_never_include_the_other_district(area):
    out = run(area, code="20")
    assert set(out.index.get_level_values("unit")) == {"20", "200"}
    assert cell(out, "COMMUNES", "20", "2021")["value"] == 1
    assert cell(out, "POP", "20", "2018-2021")["value"] == 55


@pytest.mark.parametrize(("successor", "message"), [
    ('["104"]', "a list of two or more codes"), ('["104", "999"]', "unknown unit code '999'")])
def test_a_split_needs_two_known_successors(tmp_path, successor, message):
    folder = tmp_path / "catalog"
    write(folder / "org_units.yaml", UNITS.replace('["Y", "105"]', successor).replace('"Y"', '"104"'))
    write(folder / "data_elements.yaml", ELEMENTS)
    write(folder / "indicators.yaml", INDICATORS)
    with pytest.raises(InputError) as exc:
        load_catalog(folder)
    assert any(message in str(p) and "org_units.yaml:6" in str(p) for p in exc.value.problems), exc.value
