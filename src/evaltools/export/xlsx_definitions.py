"""The definitions sheet of ``indicators.xlsx``: how every figure of the workbook is made.

One row per indicator of the review: its numerator and denominator spelled out with the
data elements' names (codes in brackets, as in the returns), the factor, how communes
add up to the district, how the years add up to the whole period, the direction that is
judged better, the returns the figures come from and any change of definition.
"""

from __future__ import annotations

import pandas as pd

from evaltools.model import formula, vnformat
from evaltools.model.catalog import Catalog
from evaltools.model.indicator_specs import Spec, specs

COLUMNS = ("indicator", "indicator_name", "measure", "numerator", "denominator", "factor", "over_units",
           "over_years", "direction", "decimals", "categories", "source", "changes")


def _term(term: formula.Term, catalog: Catalog, lang: str, words: dict) -> str:
    if term.column == formula.COMMUNE_COUNT:
        return words["communes"]
    if term.column is None:
        return vnformat.number(term.constant, 0 if float(term.constant).is_integer() else 2, lang)
    element = catalog.elements.loc[term.element]
    name = element[f"name_{lang}"]
    if term.option is not None:
        option = catalog.options.loc[(element["disaggregation"], term.option)]
        name = f"{name} – {option[f'name_{lang}']}"
    return f"{name} [{term.column}]"


def spelled(text: str | None, catalog: Catalog, lang: str, words: dict) -> str:
    """A formula with names for codes: "<element name> [<COLUMN>]" per term; "" for no formula."""
    if not isinstance(text, str) or not text.strip():
        return ""
    out = ""
    for i, term in enumerate(formula.parse(text)):
        sign = ("− " if i == 0 else " − ") if term.sign < 0 else ("" if i == 0 else " + ")
        out += sign + _term(term, catalog, lang, words)
    return out


def _elements(spec: Spec) -> list[str]:
    terms = [*spec.num, *(spec.den or ())]
    return list(dict.fromkeys(t.element for t in terms if t.element))


def _source(spec: Spec, catalog: Catalog, words: dict) -> str:
    codes = [c for c in _elements(spec) if c in catalog.elements.index]
    level = catalog.elements["level"]
    parts = [f"{words['returns'][lv]}: {', '.join(c for c in codes if level[c] == lv)}"
             for lv in dict.fromkeys(level[c] for c in codes)]
    if any(t.column == formula.COMMUNE_COUNT for t in [*spec.num, *(spec.den or ())]):
        parts.append(words["returns"]["units"])
    return "; ".join(parts)


def _changes(spec: Spec, catalog: Catalog, lang: str) -> str:
    notes = []
    for code in _elements(spec):
        for day, note in catalog.elements.at[code, "definition_changes"] if code in catalog.elements.index else ():
            notes.append(f"{vnformat.date(day, lang)}: {note[lang]}")
    return "\n".join(dict.fromkeys(notes))


def _over_years(spec: Spec, words: dict) -> str:
    if spec.kind == "ratio":
        return words["years"]["child_years" if spec.weighted else "ratio"]
    return words["years"][spec.kind]


def definitions(catalog: Catalog, codes: list[str], lang: str, words: dict) -> pd.DataFrame:
    """One row per indicator in ``codes`` (report order), the columns of :data:`COLUMNS`."""
    table = catalog.indicators
    rows = []
    for spec in specs(catalog, table.loc[[c for c in codes if c in table.index]], []):
        ind = table.loc[spec.code]
        options = catalog.options
        element = spec.num[0].element if ind["disaggregate"] else None
        split = options[options["disaggregation"] == catalog.elements.at[element, "disaggregation"]] \
            if element else options.iloc[:0]
        rows.append({
            "indicator": spec.code, "indicator_name": ind[f"name_{lang}"], "measure": ind[f"unit_{lang}"],
            "numerator": spelled(ind["numerator"], catalog, lang, words),
            "denominator": spelled(ind["denominator"], catalog, lang, words),
            "factor": int(ind["factor"]),
            "over_units": words["units"]["average" if spec.average else "ratio" if spec.den else "sum"],
            "over_years": _over_years(spec, words), "direction": words["direction"][ind["direction"]],
            "decimals": int(ind["decimals"]), "categories": "; ".join(split[f"name_{lang}"]),
            "source": _source(spec, catalog, words), "changes": _changes(spec, catalog, lang)})
    return pd.DataFrame(rows, columns=list(COLUMNS))
