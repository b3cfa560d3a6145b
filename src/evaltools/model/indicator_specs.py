"""Indicators as the engine computes them: one :class:`Spec` per result block, and its leaf arrays.

A spec is an indicator (or one option of a disaggregated one) with what decides how it
aggregates: over a span of years (``kind``: sum, last or ratio), over units (added up,
or averaged for a score), the level of the units expected to report it, and whether
its denominator counts child-years. :func:`leaves` evaluates the formulas on every
node and year of the cube and keeps the returns that count (see :mod:`evaltools.model.engine`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import Catalog
from evaltools.model.cube import Facts


@dataclass(frozen=True)
class Spec:
    """One row block of the result: an indicator, or one option of a disaggregated one."""

    code: str
    category: str
    num: tuple[formula.Term, ...]
    den: tuple[formula.Term, ...] | None
    kind: str            # sum, last or ratio over a span
    level: str           # level of the units expected to report it
    average: bool        # Σ values / units that reported
    weighted: bool       # denominator is a stock under a flow: count child-years
    factor: int


def _time_and_level(catalog: Catalog, terms: Sequence[formula.Term]) -> tuple[str, str]:
    elements = catalog.elements
    codes = [t.element for t in terms if t.element in elements.index]
    time = "sum" if any(elements.at[c, "aggregation_time"] == "sum" for c in codes) else "last"
    levels = {elements.at[c, "level"] for c in codes}
    return time, "district" if levels == {"district"} else "commune"


def specs(catalog: Catalog, indicators: pd.DataFrame, columns: list[str]) -> list[Spec]:
    """One spec per indicator, followed by one per option of a disaggregated indicator."""
    out = []
    for code, ind in indicators.iterrows():
        num = formula.parse(ind["numerator"])
        den = formula.parse(ind["denominator"]) if isinstance(ind["denominator"], str) else None
        num_time, level = _time_and_level(catalog, num)
        den_time = _time_and_level(catalog, den)[0] if den else None
        kind = num_time if den is None else ("ratio" if num_time == "sum" else "last")
        average = den is None and len(num) == 1 and num[0].element in catalog.elements.index and \
            catalog.elements.at[num[0].element, "aggregation_units"] == "average"
        spec = Spec(code, "total", num, den, kind, level, bool(average), kind == "ratio" and den_time == "last",
                     int(ind["factor"]))
        out.append(spec)
        if ind["disaggregate"]:
            element = num[0].column
            out += [Spec(code, c.split(".", 1)[1], (formula.Term(1, column=c),), den, kind, level, spec.average,
                          spec.weighted, spec.factor) for c in columns if c.startswith(element + ".")]
    return out


def _side(facts: Facts, terms: Sequence[formula.Term]) -> tuple[np.ndarray, np.ndarray]:
    """Value (missing terms as 0) and presence (any column term reported) of a formula, nodes × years."""
    shape = facts.sums.shape[:2]
    total, seen, columns = np.zeros(shape), np.zeros(shape, dtype=bool), False
    for term in terms:
        if term.constant is not None:
            total += term.sign * term.constant
            continue
        columns = True
        c = facts.columns.index(term.column)
        total += term.sign * facts.sums[:, :, c]
        seen |= facts.has[:, :, c]
    return total, seen if columns else np.ones(shape, dtype=bool)


def _weights(facts: Facts) -> np.ndarray:
    """Nodes × years: the share of each year a node's own returns cover (151/365 to 31/05/2017)."""
    # a year's share covered: (last day - 1 January + 1) / days of the year
    first = np.array([dt.date(y, 1, 1).toordinal() for y in facts.tree.years], dtype=np.int64)
    end = np.array([dt.date(y, 12, 31).toordinal() for y in facts.tree.years], dtype=np.int64)
    return (np.minimum(facts.days(), end) - first + 1) / (end - first + 1)


def leaves(facts: Facts, specs: list[Spec]) -> dict[str, np.ndarray]:
    """Per node, year and spec: numerator, denominator, counted (both sides reported), expected.

    Numerator and denominator are zero where the return does not count.
    """
    n, y = facts.sums.shape[:2]
    shape = (n, y, len(specs))
    out = {k: np.zeros(shape) for k in ("num", "den")} | {
        k: np.zeros(shape, dtype=bool) for k in ("mask", "expected", "num_has", "den_has")}
    weights = _weights(facts)
    expected = {lvl: facts.tree.valid & (facts.tree.level == lvl)[:, None] for lvl in ("commune", "district")}
    for k, spec in enumerate(specs):
        value, has = _side(facts, spec.num)
        exp = expected[spec.level]
        mask = has & exp
        out["num"][:, :, k], out["num_has"][:, :, k], out["expected"][:, :, k] = value, mask, exp
        if spec.den is not None:
            den, den_has = _side(facts, spec.den)
            out["den"][:, :, k] = den * weights if spec.weighted else den
            out["den_has"][:, :, k] = den_has & exp
            mask = mask & den_has
        out["mask"][:, :, k] = mask
    out["num"] *= out["mask"]
    out["den"] *= out["mask"]
    return out
