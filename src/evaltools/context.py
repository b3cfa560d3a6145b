"""Everything a review needs, loaded once: config, catalog, data values, indicators."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import engine, units as unitlib
from .catalog import Catalog, load_catalog
from .errors import EvaltoolsError
from .review import Review, load_review
from .store import load_values


@dataclass(frozen=True)
class ReviewData:
    """A loaded review.

    Attributes
    ----------
    facts : DataFrame
        Element values per (unit, period), see :func:`evaltools.engine.aggregate`.
    indicators : DataFrame
        Every indicator of the review per unit, period and category, labelled in
        ``lang`` (see :func:`label`).
    """

    review: Review
    catalog: Catalog
    values: pd.DataFrame
    facts: pd.DataFrame
    indicators: pd.DataFrame
    lang: str

    @property
    def periods(self) -> tuple[engine.Period, ...]:
        """Each year of the review, then the whole span."""
        return engine.periods_for(self.review.first_year, self.review.last_year)


def label(table: pd.DataFrame, catalog: Catalog, lang: str, as_of: int) -> pd.DataFrame:
    """Add indicator, unit and category names (in ``lang``) and the unit's level."""
    units = unitlib.current_rows(catalog.units, as_of)
    options = catalog.options.drop_duplicates("option").set_index("option")[f"name_{lang}"]
    names = catalog.indicators[f"name_{lang}"]
    out = table.assign(
        indicator_name=table["indicator"].map(names),
        unit_name=table["unit"].map(units[f"name_{lang}"]),
        level=table["unit"].map(units["level"]),
        category_name=table["category"].map(options).astype(object).where(table["category"] != "total", ""),
    )
    order = ["indicator", "indicator_name", "unit", "unit_name", "level", "period", "category",
             "category_name", "value", "numerator", "denominator", "reason"]
    return out[order]


def open_review(path: str | Path, lang: str | None = None, skip_invalid: bool = False) -> ReviewData:
    """Load a review config and compute its indicators.

    Parameters
    ----------
    path : str or Path
        The review config (YAML).
    lang : {"vi", "en"}, optional
        Language of names; defaults to the review's own.
    skip_invalid : bool
        Set aside the data values that fail the store's checks instead of stopping
        (``run --allow-invalid``; the data-quality page lists them).
    """
    review = load_review(path)
    lang = lang or review.language
    catalog = load_catalog(review.catalog_dir)
    unknown = [c for c in review.indicators if c not in catalog.indicators.index]
    if unknown:
        raise EvaltoolsError(f"{review.path.name}: unknown indicator(s) {', '.join(unknown)}; "
                             f"see {review.catalog_dir / 'indicators.yaml'}")
    values = _valid_values(review, catalog) if skip_invalid else load_values(review.values_dir, catalog)
    periods = engine.periods_for(review.first_year, review.last_year)
    facts = engine.aggregate(values, catalog, review.area, periods)
    table = engine.evaluate(facts, catalog.indicators.loc[review.indicators])
    return ReviewData(review, catalog, values, facts, label(table, catalog, lang, review.last_year), lang)


def _valid_values(review: Review, catalog: Catalog) -> pd.DataFrame:
    """The store's rows that pass every check, the others set aside."""
    from .validation.schema_checks import check_store

    passed, _, complete = check_store(review.values_dir, catalog)
    if not complete:
        raise EvaltoolsError(f"{review.values_dir}: too many bad rows to set aside one by one; "
                             "fix the data (see evaltools validate)")
    return passed.astype({c: "category" for c in ("element", "unit", "category", "file")})


def indicators_csv(data: ReviewData) -> str:
    """The indicator table as UTF-8 CSV text (machine-readable numbers; names never run as formulas)."""
    from .safecells import text_columns

    return text_columns(data.indicators).to_csv(index=False, float_format="%.10g", lineterminator="\n")
