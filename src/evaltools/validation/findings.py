"""The findings table: one row per problem any check found, most important first.

Every check returns a partial DataFrame with some of :data:`COLUMNS`;
:func:`findings_frame` puts them together with every column typed, so the CLI,
the CSV and the data-quality notebook all read the same table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from evaltools.model import units as unitlib, vnformat
from evaltools.core.safecells import text_columns

IMPORTANCE = ("high", "medium", "low")
KINDS = ("schema", "rule", "completeness", "outlier", "narrative")
COLUMNS = ("importance", "kind", "rule", "rule_name_vi", "rule_name_en", "unit", "unit_name", "year",
           "element", "value", "operator", "expected", "score", "message", "file", "line", "source")
_NUMBERS = ("value", "expected", "score")
_INTEGERS = ("year", "line")


def findings_frame(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate partial findings into the findings table.

    Returns
    -------
    DataFrame
        :data:`COLUMNS` in order; importance and kind ordered categoricals; year
        and line nullable integers; value, expected, score floats; sorted by
        importance, kind, rule, unit, year, file and line.
    """
    frames = [p for p in parts if len(p)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS))
    table = table.reindex(columns=list(COLUMNS))
    for column in _NUMBERS:
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(float)
    for column in _INTEGERS:
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    for column in set(COLUMNS) - set(_NUMBERS) - set(_INTEGERS):
        table[column] = table[column].astype(object).where(table[column].notna(), "").astype(str)
    table["importance"] = pd.Categorical(table["importance"], categories=IMPORTANCE, ordered=True)
    table["kind"] = pd.Categorical(table["kind"], categories=KINDS, ordered=True)
    order = ["importance", "kind", "rule", "unit", "year", "file", "line"]
    return table.sort_values(order, na_position="first", kind="stable").reset_index(drop=True)


def add_unit_names(findings: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Fill empty ``unit_name`` cells with the unit's name in the finding's year.

    A code renamed over time (Cam An, then Thanh An under 19603) gets the name it
    had on 31 December of the year; without a year, its latest name.
    """
    missing = (findings["unit_name"] == "") & (findings["unit"] != "")
    if not missing.any():
        return findings
    latest = units.sort_values("valid_from").drop_duplicates("code", keep="last").set_index("code")["name_vi"]
    names = findings.loc[missing, "unit"].map(latest)
    for year in findings.loc[missing, "year"].dropna().unique():
        in_year = unitlib.valid_in(units, int(year))
        by_code = units[in_year].drop_duplicates("code").set_index("code")["name_vi"]
        rows = missing & (findings["year"] == year)
        names.loc[rows[rows].index] = findings.loc[rows, "unit"].map(by_code).fillna(names.loc[rows])
    out = findings.copy()
    out.loc[missing, "unit_name"] = names.fillna("").astype(str)
    return out


def number(x: float) -> str:
    """A number written the Vietnamese way: 3.667.005.000, 12,5 (at most 2 decimals); "" when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return vnformat.compact(x)


def percent(x: float, decimals: int = 1) -> str:
    """A share (0.985) as a Vietnamese percentage: 98,5 %."""
    return vnformat.percent(x * 100, decimals)


def counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Number of findings per importance (rows) and kind (columns), with totals."""
    table = pd.crosstab(findings["importance"], findings["kind"], dropna=False)
    table = table.reindex(index=list(IMPORTANCE), columns=list(KINDS), fill_value=0)
    table["total"] = table.sum(axis=1)
    return table


def findings_csv(findings: pd.DataFrame) -> str:
    """The findings as UTF-8 CSV text (machine-readable numbers; texts never run as formulas)."""
    return text_columns(findings).to_csv(index=False, float_format="%.10g", lineterminator="\n")


def format_findings(findings: pd.DataFrame, lang: str = "vi") -> str:
    """A plain-text table of the findings for a terminal, one finding a line."""
    if findings.empty:
        return "No findings."
    where = np.where(findings["line"].isna(), findings["file"],
                     findings["file"] + ":" + findings["line"].astype(str))
    unit = (findings["unit"] + " " + findings["unit_name"]).str.strip()
    rows = pd.DataFrame({
        "importance": findings["importance"].astype(str), "kind": findings["kind"].astype(str),
        "rule": findings["rule"], "name": findings[f"rule_name_{lang}"], "unit": unit,
        "year": findings["year"].map(lambda y: "" if pd.isna(y) else str(y)), "where": where,
        "message": findings["message"]})
    widths = {c: max(len(c), rows[c].str.len().max()) for c in rows.columns}
    last = rows.columns[-1]
    lines = ["  ".join(c.ljust(widths[c]) if c != last else c for c in rows.columns)]
    lines.append("  ".join("-" * widths[c] for c in rows.columns))
    for record in rows.itertuples(index=False):
        cells = [str(v).ljust(widths[c]) if c != last else str(v) for c, v in zip(rows.columns, record)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
