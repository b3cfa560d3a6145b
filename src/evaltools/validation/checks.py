"""Validation rules evaluated on every return: left side, operator, right side, per unit and year.

Follows DHIS2: each side is a formula; a rule is checked on every return
received, i.e. per reporting unit (as reported, never merged) and year, for the
units at the level of the rule's elements that are in the area, exist that year
and reported at least one value (a return not received at all is a
completeness finding, not one per rule). Missing values are handled by the
rule's strategy:

- ``skip_if_any_missing``: skip the return when any data operand is missing;
- ``skip_if_all_missing``: skip it only when every data operand is missing,
  otherwise count the missing ones as 0;
- ``never_skip``: always check, missing values count as 0.

A rule that uses a per-year constant with no value for a year cannot be checked
that year: that is one finding per rule and year, not a silent pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaltools.model import formula
from evaltools.core.errors import display_path
from evaltools.validation.findings import number, percent
from evaltools.validation.rules import RuleSet
from evaltools.validation.wide import provenance, wide_values

VERBS = {"==": "equal", "!=": "differ from", "<": "be less than", "<=": "be at most",
         ">": "be more than", ">=": "be at least", "~=": "be about"}


def check_rules(rows: pd.DataFrame, ruleset: RuleSet, unit_table: pd.DataFrame) -> pd.DataFrame:
    """Check every rule on every return.

    Parameters
    ----------
    rows : DataFrame
        Typed data values that passed the schema checks (element, period, unit,
        category, value, file, line, source).
    ruleset : RuleSet
        From :func:`evaltools.validation.rules.load_rules`.
    unit_table : DataFrame
        From :func:`evaltools.validation.unityears.unit_years` over the review's
        years and area: which units are checked in which year.

    Returns
    -------
    DataFrame
        Partial findings (kind ``rule``), one per violated rule, unit and year.
    """
    wide = wide_values(rows)
    received = wide.index
    origin = provenance(rows)
    uses_communes = any(t.column == formula.COMMUNE_COUNT for r in ruleset.rules.itertuples()
                        for t in r.left_terms + r.right_terms)
    if uses_communes:
        wide = wide.join(_commune_counts(unit_table), how="outer")
    parts = []
    for rule in ruleset.rules.itertuples():
        targets = unit_table[(unit_table["level"] == rule.level) & unit_table["in_area"] & unit_table["valid"]]
        if pd.notna(getattr(rule, "from_year", None)):     # a rule of a standard: not before it took effect
            targets = targets[targets["year"] >= int(rule.from_year)]
        returns = pd.MultiIndex.from_frame(targets[["unit", "year"]])
        data = wide.reindex(returns[returns.isin(received)])
        parts.append(_check_rule(rule, data, ruleset, origin))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _commune_counts(unit_table: pd.DataFrame) -> pd.Series:
    """The @communes operand per (unit, year): 1 for a commune, the communes below a higher unit."""
    parent = unit_table.set_index(["unit", "year"])["parent"]
    current = unit_table.loc[(unit_table["level"] == "commune") & unit_table["valid"], ["unit", "year"]]
    frames = []
    while not current.empty and len(frames) <= len(unit_table):   # the catalog refuses parent cycles
        frames.append(current)
        up = parent.reindex(pd.MultiIndex.from_frame(current)).to_numpy()
        current = pd.DataFrame({"unit": up, "year": current["year"].to_numpy()})
        current = current[current["unit"].map(lambda u: isinstance(u, str))]
    if not frames:
        return pd.Series(dtype=float, name=formula.COMMUNE_COUNT)
    every = pd.concat(frames, ignore_index=True)
    return every.groupby(["unit", "year"]).size().astype(float).rename(formula.COMMUNE_COUNT)


def _side(terms: Sequence[formula.Term], data: pd.DataFrame, ruleset: RuleSet,
          years: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value of one side (missing operands as 0), count of operands present, constants known."""
    n = len(data)
    total, present, known = np.zeros(n), np.zeros(n, dtype=int), np.ones(n, dtype=bool)
    for term in terms:
        scale = np.full(n, term.sign * (term.factor if term.column is not None else term.constant))
        for name in term.names:
            scale = scale * ruleset.constant(name, years)
        known &= ~np.isnan(scale)
        scale = np.nan_to_num(scale)
        if term.column is None:
            total += scale
            continue
        column = data[term.column].to_numpy(dtype=float) if term.column in data else np.full(n, np.nan)
        has = ~np.isnan(column)
        present += has
        total += np.where(has, column * scale, 0.0)
    return total, present, known


def holds(left: np.ndarray, right: np.ndarray, operator: str, tolerance: float = 0.0) -> np.ndarray:
    """Whether ``left operator right`` holds, element-wise.

    ``~=`` holds when the two sides differ by at most ``tolerance`` times the
    larger of them (0.01: 1 %); ``==`` and ``!=`` allow for float rounding only.
    """
    same = np.isclose(left, right, rtol=1e-9, atol=1e-9)
    if operator == "==":
        return same
    if operator == "!=":
        return ~same
    if operator == "~=":
        return np.abs(left - right) <= tolerance * np.maximum(np.abs(left), np.abs(right)) + 1e-9
    compare = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[operator]
    return compare(left, right) | (same & (operator in ("<=", ">=")))


def _check_rule(rule, data: pd.DataFrame, ruleset: RuleSet, origin: pd.DataFrame) -> pd.DataFrame:
    years = data.index.get_level_values("year").to_numpy()
    left, left_n, left_ok = _side(rule.left_terms, data, ruleset, years)
    right, right_n, right_ok = _side(rule.right_terms, data, ruleset, years)
    operands = sum(t.column is not None for t in rule.left_terms + rule.right_terms)
    present = left_n + right_n
    skip = {"skip_if_any_missing": present < operands,
            "skip_if_all_missing": (present == 0) & (operands > 0),
            "never_skip": np.zeros(len(data), dtype=bool)}[rule.missing_value_strategy]
    known = left_ok & right_ok
    tolerance = 0.0 if pd.isna(rule.tolerance) else float(rule.tolerance)
    violated = ~skip & known & ~holds(left, right, rule.operator, tolerance)
    found = _violations(rule, data[violated], left[violated], right[violated], origin)
    unchecked = sorted(set(years[~skip & ~known]))
    return pd.concat([found, _unchecked(rule, unchecked, ruleset)], ignore_index=True)


def _violations(rule, data: pd.DataFrame, left: np.ndarray, right: np.ndarray,
                origin: pd.DataFrame) -> pd.DataFrame:
    if data.empty:
        return pd.DataFrame()
    columns = [t.column for t in rule.left_terms + rule.right_terms if t.column is not None]
    missing = [", ".join(c for c in columns if c not in data or pd.isna(row.get(c)))
               for _, row in data.iterrows()]
    messages = [_message(rule, l, r, m) for l, r, m in zip(left, right, missing)]
    units = data.index.get_level_values("unit")
    years = data.index.get_level_values("year")
    where = pd.DataFrame({"file": "", "line": np.nan, "source": "", "element": ""}, index=range(len(data)))
    for column in dict.fromkeys(c for c in columns if c != formula.COMMUNE_COUNT):
        key = pd.MultiIndex.from_arrays([units, years, [column] * len(data)])
        found = origin.reindex(key).reset_index(drop=True)
        fill = (where["file"] == "") & found["file"].notna()
        where.loc[fill, ["file", "line", "source"]] = found.loc[fill, ["file", "line", "source"]]
        where.loc[fill, "element"] = column
    return pd.DataFrame({
        "importance": rule.importance, "kind": "rule", "rule": rule.code,
        "rule_name_vi": rule.name_vi, "rule_name_en": rule.name_en,
        "unit": np.asarray(units), "year": np.asarray(years), "element": where["element"].to_numpy(),
        "value": left, "operator": rule.operator, "expected": right, "message": messages,
        "file": where["file"].to_numpy(), "line": where["line"].to_numpy(), "source": where["source"].to_numpy()})


def _message(rule, left: float, right: float, missing: str) -> str:
    def side(text: str, terms, value: float) -> str:
        plain = all(t.column is None and not t.names for t in terms)   # a bare number says itself
        return number(value) if plain else f"{text} = {number(value)}"
    text = (f"{side(rule.left, rule.left_terms, left)} but should {VERBS[rule.operator]} "
            f"{side(rule.right, rule.right_terms, right)}")
    if rule.operator == "==":
        text += f" (difference {number(left - right)})"
    elif rule.operator == "~=":
        gap = abs(left - right) / max(abs(left), abs(right))
        text += f" (differs by {percent(gap)}; tolerance {percent(rule.tolerance)})"
    if missing:
        text += f"; not reported, counted as 0: {missing}"
    return text


def _unchecked(rule, years: list[int], ruleset: RuleSet) -> pd.DataFrame:
    if not years:
        return pd.DataFrame()
    names = sorted({f"${n}" for t in rule.left_terms + rule.right_terms for n in t.names
                    if isinstance(ruleset.constants[n], dict)})
    return pd.DataFrame({
        "importance": "medium", "kind": "rule", "rule": rule.code,
        "rule_name_vi": rule.name_vi, "rule_name_en": rule.name_en, "year": years,
        "message": [f"cannot be checked for {y}: {', '.join(names)} has no value for {y} "
                    f"in {display_path(ruleset.file)}" for y in years],
        "file": display_path(ruleset.file), "line": rule.line})
