"""Review periods: single years and spans, and the day each year's figures stop.

A year is *partial* when its figures stop before 31 December: the last year of a
review whose cut-off falls inside it (2017 to 31/05/2017), or a year the catalog
declares partial for an area in ``periods.yaml`` (returns collected early and never
completed): that area's units only, so two districts of one store keep their own.
Flows of a partial year count fewer months than a full year: they are flagged and
never compared with full years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


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


def year_cutoffs(years: Iterable[int], cutoff: dt.date | None = None,
                 declared: Mapping[int, dt.date] | None = None) -> dict[int, dt.date]:
    """The last day covered by each year's figures.

    Parameters
    ----------
    years : iterable of int
        The years.
    cutoff : date, optional
        The review's data cut-off: the figures of its year stop on that day.
    declared : mapping, optional
        Year -> last day, for years the catalog declares partial.

    Returns
    -------
    dict
        Year -> the earliest of 31 December, the declared day and the cut-off.
    """
    out = {}
    for year in years:
        days = [dt.date(year, 12, 31)]
        if declared and year in declared:
            days.append(declared[year])
        if cutoff is not None and cutoff.year == year:
            days.append(cutoff)
        out[year] = min(days)
    return out


def unit_cutoffs(units: Iterable[str], years: Iterable[int], cutoff: dt.date | None,
                 by_unit: Mapping[str, Mapping[int, dt.date]]) -> dict[str, dict[int, dt.date]]:
    """Per unit, :func:`year_cutoffs` of its own returns: ``by_unit`` holds the partial years of the
    units inside a declared area (:meth:`evaltools.model.catalog.Catalog.unit_partial_years`); every other
    unit's years stop on 31 December or the review's cut-off."""
    years = list(years)
    plain = year_cutoffs(years, cutoff)
    return {u: year_cutoffs(years, cutoff, by_unit[u]) if u in by_unit else plain for u in units}


def is_partial(year: int, last_day: dt.date) -> bool:
    """Whether figures of ``year`` that stop on ``last_day`` miss part of the year."""
    return last_day < dt.date(year, 12, 31)
