"""Every indicator of a district of the store, computed in plain pandas from data/README.md alone.

The rules, as documented ("How the figures are made, and why"):

- units: a review is in the units of its last year; a merged unit counts in its successor
  (through a kept code too); a split unit only in its district; a unit gone by the end is
  not a row;
- a return counts when it holds the numerator and, for a rate, the denominator; expected
  returns are the units at the indicator's level valid on 31 December; missing is not zero;
- over the span: flows add up, stocks take the latest year some unit of the area reported
  (a stock's parts take their total's year: a part missing then is missing), rates of flows
  are Σ/Σ, child-years counted for the covered share of a partial year;
- partial years belong to an area (periods.yaml): a district's own, and the review's cut-off;
  a row is partial when it draws on such a year, and names those years' last days;
- scores averaged over units: Σ / units that reported.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .district import INDICATORS, OPTIONS, PARTIAL, REVIEWS, TIME, UNITS, _row_code, valid


def last_day(area: str, year: int, cutoff: dt.date) -> dt.date:
    """The last day the area's returns of ``year`` cover: 31 December, its declared day, the cut-off."""
    days = [dt.date(year, 12, 31), PARTIAL.get(area, {}).get(year, dt.date(year, 12, 31))]
    return min(days + ([cutoff] if cutoff.year == year else []))


def fraction(area: str, year: int, cutoff: dt.date) -> float:
    """Share of a year its figures cover: 273/365 for 501's 2019 to 30/09, 181/365 for 2022 to 30/06, else 1."""
    start = dt.date(year, 1, 1)
    return ((last_day(area, year, cutoff) - start).days + 1) / ((dt.date(year, 12, 31) - start).days + 1)


def owner(key: str) -> str | None:
    """The commune of the last year a unit's returns count in (None: only its district)."""
    while True:
        name, parent, start, end, succ = UNITS[key]
        if end is None:
            return _row_code(key)
        if isinstance(succ, list) or succ is None:
            return None
        key = next(k for k in UNITS if _row_code(k) == succ and UNITS[k][2] == end + 1)


def returns(area: str, years: range) -> pd.DataFrame:
    """One row per unit row of the area and year it is valid: its code, level and owner."""
    rows = []
    for key, (name, parent, *_) in UNITS.items():
        if parent != area and key != area:
            continue
        for year in years:
            if valid(key, year):
                rows.append({"key": key, "code": _row_code(key), "year": year,
                             "level": "district" if key == area else "commune", "owner": owner(key)})
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


def _per_return(values: pd.DataFrame, num: str, den: str | None, review: str) -> pd.DataFrame:
    area, first, last, cutoff = REVIEWS[review]
    frame = returns(area, range(first, last + 1))
    level = "district" if num == "PLANS" else "commune"
    frame = frame[frame["level"] == level].copy()
    frame["num"], num_has = _term(values, frame, num)
    frame["counted"] = num_has
    if den:
        den_value, den_has = _term(values, frame, den)
        weighted = TIME[num.split(".")[0]] == "sum" and TIME[den] == "last"
        share = frame["year"].map(lambda y: fraction(area, y, cutoff))
        frame["den"] = den_value * (share if weighted else 1.0)
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


def _cut(area: str, cutoff: dt.date, years) -> str:
    """``partial_days``: the last days of the years among ``years`` cut short, ISO, ';'-joined."""
    days = [last_day(area, y, cutoff) for y in years]
    return ";".join(d.isoformat() for d in days if d < dt.date(d.year, 12, 31))


def expected(values: pd.DataFrame, review: str = "second-district") -> pd.DataFrame:
    """The indicator table of a review's district: one row per indicator, unit, period and category."""
    area, first, last_year, cutoff = REVIEWS[review]
    years = range(first, last_year + 1)
    values = values.assign(unit=values["unit"].astype(str))
    units = [area] + sorted({o for o in returns(area, years)["owner"] if isinstance(o, str)} - {area})
    span = f"{first}-{last_year}"
    out = []
    for code, category, term in _blocks():
        _, den, _, _ = INDICATORS[code]
        frame = _per_return(values, term, den, review)
        kind = "ratio" if den and TIME[term.split(".")[0]] == "sum" else TIME[term.split(".")[0]]
        average = term == "SCORE"
        total = _per_return(values, term.split(".")[0], den, review)       # a stock's parts: their total's year
        reported_years = sorted(total.loc[total["counted"], "year"].unique())
        last = int(reported_years[-1]) if reported_years else None
        for unit in units:
            mine = frame if unit == area else frame[frame["owner"] == unit]
            for year in years:
                cut = _cut(area, cutoff, [year])
                out.append({"indicator": code, "unit": unit, "period": str(year), "category": category,
                            **_figure(mine[mine["year"] == year], code, average), "aggregation": "year",
                            "value_year": year, "partial": cut != "", "partial_days": cut})
            if kind == "last":
                rows = mine[mine["year"] == (last if last is not None else last_year)]
                cut = _cut(area, cutoff, [last]) if last is not None else ""
                extra = {"value_year": last, "partial": cut != "", "partial_days": cut}
            else:
                cut = _cut(area, cutoff, years)
                rows, extra = mine, {"value_year": None, "partial": cut != "", "partial_days": cut}
            out.append({"indicator": code, "unit": unit, "period": span, "category": category,
                        **_figure(rows, code, average), "aggregation": kind, **extra})
    return pd.DataFrame(out)
