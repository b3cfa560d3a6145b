"""Targets and their attainment: achieved or not, with the gap in the indicator's unit."""

from __future__ import annotations

import math
import operator as op

import pandas as pd

OPERATORS = {">=": op.ge, ">": op.gt, "<=": op.le, "<": op.lt, "==": op.eq}


def _gap(operator: str, value: float, target: float) -> float:
    """How far ``value`` is from meeting the target, in the indicator's unit (0 when met)."""
    if operator in (">=", ">"):
        return max(0.0, target - value)
    if operator in ("<=", "<"):
        return max(0.0, value - target)
    return abs(value - target)


def attainment(table: pd.DataFrame, targets: pd.DataFrame, area: str, first: int, last: int) -> pd.DataFrame:
    """Assess each target against the area's indicator values.

    A target for a year inside the review is judged on that year; one without a
    year, on the whole period; one for a later year is ``due`` later and judged on
    the review's last year, to show how far there is to go.

    Returns
    -------
    DataFrame
        The targets with: period (judged on), value, status (achieved, not_achieved,
        not_yet_due, no_data), achieved (bool or NA) and gap.
    """
    values = table[table["unit"] == area].set_index(["indicator", "period", "category"])["value"]
    span = f"{first}-{last}" if last > first else str(first)
    rows = []
    for t in targets.itertuples(index=False):
        year = None if t.year is None or pd.isna(t.year) else int(t.year)
        due_later = year is not None and year > last
        period = span if year is None else str(min(int(year), last))
        value = float(values.get((t.indicator, period, t.category), math.nan))
        if math.isnan(value):
            status, achieved, gap = "no_data", pd.NA, math.nan
        else:
            met = OPERATORS[t.operator](value, t.value)
            status = "achieved" if met else ("not_yet_due" if due_later else "not_achieved")
            achieved, gap = bool(met), _gap(t.operator, value, t.value)
        rows.append({**t._asdict(), "period": period, "actual": value, "status": status,
                     "achieved": achieved, "gap": gap})
    return pd.DataFrame(rows, columns=[*targets.columns, "period", "actual", "status", "achieved", "gap"])
