"""The units below an area (a district's communes, a province's districts) ranked per indicator, ties
shared, and the lagging units named."""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["indicator", "unit", "unit_name", "value", "rank", "of", "area_value", "lagging", "partial"]


def rank_units(table: pd.DataFrame, indicators: pd.DataFrame, area: str, period: str,
               lagging: int = 2, level: str = "commune", counts: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Rank the units of ``level`` for each indicator with a direction (neutral ones are not ranked).

    Rank 1 is the best (highest value when higher is better). Ties share the best
    rank of the tie (1, 2, 2, 4). A unit is *lagging* when its rank is among the
    last ``lagging`` places and its value is worse than the area's; for a rate of a count
    (``counts``: injuries per 1,000 children, communes recognised of those assessed) also only
    when its count departs from what the area's rate would give it by more than chance
    (:func:`beyond_chance`). Only units whose figure is complete (``coverage`` 100 %, when
    the table has it) are ranked: a unit with a missing return is not ranked against those without.

    Returns
    -------
    DataFrame
        indicator, unit, unit_name, value, rank, of (units ranked), area_value, lagging,
        partial (the figure draws on a partial year; False when the table does not say).
    """
    out = []
    rows = table[(table["period"] == period) & (table["category"] == "total")]
    for code, ind in indicators.iterrows():
        if ind["direction"] == "neutral":
            continue
        these = rows[(rows["indicator"] == code)]
        complete = these["coverage"] >= 1 if "coverage" in these else True
        units = these[(these["level"] == level) & these["value"].notna() & complete].copy()
        if units.empty:
            continue
        area_value = these.loc[these["unit"] == area, "value"]
        area_value = float(area_value.iloc[0]) if len(area_value) else float("nan")
        higher = ind["direction"] == "higher"
        units["rank"] = units["value"].rank(method="min", ascending=not higher).astype(int)
        worse = units["value"] < area_value if higher else units["value"] > area_value
        units["lagging"] = (units["rank"] > len(units) - lagging) & worse
        if code in counts and {"numerator", "denominator"} <= set(these.columns):
            units["lagging"] &= beyond_chance(units, these[these["unit"] == area])
        units = units.assign(of=len(units), area_value=area_value,
                             partial=units["partial"].astype(bool) if "partial" in units else False)
        out.append(units.sort_values(["rank", "unit"])[COLUMNS])
    return pd.concat(out, ignore_index=True).astype({"indicator": str, "unit": str}) if out else pd.DataFrame(columns=COLUMNS)



def beyond_chance(units: pd.DataFrame, area: pd.DataFrame) -> pd.Series:
    """Whether each unit's count (``numerator``) departs from the count the area's rate would give its
    ``denominator`` by more than twice the chance variation of a count that size (2·√expected, as for
    trends): 14 injuries where 12,2 are expected is chance, 30 is not."""
    if area.empty or not area["denominator"].iloc[0]:
        return pd.Series(False, index=units.index)
    expected = units["denominator"] * (float(area["numerator"].iloc[0]) / float(area["denominator"].iloc[0]))
    return (units["numerator"] - expected).abs() > 2 * np.sqrt(expected)
