"""Checks of dates: results that cannot exist yet by a year's cut-off, criteria of a standard not in force
in their year, and a review signed too early.

A year's figures stop on its last day (:func:`evaltools.model.periods.year_cutoffs`: 31
December, the review's cut-off, or a partial year of its area in ``catalog/periods.yaml``). A
``not_before`` entry of the rules file names a column whose values exist only from a
month of the year on (recognition at the year's end): a value in a year that stops
before that month was typed in advance or belongs to another year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from evaltools.assess.inforce import refusals
from evaltools.core.errors import display_path
from evaltools.project.review import Review
from evaltools.model.texts import check_name
from evaltools.validation.findings import number

OUT_OF_FORCE = "STANDARD_NOT_IN_FORCE"
SIGNED_EARLY = "REVIEW_SIGNED_BEFORE_CUTOFF"


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_not_before(rows: pd.DataFrame, entries: pd.DataFrame,
                     last_days: Mapping[str, Mapping[int, dt.date]]) -> pd.DataFrame:
    """Partial findings (kind ``rule``): values of a ``not_before`` column in a year cut off too early.

    Parameters
    ----------
    rows : DataFrame
        Typed data values of the review's area and years (element, period, unit,
        category, value, file, line, source).
    entries : DataFrame
        The rules file's ``not_before`` entries (code, name_vi, name_en, column, month,
        importance).
    last_days : mapping
        Unit -> year -> the last day its figures cover (:func:`evaltools.model.periods.unit_cutoffs`):
        a year cut short in one district is not cut short in another.
    """
    parts = []
    for entry in entries.itertuples():
        element, _, option = entry.column.partition(".")
        mine = rows[rows["element"].astype(str) == element]
        if option:
            mine = mine[mine["category"].astype(str) == option]
        stop = [last_days.get(str(u), {}).get(int(y)) for u, y in zip(mine["unit"], mine["period"])]
        mine = mine[[d is not None and d < dt.date(int(y), int(entry.month), 1)
                     for d, y in zip(stop, mine["period"])]]
        if mine.empty:
            continue
        first = mine.sort_values(["file", "line"]).groupby(["unit", "period"], observed=True).first().reset_index()
        totals = mine.groupby(["unit", "period"], observed=True)["value"].sum().to_numpy()
        months = [dt.date(int(y), int(entry.month), 1) for y in first["period"]]
        stops = [last_days[str(u)][int(y)] for u, y in zip(first["unit"], first["period"])]
        parts.append(pd.DataFrame({
            "importance": entry.importance, "kind": "rule", "rule": entry.code,
            "rule_name_vi": entry.name_vi, "rule_name_en": entry.name_en,
            "unit": first["unit"].astype(str).to_numpy(), "year": first["period"].to_numpy(),
            "element": entry.column, "value": totals,
            "message": [f"{entry.column} = {number(v)} for {int(y)}, whose figures stop on {_dmy(s)}: "
                        f"it cannot exist before {_dmy(d)}"
                        for v, y, s, d in zip(totals, first["period"], stops, months)],
            "file": first["file"].to_numpy(), "line": first["line"].to_numpy(), "source": first["source"].to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def check_signing_date(review: Review) -> pd.DataFrame:
    """A high finding when the review is signed before its own data cut-off."""
    if review.date >= review.cutoff:
        return pd.DataFrame()
    return pd.DataFrame({
        "importance": ["high"], "kind": ["rule"], "rule": [SIGNED_EARLY], "rule_name_vi": [check_name(SIGNED_EARLY)[0]],
        "rule_name_en": [check_name(SIGNED_EARLY)[1]],
        "message": [f"date {_dmy(review.date)} is before cutoff {_dmy(review.cutoff)}: a review cannot be signed "
                    "before the day its figures run to; sign it later or set an earlier cut-off"],
        "file": [display_path(review.path)]})



def check_standards(rows: pd.DataFrame, standards: pd.DataFrame | None) -> pd.DataFrame:
    """High findings: points for a criterion of a standard not in force in the value's year
    (``catalog/standards.yaml``): such points would be added into that year's score."""
    why = refusals(rows["element"], rows["category"], rows["period"].astype(int), standards, holder="value")
    hit = rows[why.ne("")]
    if hit.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "importance": "high", "kind": "rule", "rule": OUT_OF_FORCE, "rule_name_vi": check_name(OUT_OF_FORCE)[0],
        "rule_name_en": check_name(OUT_OF_FORCE)[1], "unit": hit["unit"].astype(str).to_numpy(), "year": hit["period"].to_numpy(),
        "element": (hit["element"].astype(str) + "." + hit["category"].astype(str)).to_numpy(),
        "value": hit["value"].to_numpy(), "message": why[why.ne("")].to_numpy(), "file": hit["file"].to_numpy(),
        "line": hit["line"].to_numpy(), "source": hit["source"].to_numpy()})
