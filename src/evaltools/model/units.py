"""Org-unit history: which unit reports a year, what a unit has become, who its parents are.

Units are keyed by GSO code; one code may carry several names over time (Cam An
became Thanh An in 2020 under the same code). A unit reports year Y when it is
valid on 31 December of Y.

A unit that ends has one of three fates (``successor`` in ``org_units.yaml``):

- **merged** or renamed: one successor code, which carries its history on (Thanh An's
  2015 figures are Cam An's plus Cam Thanh's);
- **split**: a list of two or more successor codes. Its history stays with its parent
  (the district's totals before the split include it) and goes to none of the parts:
  each part's series starts at the split. Nothing is apportioned, because no return
  says how the old commune's children or cases divide between the parts;
- **dissolved**: no successor; its history stays with its parent, as for a split.

A unit that no longer exists at the end of a review is never a row of the review's
tables (see :func:`tree`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaltools.model import vocabulary


def year_end(year: int) -> dt.date:
    """31 December of ``year``: the day that decides which unit reports the year."""
    return dt.date(year, 12, 31)


def _valid_on(units: pd.DataFrame, day: dt.date) -> pd.Series:
    starts = units["valid_from"].map(lambda d: d <= day)
    ends = units["valid_to"].map(lambda d: d is None or pd.isna(d) or d >= day)
    return starts & ends


def valid_in(units: pd.DataFrame, year: int) -> pd.Series:
    """Boolean mask of the unit rows valid on 31 December of ``year``."""
    return _valid_on(units, year_end(year))


def successors(value: object) -> tuple[str, ...]:
    """The successor codes of a unit row: () none, one code (merger or renaming), several (a split)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return ()


def current_rows(units: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """One row per code: the row valid at the end of ``as_of``, else the code's last row."""
    ranked = units.assign(_valid=valid_in(units, as_of)).sort_values(["code", "_valid", "valid_from"])
    return ranked.drop_duplicates("code", keep="last").drop(columns="_valid").set_index("code", drop=False)


def successor_map(units: pd.DataFrame, as_of: int) -> dict[str, str]:
    """Map every code to the code that carries it on at the end of ``as_of``.

    A code still valid maps to itself; a merged code maps (through any chain of
    mergers) to its successor; a code dissolved without successor, or split, maps to
    itself (its history goes to no single unit).
    """
    rows = current_rows(units, as_of)
    alive = set(units.loc[valid_in(units, as_of), "code"])
    step = {code: succ[0] for code, succ in rows["successor"].map(successors).items()
            if len(succ) == 1 and code not in alive}
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
    parent = current_rows(units, as_of)["parent"]
    if area is None:
        return list(parent.index)
    # Down from the area one level at a time, as deep as :func:`ancestors` looks up (a national
    # catalog has ~17,000 units: no chain per unit in Python).
    inside = pd.Series(parent.index == area, index=parent.index)
    for _ in range(10):
        grown = inside | parent.isin(parent.index[inside.to_numpy()])
        if grown.equals(inside):
            break
        inside = grown
    return list(parent.index[inside.to_numpy()])


@dataclass(frozen=True)
class Tree:
    """The units of an area as one roll-up tree, expressed in the units of one year.

    Nodes are catalog rows: one code under one name for one span (Cam An 2012–2019
    and Thanh An 2020– are two nodes of code 19603). Each node adds its figures into
    ``up``: a unit alive at the end into its parent, a merged unit into its
    successor, a split or dissolved unit into its parent. Nodes are ordered by depth,
    then by the position of the node they add into, so each level is one block.

    Attributes
    ----------
    codes : ndarray of str
        Code of each node.
    up : ndarray of int
        Node each node adds into; -1 for the area itself.
    depth : ndarray of int
        Steps from the area (0) down to the node.
    level : ndarray of str
        Level of each node (province, district, commune).
    output : ndarray of bool
        The node is alive at the end and a row of the results (dead nodes only add up).
    valid : ndarray of bool, nodes × years
        The node is valid on 31 December of the year (it is expected to report it).
    node_of : ndarray of int, codes × years
        Node holding each code's value of each year (-1: outside the area); codes in
        the order of ``code_index``.
    code_index : list of str
        Every code of the catalog.
    """

    codes: np.ndarray
    up: np.ndarray
    depth: np.ndarray
    level: np.ndarray
    output: np.ndarray
    valid: np.ndarray
    node_of: np.ndarray
    code_index: list[str]
    years: range


def _row_at(rows: list[int], spans: list[tuple], day: dt.date) -> int:
    """The row of a code valid on ``day``; else its latest row starting by then; else its first."""
    for i in rows:
        start, stop = spans[i]
        if start <= day and (stop is None or stop >= day):
            return i
    started = [i for i in rows if spans[i][0] <= day]
    return started[-1] if started else rows[0]


def _targets(units: pd.DataFrame, by_code: dict[str, list[int]], spans: list[tuple], alive: np.ndarray,
             end: dt.date) -> np.ndarray:
    """The row each row adds into (see :class:`Tree`); -1 at the top."""
    up = np.full(len(units), -1)
    for i, (parent, successor) in enumerate(zip(units["parent"], units["successor"])):
        after = successors(successor)
        if alive[i] or spans[i][1] is None:             # alive, or starting after the end
            if isinstance(parent, str) and parent in by_code:
                up[i] = _row_at(by_code[parent], spans, end)
        elif len(after) == 1 and after[0] in by_code:
            up[i] = _row_at(by_code[after[0]], spans, spans[i][1] + dt.timedelta(days=1))
        elif isinstance(parent, str) and parent in by_code:
            up[i] = _row_at(by_code[parent], spans, spans[i][1])
        if up[i] == i:
            up[i] = -1
    return up


def _chains(up: np.ndarray) -> list[list[int]]:
    """For each row, the rows above it, nearest first (a cycle is cut where it closes)."""
    out = []
    for i in range(len(up)):
        chain, seen, cur = [], {i}, up[i]
        while cur >= 0 and cur not in seen:
            chain.append(int(cur))
            seen.add(cur)
            cur = up[cur]
        out.append(chain)
    return out


def _by_depth(up: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Position of each node when ordered by depth, then by the position of the node above it."""
    position = np.empty(len(up), dtype=int)
    placed = 0
    for level in range(int(depth.max(initial=-1)) + 1):
        rows = np.flatnonzero(depth == level)
        above = position[up[rows]] if level else np.zeros(len(rows), dtype=int)
        rows = rows[np.argsort(above, kind="stable")]
        position[rows] = np.arange(placed, placed + len(rows))
        placed += len(rows)
    return position


def tree(units: pd.DataFrame, area: str | None, as_of: int, years: range) -> Tree:
    """The roll-up tree of ``area`` in the units valid at the end of ``as_of``.

    Parameters
    ----------
    units : DataFrame
        The org-unit catalog (``Catalog.units``).
    area : str or None
        Code of the top unit; None for every unit (several roots).
    as_of : int
        Year whose units the results are expressed in.
    years : range
        Years of data to place on the tree.
    """
    units = units.reset_index(drop=True)
    end = year_end(as_of)
    alive = _valid_on(units, end).to_numpy()
    by_code: dict[str, list[int]] = {}
    for i, code in enumerate(units["code"]):
        by_code.setdefault(code, []).append(i)
    spans = [(a, None if b is None or pd.isna(b) else b) for a, b in zip(units["valid_from"], units["valid_to"])]
    for rows in by_code.values():
        rows.sort(key=lambda i: spans[i][0])
    up = _targets(units, by_code, spans, alive, end)
    chains = _chains(up)
    codes = units["code"].to_numpy()
    if area is None:
        keep = np.ones(len(units), dtype=bool)
    else:
        top = {i for i in by_code.get(area, []) if alive[i]}
        keep = np.array([i in top or bool(top.intersection(c)) for i, c in enumerate(chains)])
    kept = np.cumsum(keep) - 1
    order = np.flatnonzero(keep)
    up_kept = np.array([kept[up[i]] if up[i] >= 0 and keep[up[i]] else -1 for i in order], dtype=int)
    depth = np.array([sum(1 for a in chains[i] if keep[a]) for i in order], dtype=int)
    position = _by_depth(up_kept, depth)
    old = order[np.argsort(position)]
    new = np.full(len(units), -1)
    new[order] = position
    up_new = np.array([new[up[i]] if up[i] >= 0 and keep[up[i]] else -1 for i in old], dtype=int)
    depth = np.sort(depth)
    valid = np.stack([valid_in(units, y).to_numpy()[old] for y in years], axis=1) if len(years) else \
        np.zeros((len(old), 0), dtype=bool)
    code_index = list(by_code)
    node_of = np.full((len(code_index), len(years)), -1)
    for c, code in enumerate(code_index):
        rows = by_code[code]
        for j, year in enumerate(years):
            i = rows[0] if len(rows) == 1 else _row_at(rows, spans, year_end(year))
            node_of[c, j] = new[i] if keep[i] else -1
    return Tree(codes[old], up_new, depth, units["level"].to_numpy()[old], alive[old], valid, node_of,
                code_index, years)


# Vietnamese unit prefixes and the English word a translator puts after the name.
def english_name(name: str) -> str:
    """A unit's name as an English text writes it: "Xã Cam Thủy" → "Cam Thủy commune", "Thị trấn Cam Lộ"
    → "Cam Lộ town" (the proper name stays as it is); a name without a known prefix is kept."""
    for prefix, word in vocabulary.unit_english():
        if name.startswith(prefix):
            return f"{name[len(prefix):]} {word}"
    return name
