"""A small hand-made area for the validation tests, written into tmp_path.

Province P (9) holds district D1 (10) with communes A (100), B (101) and C (102),
and district D2 (20) with commune E (200). On 01/01/2020 B and C merge into BC,
which keeps B's code 101. The review covers D1.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .conftest import write

UNITS = """
units:
  - {code: "9", name: P, level: province, valid_from: 2012-01-01}
  - {code: "10", name: D1, level: district, parent: "9", valid_from: 2012-01-01}
  - {code: "20", name: D2, level: district, parent: "9", valid_from: 2012-01-01}
  - {code: "100", name: A, level: commune, parent: "10", valid_from: 2012-01-01}
  - {code: "101", name: B, level: commune, parent: "10", valid_from: 2012-01-01, valid_to: 2019-12-31, successor: "101"}
  - {code: "101", name: BC, level: commune, parent: "10", valid_from: 2020-01-01}
  - {code: "102", name: C, level: commune, parent: "10", valid_from: 2012-01-01, valid_to: 2019-12-31, successor: "101"}
  - {code: "200", name: E, level: commune, parent: "20", valid_from: 2012-01-01}
"""
ELEMENTS = """
disaggregations:
  group:
    - {code: g1, name: G1}
    - {code: g2, name: G2}
elements:
  - {code: POP, name: Children, unit: children, value_type: integer, aggregation_time: last}
  - {code: AID, name: Aid, unit: children, value_type: integer, aggregation_time: last, disaggregation: group}
  - {code: AID_TOTAL, name: Aid total, unit: children, value_type: integer, aggregation_time: last}
  - {code: CARDS, name: Cards, unit: cards, value_type: integer, aggregation_time: sum}
  - {code: CARDS_VALUE, name: Cards value, unit: VND, value_type: amount, aggregation_time: sum}
  - {code: FLAG, name: Flag, unit: communes, value_type: boolean, aggregation_time: last}
  - {code: PLANS, name: Plans, unit: plans, value_type: integer, aggregation_time: sum, level: district}
"""
INDICATORS = """
indicators:
  - {code: POP, name: Children, numerator: POP, direction: neutral}
"""
RULES = """
constants:
  - {code: price, by_year: {2018: 100000, 2019: 110000}}
rules:
  - {code: AID_SUM, name: {vi: Tổng trợ cấp, en: Aid total}, left: AID_TOTAL, operator: "==", right: AID,
     missing_value_strategy: skip_if_all_missing, importance: high}
  - {code: CARDS_PRICE, name: Cards value, left: CARDS_VALUE, operator: "~=", right: "CARDS * $price",
     tolerance: 0.01, importance: high}
  - {code: AID_LE_POP, name: Aid at most children, left: AID, operator: "<=", right: POP,
     missing_value_strategy: skip_if_any_missing, importance: medium}
completeness: {importance: medium}
outliers: {}
"""
REVIEW = """
id: test-review
kind: annual
title: Test review
issuing_office: Office
place: Somewhere
date: 2020-01-15
area: "{area}"
first_year: {first}
last_year: {last}
cutoff: 2019-12-31
indicators: [POP]
data: ..
"""
HEADER = ["element", "period", "unit", "category", "value", "source", "comment"]


def write_values(path: Path, rows: list[tuple]) -> Path:
    """A store file; row i of ``rows`` lands on line i + 2. A row is (element, year, unit, category, value)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(HEADER)
        out.writerows([(*row, "test", "") for row in rows])
    return path


def make_area(root: Path, rows: list[tuple], rules: str = RULES, first: int = 2018, last: int = 2019,
              area: str = "10") -> Path:
    """Write catalog, rules, one values file and a review under ``root``; return the review path."""
    write(root / "catalog" / "org_units.yaml", UNITS)
    write(root / "catalog" / "data_elements.yaml", ELEMENTS)
    write(root / "catalog" / "indicators.yaml", INDICATORS)
    write(root / "catalog" / "validation_rules.yaml", rules)
    write_values(root / "values" / "values.csv", rows)
    return write(root / "reviews" / "review.yaml", REVIEW.format(area=area, first=first, last=last))


def every_commune(year: int, pop: int = 100) -> list[tuple]:
    """A minimal return from every commune of D1 valid in ``year``, plus the district's plans."""
    communes = ["100", "101", "102"] if year < 2020 else ["100", "101"]
    return [("POP", year, c, "default", pop) for c in communes] + [("PLANS", year, "10", "default", 1)]
