"""Validate a review's data: every check, every finding, in one table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaltools.assess.inforce import catalog_standards
from evaltools.model.periods import is_partial, unit_cutoffs
from evaltools.project.review import Review, load_review
from evaltools.model.texts import check_name
from evaltools.validation.checks import check_rules
from evaltools.validation.completeness import completeness_rates, completeness_table, missing_returns
from evaltools.validation.findings import (
    add_unit_names,
    counts,
    findings_frame,
    format_findings,
    number,
    percent,
)
from evaltools.validation.narrative import check_narrative
from evaltools.validation.outliers import find_outliers
from evaltools.validation.rules import RULES_FILE, load_rules
from evaltools.validation.schema_checks import check_store
from evaltools.store.storescope import review_scope
from evaltools.validation.timing import check_not_before, check_signing_date, check_standards
from evaltools.validation.unityears import unit_years
from evaltools.store.catalogcache import review_catalog
from evaltools.project.programme import review_programme

SKIPPED = "SCHEMA_TOO_MANY"


@dataclass(frozen=True)
class Validation:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    findings : DataFrame
        Every finding, see :data:`evaltools.validation.findings.COLUMNS`.
    completeness : DataFrame
        Returns expected and received per unit and year (see
        :func:`evaltools.validation.completeness.completeness`).
    rates : DataFrame
        Per year: expected, received, rate (0–1).
    rows : DataFrame
        The data values of the review's area and years that passed the schema checks.
    """

    review: Review
    findings: pd.DataFrame
    completeness: pd.DataFrame
    rates: pd.DataFrame
    rows: pd.DataFrame

    @property
    def high(self) -> int:
        """Number of high-importance findings."""
        return int((self.findings["importance"] == "high").sum())

    @property
    def exit_code(self) -> int:
        """1 when any finding is of high importance, else 0."""
        return 1 if self.high else 0


def validate(review: str | Path | Review, rules: str | Path | None = None, catalog=None,
             checked: tuple | None = None, programme=None, whole_store: bool = False) -> Validation:
    """Run every check on a review's data.

    Parameters
    ----------
    review : str, Path or Review
        The review config (YAML) or a loaded review.
    rules : str or Path, optional
        The rules file; default ``<data>/catalog/validation_rules.yaml``.
    catalog : Catalog, optional
        The catalog, when the caller has loaded it (with a programme's indicators).
    checked : tuple, optional
        What :func:`~evaltools.validation.schema_checks.check_store` returned for this
        store, when the caller has read it already: the store is then not read again.
    programme : Programme, optional
        The review's programme (default: the one its config names, if any): its narrative
        keys check the narrative files.
    whole_store : bool
        Run the schema checks on every row of the store (``validate --store``), not only on
        the rows the review reads (its area's units in its years, and every row that cannot be
        placed in a unit and year: :func:`evaltools.store.storescope.review_scope`).

    Returns
    -------
    Validation
        Findings of the schema checks (the rows the review reads, or the whole store), then,
        on the rows that passed and within the review's area and years, the rules,
        completeness and outlier checks.

    Raises
    ------
    EvaltoolsError
        When the review, catalog or rules file is missing or invalid (these are
        configuration, not data: they stop the run).
    """
    review = review if isinstance(review, Review) else load_review(review)
    programme = programme if programme is not None else review_programme(review, required=False)
    catalog = catalog if catalog is not None else review_catalog(review, programme)
    ruleset = load_rules(rules if rules is not None else review.catalog_dir / RULES_FILE, catalog)
    if checked is None:
        scope = None if whole_store else review_scope(review, catalog.units)
        checked = check_store(review.values_dir, catalog, scope)
    passed, schema, complete = checked
    years = range(review.first_year, review.last_year + 1)
    table = unit_years(catalog.units, years, review.area)
    scope = table.loc[table["in_area"], ["unit", "year"]]
    keys = pd.MultiIndex.from_arrays([passed["unit"].astype(str), passed["period"]])
    rows = passed[keys.isin(pd.MultiIndex.from_frame(scope))].reset_index(drop=True)
    returns = completeness_table(rows, table, catalog)
    last_days = unit_cutoffs(rows["unit"].astype(str).unique(), years, review.cutoff, catalog.unit_partial_years())
    partial = {(u, y) for u, days in last_days.items() for y, day in days.items() if is_partial(y, day)}
    parts = [schema, check_signing_date(review), check_narrative(review, programme)]
    if complete:
        parts += [check_rules(rows, ruleset, table), check_not_before(rows, ruleset.not_before, last_days),
                  check_standards(rows, catalog_standards(catalog)),
                  missing_returns(returns, ruleset.completeness_importance),
                  find_outliers(rows, catalog, ruleset.outliers, table, partial, ruleset.confirmed)]
    else:
        parts.append(pd.DataFrame({
            "importance": ["high"], "kind": ["schema"], "rule": [SKIPPED],
            "rule_name_vi": [check_name(SKIPPED)[0]], "rule_name_en": [check_name(SKIPPED)[1]],
            "message": ["rule, completeness and outlier checks not run: some schema problems were "
                        "summarised as '... more rows'; fix those listed and validate again"]}))
    findings = add_unit_names(findings_frame(parts), catalog.units)
    return Validation(review, findings, returns, completeness_rates(returns), rows)


def format_report(result: Validation, lang: str = "vi") -> str:
    """A terminal summary: counts, completeness per year, then the findings table."""
    table = counts(result.findings)
    total = int(table["total"].sum())
    lines = [f"{result.review.id}: {total} finding(s): " + ", ".join(
        f"{int(table.at[i, 'total'])} {i}" for i in table.index)]
    by_kind = table.drop(columns="total").sum()
    lines.append("  by check: " + ", ".join(f"{k} {int(n)}" for k, n in by_kind.items()))
    rates = ", ".join(f"{year} {number(r.received)}/{number(r.expected)} ({percent(r.rate)})"
                      for year, r in result.rates.iterrows())
    lines.append(f"  returns received: {rates}")
    if total:
        lines += ["", format_findings(result.findings, lang)]
    return "\n".join(lines)
