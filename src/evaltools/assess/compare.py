"""Comparison with the previous review: like with like, year against year, in today's units.

Two reviews' periods usually overlap (2012–2017 inside 2012–2022), so their span
figures are never compared: a cumulative 2012–2022 total always exceeds 2012–2017's.
Instead each indicator is compared on one year of each review:

- a flow (cards issued, injuries, and their rates) on the last *full* year of each
  review with a figure (2016 for a review cut off on 31/05/2017);
- a stock (children receiving an allowance, shares of communes) on each review's
  end-of-period figure (its ``last`` year, a partial year's stock included).

The previous review's figures are recomputed from today's data in the current
review's units: a commune merged since then compares with the sum of its
predecessors. A pair of figures under different definitions (a new law, a new
standard) is marked not comparable, with the reason.
"""

from __future__ import annotations

import pandas as pd

from evaltools.model import engine
from evaltools.model.catalog import Catalog
from evaltools.model.periods import year_cutoffs
from evaltools.project.review import Review
from evaltools.assess import comparability as cmp

COLUMNS = ("indicator", "unit", "category", "previous_year", "previous", "previous_partial", "previous_coverage",
           "current_year", "current", "current_partial", "current_coverage", "change", "relative", "comparable",
           "reason", "note_vi", "note_en")


def _year(table: pd.DataFrame, code: str, area: str, review: Review, flow: bool) -> int | None:
    """The year an indicator of one review is compared on (see the module)."""
    rows = table[(table["indicator"].astype(str) == code) & (table["unit"].astype(str) == area)
                 & (table["category"].astype(str) == "total")]
    rows = rows.set_index(rows["period"].astype(str))
    years = range(review.first_year, review.last_year + 1)
    span = f"{review.first_year}-{review.last_year}"
    if not flow and span in rows.index and pd.notna(rows.at[span, "value_year"]):
        return int(rows.at[span, "value_year"])
    return cmp.latest_year(rows, years, flow)


def _side(table: pd.DataFrame, code: str, year: int | None, prefix: str) -> pd.DataFrame:
    keys = ["unit", "category"]
    rows = table[(table["indicator"].astype(str) == code) & (table["period"].astype(str) == str(year))]
    rows = rows[keys + ["value", "partial", "coverage"]].astype({k: str for k in keys})
    return rows.rename(columns={"value": prefix, "partial": f"{prefix}_partial", "coverage": f"{prefix}_coverage"})


def _verdict(catalog: Catalog, code: str, years: tuple, days: tuple) -> tuple[bool, str, dict | None]:
    before, now = years
    if before is None or now is None:
        return False, "no_data", None
    if before == now:
        return False, "same_year", None
    found = cmp.changes(catalog, code)
    if cmp.version(found, days[0][before]) != cmp.version(found, days[1][now]):
        return False, "definition_changed", cmp.note_between(found, days[0][before], days[1][now])
    return True, "", None


def compare(values: pd.DataFrame, catalog: Catalog, current: Review, previous: Review,
            current_table: pd.DataFrame) -> pd.DataFrame:
    """The indicators both reviews show, one year of each, for every unit of the current review.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: per indicator, unit and category, the year and figure of each
        review (``previous_year``, ``previous``, ``current_year``, ``current``) with
        their partial flag and coverage; ``change`` and ``relative`` (NaN unless
        comparable); ``comparable`` (bool) and, when not, the ``reason``
        (``definition_changed``, ``same_year``, ``no_data``) with the change's note
        (``note_vi``, ``note_en``).
    """
    shared = [c for c in current.indicators if c in previous.indicators]
    facts = engine.aggregate(values, catalog, current.area, engine.periods_for(previous.first_year, previous.last_year),
                             as_of=current.last_year, cutoff=previous.cutoff)
    before = engine.evaluate(facts, catalog.indicators.loc[shared])
    days = tuple(year_cutoffs(range(r.first_year, r.last_year + 1), r.cutoff, catalog.partial_years_for(current.area))
                 for r in (previous, current))
    parts = []
    for code in shared:
        flow = cmp.is_flow(catalog, code)
        years = (_year(before, code, current.area, previous, flow), _year(current_table, code, current.area,
                                                                           current, flow))
        comparable, reason, note = _verdict(catalog, code, years, days)
        mine = current_table[current_table["indicator"].astype(str) == code]
        base = mine[["unit", "category"]].astype(str).drop_duplicates()
        merged = base.merge(_side(current_table, code, years[1], "current"), on=["unit", "category"], how="left")
        merged = merged.merge(_side(before, code, years[0], "previous"), on=["unit", "category"], how="left")
        parts.append(merged.assign(indicator=code, previous_year=years[0], current_year=years[1],
                                   comparable=comparable, reason=reason, note_vi=(note or {}).get("vi", ""),
                                   note_en=(note or {}).get("en", "")))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    change = out["current"] - out["previous"]
    out["change"] = change.where(out["comparable"].astype(bool))
    out["relative"] = out["change"] / out["previous"].abs().where(out["previous"] != 0)
    return out.astype({"previous_year": "Int64", "current_year": "Int64"})[list(COLUMNS)]
