"""What part of the store a review reads: its units and years, and where each row of the store lives.

A row of the store is *placed* in the partition of its year and its province (the
unit's ancestor at level ``province``, or its top-most ancestor); a row whose year is
not a year, or whose unit the catalog does not know, is *unplaced*. A review reads
the rows of its :class:`Scope` (its units, past and present, in its years) and every
unplaced row: those are errors the checks must still name, whichever review meets them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaltools.model import units as unitlib
from evaltools.project.review import Review, load_review

UNPLACED = "_"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,40}$")


@dataclass(frozen=True)
class Scope:
    """Units (codes) and years a review reads."""

    units: frozenset
    years: range


def review_scope(review: Review, units: pd.DataFrame) -> Scope:
    """A review's scope: its years, its predecessor's and the year before its first (a yearly
    report compares with it), and every unit of its area in any of those years."""
    compared = compared_years(review)
    years = range(min(compared.start, review.first_year - 1), max(compared.stop, review.last_year + 1))
    codes: set[str] = set()
    for year in years:
        codes |= set(unitlib.in_area(units, review.area, year))
    # and what the roll-up adds in: a unit merged into one of the area's from another area
    codes |= set(unitlib.tree(units, review.area, review.last_year, years).codes)
    return Scope(frozenset(codes), years)


def compared_years(review: Review) -> range:
    """The review's years, and its predecessor's (the comparison reads them)."""
    years = [review.first_year, review.last_year]
    if review.predecessor is not None and review.predecessor.exists():
        previous = load_review(review.predecessor)
        years += [previous.first_year, previous.last_year]
    return range(min(years), max(years) + 1)


def partition_keys(units: pd.DataFrame) -> pd.Series:
    """Each unit code -> the name of its province's partition (the code, made safe for a folder name)."""
    latest = units.sort_values("valid_from", kind="stable").drop_duplicates("code", keep="last")
    latest = latest.set_index(latest["code"].astype(str))
    parent, level = latest["parent"].astype(object), latest["level"]
    key = pd.Series(latest.index, index=latest.index)
    for _ in range(len(latest)):                    # one step up per level; the tree is shallow
        up = key.map(parent)
        move = key.map(level).ne("province") & up.notna() & up.isin(latest.index) & up.ne(key)
        if not move.any():
            break
        key = key.where(~move, up.astype(object))
    return key.map(lambda c: c if _SAFE.match(c) else "u" + hashlib.sha256(c.encode()).hexdigest()[:16])


def keys_digest(keys: pd.Series) -> str:
    """A digest of the unit -> partition mapping (a catalog change that moves a unit rebuilds the copy)."""
    text = "\n".join(f"{code}\t{key}" for code, key in sorted(keys.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def year_keys(period: pd.Series) -> pd.Series:
    """A text ``period`` column -> the year as text, or :data:`UNPLACED` (as the store's checks judge a year)."""
    number = pd.to_numeric(period, errors="coerce")
    good = number.notna() & (number % 1 == 0) & number.between(1900, 2100)
    return pd.Series(np.where(good, number.fillna(0).astype(int).astype(str), UNPLACED), index=period.index)


def placement(frame: pd.DataFrame, keys: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Year and province partition of each text row (both :data:`UNPLACED` for an unplaced row)."""
    year = year_keys(frame["period"])
    province = frame["unit"].map(keys).fillna(UNPLACED).astype(object)
    unplaced = (year == UNPLACED) | (province == UNPLACED)
    return year.where(~unplaced, UNPLACED), province.where(~unplaced, UNPLACED)


def in_scope(frame: pd.DataFrame, keys: pd.Series, scope: Scope | None) -> np.ndarray:
    """Rows a reader of ``scope`` gets: placed rows of its units and years, and every unplaced row."""
    if scope is None:
        return np.ones(len(frame), dtype=bool)
    year, _ = placement(frame, keys)
    wanted = {str(y) for y in scope.years}
    return ((year == UNPLACED) | (year.isin(wanted) & frame["unit"].isin(scope.units))).to_numpy()


def partitions(scope: Scope | None, keys: pd.Series) -> set[str] | None:
    """The partition folders (``<year>/<province>``) a reader of ``scope`` opens; None: all."""
    if scope is None:
        return None
    provinces = set(keys.reindex(list(scope.units)).dropna())
    return {f"{y}/{p}" for y in scope.years for p in provinces} | {f"{UNPLACED}/{UNPLACED}"}
