"""Everything a review needs, loaded and computed once: config, programme, catalog, data values, indicators.

:func:`open_review` reads the store once, checks it (the schema findings that
validation reports come from the same read) and computes every indicator of the
review. The :class:`ReviewData` it returns is what ``evaltools run`` hands to the
notebooks as a snapshot (see :mod:`evaltools.dataset.snapshot`), and what a notebook opened
on its own loads for itself. Its lookups (:meth:`ReviewData.value`,
:meth:`ReviewData.series`, :meth:`ReviewData.parts` ...) read the indicator table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from evaltools.model import engine, sublevel, units as unitlib, vnformat
from evaltools.store import manifest
from evaltools.model.catalog import Catalog
from evaltools.core.errors import EvaltoolsError
from evaltools.model.fact import Fact
from evaltools.model.formula import COMMUNE_COUNT, TERM
from evaltools.model.texts import load_texts
from evaltools.model.periods import year_cutoffs
from evaltools.project.programme import Programme
from evaltools.project.refs import resolve_review
from evaltools.project.review import Review, load_review
from evaltools.project.programme import review_programme
from evaltools.store.catalogcache import review_catalog
from evaltools.assess.comparability import is_flow
from evaltools.validation import validate as run_checks
from evaltools.store.storescope import review_scope
from evaltools.validation.schema_checks import check_store
from evaltools.store.load import load_values
from evaltools.core.safecells import text_columns


def partial_days(row: pd.Series) -> tuple[dt.date, ...]:
    """The last days of the years cut short that an indicator row draws on (its ``partial_days``)."""
    if not bool(row.get("partial", False)):
        return ()
    return tuple(dt.date.fromisoformat(d) for d in str(row.get("partial_days", "") or "").split(";") if d)


@dataclass(frozen=True)
class ReviewData:
    """A loaded review and its figures.

    Attributes
    ----------
    values : DataFrame
        The store's data values that passed its checks (see :func:`evaltools.store.load.load_values`).
    facts : Facts
        The data values on the area's unit tree, see :func:`evaltools.model.engine.aggregate`.
    indicators : DataFrame
        Every indicator of the catalog (the review's own first, in its order) per unit,
        period and category, labelled in ``lang`` (see :func:`label`); :attr:`shown` keeps the
        review's list, what its tables and files show.
    validation : Validation or None
        What validation found, when the loader ran it (``evaltools run`` does).
    inputs : list of dict
        Every file the review read (role, path, lines, SHA-256), as the manifest and the
        report's appendix list them: hashed once, when the data were read.
    read_years : range or None
        Years read from the store (see :func:`evaltools.store.storescope.review_scope`); :meth:`for_years` refuses others.
    """

    review: Review
    programme: Programme | None
    catalog: Catalog
    values: pd.DataFrame
    facts: engine.Facts
    indicators: pd.DataFrame
    lang: str
    validation: object | None = None
    inputs: tuple = ()
    read_years: range | None = None

    @property
    def years(self) -> list[int]:
        """The review's years."""
        return list(range(self.review.first_year, self.review.last_year + 1))

    @property
    def periods(self) -> tuple[engine.Period, ...]:
        """Each year of the review, then the whole span."""
        return engine.periods_for(self.review.first_year, self.review.last_year)

    @property
    def span(self) -> str:
        """Label of the whole review period in the indicator table (``2012-2017``, or the one year)."""
        return self.periods[-1].label

    @property
    def shown(self) -> pd.DataFrame:
        """The indicator table of the review's own indicators (its ``indicators:`` list)."""
        return self.indicators[self.indicators["indicator"].isin(self.review.indicators)]

    def _rows(self, code: str, unit: str | None = None) -> pd.DataFrame:
        if code not in self.catalog.indicators.index:
            raise EvaltoolsError(f"unknown indicator {code!r}; see {self.review.catalog_dir / 'indicators.yaml'} "
                                 "and the programme's indicators.yaml")
        table = self.indicators
        return table[(table["indicator"] == code) & (table["unit"] == (unit or self.review.area))]

    # A report looks up a few thousand rows (every cell of its tables, every figure of its sentences):
    # found by key, not by filtering the whole table each time (docs/architecture.md, "Paying for the
    # notebook"). The data are frozen, so what is derived from them is computed once per instance.
    @cached_property
    def _row_positions(self) -> dict[tuple, int]:
        """(indicator, unit, period, category) -> position of its first row in :attr:`indicators`."""
        table = self.indicators
        keys = zip(table["indicator"], table["unit"], table["period"], table["category"])
        positions: dict[tuple, int] = {}
        for i, key in enumerate(keys):
            positions.setdefault(key, i)
        return positions

    def row(self, code: str, period: str | int | None = None, category: str = "total",
            unit: str | None = None) -> pd.Series | None:
        """One row of the indicator table (value, aggregation, coverage...), None when there is none;
        defaults: the review's area, the whole period."""
        if code not in self.catalog.indicators.index:
            self._rows(code)                        # says which indicator is unknown
        at = self._row_positions.get((code, unit or self.review.area, str(period or self.span), category))
        return self.indicators.iloc[at] if at is not None else None

    def value(self, code: str, period: str | int | None = None, category: str = "total",
              unit: str | None = None) -> float:
        """One indicator value, NaN when missing; defaults: the review's area, the whole period."""
        row = self.row(code, period, category, unit)
        return float(row["value"]) if row is not None else float("nan")

    def quantity(self, code: str, period: str | int | None = None, category: str = "total",
                 unit: str | None = None) -> vnformat.Quantity:
        """:meth:`value` with the indicator's decimals and unit, the returns it rests on and, for a
        figure of one year cut off early, the day it stops (a span's total: the days of the years
        cut short inside it, ``partial_in``): ready for a sentence (``{x:u}``)."""
        row = self.row(code, period, category, unit)
        if row is None:
            return self.as_quantity(code, float("nan"))
        year = None if pd.isna(row["value_year"]) else int(row["value_year"])
        days = partial_days(row)
        until = days[-1] if year is not None and days else None
        return replace(self.as_quantity(code, float(row["value"])), reported=int(row["reported"]),
                       expected=int(row["expected"]), year=year, until=until,
                       partial_in=days if year is None else (), fact=self.fact(row, until))

    def fact(self, row: pd.Series, until: dt.date | None = None) -> Fact:
        """The :class:`~evaltools.model.fact.Fact` of one row of the indicator table, named in the review's language."""
        spec = self.catalog.indicators.loc[str(row["indicator"])]

        def element(ref) -> str:
            """A formula with each term named (an element with its option's name, "…, drowning")."""
            return TERM.sub(lambda term: self._term_name(term[0]), ref) if isinstance(ref, str) else ""
        return replace(fact_of(row, until), name=str(spec[f"name_{self.lang}"]),
                       numerator_name=element(spec["numerator"]), denominator_name=element(spec["denominator"]),
                       factor=None if pd.isna(spec["factor"]) else float(spec["factor"]),
                       measure=str(spec[f"unit_{self.lang}"]), flow=is_flow(self.catalog, str(row["indicator"])),
                       where=", ".join(str(row[k]) for k in ("unit_name", "category_name") if str(row[k] or "")))

    def _term_name(self, term: str) -> str:
        """A formula's term in words: an element's name, with its option's ("…, drowning"), or the
        communes of the year for ``@communes``; anything else as written."""
        if term == COMMUNE_COUNT:
            return self._communes_word
        code, _, option = term.partition(".")
        if code not in self.catalog.elements.index:
            return term
        name = str(self.catalog.elements.at[code, f"name_{self.lang}"])
        options = self._option_names
        return f"{name}, {options[option][:1].lower()}{options[option][1:]}" if option in options.index else name

    @cached_property
    def _communes_word(self) -> str:
        return load_texts(self.lang).label("facts.communes")

    @cached_property
    def _option_names(self) -> pd.Series:
        """Each option's name in the review's language (index: option code)."""
        return self.catalog.options.drop_duplicates("option").set_index("option")[f"name_{self.lang}"]

    def as_quantity(self, code: str, value: float) -> vnformat.Quantity:
        """Any value written as indicator ``code`` writes its values."""
        row = self.catalog.indicators.loc[code]
        return vnformat.Quantity(value, int(row["decimals"]), str(row[f"unit_{self.lang}"]), self.lang)

    @cached_property
    def cutoffs(self) -> dict[int, dt.date]:
        """Each year of the review (and the one before) -> the last day its figures cover."""
        years = range(self.review.first_year - 1, self.review.last_year + 1)
        return year_cutoffs(years, self.review.cutoff, self.catalog.partial_years_for(self.review.area))

    @cached_property
    def partial_years(self) -> dict[int, dt.date]:
        """The review's years cut off before 31 December -> the day their figures stop."""
        return {y: d for y, d in self.cutoffs.items() if y in self.years and (d.month, d.day) != (12, 31)}

    def year_label(self, year: int) -> str:
        """A year as tables and charts head it: ``2017*`` when cut off early (see :meth:`partial_note`)."""
        return f"{year}*" if year in self.partial_years else str(year)

    def series(self, code: str, categories: bool = False, unit: str | None = None) -> pd.DataFrame:
        """An indicator year by year: ``year, category, category_name, value`` (years with data only).

        With ``categories`` the rows are the indicator's options (catalog order), else its total.
        """
        rows = self._rows(code, unit)
        rows = rows[rows["period"].isin([str(y) for y in self.years]) & rows["value"].notna()]
        rows = rows[rows["category"] != "total"] if categories else rows[rows["category"] == "total"]
        years = rows["period"].astype(str).astype(int)
        out = pd.DataFrame({"year": years, "year_label": years.map(self.year_label),
                            "category": rows["category"].astype(str),
                            "category_name": rows["category_name"].astype(str), "value": rows["value"]})
        return out.sort_values(["year"], kind="stable").reset_index(drop=True)

    def yearly(self, *codes: str, unit: str | None = None) -> pd.DataFrame:
        """Indicators side by side, one row per year of the review (index: year; NaN where missing)."""
        return pd.DataFrame({code: self.series(code, unit=unit).set_index("year")["value"] for code in codes},
                            index=pd.Index(self.years, name="year"))

    def parts(self, code: str, period: str | int | None = None, unit: str | None = None) -> pd.DataFrame:
        """A disaggregated indicator's options with data: ``category, category_name, group, value``
        and ``figure`` (the value as a Quantity with its fact, for a sentence; catalog order; ``group``
        joins options of one kind, e.g. one plan over two periods). A stock's parts over a span are
        those of its total's year (the parts of 2022 beside a 2022 total; a part absent that year is
        absent, never its figure of an earlier year)."""
        total = self.row(code, period, unit=unit)
        if total is not None and total["aggregation"] == "last" and pd.notna(total["value_year"]):
            period = str(int(total["value_year"]))
        rows = self._rows(code, unit)
        rows = rows[(rows["period"] == str(period or self.span)) & (rows["category"] != "total")
                    & rows["value"].notna()]
        groups = self.catalog.options.drop_duplicates("option").set_index("option")["group"]
        categories = rows["category"].astype(str)
        return pd.DataFrame({"category": categories, "category_name": rows["category_name"].astype(str),
                             "group": categories.map(groups).fillna(categories),
                             "value": rows["value"],
                             "figure": [self.quantity(code, period, c, unit) for c in categories]}
                            ).reset_index(drop=True)

    @cached_property
    def sublevel(self) -> str | None:
        """The level the area is compared on: that of its children (district area: ``commune``), see
        :func:`evaltools.model.sublevel.level_below`."""
        return sublevel.level_below(self.catalog.units, self.review.area, self.review.last_year)

    @cached_property
    def area_level(self) -> str | None:
        """The level of the review's area itself (None when the catalog does not hold it)."""
        return sublevel.level_of(self.catalog.units, self.review.area, self.review.last_year)

    def by_unit(self, code: str, period: str | int | None = None, level: str | None = None) -> pd.DataFrame:
        """One indicator for every unit of a level (default :attr:`sublevel`): ``unit, unit_name, value,
        coverage, partial`` (units with data), see :func:`evaltools.model.sublevel.by_unit`."""
        return sublevel.by_unit(self.indicators, code, str(period or self.span), level or self.sublevel)

    def for_years(self, first: int, last: int) -> ReviewData:
        """The same review over other years (last year's figures, for a yearly report), expressed in
        this review's units (as of its last year), so that the two compare like with like."""
        if self.read_years is not None and not {first, last} <= set(self.read_years):
            raise EvaltoolsError(f"{self.review.id}: years {first}-{last} were not read from the store (read: "
                                 f"{self.read_years.start}-{self.read_years.stop - 1}); open the review for them")
        review = replace(self.review, first_year=first, last_year=last)
        periods = engine.periods_for(first, last)
        facts = engine.aggregate(self.values, self.catalog, review.area, periods, as_of=self.review.last_year,
                                 cutoff=self.review.cutoff)
        table = engine.evaluate(facts, ordered(self.catalog, review))
        return replace(self, review=review, facts=facts,
                       indicators=label(table, self.catalog, self.lang, self.review.last_year))

    @cached_property
    def _current_units(self) -> pd.DataFrame:
        """The units as of the review's last year (index: unit code)."""
        return unitlib.current_rows(self.catalog.units, self.review.last_year)

    def name(self, kind: str, code: str) -> str:
        """Name of an ``indicator``, ``element``, ``option`` or ``unit`` in the review's language."""
        catalog = self.catalog
        if kind == "unit":
            return self._current_units.at[code, f"name_{self.lang}"]
        if kind == "option":
            return self._option_names.at[code]
        frame = catalog.indicators if kind == "indicator" else catalog.elements
        return frame.at[code, f"name_{self.lang}"]


def fact_of(row: pd.Series, until: dt.date | None = None) -> Fact:
    """The fact of one row of the indicator table: what its figure is and what it rests on."""
    def number(v) -> float | None:
        return None if pd.isna(v) else float(v)

    return Fact(indicator=str(row["indicator"]), unit=str(row["unit"]), period=str(row["period"]),
                category=str(row["category"]), aggregation=str(row["aggregation"]),
                year=None if pd.isna(row["value_year"]) else int(row["value_year"]),
                reported=int(row["reported"]), expected=int(row["expected"]), partial=bool(row["partial"]),
                until=until.isoformat() if until else None, value=float(row["value"]),
                numerator=number(row["numerator"]), denominator=number(row["denominator"]))


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
    return out[order + [c for c in out.columns if c not in order]]   # then the engine's own columns


def ordered(catalog: Catalog, review: Review) -> pd.DataFrame:
    """Every indicator of the catalog, the review's own first in its order (a notebook may use any)."""
    own = list(dict.fromkeys(review.indicators))
    return catalog.indicators.loc[own + [c for c in catalog.indicators.index if c not in own]]


def open_review(ref: str | Path | Review, lang: str | None = None, skip_invalid: bool = False,
                validate: bool = False, every_year: bool = False) -> ReviewData:
    """Load a review config (path or id) and compute its indicators, reading its area and years of the store once.

    Parameters
    ----------
    ref : str, Path or Review
        The review config, its id, or a loaded config.
    lang : {"vi", "en"}, optional
        Language of names; defaults to the review's own.
    skip_invalid : bool
        Set aside the data values that fail the store's checks instead of stopping
        (``run --allow-invalid``; the data-quality page lists them).
    validate : bool
        Also run every validation check on the same read (``ReviewData.validation``).
    every_year : bool
        Read the whole store, not only the review's scope (exploring a unit's whole history).
    """
    review = ref if isinstance(ref, Review) else load_review(resolve_review(ref))
    lang = lang or review.language
    programme = review_programme(review, required=False)     # figures need none; notebooks do
    catalog = review_catalog(review, programme)
    unknown = [c for c in review.indicators if c not in catalog.indicators.index]
    if unknown:
        raise EvaltoolsError(f"{review.path.name}: unknown indicator(s) {', '.join(unknown)}; "
                             f"see {review.catalog_dir / 'indicators.yaml'}")
    scope = None if every_year else review_scope(review, catalog.units)
    checked = check_store(review.values_dir, catalog, scope)
    passed, schema, complete = checked
    if not schema.empty and not skip_invalid and not validate:
        load_values(review.values_dir, catalog, scope)   # raises the store's own one-line-per-problem error
    if skip_invalid and not complete:
        raise EvaltoolsError(f"{review.values_dir}: too many bad rows to set aside one by one; "
                             "fix the data (see evaltools validate)")
    values = passed.astype({c: "category" for c in ("element", "unit", "category", "file")})
    periods = engine.periods_for(review.first_year, review.last_year)
    facts = engine.aggregate(values, catalog, review.area, periods, cutoff=review.cutoff)
    table = engine.evaluate(facts, ordered(catalog, review))
    result = run_checks(review, catalog=catalog, checked=checked, programme=programme) if validate else None
    inputs = manifest.input_files(review, programme, manifest.used_files(values, catalog.units, review))
    return ReviewData(review, programme, catalog, values, facts, label(table, catalog, lang, review.last_year),
                      lang, result, tuple(inputs), None if scope is None else scope.years)


def indicators_csv(data: ReviewData) -> str:
    """The review's indicators as UTF-8 CSV text (machine-readable numbers; names never run as formulas)."""
    return text_columns(data.shown).to_csv(index=False, float_format="%.10g", lineterminator="\n")
