"""Data values side by side: one row per (unit, year) as reported, one column per data column.

A data column is ``ELEMENT`` (all its options added) or ``ELEMENT.option``, the
keys of :meth:`evaltools.model.catalog.Catalog.columns`. Units are kept as they
reported: nothing is merged or rolled up, so a rule checks one return at a time.
"""

from __future__ import annotations

import pandas as pd

from evaltools.model.catalog import DEFAULT_OPTION


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row under its element key, and again under its ``ELEMENT.option`` key."""
    rows = rows.assign(unit=rows["unit"].astype(str), element=rows["element"].astype(str),
                       category=rows["category"].astype(str))
    total = rows.assign(column=rows["element"])
    options = rows[rows["category"] != DEFAULT_OPTION]
    options = options.assign(column=options["element"] + "." + options["category"])
    return pd.concat([total, options], ignore_index=True).rename(columns={"period": "year"})


def wide_values(rows: pd.DataFrame) -> pd.DataFrame:
    """Sum the values of each (unit, year, column).

    Parameters
    ----------
    rows : DataFrame
        Typed data values: element, period, unit, category, value.

    Returns
    -------
    DataFrame
        Index (unit, year); one float column per data column reported; NaN where
        the unit reported nothing for the column that year.
    """
    keyed = _keyed(rows)
    if keyed.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["unit", "year"]))
    return keyed.pivot_table(index=["unit", "year"], columns="column", values="value", aggfunc="sum")


def provenance(rows: pd.DataFrame) -> pd.DataFrame:
    """Where each (unit, year, column) value came from: the first contributing row.

    Returns
    -------
    DataFrame
        Index (unit, year, column); file, line, source.
    """
    keyed = _keyed(rows).sort_values(["file", "line"], kind="stable")
    return keyed.groupby(["unit", "year", "column"], sort=False)[["file", "line", "source"]].first()
