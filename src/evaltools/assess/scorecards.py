"""Child-friendly commune scorecards under the standard in force each year (QĐ 34/2014, QĐ 06/2019)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from evaltools.core.errors import InputError, Problem, display_path
from evaltools.core.schema import Field, parse_records
from evaltools.model.units import in_area, valid_in
from evaltools.core.yamlio import load_yaml

STANDARD_FIELDS = (
    Field("code", "code"), Field("name", "i18n"), Field("short_name", "i18n", required=False),
    Field("issued", "date", required=False), Field("applies_from", "date"),
    Field("applies_to", "date", required=False), Field("element", "code", pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field("criteria", "any"), Field("pass", "any"),
)


def load_standards(path: str | Path) -> pd.DataFrame:
    """The standards, one row each, with ``max`` (criterion → points) and ``min_total`` (class → points).

    Raises
    ------
    InputError
        For bad entries, criteria that do not add up to the same maximum, or overlapping dates.
    """
    name = display_path(path)
    frame, problems = parse_records((load_yaml(path) or {}).get("standards"), STANDARD_FIELDS, name, "standards")
    maxima, minima, zeros = [], [], []
    for _, row in frame.iterrows():
        try:
            maxima.append({c["code"]: float(c["max"]) for c in row["criteria"]})
            minima.append({k: float(v) for k, v in row["pass"]["min_total"].items()})
            zeros.append(bool(row["pass"].get("zero_criterion_fails", False)))
        except (TypeError, KeyError, AttributeError):
            problems.append(Problem(name, row["line"], "criteria",
                                    "expected criteria: [{code, max}] and pass: {min_total: {class: points}}"))
            maxima.append({}), minima.append({}), zeros.append(False)
    frame = frame.assign(max=maxima, min_total=minima, zero_criterion_fails=zeros).drop(columns=["criteria", "pass"])
    for row in frame.itertuples():      # a year is assessed on its 31 December: not before the signing
        issued = row.issued if isinstance(row.issued, dt.date) else None
        if issued and isinstance(row.applies_from, dt.date) and dt.date(row.applies_from.year, 12, 31) < issued:
            problems.append(Problem(name, row.line, "applies_from",
                                    f"{row.code} was issued on {issued:%d/%m/%Y}: it cannot apply to "
                                    f"{row.applies_from.year}, a year that ended before it"))
    ordered = frame.sort_values("applies_from")
    for a, b in zip(ordered.itertuples(), ordered.iloc[1:].itertuples()):
        if a.applies_to is None or pd.isna(a.applies_to) or a.applies_to >= b.applies_from:
            problems.append(Problem(name, b.line, "applies_from", f"overlaps {a.code}"))
    if problems:
        raise InputError(problems)
    short = [n if isinstance(n, dict) else full for n, full in zip(frame["short_name"], frame["name"])]
    return frame.assign(name_vi=[n["vi"] for n in frame["name"]], name_en=[n["en"] for n in frame["name"]],
                        short_vi=[n["vi"] for n in short], short_en=[n["en"] for n in short])


def standard_for(standards: pd.DataFrame, year: int) -> pd.Series | None:
    """The standard that applies on 31 December of ``year``."""
    day = dt.date(year, 12, 31)
    for _, s in standards.iterrows():
        if s["applies_from"] <= day and (s["applies_to"] is None or pd.isna(s["applies_to"]) or s["applies_to"] >= day):
            return s
    return None


def years_without(standards: pd.DataFrame, years) -> list[int]:
    """The years no standard of the catalog applies to (before the first took effect, or in a gap)."""
    return [int(y) for y in years if standard_for(standards, int(y)) is None]


def _in_area(values: pd.DataFrame, units: pd.DataFrame, area: str | None) -> pd.DataFrame:
    """The values of units in ``area`` in the value's own year."""
    if area is None:
        return values
    years = sorted(int(y) for y in values["period"].unique())
    members = pd.MultiIndex.from_tuples([(c, y) for y in years for c in in_area(units, area, y)],
                                        names=["unit", "period"])
    keys = pd.MultiIndex.from_arrays([values["unit"].astype(str), values["period"].astype(int)])
    return values[keys.isin(members)]


def scorecards(values: pd.DataFrame, units: pd.DataFrame, standards: pd.DataFrame,
               area: str | None = None) -> pd.DataFrame:
    """One row per commune and year that reported criterion points, in ``area`` (None: everywhere).

    A commune is scored as it reported that year, under the standard in force then:
    the merged Thanh An's 2015 predecessors keep their own cards. A commune that
    sent no points has no card: it is neither passed nor failed.

    Returns
    -------
    DataFrame
        unit, year, standard, class, total, threshold, zero_criteria (list of codes),
        passed (bool), reason (``below_threshold``, ``zero_criterion`` or empty), points
        (dict criterion → points).
    """
    rows = []
    scores = _in_area(values[values["element"].isin(set(standards["element"]))], units, area)
    for (unit, year), group in scores.groupby(["unit", "period"], observed=True):
        standard = standard_for(standards, int(year))
        if standard is None:
            continue
        mine = group[group["element"] == standard["element"]]
        if mine.empty:
            continue
        points = dict(zip(mine["category"].astype(str), mine["value"].astype(float)))
        unit_row = units[(units["code"] == unit) & valid_in(units, int(year))]
        klass = unit_row["class"].iloc[0] if len(unit_row) else "standard"
        threshold = standard["min_total"].get(klass, standard["min_total"]["standard"])
        total = sum(points.values())
        zeros = sorted(c for c in standard["max"] if points.get(c, 0) == 0)
        failed_zero = bool(standard["zero_criterion_fails"] and zeros)
        reason = "zero_criterion" if failed_zero else ("below_threshold" if total < threshold else "")
        rows.append({"unit": str(unit), "year": int(year), "standard": standard["code"], "class": klass,
                     "total": total, "threshold": threshold, "zero_criteria": zeros, "passed": reason == "",
                     "reason": reason, "points": points})
    columns = ["unit", "year", "standard", "class", "total", "threshold", "zero_criteria", "passed", "reason", "points"]
    return pd.DataFrame(rows, columns=columns)


def summary(cards: pd.DataFrame, units: pd.DataFrame | None = None, area: str | None = None,
            partial_years: Collection[int] = ()) -> pd.DataFrame:
    """Per year with cards: communes expected, assessed and passing, and the standard (``9/9 xã đạt chuẩn``).

    Returns
    -------
    DataFrame
        year, standard (code of the standard of the year's cards), expected (communes of
        ``area`` valid on 31 December; NA without ``units``), assessed (communes with a
        card), passed, missing (expected − assessed: communes that sent no points,
        neither passed nor failed), partial (the year's figures stop before 31 December).
        A year in which no commune was assessed (none by 31/05/2017) is not a row.
    """
    grouped = cards.groupby("year")
    out = pd.DataFrame({"standard": grouped["standard"].first(), "assessed": grouped.size(),
                        "passed": grouped["passed"].sum()})
    out.index.name = "year"
    out = out.reset_index().astype({"year": int, "assessed": int, "passed": int})
    out["partial"] = out["year"].isin(list(partial_years))
    if units is None:
        return out.assign(expected=pd.NA, missing=pd.NA)[SUMMARY]
    communes = units[units["level"] == "commune"]
    expected = []
    for year in out["year"]:
        valid = set(communes.loc[valid_in(communes, year), "code"])
        expected.append(len(valid if area is None else valid & set(in_area(units, area, year))))
    return out.assign(expected=expected, missing=[e - a for e, a in zip(expected, out["assessed"])])[SUMMARY]


SUMMARY = ["year", "standard", "expected", "assessed", "passed", "missing", "partial"]
