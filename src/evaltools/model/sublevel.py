"""The level a review compares its area on: the org-unit level directly below the area.

A district's review ranks and tabulates its communes; a province's, its districts; a
national review (an area whose children are provinces), its provinces. The level is read
from the catalog's org units (the level of the area's children in the review's last
year), never assumed: a catalog whose districts hold wards, or a province without
districts, gets what it holds.
"""

from __future__ import annotations

import pandas as pd

from evaltools.model import units as unitlib
from evaltools.model.catalog import LEVELS


def level_below(units: pd.DataFrame, area: str, as_of: int) -> str | None:
    """The level of ``area``'s children valid in ``as_of`` (None: it has none).

    Several levels under one area (a district holding communes and, oddly, a province):
    the highest of them in :data:`evaltools.model.catalog.LEVELS` order, the one a table of the
    area's parts must show.
    """
    current = unitlib.current_rows(units, as_of)
    children = current[(current["parent"].astype(str) == str(area)) & unitlib.valid_in(current, as_of)]
    levels = [lvl for lvl in LEVELS if lvl in set(children["level"])]
    return levels[0] if levels else None


def level_of(units: pd.DataFrame, area: str, as_of: int) -> str | None:
    """The level of ``area`` itself (None when the catalog does not hold it)."""
    current = unitlib.current_rows(units, as_of)
    return str(current.at[str(area), "level"]) if str(area) in current.index else None


def by_unit(indicators: pd.DataFrame, code: str, period: str, level: str | None) -> pd.DataFrame:
    """One indicator's total for every unit of ``level`` with data in ``period``.

    Returns
    -------
    DataFrame
        unit, unit_name, value, coverage (share of expected returns received, 1 when the
        table does not say) and partial (the figure draws on a year cut off early).
    """
    t = indicators
    rows = t[(t["indicator"] == code) & (t["level"] == level) & (t["period"] == str(period))
             & (t["category"] == "total") & t["value"].notna()]
    coverage = rows["coverage"] if "coverage" in rows else pd.Series(1.0, index=rows.index)
    partial = rows["partial"].astype(bool) if "partial" in rows else pd.Series(False, index=rows.index)
    return pd.DataFrame({"unit": rows["unit"].astype(str), "unit_name": rows["unit_name"].astype(str),
                         "value": rows["value"], "coverage": coverage, "partial": partial}).reset_index(drop=True)
