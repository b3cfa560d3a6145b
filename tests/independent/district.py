"""A second area, written and computed from the documentation alone: no evaltools import.

Province 50 holds two districts in one store. District 501, reviewed 2018–2022 with figures
to 30/06/2022, has every kind of unit history:

- A (50101) lives throughout;
- B (50102) and C (50103) merge on 01/01/2020 into BC under a new code (50110);
- D (50104) and E (50105) merge on 01/01/2021 into DE, which keeps D's code 50104;
- F (50106) splits on 01/01/2020 into F1 (50107) and F2 (50108).

District 502 (G 50201, H 50202) shares the store and must never appear in 501's figures.
H splits on 01/01/2021 into H1 (50203) and H2 (50204); 502 has a review of its own,
2018–2022 with full years to 31/12/2022. Some returns are missing (see ``MISSING``).

Partial years belong to areas (``periods.yaml``, see ``PARTIAL``): 501's 2019 returns run to
30/09/2019, 502's 2020 returns to 31/03/2020; each district keeps its own, so 502's 2019 and
501's 2020 are full years. The aid group g2 (a donor) ends in 501 after 2020: it is absent,
never carried forward, from 501's end-of-period figure of 2022.

:func:`write` writes a data root (catalog/, values/, reviews/) from the documented file
formats (data/README.md, the catalogs' header comments). :func:`expected` computes every
indicator of the review in plain pandas from the rules of data/README.md ("How the figures
are made"): returns that count, aggregation over a span, partial years, unit history.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

YEARS = range(2018, 2023)
CUTOFF = dt.date(2022, 6, 30)
AREA = "501"
# code: (name, parent, valid from, valid to, successor(s))
UNITS = {
    "50": ("Tỉnh Mẫu B", None, 2018, None, None),
    "501": ("Huyện Hai", "50", 2018, None, None),
    "502": ("Huyện Ba", "50", 2018, None, None),
    "50101": ("Xã A", "501", 2018, None, None),
    "50102": ("Xã B", "501", 2018, 2019, "50110"),
    "50103": ("Xã C", "501", 2018, 2019, "50110"),
    "50110": ("Xã BC", "501", 2020, None, None),
    "50104": ("Xã D", "501", 2018, 2020, "50104"),
    "50104+": ("Xã DE", "501", 2021, None, None),       # the same code under its new name
    "50105": ("Xã E", "501", 2018, 2020, "50104"),
    "50106": ("Xã F", "501", 2018, 2019, ["50107", "50108"]),
    "50107": ("Xã F1", "501", 2020, None, None),
    "50108": ("Xã F2", "501", 2020, None, None),
    "50201": ("Xã G", "502", 2018, None, None),
    "50202": ("Xã H", "502", 2018, 2020, ["50203", "50204"]),
    "50203": ("Xã H1", "502", 2021, None, None),
    "50204": ("Xã H2", "502", 2021, None, None),
}
# The reviews of the store: id -> (area, first year, last year, cut-off)
REVIEWS = {"second-district": ("501", 2018, 2022, CUTOFF), "third-district": ("502", 2018, 2022, dt.date(2022, 12, 31))}
# Partial years per area (periods.yaml): unit -> {year: last day}
PARTIAL = {"501": {2019: dt.date(2019, 9, 30)}, "502": {2020: dt.date(2020, 3, 31)}}
ENDED = ("501", "g2", 2020)          # district, aid group, last year it is reported
ELEMENTS = """\
disaggregations:
  cause:
    - {code: a, name: {vi: "Nguyên nhân A", en: "Cause A"}}
    - {code: b, name: {vi: "Nguyên nhân B", en: "Cause B"}}
  grp:
    - {code: g1, name: {vi: "Nhóm 1", en: "Group 1"}}
    - {code: g2, name: {vi: "Nhóm 2", en: "Group 2"}}
elements:
  - {code: CHILDREN, name: {vi: "Trẻ em", en: "Children"}, unit: {vi: em, en: children}, value_type: integer, aggregation_time: last}
  - {code: CASES, name: {vi: "Ca", en: "Cases"}, unit: {vi: ca, en: cases}, value_type: integer, aggregation_time: sum, disaggregation: cause}
  - {code: VALUE, name: {vi: "Chi phí", en: "Cost"}, unit: {vi: đồng, en: VND}, value_type: amount, aggregation_time: sum}
  - {code: AID, name: {vi: "Trẻ hưởng trợ cấp", en: "Children on aid"}, unit: {vi: em, en: children}, value_type: integer, aggregation_time: last, disaggregation: grp}
  - {code: FLAG, name: {vi: "Xã đạt chuẩn", en: "Commune recognised"}, unit: {vi: xã, en: communes}, value_type: boolean, aggregation_time: last}
  - {code: SCORE, name: {vi: "Điểm", en: "Score"}, unit: {vi: điểm, en: points}, value_type: number, aggregation_time: last, aggregation_units: average}
  - {code: PLANS, name: {vi: "Kế hoạch", en: "Plans"}, unit: {vi: văn bản, en: plans}, value_type: integer, aggregation_time: sum, level: district}
"""
# code: (numerator, denominator or None, factor, disaggregate)
INDICATORS = {
    "COMMUNES": ("@communes", None, 1, False), "CHILDREN": ("CHILDREN", None, 1, False),
    "CASES": ("CASES", None, 1, True), "CASE_RATE": ("CASES", "CHILDREN", 1000, False),
    "COST_PER_CASE": ("VALUE", "CASES", 1, False), "AID": ("AID", None, 1, True),
    "AID_RATE": ("AID", "CHILDREN", 1000, False), "FLAGGED": ("FLAG", None, 1, False),
    "SHARE": ("FLAG", "@communes", 100, False), "SCORE": ("SCORE", None, 1, False), "PLANS": ("PLANS", None, 1, False),
}
TIME = {"CHILDREN": "last", "CASES": "sum", "VALUE": "sum", "AID": "last", "FLAG": "last", "SCORE": "last",
        "PLANS": "sum", "@communes": "last"}
OPTIONS = {"CASES": ["a", "b"], "AID": ["g1", "g2"]}
# (code, year, element) returns not sent; an element missing for a commune-year drops all its options
MISSING = {("50101", 2022, "CHILDREN"), ("50103", 2019, "CASES"), ("50103", 2019, "VALUE"),
           ("50107", 2021, "FLAG"), ("50105", 2018, "AID"), ("501", 2020, "PLANS"), ("50104", 2019, "SCORE"),
           ("50110", 2022, "FLAG"), ("50108", 2022, "SCORE")}


def _row_code(key: str) -> str:
    return key.rstrip("+")


def valid(key: str, year: int) -> bool:
    """A unit reports a year when it is valid on 31 December of that year."""
    _, _, start, end, _ = UNITS[key]
    return start <= year and (end is None or year <= end)


def units_yaml() -> str:
    lines = ["units:"]
    for key, (name, parent, start, end, succ) in UNITS.items():
        level = "province" if parent is None else "district" if parent == "50" else "commune"
        fields = [f'code: "{_row_code(key)}"', f"name: {name}", f"level: {level}",
                  f'parent: "{parent}"' if parent else "parent: null", f"valid_from: {start}-01-01"]
        if end is not None:
            fields.append(f"valid_to: {end}-12-31")
        if isinstance(succ, list):
            fields.append("successor: [" + ", ".join(f'"{s}"' for s in succ) + "]")
        elif succ:
            fields.append(f'successor: "{succ}"')
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def indicators_yaml() -> str:
    lines = ["indicators:"]
    for code, (num, den, factor, split) in INDICATORS.items():
        parts = [f"code: {code}", f"name: {code}", f'numerator: "{num}"', f"factor: {factor}", "direction: neutral",
                 "decimals: 2"]
        if den:
            parts.append(f'denominator: "{den}"')
        if split:
            parts.append("disaggregate: true")
        lines.append("  - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


def values() -> pd.DataFrame:
    """Every return of both districts, 2018–2022, seeded; the ``MISSING`` ones left out."""
    rng = np.random.default_rng(501)
    rows = []
    for year in YEARS:
        for key, (_, parent, *_) in UNITS.items():
            code = _row_code(key)
            if not valid(key, year) or parent is None:
                continue
            if parent == "50":
                rows.append((code, year, "PLANS", "default", int(rng.integers(1, 5))))
                continue
            children = int(rng.integers(800, 3000))
            rows += [(code, year, "CHILDREN", "default", children),
                     (code, year, "VALUE", "default", int(rng.integers(1, 50)) * 100_000),
                     (code, year, "FLAG", "default", int(rng.random() < 0.8)),
                     (code, year, "SCORE", "default", round(float(rng.uniform(700, 1000)), 1))]
            rows += [(code, year, "CASES", o, int(rng.poisson(children * 0.002))) for o in OPTIONS["CASES"]]
            rows += [(code, year, "AID", o, int(rng.poisson(children * 0.01))) for o in OPTIONS["AID"]
                     if not (parent == ENDED[0] and o == ENDED[1] and year > ENDED[2])]
    frame = pd.DataFrame(rows, columns=["unit", "period", "element", "category", "value"])
    drop = frame.apply(lambda r: (r["unit"], r["period"], r["element"]) in MISSING, axis=1)
    return frame[~drop].reset_index(drop=True)


def review_yaml(review: str) -> str:
    """A review config of the store, in the documented format."""
    area, first, last, cutoff = REVIEWS[review]
    signed = cutoff + dt.timedelta(days=15)           # signed after its cut-off
    return f"""\
id: {review}
kind: final
title: {{vi: Báo cáo thử, en: Test review}}
issuing_office: {{vi: Phòng Lao động - Thương binh và Xã hội, en: Labour office}}
place: Hai
date: {signed.isoformat()}
area: "{area}"
first_year: {first}
last_year: {last}
cutoff: {cutoff.isoformat()}
data: ..
indicators: [{", ".join(INDICATORS)}]
"""


REVIEW = review_yaml("second-district")


def periods_yaml() -> str:
    """periods.yaml: each district's own partial years (data/README.md, "Partial years")."""
    lines = ["partial_years:"]
    for unit, years in PARTIAL.items():
        lines += [f'  - {{unit: "{unit}", year: {y}, last_day: {d.isoformat()}}}' for y, d in years.items()]
    return "\n".join(lines) + "\n"


def write(root: Path) -> Path:
    """Write the data root under ``root``; return the review config."""
    (root / "catalog").mkdir(parents=True)
    (root / "values").mkdir()
    (root / "reviews").mkdir()
    (root / "catalog" / "org_units.yaml").write_text(units_yaml(), encoding="utf-8")
    (root / "catalog" / "data_elements.yaml").write_text(ELEMENTS, encoding="utf-8")
    (root / "catalog" / "indicators.yaml").write_text(indicators_yaml(), encoding="utf-8")
    store = values()[["element", "period", "unit", "category", "value"]]
    store.to_csv(root / "values" / "second.csv", index=False, lineterminator="\n")
    (root / "catalog" / "periods.yaml").write_text(periods_yaml(), encoding="utf-8")
    for review in REVIEWS:
        (root / "reviews" / f"{review}.yaml").write_text(review_yaml(review), encoding="utf-8")
    return root / "reviews" / "second-district.yaml"
