"""Every indicator of the second district, computed in plain pandas from data/README.md alone.

The rules, as documented ("How the figures are made, and why"):

- units: a review is in the units of its last year; a merged unit counts in its successor
  (through a kept code too); a split unit only in its district; a unit gone by the end is
  not a row;
- a return counts when it holds the numerator and, for a rate, the denominator; expected
  returns are the units at the indicator's level valid on 31 December; missing is not zero;
- over the span: flows add up, stocks take the latest year some unit of the area reported,
  rates of flows are Σ/Σ, child-years counted for the covered share of a partial year;
- scores averaged over units: Σ / units that reported.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .district import AREA, CUTOFF, INDICATORS, OPTIONS, TIME, UNITS, YEARS, _row_code, valid


def fraction(year: int) -> float:
    """Share of a year its figures cover: 181/365 for 2022 to 30/06, else 1."""
    if year != CUTOFF.year:
        return 1.0
    start = dt.date(year, 1, 1)
    return ((CUTOFF - start).days + 1) / ((dt.date(year, 12, 31) - start).days + 1)


def owner(key: str) -> str | None:
    """The commune of the last year a unit's returns count in (None: only its district)."""
    while True:
        name, parent, start, end, succ = UNITS[key]
        if end is None:
            return _row_code(key)
        if isinstance(succ, list) or succ is None:
            return None
        key = next(k for k in UNITS if _row_code(k) == succ and UNITS[k][2] == end + 1)


def returns() -> pd.DataFrame:
    """One row per unit row of the area and year it is valid: its code, level and owner."""
    rows = []
    for key, (name, parent, *_) in UNITS.items():
        if parent != AREA and key != AREA:
            continue
        for year in YEARS:
            if valid(key, year):
                rows.append({"key": key, "code": _row_code(key), "year": year,
                             "level": "district" if key == AREA else "commune", "owner": owner(key)})
    return pd.DataFrame(rows)


def _term(values: pd.DataFrame, frame: pd.DataFrame, term: str) -> tuple[pd.Series, pd.Series]:
    """Value (0 when missing) and presence of a formula term on every return."""
    if term == "@communes":
        present = frame["level"] == "commune"
        return present.astype(float), present
    element, _, option = term.partition(".")
    mine = values[values["element"] == element]
    if option:
        mine = mine[mine["category"] == option]
    sums = mine.groupby(["unit", "period"])["value"].sum()
    keys = list(zip(frame["code"], frame["year"]))
    got = pd.Series([sums.get(k, np.nan) for k in keys], index=frame.index)
    return got.fillna(0.0), got.notna()


def _per_return(values: pd.DataFrame, num: str, den: str | None) -> pd.DataFrame:
    frame = returns()
    level = "district" if num == "PLANS" else "commune"
    frame = frame[frame["level"] == level].copy()
    frame["num"], num_has = _term(values, frame, num)
    frame["counted"] = num_has
    if den:
        den_value, den_has = _term(values, frame, den)
        weighted = TIME[num.split(".")[0]] == "sum" and TIME[den] == "last"
        frame["den"] = den_value * (frame["year"].map(fraction) if weighted else 1.0)
        frame["counted"] &= den_has
    else:
        frame["den"] = 0.0
    frame.loc[~frame["counted"], ["num", "den"]] = 0.0
    return frame


def _figure(rows: pd.DataFrame, code: str, average: bool) -> dict:
    num, den, reported = rows["num"].sum(), rows["den"].sum(), int(rows["counted"].sum())
    _, denominator, factor, _ = INDICATORS[code]
    if reported == 0:                                   # nothing counted: no figure, no zero
        num = den = np.nan
    if reported == 0 or (denominator and den == 0):
        value = np.nan
    elif denominator:
        value = num / den * factor
    else:
        value = (num / reported if average else num) * factor
    return {"value": value, "numerator": num, "reported": reported, "expected": len(rows),
            "denominator": den if denominator else (float(reported) if average else np.nan)}


def _blocks() -> list[tuple[str, str, str]]:
    """(indicator, category, numerator term) of every result block."""
    out = []
    for code, (num, den, factor, split) in INDICATORS.items():
        out.append((code, "total", num))
        out += [(code, option, f"{num}.{option}") for option in OPTIONS.get(num, [])] if split else []
    return out


def expected(values: pd.DataFrame) -> pd.DataFrame:
    """The indicator table of district 501: one row per indicator, unit, period and category."""
    values = values.assign(unit=values["unit"].astype(str))
    units = [AREA] + sorted({o for o in returns()["owner"] if isinstance(o, str)} - {AREA})
    span = f"{YEARS.start}-{YEARS.stop - 1}"
    out = []
    for code, category, term in _blocks():
        _, den, _, _ = INDICATORS[code]
        frame = _per_return(values, term, den)
        kind = "ratio" if den and TIME[term.split(".")[0]] == "sum" else TIME[term.split(".")[0]]
        average = term == "SCORE"
        reported_years = sorted(frame.loc[frame["counted"], "year"].unique())
        last = int(reported_years[-1]) if reported_years else None
        for unit in units:
            mine = frame if unit == AREA else frame[frame["owner"] == unit]
            for year in YEARS:
                out.append({"indicator": code, "unit": unit, "period": str(year), "category": category,
                            **_figure(mine[mine["year"] == year], code, average), "aggregation": "year",
                            "value_year": year, "partial": year == CUTOFF.year})
            if kind == "last":
                rows = mine[mine["year"] == (last if last is not None else YEARS.stop - 1)]
                extra = {"value_year": last, "partial": last == CUTOFF.year}
            else:
                rows, extra = mine, {"value_year": None, "partial": True}
            out.append({"indicator": code, "unit": unit, "period": span, "category": category,
                        **_figure(rows, code, average), "aggregation": kind, **extra})
    return pd.DataFrame(out)
