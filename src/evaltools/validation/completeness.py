"""Completeness: returns received against returns expected, per unit and year.

A unit is expected to report year Y when it is valid on 31/12/Y, lies in the
review's area and sits at a level that reports: communes always, districts when
the catalog has district-level elements (their own return). A return counts as
received when the unit reported at least one value that year.

A missing return is a finding of the importance the rules file gives (medium by
default); a year with no return from any unit is always of high importance: the
year's figures are absent (a values file deleted or never imported), and every
total over the period would silently leave that year out.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from evaltools.model.catalog import Catalog
from evaltools.model.texts import check_name
from evaltools.validation.unityears import unit_years

RULE = "COMPLETENESS"
YEAR_RULE = "COMPLETENESS_YEAR"
COLUMNS = ["unit", "name_vi", "name_en", "level", "year", "expected", "received", "values"]


def completeness(rows: pd.DataFrame, catalog: Catalog, area: str | None, years: Iterable[int]) -> pd.DataFrame:
    """Returns expected and received per unit and year.

    Parameters
    ----------
    rows : DataFrame
        Data values (element, period, unit, ...), e.g. from
        :func:`evaltools.store.load.load_values` or the rows that passed validation.
    catalog : Catalog
        Org units (with validity dates) and elements (with their level).
    area : str or None
        Code of the review's area; None for every unit.
    years : iterable of int
        The years of the review.

    Returns
    -------
    DataFrame
        One row per unit and year that was expected or reported: unit, name_vi,
        name_en (the unit's name that year), level, year, expected (bool),
        received (bool), values (number of values reported).
    """
    return completeness_table(rows, unit_years(catalog.units, years, area), catalog)


def completeness_table(rows: pd.DataFrame, unit_table: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """:func:`completeness` on a unit table already built by :func:`~.unityears.unit_years`."""
    levels = {"commune"} | set(catalog.elements["level"])
    expected = unit_table["valid"] & unit_table["in_area"] & unit_table["level"].isin(levels)
    counts = rows.groupby([rows["unit"].astype(str), rows["period"].astype(int)]).size()
    values = counts.reindex(pd.MultiIndex.from_frame(unit_table[["unit", "year"]])).fillna(0).astype(int)
    table = unit_table.assign(expected=expected.to_numpy(dtype=bool), values=values.to_numpy())
    table["received"] = table["values"] > 0
    keep = table["expected"] | (table["received"] & table["in_area"])
    return table.loc[keep, COLUMNS].sort_values(["year", "unit"]).reset_index(drop=True)


def completeness_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Per year: returns expected, received (of those expected) and the rate (0–1)."""
    expected = table[table["expected"]]
    rates = expected.groupby("year").agg(expected=("expected", "size"), received=("received", "sum"))
    rates["rate"] = rates["received"] / rates["expected"]
    return rates


def completeness_matrix(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Units × years for a heatmap: 1 received, 0 missing, NaN not expected.

    Rows are labelled ``code name`` with the unit's latest name in ``lang``.
    """
    expected = table[table["expected"]]
    names = table.sort_values("year").drop_duplicates("unit", keep="last").set_index("unit")[f"name_{lang}"]
    matrix = expected.pivot(index="unit", columns="year", values="received").astype(float)
    matrix.index = [f"{code} {names[code]}" for code in matrix.index]
    return matrix


def missing_returns(table: pd.DataFrame, importance: str = "medium") -> pd.DataFrame:
    """One finding per expected return not received, and a high one per year with no return at all."""
    missing = table[table["expected"] & ~table["received"]]
    if missing.empty:
        return pd.DataFrame()
    per_unit = pd.DataFrame({
        "importance": importance, "kind": "completeness", "rule": RULE,
        "rule_name_vi": check_name(RULE)[0], "rule_name_en": check_name(RULE)[1],
        "unit": missing["unit"].to_numpy(), "unit_name": missing["name_vi"].to_numpy(),
        "year": missing["year"].to_numpy(), "value": 0.0, "expected": 1.0,
        "message": [f"no value received from {r.unit} {r.name_vi} for {r.year}; the {r.level} existed on "
                    f"31/12/{r.year} and is expected to report" for r in missing.itertuples()]})
    return pd.concat([empty_years(table), per_unit], ignore_index=True)


def empty_years(table: pd.DataFrame) -> pd.DataFrame:
    """A high-importance finding for each year in which no expected unit returned anything."""
    rates = completeness_rates(table)
    empty = rates[(rates["expected"] > 0) & (rates["received"] == 0)]
    return pd.DataFrame({
        "importance": "high", "kind": "completeness", "rule": YEAR_RULE,
        "rule_name_vi": check_name(YEAR_RULE)[0], "rule_name_en": check_name(YEAR_RULE)[1], "unit": "", "unit_name": "",
        "year": empty.index.to_numpy(), "value": 0.0, "expected": empty["expected"].to_numpy(dtype=float),
        "message": [f"no figures at all for {year}: none of the {int(n)} units expected to report has a value; "
                    "its returns are not imported yet, or its values file was deleted: import them (evaltools "
                    "import) or restore data/values/ (e.g. from git)" for year, n in empty["expected"].items()]})
