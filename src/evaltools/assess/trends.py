"""Trends over the review period, read through each indicator's direction."""

from __future__ import annotations

import math

import pandas as pd

READINGS = ("improving", "worsening", "stable", "increasing", "decreasing", "insufficient_data")


def reading(direction: str, first: float, last: float, band: float) -> str:
    """How a change from ``first`` to ``last`` reads.

    A relative change within ``±band`` is stable. Otherwise a rise is improving
    when higher is better, worsening when lower is better, and merely increasing
    for neutral indicators (decreasing likewise).
    """
    if math.isnan(first) or math.isnan(last):
        return "insufficient_data"
    change = (last - first) / abs(first) if first else (math.inf if last > 0 else -math.inf if last < 0 else 0.0)
    if abs(change) <= band:
        return "stable"
    up = change > 0
    if direction == "higher":
        return "improving" if up else "worsening"
    if direction == "lower":
        return "worsening" if up else "improving"
    return "increasing" if up else "decreasing"


def trends(table: pd.DataFrame, indicators: pd.DataFrame, area: str, years: list[int],
           band: float = 0.05, category: str = "total", partial_year: int | None = None,
           flows: frozenset[str] = frozenset()) -> pd.DataFrame:
    """First and last year with data, change and its reading, per indicator, for ``area``.

    ``partial_year`` is a year whose figures stop at the data cut-off: flows
    (indicators in ``flows``) counted over part of it would read as a fall, so their
    trend ends the year before.

    Returns
    -------
    DataFrame
        indicator, direction, first_year, first, last_year, last, change, relative, reading,
        series (dict year -> value).
    """
    rows = table[(table["unit"] == area) & (table["category"] == category)
                 & table["period"].isin([str(y) for y in years])]
    out = []
    for code, ind in indicators.iterrows():
        series = rows[rows["indicator"] == code].set_index("period")["value"]
        series = pd.Series({y: float(series.get(str(y), math.nan)) for y in years})
        known = series.dropna()
        if code in flows and partial_year is not None:
            known = known[known.index != partial_year]
        if len(known) < 2:
            first_year = last_year = None
            first = last = math.nan
        else:
            first_year, last_year = int(known.index[0]), int(known.index[-1])
            first, last = float(known.iloc[0]), float(known.iloc[-1])
        relative = (last - first) / abs(first) if first and not math.isnan(first) else math.nan
        out.append({"indicator": code, "direction": ind["direction"], "first_year": first_year, "first": first,
                    "last_year": last_year, "last": last, "change": last - first, "relative": relative,
                    "reading": reading(ind["direction"], first, last, band), "series": series.to_dict()})
    return pd.DataFrame(out)
