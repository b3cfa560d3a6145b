"""Data values placed on a dense cube: node of the unit tree × year × data column.

A data column is ``ELEMENT`` (all its options added), ``ELEMENT.option`` or
``@communes`` (1 for every commune valid in the year). A value of an option counts
twice: in its option column and in its element's column. Dense numpy arrays are
used because every cell is addressed anyway; at national scale (11,000 units, 11
years, 70 columns) the cube holds 9 million cells. :class:`Facts` is the cube of one area, with the
days its figures stop; :func:`roll_up` adds each node's figures into the nodes above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.core.errors import EvaltoolsError
from evaltools.model.periods import Period, is_partial
from evaltools.model.units import Tree


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


def _cells(values: pd.DataFrame, tree: Tree, lookup: tuple, n_columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat cube cell of every value (twice for an option: its column and its element total)."""
    elements, options, total, option = lookup
    years = tree.years
    v = values[(values["period"] >= years.start) & (values["period"] < years.stop)]
    e = _codes(v["element"], elements, "elements")
    o = _codes(v["category"], options, "categories")
    code = _codes(v["unit"], tree.code_index, "units")
    y = v["period"].to_numpy().astype(np.int64) - years.start
    node = tree.node_of[code, y]
    opt_col = option[e, o]
    if (opt_col == -2).any():
        bad = v[opt_col == -2].iloc[0]
        raise EvaltoolsError(f"element {bad['element']} has no category {bad['category']!r}")
    keep = node >= 0
    value = v["value"].to_numpy(dtype=float)[keep]
    base = (node[keep] * len(years) + y[keep]) * n_columns
    has_option = opt_col[keep] >= 0
    flat = np.concatenate([base + total[e[keep]], base[has_option] + opt_col[keep][has_option]])
    return flat, np.concatenate([value, value[has_option]])


def place(frames: Sequence[pd.DataFrame], catalog: Catalog, tree: Tree,
          columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sum the values per (node, year, column) and mark the cells that hold data.

    Returns
    -------
    (sums, has)
        Float and boolean arrays of shape nodes × years × columns. ``@communes``
        holds 1 in both for each commune valid on 31 December of the year.
    """
    lookup = _column_lookup(catalog, columns)
    parts = [_cells(f, tree, lookup, len(columns)) for f in frames]
    flat = np.concatenate([p[0] for p in parts])
    shape = (len(tree.codes), len(tree.years), len(columns))
    size = shape[0] * shape[1] * shape[2]
    sums = np.bincount(flat, weights=np.concatenate([p[1] for p in parts]), minlength=size).reshape(shape)
    has = (np.bincount(flat, minlength=size) > 0).reshape(shape)
    communes = tree.valid & (tree.level == "commune")[:, None]
    column = columns.index(formula.COMMUNE_COUNT)
    sums[:, :, column] = communes
    has[:, :, column] = communes
    return sums, has


@dataclass(frozen=True)
class Facts:
    """Data values on the area's unit tree, ready for :func:`evaltools.model.engine.evaluate`.

    Attributes
    ----------
    tree : Tree
        The units (see :func:`evaltools.model.units.tree`).
    columns : list of str
        The data columns (``ELEMENT``, ``ELEMENT.option``, ``@communes``).
    sums, has : ndarray
        Nodes × years × columns: the values added up, and whether any was reported.
    periods : tuple of Period
        The periods of the results.
    last_days : tuple of date
        Per year of ``tree.years``, the last day the area's figures cover (the earliest of
        its units': a year cut short in one district is cut short in the province).
    catalog : Catalog
        The catalog the values were read against.
    node_days : ndarray of int, optional
        Nodes × years: the last day each node's own returns cover (proleptic ordinal): a
        partial year belongs to an area (``periods.yaml``), so two districts of one store
        keep their own. None: ``last_days`` for every node.
    """

    tree: Tree
    columns: list[str]
    sums: np.ndarray
    has: np.ndarray
    periods: tuple[Period, ...]
    last_days: tuple[dt.date, ...]
    catalog: Catalog
    node_days: np.ndarray | None = None

    def days(self) -> np.ndarray:
        """Nodes × years: the last day (ordinal) each node's own returns cover."""
        if self.node_days is not None:
            return self.node_days
        return np.tile(np.array([d.toordinal() for d in self.last_days], dtype=np.int64), (len(self.tree.codes), 1))

    def unit_days(self) -> np.ndarray:
        """Nodes × years: the earliest last day (ordinal) of a node's own returns and of every node
        adding into it, so a total holding a cut-short year is cut short."""
        days = self.days().copy()
        roll_up({"days": days}, self.tree, np.minimum)
        return days

    @property
    def units(self) -> list[str]:
        """Codes of the result rows: the area and every unit below it alive at the end."""
        return list(self.tree.codes[self.tree.output])

    @property
    def index(self) -> pd.MultiIndex:
        """(unit, period) of the result rows, in the order of :func:`evaltools.model.engine.evaluate`'s blocks."""
        units, labels = self.units, [p.label for p in self.periods]
        return pd.MultiIndex.from_arrays(
            [pd.Categorical.from_codes(np.repeat(np.arange(len(units)), len(labels)), units),
             pd.Categorical.from_codes(np.tile(np.arange(len(labels)), len(units)), labels)],
            names=["unit", "period"])

    def partial(self) -> np.ndarray:
        """Per year: its figures stop before 31 December."""
        return np.array([is_partial(y, d) for y, d in zip(self.tree.years, self.last_days)])


def roll_up(arrays: dict[str, np.ndarray], tree: Tree, ufunc: np.ufunc = np.add) -> None:
    """Add every node's figures into the nodes above it, deepest level first (in place); ``ufunc``
    another way to combine them (``np.minimum``: the earliest day).

    The tree's nodes come level by level, each level sorted by the node above: a level
    is one slice, and the nodes adding into one parent are consecutive.
    """
    for depth in range(int(tree.depth.max(initial=0)), 0, -1):
        lo, hi = np.searchsorted(tree.depth, depth), np.searchsorted(tree.depth, depth, side="right")
        parents = tree.up[lo:hi]
        starts = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
        for value in arrays.values():
            value[parents[starts]] = ufunc(value[parents[starts]], ufunc.reduceat(value[lo:hi], starts, axis=0))
