"""Outliers in a unit's yearly series, DHIS2 style: modified z-score and year-on-year ratio.

A series is one element's yearly totals (all options added) for one unit as it
reported, cut where the unit's territory changed (see :mod:`.unityears`):
Thanh An after the 2020 merger is not compared with Cam An before it.
Yes/no elements are not tested.

- Modified z-score (Iglewicz & Hoaglin): ``0.6745 × (x − median) / MAD``; a
  value is an outlier when ``|z|`` exceeds the threshold (3.5). Needs a series
  of at least ``min_years`` values. MAD is taken as at least ``mad_floor`` ×
  |median| (10 %): a handful of years that barely move (MAD near or at 0) would
  otherwise make a 5 % change look extreme. With the defaults a value must differ
  from the median by 3,5 / 0,6745 × 10 % ≈ 52 % to be flagged in such a series.
  When median and MAD are both 0 there is no z-score; the ratio check still applies.
- Year-on-year ratio: ``x(Y) / x(Y−1)`` above ``max_ratio`` or below its
  inverse; only between consecutive years of one series.
- Small counts: a value is tested only when it, or what it is compared with
  (median or previous year), reaches ``min_value``: 2 injuries after 1 is not news.
- A partial year (a review whose cut-off falls inside its last year) leaves out
  that year's flows (elements summed over time): five months of cards are not
  comparable with twelve.
- A denominator (an element some indicator divides by, read from the indicator
  catalog) that moves by ``denominator_jump`` (× 5) or more from one year to the next
  is a **high** finding (``DENOMINATOR_JUMP``): every rate of that unit would be wrong
  (33.164 children typed for 3.390). The analyst who has checked such a jump lists it
  under ``confirmed:`` in the rules file with the reason; it is then an ordinary
  ratio finding that says so.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import Catalog
from evaltools.model.texts import load_texts
from evaltools.validation.findings import number
from evaltools.validation.rules import OutlierSettings
from evaltools.validation.wide import provenance

Z_RULE, RATIO_RULE, JUMP_RULE = "OUTLIER_Z", "OUTLIER_RATIO", "DENOMINATOR_JUMP"
_KEY = ["element", "unit", "segment"]
_SETTINGS = ("z_threshold", "z_medium", "max_ratio", "ratio_medium", "min_value", "min_years", "mad_floor",
             "check", "denominator_jump")


def denominators(catalog: Catalog) -> set[str]:
    """Data elements some indicator of the catalog divides by (``@communes`` is a count, not data)."""
    out: set[str] = set()
    for den in catalog.indicators["denominator"]:
        if isinstance(den, str):
            out |= {t.element for t in formula.parse(den) if t.element in catalog.elements.index}
    return out


def series(rows: pd.DataFrame, catalog: Catalog, settings: OutlierSettings, unit_table: pd.DataFrame,
           keep: Collection[str] = ()) -> pd.DataFrame:
    """Yearly totals per element and unit with the series segment and each element's settings (elements
    with ``check: false`` left out, unless in ``keep``)."""
    totals = rows.assign(unit=rows["unit"].astype(str), element=rows["element"].astype(str)).groupby(
        ["element", "unit", "period"], as_index=False)["value"].sum().rename(columns={"period": "year"})
    totals = totals[totals["element"].map(catalog.elements["value_type"]) != "boolean"]
    segments = unit_table.set_index(["unit", "year"])["segment"]
    totals["segment"] = segments.reindex(pd.MultiIndex.from_frame(totals[["unit", "year"]])).to_numpy()
    per_element = pd.DataFrame([{k: getattr(settings.for_element(e), k) for k in _SETTINGS}
                                for e in totals["element"]], index=totals.index)
    totals = pd.concat([totals, per_element.reindex(columns=list(_SETTINGS))], axis=1)  # no rows: no columns
    checked = totals["check"].astype(bool) | totals["element"].isin(list(keep))
    return totals[checked].sort_values(_KEY + ["year"]).reset_index(drop=True)


def z_scores(data: pd.DataFrame) -> pd.DataFrame:
    """Add median, MAD, count and modified z-score (MAD floored) of each value within its series."""
    groups = data.groupby(_KEY)["value"]
    median = groups.transform("median")
    mad = (data["value"] - median).abs().groupby([data[k] for k in _KEY]).transform("median")
    spread = np.maximum(mad, data["mad_floor"] * median.abs())
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, 0.6745 * (data["value"] - median) / spread, np.nan)
    return data.assign(median=median, mad=mad, n=groups.transform("size"), z=z)


def ratios(data: pd.DataFrame) -> pd.DataFrame:
    """Add the previous year's value (same series, consecutive year) and the ratio."""
    grouped = data.groupby(_KEY)
    previous = grouped["value"].shift(1)
    consecutive = grouped["year"].shift(1) == data["year"] - 1
    previous = previous.where(consecutive)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(previous > 0, data["value"] / previous, np.where(data["value"] > 0, np.inf, 1.0))
    return data.assign(previous=previous, ratio=np.where(previous.notna(), ratio, np.nan))


def find_outliers(rows: pd.DataFrame, catalog: Catalog, settings: OutlierSettings,
                  unit_table: pd.DataFrame, partial_years: Collection[tuple[str, int]] = (),
                  confirmed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Partial findings (kind ``outlier``) for every value flagged by either check, and (kind ``rule``)
    every denominator's jump not confirmed.

    Parameters
    ----------
    rows : DataFrame
        Typed data values of the review's area and years that passed the schema checks.
    catalog : Catalog
        For element value types, and the indicators whose denominators are checked for jumps.
    settings : OutlierSettings
        Thresholds, with per-element overrides.
    unit_table : DataFrame
        From :func:`~.unityears.unit_years`: the series segments.
    partial_years : collection of (unit, year)
        Unit-years whose figures stop before 31 December (a partial year is an area's): their
        flows are left out.
    confirmed : DataFrame, optional
        The rules file's ``confirmed`` jumps (unit, element, year, reason).
    """
    flows = rows["element"].astype(str).map(catalog.elements["aggregation_time"]) == "sum"
    cut = pd.MultiIndex.from_arrays([rows["unit"].astype(str), rows["period"]]).isin(list(partial_years)) \
        if len(partial_years) else np.zeros(len(rows), dtype=bool)
    rows = rows[~(flows.to_numpy() & cut)]
    dens = denominators(catalog)
    data = series(rows, catalog, settings, unit_table, keep=dens)
    if data.empty:
        return pd.DataFrame()
    data = ratios(z_scores(data))
    jump, sure = _jumps(data, dens, confirmed)
    data = data.assign(confirmed=sure)
    active = data["check"].astype(bool)
    big_z = data[["value", "median"]].abs().max(axis=1) >= data["min_value"]
    z_flag = active & (data["n"] >= data["min_years"]) & big_z & (data["z"].abs() > data["z_threshold"])
    big_r = data[["value", "previous"]].abs().max(axis=1) >= data["min_value"]
    r_flag = (active | (sure != "")) & ~jump & data["previous"].notna() & big_r & (
        (data["ratio"] > data["max_ratio"]) | (data["ratio"] < 1 / data["max_ratio"]))
    z_rows, r_rows, j_rows = data[z_flag], data[r_flag], data[jump]
    z_part = _findings(z_rows, Z_RULE, z_rows["median"], z_rows["z"],
                       np.where(z_rows["z"].abs() >= z_rows["z_medium"], "medium", "low"), _z_message)
    r_part = _findings(r_rows, RATIO_RULE, r_rows["previous"], r_rows["ratio"],
                       np.where((r_rows["ratio"] >= r_rows["ratio_medium"])
                                | (r_rows["ratio"] <= 1 / r_rows["ratio_medium"]), "medium", "low"), _r_message)
    j_part = _findings(j_rows, JUMP_RULE, j_rows["previous"], j_rows["ratio"], "high", _j_message)
    found = pd.concat([z_part, r_part, j_part.assign(kind="rule") if len(j_part) else j_part], ignore_index=True)
    if found.empty:
        return found
    origin = provenance(rows).reindex(pd.MultiIndex.from_frame(found[["unit", "year", "element"]]))
    return found.assign(file=origin["file"].to_numpy(), line=origin["line"].to_numpy(),
                        source=origin["source"].to_numpy())


def _jumps(data: pd.DataFrame, dens: set[str], confirmed: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Per value: a denominator's jump from the previous year by ``denominator_jump`` or more (either way)
    not confirmed; and the confirmation's reason ("" when none)."""
    limit = data["denominator_jump"].astype(float)
    moved = data["previous"].notna() & ((data["ratio"] >= limit) | (data["ratio"] <= 1 / limit))
    # small counts (under min_value both years: 1 card, then 5) are not news, as for the ratio check
    moved &= data["element"].isin(list(dens)) & (data[["value", "previous"]].abs().max(axis=1) >= data["min_value"])
    reasons: dict = {}
    if confirmed is not None and len(confirmed):
        reasons = {(str(r.unit), str(r.element), int(r.year)): str(r.reason) for r in confirmed.itertuples()}
    sure = pd.Series([reasons.get((u, e, int(y)), "") for u, e, y in zip(data["unit"], data["element"], data["year"])],
                     index=data.index, dtype=object)
    return moved & (sure == ""), sure.where(moved, "")


def _findings(rows: pd.DataFrame, rule: str, expected: pd.Series, score: pd.Series, importance,
              message) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "importance": importance, "kind": "outlier", "rule": rule,
        "rule_name_vi": _name(rule, "vi"), "rule_name_en": _name(rule, "en"),
        "unit": rows["unit"].to_numpy(), "year": rows["year"].to_numpy(), "element": rows["element"].to_numpy(),
        "value": rows["value"].to_numpy(), "expected": expected.to_numpy(), "score": score.to_numpy(),
        "message": [message(r) for r in rows.itertuples()]})


def _name(rule: str, lang: str) -> str:
    """A check's name in ``lang``: the outlier checks' own, the others' from the package's texts.yaml."""
    return load_texts(lang).label(f"checks.{rule.lower()}")


def _z_message(r) -> str:
    return (f"{r.element} = {number(r.value)} is far from this unit's median {number(r.median)} over its "
            f"{r.n} years (modified z-score {number(round(r.z, 2))}; threshold {number(r.z_threshold)})")


def _r_message(r) -> str:
    change = f"× {number(round(r.ratio, 2))}" if np.isfinite(r.ratio) else "from nothing"
    sure = f"; confirmed in the rules file: {r.confirmed}" if getattr(r, "confirmed", "") else ""
    return (f"{r.element} went from {number(r.previous)} in {r.year - 1} to {number(r.value)} in {r.year} "
            f"({change}; allowed × {number(1 / r.max_ratio)} to × {number(r.max_ratio)}{sure})")


def _j_message(r) -> str:
    change = f"× {number(round(r.ratio, 2))}" if np.isfinite(r.ratio) else "from nothing"
    return (f"{r.element} went from {number(r.previous)} in {r.year - 1} to {number(r.value)} in {r.year} "
            f"({change}): it is the denominator of rates of this unit, which would all be wrong; correct it, or "
            f"confirm it under 'confirmed:' in the rules file with the reason (unit, element, year, reason)")
