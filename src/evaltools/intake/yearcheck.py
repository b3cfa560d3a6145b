"""Before advising ``--replace``: say which year a return claims and whose figures it would overwrite.

A commune that re-sends last year's file with new figures and the year cell left
unchanged produces conflicts with last year's stored figures. "Import again with
--replace" would then overwrite a whole year with the next year's figures. So when a
return conflicts with stored figures, its problems start with one line naming the year
it claims (and where), how many of its figures differ, where the stored ones came
from, and whether the following year has any figure yet: correct the year cell, or
replace only if the return really corrects that year.
"""

from __future__ import annotations

import pandas as pd

from evaltools.core.errors import Problem


def _sources(conflicts: pd.DataFrame) -> str:
    """Where the stored figures came from: their return files (or store files), at most three."""
    names = [s.split("[")[0].rsplit(":", 1)[0] if s else at.rsplit(":", 1)[0]
             for s, at in zip(conflicts["stored_source"], conflicts["stored_at"])]
    unique = list(dict.fromkeys(names))
    return ", ".join(unique[:3]) + (f" and {len(unique) - 3} more" if len(unique) > 3 else "")


def year_notes(frame: pd.DataFrame, compared: pd.DataFrame, stored: pd.DataFrame | None) -> dict[str, Problem]:
    """One note per place (file, or file and sheet) whose values conflict with stored ones."""
    hit = compared[compared["status"] == "conflict"]
    if hit.empty:
        return {}
    have = set() if stored is None else set(zip(stored["unit"].astype(str), stored["period"].astype(int)))
    notes = {}
    for place, mine in hit.groupby(frame.loc[hit.index, "place"], sort=False):
        rows = frame.loc[mine.index]
        years = sorted({int(y) for y in mine["period"]})
        year = years[0] if len(years) == 1 else None
        total = int((compared["fileno"] == mine["fileno"].iloc[0]).sum())
        span = ", ".join(map(str, years))
        located = year is not None and rows["period_at"].nunique() == 1 and rows["period_at"].iloc[0] != "period"
        claim = f"its year cell {rows['period_at'].iloc[0]} says {year}" if located else f"it gives the year(s) {span}"
        # a few figures of many differing is a correction, not another year's return under the old year
        correction = len(mine) * 2 < total
        later = [] if correction else [y + 1 for y in years
                                       if not any((u, y + 1) in have for u in mine["unit"].astype(str))]
        hint = (f"; nothing is stored yet for {', '.join(map(str, later))} for these units (that year's return "
                "with the year cell left unchanged?)" if later else "")
        advice = (f"If it corrects the stored {span} figures, import again with --replace; if it holds another "
                  "year's figures, correct its year and import again" if correction else
                  f"If it holds another year's figures, correct its year and import again; only if it corrects "
                  f"the stored {span} figures, import again with --replace")
        notes[str(place)] = Problem(str(place), int(rows["period_row"].iloc[0]) if located else None, None, (
            f"{claim}, and {len(mine)} of its {total} figures differ from the {span} figures already stored "
            f"(from {_sources(mine)}){hint}. {advice}"))
    return notes


def first_in_file(problems: list[Problem], notes: dict[str, Problem]) -> list[Problem]:
    """``problems`` with each place's note put before the first problem of that place."""
    out, placed = [], set()
    for problem in problems:
        note = notes.get(problem.file)
        if note is not None and problem.file not in placed:
            out.append(note)
            placed.add(problem.file)
        out.append(problem)
    return out
