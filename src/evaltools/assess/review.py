"""Run every assessment for one review."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import formula
from ..catalog import Catalog
from ..context import ReviewData
from ..review import load_review
from . import compare, legends, ranking, scorecards, targets, trends

DEFAULTS = {"stable_band": 0.05, "lagging": 2, "highlights": []}


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


def _elements(indicator: pd.Series) -> set[str]:
    return {t.element for t in formula.parse(indicator["numerator"]) if t.element}


def _flows(catalog: Catalog, shown: pd.DataFrame) -> frozenset[str]:
    """Indicators counting a flow (an element that adds up over the years)."""
    sums = set(catalog.elements.index[catalog.elements["aggregation_time"] == "sum"])
    return frozenset(code for code, ind in shown.iterrows() if _elements(ind) & sums)


def _comparable(catalog: Catalog, shown: pd.DataFrame) -> list[str]:
    """Indicators that compare across communes of different sizes: rates and averages, not counts."""
    average = set(catalog.elements.index[catalog.elements["aggregation_units"] == "average"])
    return [code for code, ind in shown.iterrows()
            if isinstance(ind["denominator"], str) or (_elements(ind) and _elements(ind) <= average)]


def assess_review(data: ReviewData) -> Assessment:
    """Targets, trends, ranking, scorecards, legends and the comparison with the predecessor."""
    review, catalog, table = data.review, data.catalog, data.indicators
    settings = {**DEFAULTS, **(review.assessment or {})}
    shown = catalog.indicators.loc[review.indicators]
    years = list(range(review.first_year, review.last_year + 1))
    span = data.periods[-1].label
    standards = scorecards.load_standards(review.catalog_dir / "standards.yaml")
    cards = scorecards.scorecards(data.values[data.values["period"].isin(years)], catalog.units, standards)
    previous = load_review(review.predecessor) if review.predecessor else None
    return Assessment(
        targets=targets.attainment(table, review.targets, review.area, review.first_year, review.last_year),
        trends=trends.trends(table, shown, review.area, years, settings["stable_band"],
                             partial_year=review.partial_year,
                             flows=_flows(catalog, shown)),
        ranking=ranking.rank_units(table, shown[shown.index.isin(_comparable(catalog, shown))], review.area,
                                   span, settings["lagging"]),
        scorecards=cards, scorecard_summary=scorecards.summary(cards), standards=standards,
        legends=legends.load_legends(review.catalog_dir / "legends.yaml"),
        comparison=compare.compare(data.values, catalog, review, previous, table) if previous else None,
        previous=previous, settings=settings)
