"""The indicator engine: data values in, every indicator per unit and period out.

1. :func:`aggregate` places the data values on the area's unit tree
   (:func:`evaltools.model.units.tree`, expressed in the units of the review's last
   year) as a dense cube node × year × data column, and notes the day each year's
   figures stop (:mod:`evaltools.model.periods`).
2. :func:`evaluate` computes each indicator (numerator / denominator × factor) for
   every unit alive at the end and every period.

How a figure is made (data/README.md gives the reasons):

- **Units that reported.** Each unit and year counts only when it reported the
  numerator, and for a rate the denominator too: a rate is computed on the units
  that reported both sides, never one side from some units and the other from
  others. A missing return is never a zero; the table says how many returns
  counted (``reported``) of those expected (``expected``: units at the level of
  the indicator's elements valid on 31 December of the year).
- **Over a span of years** (``aggregation``): a flow adds its years up (``sum``);
  a stock takes the latest year of the span in which some unit of the area
  reported it (``last``, that year in ``value_year``), the same year for every unit,
  never imputed from an earlier year; a rate of a flow is Σ numerator / Σ
  denominator over the years (``ratio``): per child-year when the denominator is a
  stock, each year's stock weighted by the share of the year its figures cover; a
  rate of a stock is the ratio in the ``last`` year. A single year is ``year``.
- **Over units**: counts add up; a score averaged over units (``aggregation_units:
  average``) is Σ scores / number of units that reported one (a merged commune
  averages its predecessors).
- A unit that no longer exists at the end is not a row; a merged unit's history is
  in its successor's rows; a split or dissolved unit's history is in its parent's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaltools.model import cube, units as unitlib
from evaltools.model.cube import Facts, roll_up
from evaltools.model.indicator_specs import Spec, leaves, specs as make_specs
from evaltools.model.catalog import Catalog
from evaltools.model.periods import Period, periods_for, year_cutoffs

__all__ = ["AGGREGATIONS", "Facts", "Period", "REASONS", "aggregate", "evaluate", "periods_for"]

REASON_NO_DATA = "no data"
REASON_NO_DENOMINATOR = "no data for the denominator"
REASON_ZERO_DENOMINATOR = "denominator is zero"
REASON_NO_PAIR = "no unit reported both the numerator and the denominator"
REASONS = ("", REASON_NO_DATA, REASON_NO_DENOMINATOR, REASON_ZERO_DENOMINATOR, REASON_NO_PAIR)
AGGREGATIONS = ("year", "sum", "last", "ratio")


def aggregate(values: pd.DataFrame, catalog: Catalog, area: str | None, periods: Sequence[Period],
              as_of: int | None = None, cutoff: dt.date | None = None) -> Facts:
    """Place the data values of ``area`` on its unit tree, for :func:`evaluate`.

    Parameters
    ----------
    values : DataFrame
        Long data values: element, period (year), unit, category, value.
    catalog : Catalog
        Org units, elements, indicators and declared partial years.
    area : str or None
        Code of the top unit; None for every unit in the catalog.
    periods : sequence of Period
        Years and spans to compute.
    as_of : int, optional
        Year whose org units the results are expressed in (default: the last year of
        ``periods``): units merged by then report under their successor.
    cutoff : date, optional
        The review's data cut-off: the figures of its year stop on that day.

    Returns
    -------
    Facts
        The cube and the unit tree; :func:`evaluate` turns it into the indicator table
        (its columns, with ``aggregation``, ``value_year``, ``partial``, ``reported``,
        ``expected`` and ``coverage``, are listed there). ``Facts.index`` is the
        (unit, period) index of the result rows; ``Facts.units`` the units alive at
        the end of ``as_of`` (dead units are never rows).
    """
    first = min(p.first for p in periods)
    last = max(p.last for p in periods)
    years = range(first, last + 1)
    tree = unitlib.tree(catalog.units, area, last if as_of is None else as_of, years)
    columns = catalog.columns()
    sums, has = cube.place([values], catalog, tree, columns)
    node_days = _node_days(tree, catalog, cutoff)
    area_days = node_days.min(axis=0) if len(tree.codes) else \
        np.array([d.toordinal() for d in year_cutoffs(years, cutoff).values()], dtype=np.int64)
    return Facts(tree, columns, sums, has, tuple(periods), tuple(dt.date.fromordinal(int(d)) for d in area_days),
                 catalog, node_days)


def _node_days(tree: unitlib.Tree, catalog: Catalog, cutoff: dt.date | None) -> np.ndarray:
    """Nodes × years: the last day (ordinal) of each node's returns: 31 December, the review's cut-off,
    or a partial year declared for the node's code or an area above it (``periods.yaml``)."""
    years = tree.years
    full = np.array([d.toordinal() for d in year_cutoffs(years, cutoff).values()], dtype=np.int64)
    days = np.tile(full, (len(tree.codes), 1))
    for code, declared in catalog.unit_partial_years().items():
        rows = np.flatnonzero(tree.codes == code)
        if len(rows):
            mine = np.array([d.toordinal() for d in year_cutoffs(years, cutoff, declared).values()], dtype=np.int64)
            days[rows] = np.minimum(days[rows], mine)
    return days


COUNTS = ("mask", "expected", "num_has", "den_has")


def _over_time(facts: Facts, leaves: dict[str, np.ndarray], specs: list[Spec]) -> tuple[dict, np.ndarray]:
    """Aggregate the years into periods: arrays node × period × spec, and the year of each ``last`` value.

    A stock's options (a donor's scholarships) take their total's year: a part missing that year is
    missing, never an earlier year's figure, so the parts add to their total."""
    n, k = leaves["num"].shape[0], len(specs)
    periods, start = facts.periods, facts.tree.years.start
    total = {s.code: i for i, s in reversed(list(enumerate(specs))) if s.category == "total"}
    anchor = np.array([total.get(s.code, i) for i, s in enumerate(specs)])
    out = {key: np.zeros((n, len(periods), k), dtype=np.int32 if key in COUNTS else float) for key in leaves}
    value_year = np.full((len(periods), k), -1)
    last = np.array([s.kind == "last" for s in specs])
    for p, period in enumerate(periods):
        a, b = period.first - start, period.last - start + 1
        if b - a == 1:
            for key, value in leaves.items():
                out[key][:, p, :] = value[:, a, :]
            value_year[p] = period.first
            continue
        ks = np.flatnonzero(~last)
        for key, value in leaves.items():
            out[key][:, p, ks] = value[:, a:b][:, :, ks].sum(axis=1)
        ks = np.flatnonzero(last)
        reported = leaves["mask"][:, a:b].any(axis=0)                        # years × specs
        latest = (b - a - 1) - np.argmax(reported[::-1], axis=0)
        found = reported.any(axis=0)[anchor]      # one year per stock: an option's is its total's
        year = a + np.where(found, latest[anchor], b - a - 1)
        for key, value in leaves.items():
            out[key][:, p, ks] = value[:, year[ks], ks]
        value_year[p, ks] = np.where(found[ks], start + year[ks], -1)
    return out, value_year


def _values(out: dict[str, np.ndarray], specs: list[Spec]) -> tuple[np.ndarray, np.ndarray]:
    """Value and reason code (index into REASONS) of every unit, period and spec (last axis)."""
    ratio = np.array([s.den is not None for s in specs])
    average = np.array([s.average for s in specs])
    num, den, counted = out["num"], out["den"], out["mask"]
    none = counted == 0
    reason = np.zeros(num.shape, dtype=np.int8)
    reason[none & ratio] = 4
    reason[none & ratio & (out["den_has"] == 0)] = 2
    reason[none & ((out["num_has"] == 0) | ~ratio)] = 1
    reason[~none & ratio & (den == 0)] = 3
    divisor = np.where(ratio, den, np.where(average, counted, 1.0))
    value = np.divide(num, divisor, out=np.full(num.shape, np.nan), where=reason == 0)
    value *= np.array([s.factor for s in specs], dtype=float)
    num[none] = np.nan                                # no return counted: no numerator either
    den[none] = np.nan
    return value, reason


def evaluate(facts: Facts, indicators: pd.DataFrame) -> pd.DataFrame:
    """Compute indicators for every unit alive at the end and every period.

    Parameters
    ----------
    facts : Facts
        Output of :func:`aggregate`.
    indicators : DataFrame
        Rows of the indicator catalog to compute.

    Returns
    -------
    DataFrame
        One row per indicator, unit, period and category, with columns:

        ========== ============ =====================================================
        indicator  category     indicator code
        unit       category     GSO code of the unit (alive at the end of the review)
        period     category     ``2017`` or ``2012-2017``
        category   category     ``total`` or an option code of the numerator's element
        value      float        numerator / denominator × factor; NaN with a reason
        numerator  float        Σ numerator over the returns counted (for an average:
                                Σ of the values averaged)
        denominator float       Σ denominator over the returns counted (child-years
                                for ``ratio`` of a flow over a stock; for an average:
                                the number of units averaged); NaN without one
        reason     category     why ``value`` is missing: "", ``no data``, ``no data
                                for the denominator``, ``denominator is zero``, ``no
                                unit reported both the numerator and the denominator``
        aggregation category    ``year`` (a single year), ``sum`` (flows added up),
                                ``last`` (the stock of ``value_year``), ``ratio``
                                (Σ numerator / Σ denominator over the years)
        value_year Int16        the year the value is of (``year`` and ``last``); <NA>
                                for ``sum`` and ``ratio``, or when nothing was reported
        partial    bool         the value draws on a year whose figures stop before
                                31 December in this unit (its own returns, or those
                                of a unit adding into it): the year; for ``last``
                                its year; for ``sum`` and ``ratio`` any year of the span
        partial_days category   the last days of those years, ISO, ";"-joined
                                (``2017-05-31``; "" when not partial): a span's
                                total says "2012–2022, of which 2017 to 31/05/2017"
        reported   int32        returns counted: units (for ``year``, ``last``) or
                                unit-years (``sum``, ``ratio``) that reported the
                                numerator — for a rate, both sides
        expected   int32        returns expected: units (or unit-years) at the
                                indicator's level valid on 31 December of the year
        coverage   float        reported / expected (NaN when nothing is expected)
        ========== ============ =====================================================

        Blocks follow ``indicators`` (each followed by its options), units and
        periods as in ``facts.index``.
    """
    specs = make_specs(facts.catalog, indicators, facts.columns)
    out, value_year = _over_time(facts, leaves(facts, specs), specs)
    roll_up(out, facts.tree)
    out = {key: v[facts.tree.output] for key, v in out.items()}
    value, reason = _values(out, specs)
    spans = np.array([p.last > p.first for p in facts.periods])
    aggregation = np.array([[0 if not spans[p] else AGGREGATIONS.index(s.kind) for s in specs]
                            for p in range(len(facts.periods))])
    days = facts.unit_days()[facts.tree.output]
    part, partial_days = _partial_rows(facts, specs, value_year, days)
    for k, spec in enumerate(specs):     # an average's denominator is the units averaged
        out["den"][:, :, k] = out["mask"][:, :, k] if spec.average else out["den"][:, :, k] if spec.den else np.nan
    return _tidy(facts, specs, {"value": value, "numerator": out["num"], "denominator": out["den"],
                                "reason": reason, "reported": out["mask"], "expected": out["expected"]},
                 aggregation, value_year, part, partial_days)


def _partial_rows(facts: Facts, specs: list[Spec], value_year: np.ndarray,
                  days: np.ndarray) -> tuple[np.ndarray, pd.Categorical]:
    """Units × periods × specs: whether a row draws on a year its unit's figures cut short (the year;
    for ``last`` its year; for ``sum`` and ``ratio`` any year of the span), and those years' last days
    (``partial_days``: ISO days joined by ";", "" for none), flat in :func:`_tidy`'s row order."""
    years = facts.tree.years
    cut = days < np.array([dt.date(y, 12, 31).toordinal() for y in years], dtype=np.int64)   # units × years
    last = np.array([s.kind == "last" for s in specs])
    n, p, k = len(days), len(facts.periods), len(specs)
    part = np.zeros((n, p, k), dtype=bool)
    code = np.zeros((n, p, k), dtype=np.int32)
    lookup: dict[str, int] = {"": 0}
    def intern(u: int, cols) -> int:  # noqa: E306
        key = ";".join(dt.date.fromordinal(int(days[u, c])).isoformat() for c in cols if cut[u, c])
        return lookup.setdefault(key, len(lookup))
    one = np.zeros(days.shape, dtype=np.int32)                          # units × years: that year's day
    for u, c in zip(*np.nonzero(cut)):
        one[u, c] = intern(u, [c])
    for q, period in enumerate(facts.periods):
        a, b = period.first - years.start, period.last - years.start + 1
        vy = value_year[q]
        col = np.where(vy >= 0, vy - years.start, 0)
        part[:, q, :] = np.where(vy >= 0, cut[:, col], ~last & cut[:, a:b].any(axis=1)[:, None])
        span = np.zeros(n, dtype=np.int32)
        for u in np.flatnonzero(cut[:, a:b].any(axis=1)):
            span[u] = intern(u, range(a, b))
        code[:, q, :] = np.where(vy >= 0, one[:, col], np.where(last, 0, span[:, None]))
    names = sorted(lookup, key=lookup.get)
    codes = np.where(part, code, 0)
    return part, pd.Categorical.from_codes(np.ascontiguousarray(codes.transpose(2, 0, 1)).ravel(), names)


def _tidy(facts: Facts, specs: list[Spec], arrays: dict[str, np.ndarray], aggregation: np.ndarray,
          value_year: np.ndarray, partial: np.ndarray, partial_days: pd.Categorical) -> pd.DataFrame:
    """Stack the blocks into one long table (spec, then unit, then period), categoricals from codes."""
    n, p = len(facts.units), len(facts.periods)
    flat = {key: np.ascontiguousarray(v.transpose(2, 0, 1)).ravel() for key, v in arrays.items()}
    per_period = {key: np.tile(v.T.astype(dtype), (1, n)).ravel()      # row = spec, unit, period
                  for key, v, dtype in (("aggregation", aggregation, np.int8), ("value_year", value_year, np.int16))}
    indicators = list(dict.fromkeys(s.code for s in specs))
    categories = list(dict.fromkeys(s.category for s in specs))
    index = facts.index
    def cat(codes: np.ndarray, names: Sequence[str]) -> pd.Categorical:  # noqa: E306
        small = np.int8 if len(names) < 127 else np.int16 if len(names) < 32_767 else np.int32
        return pd.Categorical.from_codes(codes.astype(small, copy=False), categories=list(names))
    expected = flat["expected"]
    coverage = np.divide(flat["reported"], expected, out=np.full(len(expected), np.nan), where=expected > 0)
    year = per_period["value_year"]
    return pd.DataFrame({
        "indicator": cat(np.repeat(np.array([indicators.index(s.code) for s in specs], np.int16), n * p),
                         indicators),
        "unit": cat(np.tile(index.codes[0], len(specs)), index.levels[0]),
        "period": cat(np.tile(index.codes[1], len(specs)), index.levels[1]),
        "category": cat(np.repeat(np.array([categories.index(s.category) for s in specs], np.int16), n * p),
                        categories),
        "value": flat["value"], "numerator": flat["numerator"], "denominator": flat["denominator"],
        "reason": cat(flat["reason"], REASONS),
        "aggregation": cat(per_period["aggregation"], AGGREGATIONS),
        "value_year": pd.arrays.IntegerArray(np.maximum(year, 0), year < 0),
        "partial": np.ascontiguousarray(partial.transpose(2, 0, 1)).ravel(),
        "partial_days": partial_days,
        "reported": flat["reported"], "expected": expected, "coverage": coverage,
    }, copy=False)
