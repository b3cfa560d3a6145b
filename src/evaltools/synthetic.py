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

from .catalog import DEFAULT_OPTION, Catalog
from .units import valid_in


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
    start, merger = dt.date(scale.first_year, 1, 1), (scale.first_year + scale.last_year + 1) // 2
    rows = []
    for p in range(1, scale.provinces + 1):
        pc = f"{p:02d}"
        rows.append((pc, f"Tỉnh Mẫu {p}", "province", None, start, None, None))
        for d in range(1, scale.districts + 1):
            dc = f"{pc}{d:02d}"
            rows.append((dc, f"Huyện Mẫu {p}.{d}", "district", pc, start, None, None))
            for c in range(1, scale.communes + 1):
                cc = f"{dc}{c:03d}"
                end = dt.date(merger - 1, 12, 31) if c == 2 else None
                succ = f"{dc}001" if c == 2 else None          # commune 2 merges into commune 1
                rows.append((cc, f"Xã Mẫu {p}.{d}.{c}", "commune", dc, start, end, succ))
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


# --- A province as a data root, with the sample's catalog ------------------------------------------
#
# :func:`write_province` writes what an analyst's data folder holds (catalog/, values/, reviews/)
# for a made-up province, so batches run real reports on more than the sample district. The
# catalogs other than org_units.yaml are copied from the sample (same elements, indicators,
# standards); the values are generated per element with plausible magnitudes, seeded.

PROVINCE_CODE = "99"
_SYLLABLES = ("An", "Bình", "Hòa", "Phú", "Thạnh", "Tân", "Long", "Hưng", "Phước", "Đông", "Tây", "Nam",
              "Bắc", "Trung", "Thủy", "Sơn", "Hải", "Lộc", "Thành", "Mỹ", "Quang", "Vĩnh", "Xuân", "Hiệp",
              "Khánh", "Đức", "Lạc", "Nghĩa", "Tiến", "Thuận")
_SHARED_CATALOGS = ("data_elements.yaml", "indicators.yaml", "standards.yaml", "legends.yaml",
                    "validation_rules.yaml")
# Per child and year: (element, option or None, rate). Counts are Poisson around pop × rate.
_RATES = (("CSC_CHILDREN", None, 0.013), ("GIFTS", None, 0.065), ("ABUSE_CASES", None, 0.00015),
          ("ALLOWANCE", "orphan_both", 0.0012), ("ALLOWANCE", "disabled", 0.010),
          ("ALLOWANCE", "orphan_one", 0.014), ("INJURIES", "drowning", 0.0004),
          ("INJURIES", "traffic", 0.0004), ("INJURIES", "fall", 0.0003), ("INJURIES", "other", 0.0003),
          ("SCHOLARSHIPS", "zhishan", 0.004), ("HI_CARDS", None, 0.07))
# Yearly award per student (đồng) of each donor; None: students only, no amount reported.
_AWARDS = {"zhishan": 1_300_000, "fpt": 1_200_000, "vnep": 3_250_000, "aia": 3_250_000, "cap_la": None}


def _unique_names(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        a, b = rng.choice(len(_SYLLABLES), 2, replace=False)
        name = f"{_SYLLABLES[a]} {_SYLLABLES[b]}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def province_units(districts: int, first_year: int, last_year: int, seed: int) -> list[dict]:
    """Org-unit rows of the synthetic province: 8–12 communes per district, some merged in 2020.

    In every third district commune 3 merges into commune 2 on 01/01/2020 (when 2020 lies in
    the years), like Cam An and Cam Thanh in the sample.
    """
    rng = np.random.default_rng(seed)
    start = dt.date(first_year, 1, 1).isoformat()
    rows = [{"code": PROVINCE_CODE, "name": "Tỉnh Mẫu", "level": "province", "parent": None, "valid_from": start}]
    taken: set[str] = set()
    number = 1
    for d, name in enumerate(_unique_names(rng, districts, taken), 1):
        dc = f"{PROVINCE_CODE[0]}{d:02d}"
        rows.append({"code": dc, "name": f"Huyện {name}", "level": "district", "parent": PROVINCE_CODE,
                     "valid_from": start})
        merge = d % 3 == 1 and first_year < 2020 <= last_year
        for c, cname in enumerate(_unique_names(rng, int(rng.integers(8, 13)), taken), 1):
            code = f"{90000 + 3 * number}"
            number += 1
            row = {"code": code, "name": f"Thị trấn {name}" if c == 1 else f"Xã {cname}", "level": "commune",
                   "parent": dc, "valid_from": start}
            if rng.random() < 0.2 and c > 1:
                row["class"] = "disadvantaged"
            if merge and c == 3:
                row.update(valid_to="2019-12-31", successor=rows[-1]["code"])
            rows.append(row)
    return rows


def _org_units_yaml(rows: list[dict], seed: int) -> str:
    def text(key: str, v) -> str:
        if v is None:
            return "null"
        return f'"{v}"' if key in ("code", "parent", "successor") else str(v)   # codes stay strings

    lines = [f"# Org units of a synthetic province (evaltools.synthetic.write_province, seed {seed}):",
             "# made up, not real. Fields as in the sample's data/catalog/org_units.yaml.", "", "units:"]
    lines += ["  - {" + ", ".join(f"{k}: {text(k, v)}" for k, v in row.items()) + "}" for row in rows]
    return "\n".join(lines) + "\n"
