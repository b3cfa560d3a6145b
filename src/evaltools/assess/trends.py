"""Trends over the review period, judged on the whole series and read through each indicator's direction.

The series holds the review's *comparable* years: a flow's partial year is left out
(five months are not a year), so are the years before a change of definition (the
series ends under today's definition) and, for counts, the years some unit did not
report (a missing return would read as a fall). On what remains:

- the direction and size come from the Theil–Sen slope (the median of the slopes
  between every two years): one odd year cannot make or unmake a trend;
- ``fitted_relative`` is the fitted change from the first to the last comparable year
  as a share of the fitted first value; within ``± band`` the trend is *stable*;
- a trend is **material** when it is not stable, needs at least ``min_years`` years,
  the observed first and last values move the slope's way, and, for counts of people
  or events, the counts are not small (a mean of at least ``min_count`` a year) and the
  fitted change exceeds twice the chance variation of a count that size (``2 / √n`` of
  it, n the mean yearly count): 3 → 5 bicycles, or 30 → 21 injuries, is not a trend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

READINGS = ("improving", "worsening", "stable", "increasing", "decreasing", "insufficient_data")
COLUMNS = ("indicator", "direction", "first_year", "first", "last_year", "last", "change", "relative", "years",
           "slope", "fitted_change", "fitted_relative", "threshold", "reading", "material", "why", "left_out",
           "series")


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


def theil_sen(years: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """Slope (per year) and intercept of the Theil–Sen line through the points."""
    i, j = np.triu_indices(len(years), k=1)
    slope = float(np.median((values[j] - values[i]) / (years[j] - years[i])))
    return slope, float(np.median(values - slope * years))


def _left_out(series: pd.Series, rows: pd.DataFrame, partial: frozenset[int], flow: bool, count: bool,
              since: int | None) -> dict[int, str]:
    """Years of the series that are not comparable with its last year, and why."""
    out = {}
    for year, value in series.items():
        row = rows.get(year)
        if math.isnan(value):
            out[year] = "no_data"
        elif flow and year in partial:
            out[year] = "partial_year"
        elif since is not None and year < since:
            out[year] = "definition_changed"
        elif count and row is not None and not row.get("coverage", 1.0) >= 1.0:
            out[year] = "incomplete"
    return out


def _judge(series: pd.Series, left_out: dict[int, str], rows: Mapping, direction: str, band: float,
           count: bool, min_years: int, min_count: float) -> dict:
    """The trend of the comparable years of one series."""
    known = series.drop(list(left_out))
    out = {"first_year": None, "first": math.nan, "last_year": None, "last": math.nan, "years": len(known),
           "slope": math.nan, "fitted_change": math.nan, "fitted_relative": math.nan, "threshold": band,
           "reading": "insufficient_data", "material": False, "why": "too_few_years"}
    if len(known) >= 1:
        out.update(first_year=int(known.index[0]), first=float(known.iloc[0]),
                   last_year=int(known.index[-1]), last=float(known.iloc[-1]))
    if len(known) < max(2, min_years):
        return out
    x, y = known.index.to_numpy(dtype=float), known.to_numpy(dtype=float)
    slope, intercept = theil_sen(x, y)
    start, end = intercept + slope * x[0], intercept + slope * x[-1]
    out.update(slope=slope, fitted_change=end - start, reading=reading(direction, start, end, band),
               fitted_relative=(end - start) / abs(start) if start else
               (math.copysign(math.inf, end - start) if end != start else 0.0))
    mean = float(np.mean([rows[yr].get("numerator", known[yr]) for yr in known.index])) if count else math.inf
    if count:
        out["threshold"] = max(band, 2 / math.sqrt(mean)) if mean > 0 else math.inf
    if out["reading"] == "stable":
        out["why"] = "within_band"
    elif mean < min_count:
        out["why"] = "small_counts"
    elif np.sign(out["last"] - out["first"]) != np.sign(slope):
        out["why"] = "inconsistent"
    elif abs(out["fitted_relative"]) <= out["threshold"]:
        out["why"] = "within_noise"
    else:
        out.update(material=True, why="")
    return out


def trends(table: pd.DataFrame, indicators: pd.DataFrame, area: str, years: list[int],
           band: float = 0.05, category: str = "total", partial_years: frozenset[int] = frozenset(),
           flows: frozenset[str] = frozenset(), counts: frozenset[str] = frozenset(),
           definitions: Mapping[str, int] | None = None, min_years: int = 3,
           min_count: float = 10) -> pd.DataFrame:
    """The trend of each indicator of ``area`` over ``years``.

    Parameters
    ----------
    table : DataFrame
        The indicator table (:func:`evaltools.model.engine.evaluate`; ``numerator`` and
        ``coverage`` are used when present).
    indicators : DataFrame
        The indicators to judge, with their ``direction``.
    partial_years : frozenset of int
        Years whose figures stop before 31 December: left out of the series of flows.
    flows : frozenset of str
        Indicators counting a flow (a span adds their years up, or divides the sums).
    counts : frozenset of str
        Indicators whose numerator counts people or events: the chance-variation
        threshold applies, and a year with a missing return is left out.
    definitions : mapping, optional
        Indicator -> first year under its current definition (years before are left out).
    min_years : int
        Comparable years a trend needs.
    min_count : float
        Mean yearly count below which a count's trend is never material.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: the first and last comparable years and their observed values
        (``first``, ``last``, ``change``, ``relative``), the number of comparable years,
        the Theil–Sen ``slope`` per year with the ``fitted_change`` and
        ``fitted_relative`` it implies, the ``threshold`` the fitted relative change had
        to pass, the ``reading`` (see :data:`READINGS`), ``material`` (bool), ``why``
        not material (``too_few_years``, ``within_band``, ``small_counts``,
        ``inconsistent``, ``within_noise``; empty when material), ``left_out`` (year -> reason:
        ``partial_year``, ``definition_changed``, ``incomplete``, ``no_data``) and
        ``series`` (year -> value, every year of the review).
    """
    rows = table[(table["unit"].astype(str) == area) & (table["category"].astype(str) == category)
                 & table["period"].astype(str).isin([str(y) for y in years])]
    out = []
    for code, ind in indicators.iterrows():
        mine = rows[rows["indicator"].astype(str) == code]
        by_year = {int(r["period"]): r for r in mine.to_dict("records")}
        series = pd.Series({y: float(by_year[y]["value"]) if y in by_year else math.nan for y in years}, dtype=float)
        left = _left_out(series, by_year, partial_years, code in flows, code in counts,
                         (definitions or {}).get(code))
        judged = _judge(series, left, by_year, ind["direction"], band, code in counts, min_years, min_count)
        change = judged["last"] - judged["first"]
        relative = change / abs(judged["first"]) if judged["first"] else math.nan
        out.append({"indicator": code, "direction": ind["direction"], **judged, "change": change,
                    "relative": relative, "left_out": left, "series": series.to_dict()})
    return pd.DataFrame(out, columns=list(COLUMNS))
