"""Synthetic areas at any scale, for benchmarks and batch tests.

:func:`make_area` builds a catalog and data values for ``provinces`` ×
``districts`` × ``communes`` units over ``years``, with a commune merger in every
district half-way through (so unit history is exercised at scale). Values are
random but seeded: the same arguments give the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.model.vocabulary import vocabulary
from evaltools.model.units import valid_in


@dataclass(frozen=True)
class Scale:
    """Size of a synthetic area."""

    provinces: int = 63
    districts: int = 11          # per province
    communes: int = 15           # per district
    first_year: int = 2012
    last_year: int = 2022
    elements: int = 40
    disaggregated: int = 10      # of the elements, split into 3 options each


def _units(scale: Scale) -> pd.DataFrame:
    names = vocabulary()["sample_units"]
    start, merger = dt.date(scale.first_year, 1, 1), (scale.first_year + scale.last_year + 1) // 2
    rows = []
    for p in range(1, scale.provinces + 1):
        pc = f"{p:02d}"
        rows.append((pc, f"{names['province']} {p}", "province", None, start, None, None))
        for d in range(1, scale.districts + 1):
            dc = f"{pc}{d:02d}"
            rows.append((dc, f"{names['district']} {p}.{d}", "district", pc, start, None, None))
            for c in range(1, scale.communes + 1):
                cc = f"{dc}{c:03d}"
                end = dt.date(merger - 1, 12, 31) if c == 2 else None
                succ = f"{dc}001" if c == 2 else None          # commune 2 merges into commune 1
                rows.append((cc, f"{names['commune']} {p}.{d}.{c}", "commune", dc, start, end, succ))
    units = pd.DataFrame(rows, columns=["code", "name_vi", "level", "parent", "valid_from", "valid_to",
                                        "successor"])
    return units.assign(name_en=units["name_vi"], **{"class": "standard"}, line=0)


def _elements(scale: Scale) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes = [f"E{i:02d}" for i in range(1, scale.elements + 1)]
    elements = pd.DataFrame({
        "code": codes, "name_vi": codes, "name_en": codes, "unit_vi": "em", "unit_en": "children",
        "value_type": "integer",
        "aggregation_time": ["last" if i % 2 else "sum" for i in range(scale.elements)],
        "aggregation_units": ["average" if i in (3, 4) else "sum" for i in range(scale.elements)],
        "disaggregation": ["sex_age" if i < scale.disaggregated else np.nan for i in range(scale.elements)],
        "level": "commune", "line": 0,
    }).set_index("code", drop=False)
    options = pd.DataFrame({"disaggregation": "sex_age", "option": ["a", "b", "c"], "name_vi": ["A", "B", "C"],
                            "name_en": ["A", "B", "C"], "line": 0, "order": [0, 1, 2]})
    return elements, options.set_index(["disaggregation", "option"], drop=False)


def _indicators(elements: pd.DataFrame) -> pd.DataFrame:
    rows = []
    codes = list(elements.index)
    for i, code in enumerate(codes):
        disagg = isinstance(elements.at[code, "disaggregation"], str)
        rows.append((f"I_{code}", code, np.nan, 1, disagg))
        if i % 4 == 0:
            rows.append((f"R_{code}", code, codes[1], 1000, False))
    rows.append(("SHARE", codes[-1], "@communes", 100, False))
    frame = pd.DataFrame(rows, columns=["code", "numerator", "denominator", "factor", "disaggregate"])
    return frame.assign(name_vi=frame["code"], name_en=frame["code"], direction="neutral", decimals=1,
                        unit_vi="em", unit_en="children", line=0).set_index("code", drop=False)


def _values(units: pd.DataFrame, elements: pd.DataFrame, scale: Scale, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    communes = units[units["level"] == "commune"].reset_index(drop=True)
    keys = []                                   # (element, category) of every column
    for code, disagg in elements["disaggregation"].items():
        keys += [(code, o) for o in "abc"] if isinstance(disagg, str) else [(code, DEFAULT_OPTION)]
    element_names, category_names = list(elements.index), [DEFAULT_OPTION, "a", "b", "c"]
    e_codes = np.array([element_names.index(e) for e, _ in keys], dtype=np.int16)
    c_codes = np.array([category_names.index(c) for _, c in keys], dtype=np.int8)
    parts = {"e": [], "y": [], "u": [], "c": []}
    for year in range(scale.first_year, scale.last_year + 1):
        active = np.flatnonzero(valid_in(communes, year).to_numpy())
        parts["e"].append(np.tile(e_codes, len(active)))
        parts["c"].append(np.tile(c_codes, len(active)))
        parts["u"].append(np.repeat(active.astype(np.int32), len(keys)))
        parts["y"].append(np.full(len(active) * len(keys), year, dtype=np.int16))
    codes = {k: np.concatenate(v) for k, v in parts.items()}
    return pd.DataFrame({
        "element": pd.Categorical.from_codes(codes["e"], element_names),
        "period": codes["y"],
        "unit": pd.Categorical.from_codes(codes["u"], list(communes["code"])),
        "category": pd.Categorical.from_codes(codes["c"], category_names),
        "value": rng.poisson(40, len(codes["e"])).astype(float),
    })


def make_area(scale: Scale = Scale(), seed: int = 1) -> tuple[Catalog, pd.DataFrame]:
    """A synthetic catalog and its data values (element, period, unit, category, value)."""
    units = _units(scale)
    elements, options = _elements(scale)
    catalog = Catalog(units, options, elements, _indicators(elements), files=())
    return catalog, _values(units, elements, scale, seed)
