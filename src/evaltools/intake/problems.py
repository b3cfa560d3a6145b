"""Where a problem in a return is: file (and sheet), row as the user sees it, column header."""

from __future__ import annotations

import pandas as pd

from evaltools.core.errors import FileProblem, Problem
from evaltools.store.record import MAX_PER_CHECK

__all__ = ["FileProblem", "column_letter", "locate", "place"]


def place(file: str, sheet: str | None) -> str:
    """How a file and sheet are named in messages and in ``source``: ``a.xlsx[Số liệu]``."""
    return f"{file}[{sheet}]" if sheet else file


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def locate(frame: pd.DataFrame, messages: pd.Series, label: str, line: str, cell: bool,
           row_level: bool) -> list[tuple[float, Problem]]:
    """(order, problem) for each incoming cell whose message is set, at most MAX_PER_CHECK per file.

    ``label`` and ``line`` name the frame's columns holding the header and the
    row to report; ``cell`` prefixes the cell reference; ``row_level`` reports
    a problem of a whole row (its unit, its year) once, not once per cell.
    """
    out = []
    hit = frame[messages.ne("")].assign(_msg=messages[messages.ne("")])
    if row_level:
        hit = hit.drop_duplicates(["place", line, "_msg"])
    for place, group in hit.groupby("place", sort=False):
        for i, row in group.head(MAX_PER_CHECK).iterrows():
            prefix = f"cell {row['cell']}: " if cell and row["cell"] else ""
            out.append((i, Problem(place, int(row[line]), row[label] or None, prefix + row["_msg"])))
        if len(group) > MAX_PER_CHECK:
            out.append((group.index[MAX_PER_CHECK - 1] + 0.5, Problem(
                place, None, None, f"... {len(group) - MAX_PER_CHECK} more like: {group['_msg'].iloc[-1]}")))
    return out
