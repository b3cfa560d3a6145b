"""The small hand-made area of the engine tests, shared by other tests as fixtures.

Area: province P (9) with district D1 (10) and district D2 (20).
D1 holds communes A (100), B (101) and C (102); on 01/01/2020 B and C merge
into "BC", which keeps B's code 101. D2 holds commune E (200).
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaltools.model.catalog import load_catalog

from .conftest import write

UNITS = """
units:
  - {code: "9", name: P, level: province, valid_from: 2018-01-01}
  - {code: "10", name: D1, level: district, parent: "9", valid_from: 2018-01-01}
  - {code: "20", name: D2, level: district, parent: "9", valid_from: 2018-01-01}
  - {code: "100", name: A, level: commune, parent: "10", valid_from: 2018-01-01}
  - {code: "101", name: B, level: commune, parent: "10", valid_from: 2018-01-01, valid_to: 2019-12-31, successor: "101"}
  - {code: "101", name: BC, level: commune, parent: "10", valid_from: 2020-01-01}
  - {code: "102", name: C, level: commune, parent: "10", valid_from: 2018-01-01, valid_to: 2019-12-31, successor: "101"}
  - {code: "200", name: E, level: commune, parent: "20", valid_from: 2018-01-01}
"""
ELEMENTS = """
disaggregations:
  cause:
    - {code: x, name: X}
    - {code: y, name: Y}
elements:
  - {code: POP, name: Population, unit: people, value_type: integer, aggregation_time: last}
  - {code: CASES, name: Cases, unit: cases, value_type: integer, aggregation_time: sum, disaggregation: cause}
  - {code: SCORE, name: Score, unit: points, value_type: number, aggregation_time: last, aggregation_units: average}
  - {code: FLAG, name: Flag, unit: communes, value_type: boolean, aggregation_time: last}
  - {code: PLANS, name: Plans, unit: plans, value_type: integer, aggregation_time: sum, level: district}
"""
INDICATORS = """
indicators:
  - {code: CASES, name: Cases, numerator: CASES, direction: lower, disaggregate: true}
  - {code: RATE, name: Cases per 1000, numerator: CASES, denominator: POP, factor: 1000, direction: lower}
  - {code: SHARE, name: Flagged share, numerator: FLAG, denominator: "@communes", factor: 100, direction: higher}
  - {code: SCORE, name: Score, numerator: SCORE, direction: higher}
  - {code: POP, name: Population, numerator: POP, direction: neutral}
  - {code: OTHER, name: Not x, numerator: CASES - CASES.x + 0, direction: neutral}
  - {code: PLANS, name: Plans, numerator: PLANS, direction: neutral}
"""
# element, period, unit, category, value
ROWS = [
    ("POP", 2018, "100", "default", 100), ("POP", 2019, "100", "default", 110),
    ("POP", 2020, "100", "default", 120),
    ("POP", 2018, "101", "default", 50), ("POP", 2019, "101", "default", 55),
    ("POP", 2018, "102", "default", 30), ("POP", 2019, "102", "default", 0),
    ("POP", 2020, "101", "default", 90),
    ("POP", 2018, "200", "default", 400),          # E reports no POP after 2018
    ("CASES", 2018, "100", "x", 1), ("CASES", 2019, "100", "x", 2), ("CASES", 2020, "100", "x", 3),
    ("CASES", 2019, "100", "y", 5),
    ("CASES", 2018, "101", "x", 4), ("CASES", 2019, "102", "y", 6), ("CASES", 2020, "101", "y", 7),
    ("CASES", 2020, "200", "x", 10),
    ("SCORE", 2019, "100", "default", 900), ("SCORE", 2019, "101", "default", 800),
    ("SCORE", 2019, "102", "default", 700),
    ("FLAG", 2019, "100", "default", 1), ("FLAG", 2019, "101", "default", 1), ("FLAG", 2019, "102", "default", 0),
    ("FLAG", 2020, "100", "default", 1), ("FLAG", 2020, "101", "default", 1),
    ("PLANS", 2019, "10", "default", 3),
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalog")
    write(folder / "org_units.yaml", UNITS)
    write(folder / "data_elements.yaml", ELEMENTS)
    write(folder / "indicators.yaml", INDICATORS)
    return load_catalog(folder)


@pytest.fixture(scope="module")
def values():
    return pd.DataFrame(ROWS, columns=["element", "period", "unit", "category", "value"])
