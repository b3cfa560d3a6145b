"""Run every assessment for one review."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import Catalog
from evaltools.model.periods import is_partial, year_cutoffs
from evaltools.project.review import load_review
from evaltools.assess import comparability as cmp, compare, legends, ranking, scorecards, targets, trends

if TYPE_CHECKING:       # the data layer sits above: an assessment only reads what it is given
    from evaltools.dataset.context import ReviewData

# stable_band: a fitted relative change within ± this is stable (also the least material change);
# min_years: comparable years a trend needs; min_count: mean yearly count below which a count has
# no material trend; lagging: communes named at the bottom of a ranking (see assess/trends.py).
DEFAULTS = {"stable_band": 0.05, "min_years": 3, "min_count": 10, "lagging": 2, "highlights": []}


@dataclass(frozen=True)
class Assessment:
    """The review's assessment tables (see each module for their columns)."""

    targets: pd.DataFrame
    trends: pd.DataFrame
    ranking: pd.DataFrame
    scorecards: pd.DataFrame
    scorecard_summary: pd.DataFrame
    standards: pd.DataFrame
    legends: dict[str, pd.DataFrame]
    comparison: pd.DataFrame | None
    previous: object | None
    settings: dict = field(default_factory=dict)
    no_standard_years: tuple[int, ...] = ()       # years of the review no standard of the catalog applies to


def _elements(indicator: pd.Series) -> set[str]:
    return {t.element for t in formula.parse(indicator["numerator"]) if t.element}




def _comparable(catalog: Catalog, shown: pd.DataFrame) -> list[str]:
    """Indicators that compare across communes of different sizes: rates and averages, not counts."""
    average = set(catalog.elements.index[catalog.elements["aggregation_units"] == "average"])
    return [code for code, ind in shown.iterrows()
            if isinstance(ind["denominator"], str) or (_elements(ind) and _elements(ind) <= average)]


def _partial_years(data: ReviewData) -> tuple[dict, frozenset[int]]:
    """The last day of each year of the review, and the years that stop before 31 December."""
    review = data.review
    days = year_cutoffs(range(review.first_year, review.last_year + 1), review.cutoff,
                        data.catalog.partial_years_for(review.area))
    return days, frozenset(y for y, d in days.items() if is_partial(y, d))


def _trends(data: ReviewData, shown: pd.DataFrame, settings: dict) -> pd.DataFrame:
    review, catalog = data.review, data.catalog
    years = range(review.first_year, review.last_year + 1)
    days, partial = _partial_years(data)
    codes = list(shown.index)
    return trends.trends(
        data.indicators, shown, review.area, list(years), settings["stable_band"], partial_years=partial,
        flows=frozenset(c for c in codes if cmp.is_flow(catalog, c)),
        counts=frozenset(c for c in codes if cmp.is_count(catalog, c)),
        definitions=cmp.current_since(catalog, codes, days), min_years=settings["min_years"],
        min_count=settings["min_count"])


def assess_review(data: ReviewData) -> Assessment:
    """Targets, trends, ranking, scorecards, legends and the comparison with the predecessor."""
    review, catalog, table = data.review, data.catalog, data.indicators
    settings = {**DEFAULTS, **(review.assessment or {})}
    shown = catalog.indicators.loc[review.indicators]
    years = range(review.first_year, review.last_year + 1)
    span = data.periods[-1].label
    standards = scorecards.load_standards(review.catalog_dir / "standards.yaml")
    cards = scorecards.scorecards(data.values[data.values["period"].isin(years)], catalog.units, standards,
                                  review.area)
    previous = load_review(review.predecessor) if review.predecessor else None
    flows = frozenset(c for c in catalog.indicators.index if cmp.is_flow(catalog, c))
    return Assessment(
        targets=targets.attainment(table, review.targets, review.area, review.first_year, review.last_year, flows),
        trends=_trends(data, shown, settings),
        ranking=ranking.rank_units(table, shown[shown.index.isin(_comparable(catalog, shown))], review.area,
                                   span, settings["lagging"], level=data.sublevel,
                                   counts=frozenset(c for c in shown.index if cmp.is_count(catalog, c))),
        scorecards=cards,
        scorecard_summary=scorecards.summary(cards, catalog.units, review.area, _partial_years(data)[1]),
        standards=standards,
        legends=legends.load_legends(review.catalog_dir / "legends.yaml"),
        comparison=compare.compare(data.values, catalog, review, previous, table) if previous else None,
        previous=previous, settings=settings,
        no_standard_years=tuple(scorecards.years_without(standards, years)) if not standards.empty else ())
