"""Org-unit history: which unit reports a year, what a unit has become, who its parents are.

Units are keyed by GSO code; one code may carry several names over time (Cam An
became Thanh An in 2020 under the same code). A unit reports year Y when it is
valid on 31 December of Y.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def year_end(year: int) -> dt.date:
    """31 December of ``year``: the day that decides which unit reports the year."""
    return dt.date(year, 12, 31)


def valid_in(units: pd.DataFrame, year: int) -> pd.Series:
    """Boolean mask of the unit rows valid on 31 December of ``year``."""
    day = year_end(year)
    starts = units["valid_from"].map(lambda d: d <= day)
    ends = units["valid_to"].map(lambda d: d is None or pd.isna(d) or d >= day)
    return starts & ends


def current_rows(units: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """One row per code: the row valid at the end of ``as_of``, else the code's last row."""
    ranked = units.assign(_valid=valid_in(units, as_of)).sort_values(["code", "_valid", "valid_from"])
    return ranked.drop_duplicates("code", keep="last").drop(columns="_valid").set_index("code", drop=False)


def successor_map(units: pd.DataFrame, as_of: int) -> dict[str, str]:
    """Map every code to the code that carries it on at the end of ``as_of``.

    A code still valid maps to itself; a merged code maps (through any chain of
    mergers) to its successor; a code dissolved without successor maps to itself.
    """
    rows = current_rows(units, as_of)
    alive = set(units.loc[valid_in(units, as_of), "code"])
    step = {code: succ for code, succ in rows["successor"].items()
            if isinstance(succ, str) and code not in alive}
    out = {}
    for code in rows.index:
        seen, cur = {code}, code
        while cur in step and step[cur] not in seen:
            cur = step[cur]
            seen.add(cur)
        out[code] = cur
    return out


def ancestors(units: pd.DataFrame, as_of: int) -> dict[str, list[str]]:
    """Map each code to its chain of parents (nearest first) at the end of ``as_of``."""
    parent = current_rows(units, as_of)["parent"]
    chains = pd.DataFrame({0: parent})
    while chains[len(chains.columns) - 1].notna().any() and len(chains.columns) < 10:
        chains[len(chains.columns)] = chains[len(chains.columns) - 1].map(parent)
    return {code: [a for a in row if isinstance(a, str)]
            for code, row in zip(chains.index, chains.itertuples(index=False))}


def in_area(units: pd.DataFrame, area: str | None, as_of: int) -> list[str]:
    """Codes of ``area`` and every unit below it (all units when ``area`` is None)."""
    chains = ancestors(units, as_of)
    if area is None:
        return list(chains)
    return [code for code, chain in chains.items() if code == area or area in chain]


def commune_presence(units: pd.DataFrame, years: range) -> pd.DataFrame:
    """Long table with value 1 for each commune valid in each year (the @communes operand)."""
    communes = units[units["level"] == "commune"]
    frames = [pd.DataFrame({"unit": communes.loc[valid_in(communes, y), "code"].to_numpy(), "period": y})
              for y in years]
    out = pd.concat(frames, ignore_index=True)
    out["value"] = 1.0
    return out
