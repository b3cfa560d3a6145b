"""What may be compared with what: flows and stocks, partial years, changes of definition.

An element's ``definition_changes`` (``data_elements.yaml``) are the days from which it
counts something else: children in special circumstances under the 2016 Law from
01/06/2017, child-friendly scores and recognition under QĐ 06/2019 from 01/01/2019.
A year's figure is under the definition in force on the last day its figures cover;
two figures are comparable only under the same definition of every element of the
indicator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import Catalog


def elements_of(catalog: Catalog, code: str) -> set[str]:
    """Element codes in an indicator's numerator and denominator."""
    row = catalog.indicators.loc[code]
    texts = [t for t in (row["numerator"], row["denominator"]) if isinstance(t, str)]
    return {t.element for text in texts for t in formula.parse(text) if t.element}


def is_flow(catalog: Catalog, code: str) -> bool:
    """Whether an indicator's numerator adds up over the years (cards, injuries, their rates)."""
    numerator = formula.parse(catalog.indicators.at[code, "numerator"])
    times = catalog.elements["aggregation_time"]
    return any(times.get(t.element) == "sum" for t in numerator if t.element)


def is_count(catalog: Catalog, code: str) -> bool:
    """Whether an indicator's numerator counts people or events (whole numbers, added over units)."""
    numerator = formula.parse(catalog.indicators.at[code, "numerator"])
    elements = catalog.elements
    return all(t.element in elements.index and elements.at[t.element, "value_type"] == "integer"
               and elements.at[t.element, "aggregation_units"] == "sum" for t in numerator if t.column)


def changes(catalog: Catalog, code: str) -> list[tuple[dt.date, dict]]:
    """The definition changes of an indicator's elements: (day, note {vi, en}), in order."""
    column = catalog.elements.get("definition_changes")
    if column is None:
        return []
    found = {(day, note["vi"], note["en"]) for e in elements_of(catalog, code) for day, note in (column.get(e) or ())}
    return [(day, {"vi": vi, "en": en}) for day, vi, en in sorted(found)]


def version(found: list[tuple[dt.date, dict]], last_day: dt.date) -> int:
    """Which definition a figure covering up to ``last_day`` is under (0: before any change)."""
    return sum(1 for day, _ in found if day <= last_day)


def note_between(found: list[tuple[dt.date, dict]], a: dt.date, b: dt.date) -> dict | None:
    """The note of the first change between two days (either order), or None."""
    low, high = min(a, b), max(a, b)
    for day, note in found:
        if low < day <= high:
            return note
    return None


def current_since(catalog: Catalog, codes: list[str], last_days: Mapping[int, dt.date]) -> dict[str, int]:
    """Per indicator with a change inside the years: the first year under the last year's definition."""
    out = {}
    years = sorted(last_days)
    for code in codes:
        found = changes(catalog, code)
        if not found or not years:
            continue
        final = version(found, last_days[years[-1]])
        same = [y for y in years if version(found, last_days[y]) == final]
        if same and same[0] > years[0]:
            out[code] = same[0]
    return out


def latest_year(rows: pd.DataFrame, years: range, flow: bool) -> int | None:
    """The latest year with a value in ``rows`` (indexed by period label), a flow's partial year left out."""
    for year in reversed(years):
        label = str(year)
        if label in rows.index and pd.notna(rows.at[label, "value"]) and not (
                flow and bool(rows.at[label, "partial"])):
            return year
    return None
