"""Units year by year: the name and level each code had, whether it reported, where its series break.

Validation looks at units as they reported (no merging). A code's history is cut
into *segments*: a new segment starts whenever the code gets a new catalog row
(renamed, re-bounded) or absorbs another unit, because values before and after
describe different territories and must not be compared as one series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from evaltools.model import units as unitlib


def unit_years(units: pd.DataFrame, years: Iterable[int], area: str | None) -> pd.DataFrame:
    """One row per unit code and year.

    Parameters
    ----------
    units : DataFrame
        The org-unit catalog (``Catalog.units``).
    years : iterable of int
        Years to cover.
    area : str or None
        Code of the review's area (None: every unit).

    Returns
    -------
    DataFrame
        unit, year, name_vi, name_en, level, parent, valid (valid on 31/12 of the year),
        in_area (the area or below it that year), segment (int, see module doc).
    """
    events = _events(units)
    frames = []
    for year in years:
        rows = unitlib.current_rows(units, year)
        valid = set(units.loc[unitlib.valid_in(units, year), "code"])
        members = set(unitlib.in_area(units, area, year))
        day = pd.Timestamp(unitlib.year_end(year))
        segment = events[events["date"] <= day].groupby("unit").size()
        frames.append(pd.DataFrame({
            "unit": rows["code"].to_numpy(), "year": year,
            "name_vi": rows["name_vi"].to_numpy(), "name_en": rows["name_en"].to_numpy(),
            "level": rows["level"].to_numpy(), "parent": rows["parent"].to_numpy(),
            "valid": rows["code"].isin(valid).to_numpy(), "in_area": rows["code"].isin(members).to_numpy(),
            "segment": rows["code"].map(segment).fillna(0).astype(int).to_numpy()}))
    if not frames:
        return pd.DataFrame(columns=["unit", "year", "name_vi", "name_en", "level", "parent", "valid", "in_area",
                                     "segment"])
    return pd.concat(frames, ignore_index=True)


def _events(units: pd.DataFrame) -> pd.DataFrame:
    """Dates on which a code's territory may change: each row's start, each absorption."""
    starts = pd.DataFrame({"unit": units["code"], "date": pd.to_datetime(units["valid_from"])})
    merged = units[units["successor"].map(lambda s: isinstance(s, str)) & units["valid_to"].notna()]
    ends = pd.DataFrame({"unit": merged["successor"],
                         "date": pd.to_datetime(merged["valid_to"].map(lambda d: d + dt.timedelta(days=1)))})
    return pd.concat([starts, ends], ignore_index=True).drop_duplicates()


def validity_text(units: pd.DataFrame, code: str) -> str:
    """The spans in which ``code`` is valid, e.g. ``01/01/2012–31/12/2019 (Xã Cam An)``."""
    spans = []
    for row in units[units["code"] == code].sort_values("valid_from").itertuples():
        end = row.valid_to.strftime("%d/%m/%Y") if isinstance(row.valid_to, dt.date) else "…"
        spans.append(f"{row.valid_from.strftime('%d/%m/%Y')}–{end} ({row.name_vi})")
    return "; ".join(spans)
