"""The communes' 2023 returns, filled in the way a commune would: one file each, from the template.

Each commune (and the district) fills its own row of ``evaltools template 2023``'s
workbook with its figures: last year's, as stored, with a plausible change — 12 more
children, 2 more children with disabilities on the allowance (and the written total
with them) — and leaves blank what cannot exist yet by the 31/05 cut-off (``NOT_YET``). Used by the yearly-workflow test and the README command test, which both
compute what the report must then say from the values returned here.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

CHANGES = {"CHILDREN": 12, "ALLOWANCE.disabled": 2, "ALLOWANCE_TOTAL": 2}
# Results that do not exist yet when the returns are due (the new review's cut-off is 31/05):
# recognition and scores come at the year's end, the mid-autumn plan in August. Left blank.
NOT_YET = ("CF_RECOGNISED", "CF_SCORE", "PLANS.mid_autumn")
SHEET, CODE_ROW, FIRST_ROW = "Số liệu", 5, 6


def last_year(values_dir: Path, year: int) -> dict[tuple[str, str, str], float]:
    """(element, unit, category) -> value stored for ``year``."""
    frames = [pd.read_csv(p, dtype={"unit": str, "category": str}) for p in sorted(values_dir.glob("*.csv"))]
    rows = pd.concat(frames)
    rows = rows[rows["period"] == year]
    return {(r.element, r.unit, r.category): float(r.value) for r in rows.itertuples()}


def fill_returns(template: Path, values_dir: Path, out_dir: Path, year: int = 2023) -> pd.DataFrame:
    """Write ``out_dir/<unit code>.xlsx`` for every row of ``template``; return the figures written."""
    before = last_year(values_dir, year - 1)
    book = openpyxl.load_workbook(template)
    sheet = book[SHEET]
    keys = [c.value for c in sheet[CODE_ROW]]
    units = [str(sheet.cell(r, 1).value) for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value]
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for i, unit in enumerate(units):
        book = openpyxl.load_workbook(template)          # a fresh copy: each commune fills only its row
        sheet = book[SHEET]
        row = FIRST_ROW + i
        for j, key in enumerate(keys, 1):
            if key in (None, "UNIT", "UNIT_NAME", "COMMENT"):
                continue
            element, _, option = key.partition(".")
            if element in NOT_YET or key in NOT_YET:
                continue
            value = before.get((element, unit, option or "default"))
            if value is None:
                continue
            value = int(value + CHANGES.get(key, 0)) if float(value).is_integer() else value
            sheet.cell(row, j).value = value
            written.append((element, unit, option or "default", value))
        book.save(out_dir / f"{unit}.xlsx")
    return pd.DataFrame(written, columns=["element", "unit", "category", "value"])
