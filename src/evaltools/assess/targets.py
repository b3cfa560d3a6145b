"""Targets and their attainment: achieved or not, with the gap in the indicator's unit.

Which figure a target is judged on (``judged_on``, ``judged_kind``):

- ``year``: a target with a year inside the review, on that year's figure;
- ``span``: a target without a year, on the whole period's figure (its ``aggregation``
  says whether that is a total, an end-of-period stock or a rate per child-year);
- ``latest``: a target due after the review, on the latest year with a figure
  (leaving out a flow's partial year), to show how far there is to go.

A figure some unit did not report (coverage below 100 %) never decides a target:
its status is ``incomplete``, neither achieved nor missed.
"""

from __future__ import annotations

import math
import operator as op

import pandas as pd

OPERATORS = {">=": op.ge, ">": op.gt, "<=": op.le, "<": op.lt, "==": op.eq}
ADDED = ("judged_on", "judged_kind", "period", "actual", "aggregation", "value_year", "partial", "reported",
         "expected", "coverage", "status", "achieved", "gap")


def _gap(operator: str, value: float, target: float) -> float:
    """How far ``value`` is from meeting the target, in the indicator's unit (0 when met)."""
    if operator in (">=", ">"):
        return max(0.0, target - value)
    if operator in ("<=", "<"):
        return max(0.0, value - target)
    return abs(value - target)


def _latest(rows: pd.DataFrame, years: range, flow: bool) -> str | None:
    """The latest year of the review with a value (a flow's partial year left out)."""
    for year in reversed(years):
        row = rows.get(str(year))
        if row is not None and not math.isnan(row["value"]) and not (flow and row.get("partial", False)):
            return str(year)
    return None


def _judged_on(t, first: int, last: int, rows: dict, flow: bool) -> tuple[str, str]:
    year = None if t.year is None or pd.isna(t.year) else int(t.year)
    if year is None:
        return (f"{first}-{last}" if last > first else str(first)), "span"
    if year > last:
        return _latest(rows, range(first, last + 1), flow) or str(last), "latest"
    return str(year), "year"


def attainment(table: pd.DataFrame, targets: pd.DataFrame, area: str, first: int, last: int,
               flows: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Assess each target against the area's indicator values.

    Parameters
    ----------
    table : DataFrame
        The indicator table (:func:`evaltools.model.engine.evaluate`).
    targets : DataFrame
        The review's targets (indicator, operator, value, year, category, plan).
    flows : frozenset of str
        Indicators counting a flow: a partial year never judges their ``latest`` figure.

    Returns
    -------
    DataFrame
        The targets with :data:`ADDED`: ``judged_on`` (the period label; ``period`` is
        the same), ``judged_kind`` (year, span or latest), ``actual`` (the figure) with
        its ``aggregation``, ``value_year``, ``partial``, ``reported``, ``expected`` and
        ``coverage``; ``status`` (achieved, not_achieved, not_yet_due, incomplete,
        no_data), ``achieved`` (bool, or NA unless decided) and ``gap`` (in the
        indicator's unit, 0 when met).
    """
    mine = table[table["unit"].astype(str) == area]
    rows = []
    for t in targets.itertuples(index=False):
        found = mine[(mine["indicator"].astype(str) == t.indicator) & (mine["category"].astype(str) == t.category)]
        by_period = {str(r["period"]): r for r in found.to_dict("records")}
        period, kind = _judged_on(t, first, last, by_period, t.indicator in flows)
        row = by_period.get(period, {})
        value = float(row.get("value", math.nan))
        coverage = float(row.get("coverage", 1.0))
        due_later = kind == "latest"
        if math.isnan(value):
            status, achieved, gap = "no_data", pd.NA, math.nan
        else:
            met, gap = OPERATORS[t.operator](value, t.value), _gap(t.operator, value, t.value)
            if not coverage >= 1.0:
                status, achieved = "incomplete", pd.NA
            else:
                status = "achieved" if met else ("not_yet_due" if due_later else "not_achieved")
                achieved = bool(met)
        rows.append({**t._asdict(), "judged_on": period, "judged_kind": kind, "period": period, "actual": value,
                     "aggregation": row.get("aggregation", "year" if kind != "span" else None),
                     "value_year": row.get("value_year", pd.NA), "partial": bool(row.get("partial", False)),
                     "reported": row.get("reported", pd.NA), "expected": row.get("expected", pd.NA),
                     "coverage": coverage if row else math.nan, "status": status, "achieved": achieved,
                     "gap": gap})
    return pd.DataFrame(rows, columns=[*targets.columns, *ADDED])
