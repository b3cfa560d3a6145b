"""Comparison with the previous review: both periods side by side, in today's units."""

from __future__ import annotations

import pandas as pd

from .. import engine
from ..catalog import Catalog
from ..review import Review


def compare(values: pd.DataFrame, catalog: Catalog, current: Review, previous: Review,
            current_table: pd.DataFrame) -> pd.DataFrame:
    """The indicators both reviews show, over each review's period, for every unit of the current one.

    The previous period is recomputed from today's data and expressed in the
    current review's units (as of its last year), so a commune merged since then
    compares with the sum of its predecessors: like with like.

    Returns
    -------
    DataFrame
        indicator, unit, category, previous, current, change, relative.
    """
    shared = [c for c in current.indicators if c in previous.indicators]
    span = engine.periods_for(previous.first_year, previous.last_year)[-1]
    facts = engine.aggregate(values, catalog, current.area, [span], as_of=current.last_year)
    before = engine.evaluate(facts, catalog.indicators.loc[shared])
    now_label = engine.periods_for(current.first_year, current.last_year)[-1].label
    now = current_table[(current_table["period"] == now_label) & current_table["indicator"].isin(shared)]
    keys = ["indicator", "unit", "category"]
    merged = now[keys + ["value"]].astype({k: str for k in keys}).merge(
        before[keys + ["value"]].astype({k: str for k in keys}), on=keys, how="left", suffixes=("_now", "_before"))
    merged = merged.rename(columns={"value_now": "current", "value_before": "previous"})
    merged["change"] = merged["current"] - merged["previous"]
    merged["relative"] = merged["change"] / merged["previous"].abs().where(merged["previous"] != 0)
    return merged[["indicator", "unit", "category", "previous", "current", "change", "relative"]]
