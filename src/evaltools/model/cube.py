"""Data values placed on a dense cube: node of the unit tree × year × data column.

A data column is ``ELEMENT`` (all its options added), ``ELEMENT.option`` or
``@communes`` (1 for every commune valid in the year). A value of an option counts
twice: in its option column and in its element's column. Dense numpy arrays are
used because every cell is addressed anyway; at national scale (11,000 units, 11
years, 70 columns) the cube holds 9 million cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.core.errors import EvaltoolsError
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
