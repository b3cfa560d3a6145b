"""The indicator engine: data values in, every indicator per unit and period out.

Pipeline (each step a pure function):

1. :func:`aggregate` places the long data values on a dense cube
   unit × year × column (a column is ``ELEMENT`` or ``ELEMENT.option``), after
   mapping every unit to what it has become at the end of the review (mergers);
   then aggregates each column over each period by its element's rule (sum for
   flows, last for stocks) and rolls units up the hierarchy (sum, or average for
   scores). The result is a wide table of element values per (unit, period).
2. :func:`evaluate` turns that table into indicators: numerator / denominator ×
   factor, with a reason wherever a value is missing.

Dense numpy arrays are used because every (unit, year, column) cell is addressed
anyway; at national scale (11,000 units, 11 years, 100 columns) the cube holds
12 million cells, about 100 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import formula, units as unitlib
from .catalog import DEFAULT_OPTION, Catalog
from .errors import EvaltoolsError


@dataclass(frozen=True)
class Period:
    """A span of whole years, labelled ``2017`` or ``2012-2017``."""

    label: str
    first: int
    last: int


def periods_for(first: int, last: int) -> tuple[Period, ...]:
    """Each year from ``first`` to ``last``, then the whole span."""
    years = tuple(Period(str(y), y, y) for y in range(first, last + 1))
    return years + ((Period(f"{first}-{last}", first, last),) if last > first else ())


@dataclass(frozen=True)
class _Layout:
    """Index spaces of the cube."""

    units: list[str]          # reporting units in the area
    parent: np.ndarray        # index of each unit's parent in ``units``, -1 at the top
    depth: np.ndarray         # 0 for the area itself, growing downwards
    years: range
    columns: list[str]
    average: np.ndarray       # per column: aggregate over units by average
    last: np.ndarray          # per column: aggregate over time by last value
    element_column: np.ndarray  # per column: index of its element's total column


def _layout(catalog: Catalog, area: str | None, years: range, as_of: int) -> tuple[_Layout, np.ndarray]:
    units = catalog.units
    succ = unitlib.successor_map(units, as_of)
    members = [c for c in unitlib.in_area(units, area, as_of) if succ[c] == c]
    chains = unitlib.ancestors(units, as_of)
    index = {code: i for i, code in enumerate(members)}
    parent = np.array([index.get(next(iter(chains[c]), None), -1) if chains[c] else -1 for c in members])
    depth = np.array([sum(1 for a in chains[c] if a in index) for c in members])
    all_codes = list(succ)
    to_reporting = np.array([index.get(succ[c], -1) for c in all_codes])
    columns = catalog.columns()
    elements = catalog.elements
    element_of = [c.split(".")[0] for c in columns]
    average = np.array([c != formula.COMMUNE_COUNT and elements.at[e, "aggregation_units"] == "average"
                        for c, e in zip(columns, element_of)])
    last = np.array([c == formula.COMMUNE_COUNT or elements.at[e, "aggregation_time"] == "last"
                     for c, e in zip(columns, element_of)])
    element_column = np.array([columns.index(e) for e in element_of])
    layout = _Layout(members, parent, depth, years, columns, average, last, element_column)
    return layout, pd.Series(to_reporting, index=all_codes)


def _codes(series: pd.Series, categories: list[str], what: str) -> np.ndarray:
    codes = pd.Categorical(series, categories=categories).codes
    if (codes < 0).any():
        unknown = sorted(set(series[codes < 0].astype(str)))[:5]
        raise EvaltoolsError(f"data values name unknown {what}: {', '.join(unknown)}")
    return codes


def _column_lookup(catalog: Catalog, columns: list[str]) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Tables mapping (element, option) codes to the total column and the option column."""
    elements = [formula.COMMUNE_COUNT, *catalog.elements.index]
    options = [DEFAULT_OPTION, *sorted(set(catalog.options["option"]))]
    col = {c: i for i, c in enumerate(columns)}
    total = np.array([col[e] for e in elements])
    option = np.full((len(elements), len(options)), -2)   # -2: option not allowed for the element
    option[:, 0] = -1                                      # default: total column only
    for i, e in enumerate(elements):
        for j, o in enumerate(options):
            if f"{e}.{o}" in col:
                option[i, j] = col[f"{e}.{o}"]
    for i, e in enumerate(elements):
        if isinstance(catalog.elements["disaggregation"].get(e), str):
            option[i, 0] = -2                              # disaggregated: 'default' not allowed
    return elements, options, total, option


def _cells(values: pd.DataFrame, layout: _Layout, lookup: tuple,
           to_reporting: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat cube cell of every value (twice for an option: its column and its element total).

    Also returns, for cells of columns averaged over units whose reporting unit
    stands for several reported ones (a merger), ``cell * n + unit`` keys of the units
    as reported, so a merged unit averages over its predecessors.
    """
    elements, options, total, option = lookup
    years = layout.years
    v = values[(values["period"] >= years.start) & (values["period"] < years.stop)]
    e = _codes(v["element"], elements, "elements")
    o = _codes(v["category"], options, "categories")
    reported = _codes(v["unit"], list(to_reporting.index), "units")
    u = to_reporting.to_numpy()[reported]
    opt_col = option[e, o]
    if (opt_col == -2).any():
        bad = v[opt_col == -2].iloc[0]
        raise EvaltoolsError(f"element {bad['element']} has no category {bad['category']!r}")
    keep = u >= 0
    y = v["period"].to_numpy()[keep] - years.start
    value = v["value"].to_numpy(dtype=float)[keep]
    base = (u[keep] * len(years) + y) * len(layout.columns)
    has_option = opt_col[keep] >= 0
    columns = np.concatenate([total[e[keep]], opt_col[keep][has_option]])
    flat = np.concatenate([base, base[has_option]]) + columns
    units = np.concatenate([reported[keep], reported[keep][has_option]])
    merged = np.bincount(to_reporting.to_numpy()[to_reporting.to_numpy() >= 0], minlength=len(layout.units)) > 1
    averaged = layout.average[columns] & merged[np.concatenate([u[keep], u[keep][has_option]])]
    unit_keys = flat[averaged].astype(np.int64) * len(to_reporting) + units[averaged]
    return flat, np.concatenate([value, value[has_option]]), unit_keys


def _leaf_cube(frames: Sequence[pd.DataFrame], catalog: Catalog, layout: _Layout,
               to_reporting: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sum values per (reporting unit, year, column), and count what contributed.

    The count is 1 for a cell with data; for columns averaged over units it is the
    number of units as reported (Thanh An's 2015 score averages Cam An and Cam Thanh).
    """
    lookup = _column_lookup(catalog, layout.columns)
    parts = [_cells(f, layout, lookup, to_reporting) for f in frames]
    flat = np.concatenate([p[0] for p in parts])
    size = len(layout.units) * len(layout.years) * len(layout.columns)
    sums = np.bincount(flat, weights=np.concatenate([p[1] for p in parts]), minlength=size)
    has = (np.bincount(flat, minlength=size) > 0).astype(float)
    unit_keys = np.unique(np.concatenate([p[2] for p in parts]))
    merged = np.bincount(unit_keys // len(to_reporting), minlength=size)
    has = np.where(merged > 0, merged, has)
    shape = (len(layout.units), len(layout.years), len(layout.columns))
    return sums.reshape(shape), has.reshape(shape)


def _over_time(sums: np.ndarray, has: np.ndarray, layout: _Layout,
               periods: Sequence[Period]) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate the year axis into periods.

    Flows add their years up. A stock takes, for every unit, its value in the
    latest year of the period in which its element has data anywhere in the area:
    one figure never mixes years, and a year not yet reported falls back to the
    one before.
    """
    out_s = np.zeros((sums.shape[0], len(periods), sums.shape[2]))
    out_h = np.zeros_like(out_s)
    columns = np.arange(sums.shape[2])
    for p, period in enumerate(periods):
        a, b = period.first - layout.years.start, period.last - layout.years.start + 1
        s, h = sums[:, a:b, :], has[:, a:b, :]
        element_has = h.max(axis=0)[:, layout.element_column]          # years × columns
        latest = (b - a - 1) - np.argmax(element_has[::-1, :] > 0, axis=0)
        out_s[:, p, :] = np.where(layout.last, s[:, latest, columns], s.sum(axis=1))
        out_h[:, p, :] = np.where(layout.last, h[:, latest, columns], h.max(axis=1))
    return out_s, out_h


def _roll_up(sums: np.ndarray, has: np.ndarray, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """Add every unit's own values into all its ancestors, deepest level first."""
    sums, has = sums.copy(), has.copy()
    for d in range(int(layout.depth.max(initial=0)), 0, -1):
        rows = np.flatnonzero((layout.depth == d) & (layout.parent >= 0))
        np.add.at(sums, layout.parent[rows], sums[rows])
        np.add.at(has, layout.parent[rows], has[rows])
    return sums, has


def aggregate(values: pd.DataFrame, catalog: Catalog, area: str | None,
              periods: Sequence[Period], as_of: int | None = None) -> pd.DataFrame:
    """Element values per unit and period, aggregated over time and rolled up over units.

    Parameters
    ----------
    values : DataFrame
        Long data values: element, period (year), unit, category, value.
    catalog : Catalog
        Org units, elements and indicators.
    area : str or None
        Code of the top unit; None for every unit in the catalog.
    periods : sequence of Period
        Years and spans to aggregate to.
    as_of : int, optional
        Year whose org units the result is expressed in (default: the last year of
        ``periods``): units merged by then report under their successor.

    Returns
    -------
    DataFrame
        Index (unit, period); one float column per ``ELEMENT`` / ``ELEMENT.option``
        and ``@communes``; NaN where no value was reported.
    """
    first = min(p.first for p in periods)
    last = max(p.last for p in periods)
    as_of = last if as_of is None else as_of
    years = range(first, last + 1)
    layout, to_reporting = _layout(catalog, area, years, as_of)
    presence = unitlib.commune_presence(catalog.units, years).assign(
        element=formula.COMMUNE_COUNT, category=DEFAULT_OPTION)
    sums, has = _leaf_cube([values, presence], catalog, layout, to_reporting)
    sums, has = _over_time(sums, has, layout, periods)
    sums, has = _roll_up(sums, has, layout)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(layout.average, sums / has, sums)
    result[has == 0] = np.nan
    index = pd.MultiIndex.from_arrays(
        [pd.Categorical.from_codes(np.repeat(np.arange(len(layout.units)), len(periods)), layout.units),
         pd.Categorical.from_codes(np.tile(np.arange(len(periods)), len(layout.units)),
                                   [p.label for p in periods])],
        names=["unit", "period"])
    return pd.DataFrame(result.reshape(-1, len(layout.columns)), index=index, columns=layout.columns)


REASON_NO_DATA = "no data"
REASON_NO_DENOMINATOR = "no data for the denominator"
REASON_ZERO_DENOMINATOR = "denominator is zero"


def _formula_values(facts: pd.DataFrame, terms: Sequence[formula.Term]) -> np.ndarray:
    """Sum the signed terms; missing terms count 0 unless every column term is missing."""
    total = np.zeros(len(facts))
    seen = np.zeros(len(facts), dtype=bool)
    columns = False
    for term in terms:
        if term.constant is not None:
            total += term.sign * term.constant
            continue
        columns = True
        col = facts[term.column].to_numpy()
        present = ~np.isnan(col)
        seen |= present
        total += term.sign * np.where(present, col, 0.0)
    return np.where(seen, total, np.nan) if columns else total


REASONS = ("", REASON_NO_DATA, REASON_NO_DENOMINATOR, REASON_ZERO_DENOMINATOR)


def _indicator_block(facts: pd.DataFrame, numerator: Sequence[formula.Term],
                     denominator: Sequence[formula.Term] | None, factor: int) -> dict[str, np.ndarray]:
    """Value, numerator, denominator and reason code (index into REASONS) for every row."""
    num = _formula_values(facts, numerator)
    if denominator is None:
        return {"value": num * factor, "numerator": num, "denominator": np.full(len(num), np.nan),
                "reason": np.isnan(num).astype(np.int8)}
    den = _formula_values(facts, denominator)
    reason = np.select([np.isnan(num), np.isnan(den), den == 0], [1, 2, 3], 0).astype(np.int8)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(reason > 0, np.nan, num / den * factor)
    return {"value": value, "numerator": num, "denominator": den, "reason": reason}


def evaluate(facts: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Compute indicators from aggregated element values.

    Parameters
    ----------
    facts : DataFrame
        Output of :func:`aggregate`.
    indicators : DataFrame
        Rows of the indicator catalog to compute.

    Returns
    -------
    DataFrame
        Tidy: indicator, unit, period, category (``total`` or an option code),
        value, numerator, denominator, reason (empty when the value is present).
        The text columns are categorical.
    """
    blocks, labels = [], []
    for code, ind in indicators.iterrows():
        numerator = formula.parse(ind["numerator"])
        denominator = formula.parse(ind["denominator"]) if isinstance(ind["denominator"], str) else None
        blocks.append(_indicator_block(facts, numerator, denominator, ind["factor"]))
        labels.append((code, "total"))
        if ind["disaggregate"]:
            element = numerator[0].column
            for column in (c for c in facts.columns if c.startswith(element + ".")):
                term = (formula.Term(1, column=column),)
                blocks.append(_indicator_block(facts, term, denominator, ind["factor"]))
                labels.append((code, column.split(".", 1)[1]))
    return _tidy(facts.index, blocks, labels)


def _tidy(index: pd.MultiIndex, blocks: list[dict], labels: list[tuple[str, str]]) -> pd.DataFrame:
    """Stack the blocks into one long table, categoricals built from integer codes."""
    n, k = len(index), len(blocks)
    indicators = list(dict.fromkeys(c for c, _ in labels))
    categories = list(dict.fromkeys(o for _, o in labels))
    def stacked(codes: np.ndarray, names: list[str]) -> pd.Categorical:  # noqa: E306
        return pd.Categorical.from_codes(codes, categories=names)
    return pd.DataFrame({
        "indicator": stacked(np.repeat([indicators.index(c) for c, _ in labels], n), indicators),
        "unit": stacked(np.tile(index.codes[0], k), list(index.levels[0])),
        "period": stacked(np.tile(index.codes[1], k), list(index.levels[1])),
        "category": stacked(np.repeat([categories.index(o) for _, o in labels], n), categories),
        **{key: np.concatenate([b[key] for b in blocks]) for key in ("value", "numerator", "denominator")},
        "reason": stacked(np.concatenate([b["reason"] for b in blocks]), list(REASONS)),
    })
