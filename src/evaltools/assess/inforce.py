"""Which criteria a year may hold: only those of the assessment standard in force that year.

An assessment standard (``catalog/standards.yaml``) keeps its criteria as options of
one data element, and a year is assessed under the standard that applies on 31
December of that year (:func:`.scorecards.standard_for`). So the template of a year
offers only that standard's criteria, an import refuses points for a criterion of a
standard not in force in the return's year, naming the years it applies, and
validation reports such a value found in the store. The dates come from the catalog,
never from here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaltools.model.catalog import Catalog
from evaltools.assess.scorecards import load_standards, standard_for

STANDARDS_FILE = "standards.yaml"


def catalog_standards(catalog: Catalog) -> pd.DataFrame | None:
    """The standards of the catalog's folder, or None when it has no ``standards.yaml``."""
    path = Path(catalog.files[0]).parent / STANDARDS_FILE
    return load_standards(path) if path.exists() else None


def years_of(standard: pd.Series) -> str:
    """The years a standard is used for (its ``applies_to`` year included): ``2012–2018``, ``2019–``."""
    first, last = standard["applies_from"].year, standard["applies_to"]
    if last is None or pd.isna(last):
        return f"{first}–"
    end = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    return f"{first}–{end}" if end != first else str(first)


def out_of_force(standards: pd.DataFrame | None, year: int) -> dict[tuple[str, str], pd.Series]:
    """(element, criterion) -> its standard, for every criterion of a standard not in force in ``year``.

    A criterion the standard in force also lists is kept.
    """
    if standards is None or standards.empty:
        return {}
    current = standard_for(standards, year)
    keep = set() if current is None else {(current["element"], c) for c in current["max"]}
    return {(s["element"], c): s for _, s in standards.iterrows() for c in s["max"]
            if (s["element"], c) not in keep}


def refusals(elements: pd.Series, categories: pd.Series, periods: pd.Series,
             standards: pd.DataFrame | None, holder: str = "return") -> pd.Series:
    """Per value, why its criterion cannot be in its year ('' when it can); ``holder``: what the value is in.

    "criterion qd34_c01 of QĐ 34/2014/QĐ-TTg: that standard applies 2012–2018; this return is for
    2023 (QĐ 06/QĐ-TTg applies: use its criteria)". Standards are cited as the reports cite them.
    """
    out = pd.Series("", index=elements.index, dtype=object)
    if standards is None or standards.empty:
        return out
    # only the cells of a standard's element are looked at: a national file may hold millions of others
    scored = elements.isin(set(standards["element"])).to_numpy()
    if not scored.any():
        return out
    index = elements.index[scored]
    keys = pd.Series(list(zip(elements[scored].astype(str), categories[scored].astype(str))), index=index,
                     dtype=object)
    years = periods[scored]
    for year in sorted({int(y) for y in years.unique() if y}):
        gone = out_of_force(standards, year)
        current = standard_for(standards, year)
        instead = f"{current['short_vi']} applies: use its criteria" if current is not None else \
            "no standard applies that year"
        hit = years.eq(year) & keys.map(lambda k: k in gone)
        out[hit[hit].index] = [f"criterion {k[1]} of {gone[k]['short_vi']}: that standard applies "
                               f"{years_of(gone[k])}; this {holder} is for {year} ({instead})" for k in keys[hit]]
    return out
