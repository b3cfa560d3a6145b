"""From grids of cells to one long table of incoming cells, whatever the layout.

Two layouts are read:

- **long**: the store's own columns (``element, period, unit, category, value``
  and optionally ``source, comment``), one value per row; numbers as the store
  writes them (:func:`~evaltools.intake.numbers.parse_plain`).
- **wide**: a header row of column codes (``UNIT``, ``UNIT_NAME``, ``ELEMENT``,
  ``ELEMENT.option``...) and/or the template's Vietnamese headers, then one
  row per unit; the year in a cell labelled "Năm báo cáo" above the header, or
  in a ``PERIOD`` (Năm) column. A sheet with no unit column is one commune's
  sheet, named after it. Numbers as people write them
  (:func:`~evaltools.intake.numbers.parse_vi`).

Every incoming cell keeps where it was: ``place`` (file, and sheet for XLSX),
``row`` as the spreadsheet shows it, ``column`` as its header reads, ``cell``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd

from evaltools.model import vocabulary
from evaltools.core.errors import Problem
from evaltools.store.record import OPTIONAL, REQUIRED
from evaltools.intake.columns import Column, ColumnIndex, header_key
from evaltools.intake.dhis2 import Context, is_dhis2_csv, read_into
from evaltools.intake.problems import column_letter, place
from evaltools.intake.readers import CellError, Grid, Source, Uncomputed, csv_frame, csv_rows

INCOMING = ("element", "category", "unit_code", "unit_name", "period", "raw", "grammar", "comment", "origin",
            "place", "base", "row", "column", "cell", "unit_at", "period_at", "period_row")
HEADER_SCAN = 30


@dataclass
class Parsed:
    """What one file gave: incoming cells, counts, notes for the summary, problems."""

    layout: str = ""
    frames: list[pd.DataFrame] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: int = 0        # values refused while reading (a DHIS2 value its identifiers or months cannot place)


def text_of(cell: object) -> str:
    """A label or code cell as text (19597.0 -> '19597')."""
    if cell is None or isinstance(cell, (Uncomputed, CellError)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _is_long_header(cells: list[object]) -> bool:
    names = {text_of(c).casefold() for c in cells}
    return {"element", "value"} <= names


def read(source: Source, index: ColumnIndex, dhis2: Context) -> Parsed:
    """Every incoming cell of a return, with its layout, counts and problems (DHIS2's: see :mod:`.dhis2`)."""
    parsed = Parsed()
    if source.kind == "JSON" or source.kind == "CSV" and is_dhis2_csv(source):
        read_into(source, dhis2, parsed, INCOMING)
        return parsed
    if source.kind == "CSV":
        head = csv_rows(source.text, source.delimiter, limit=HEADER_SCAN)
        first = next((r for r in head if any(r)), [])
        if _is_long_header(first):
            parsed.layout = "long CSV"
            at = head.index(first)
            _long(csv_frame(source, at), at + 1, (source.name, _base(source.name)), parsed)
        else:
            parsed.layout = "wide CSV"
            _wide(Grid(None, csv_rows(source.text, source.delimiter)), index, source.name, parsed)
        return parsed
    for grid in source.grids:
        first = next((r for r in grid.rows if any(text_of(c) for c in r)), None)
        if first is None:
            parsed.notes.append(f"sheet {grid.sheet!r} is empty")
        elif header_key(grid.sheet) == header_key(vocabulary.word("help_sheet")):
            parsed.notes.append(f"sheet {grid.sheet!r} skipped (instructions)")
        elif _is_long_header(first):
            parsed.layout = parsed.layout or "long XLSX"
            _long(_grid_frame(grid, first), grid.rows.index(first) + 1,
                  (place(source.name, grid.sheet), place(_base(source.name), grid.sheet)), parsed)
        else:
            parsed.layout = parsed.layout or "wide XLSX"
            _wide(grid, index, source.name, parsed)
    return parsed


def _grid_frame(grid: Grid, header: list[object]) -> pd.DataFrame:
    """A long-layout sheet as a frame like :func:`csv_frame` gives (values keep their cell type)."""
    start = grid.rows.index(header)
    names = [text_of(c) for c in header]
    body = [(r + [None] * len(names))[:len(names)] for r in grid.rows[start + 1:]]
    frame = pd.DataFrame(body, columns=names, dtype=object)
    for name in frame.columns:
        if name.casefold() != "value":
            frame[name] = frame[name].map(text_of)
    frame.index = range(start, start + len(frame))  # so that row = index + 2 as in CSV
    return frame


def _base(name: str) -> str:
    """The file's own name, as ``source`` cites it."""
    return PurePath(name).name


def constant(value: object, n: int) -> pd.Categorical:
    """``n`` copies of one value, one byte each."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[value])


def _stripped(column: pd.Series) -> pd.Series:
    """Text stripped of surrounding spaces; categorical columns stay categorical (cheap on big files)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        stripped = column.cat.categories.str.strip()
        if stripped.is_unique:
            return column.cat.rename_categories(stripped)
        return column.astype(str).str.strip().astype("category")
    return column.map(text_of)


def _long(frame: pd.DataFrame, header_row: int, names: tuple[str, str], parsed: Parsed) -> None:
    """Read a long-layout table; ``names``: the place in messages and the place in ``source``."""
    where, base = names
    frame = frame.rename(columns={c: c.strip().casefold() for c in frame.columns})
    blank = [c for c in frame.columns if (not c or c.startswith("unnamed:")) and not frame[c].map(text_of).any()]
    frame = frame.drop(columns=blank)
    missing = [c for c in REQUIRED if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    if missing or unknown or frame.columns.duplicated().any():
        parsed.problems.append(Problem(where, header_row, None, (
            f"expected the store's columns {', '.join(REQUIRED)} (and optionally {', '.join(OPTIONAL)}); "
            f"missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'}"
            + ("; some column appears twice" if frame.columns.duplicated().any() else ""))))
        return
    for name in frame.columns:
        if name != "value" or isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = _stripped(frame[name])
    empty = [frame[c].map(text_of).eq("") if c == "value" else frame[c].eq("") for c in frame.columns]
    frame = frame[~np.logical_and.reduce(empty)]
    parsed.rows += len(frame)
    n, rows = len(frame), (frame.index.to_numpy() + 2).astype(np.int64)
    missing_text = constant("", n)
    parsed.frames.append(pd.DataFrame({
        "element": frame["element"], "category": frame["category"], "unit_code": missing_text,
        "unit_name": frame["unit"], "period": frame["period"], "raw": frame["value"],
        "grammar": constant("plain", n), "comment": frame["comment"] if "comment" in frame else missing_text,
        "origin": frame["source"] if "source" in frame else missing_text, "place": constant(where, n),
        "base": constant(base, n), "row": rows, "column": constant("value", n), "cell": missing_text,
        "unit_at": constant("unit", n), "period_at": constant("period", n), "period_row": rows},
        columns=list(INCOMING)).reset_index(drop=True))


def _find_headers(rows: list[list[object]], index: ColumnIndex) -> tuple[int | None, int | None]:
    """0-based rows of the code header and of the Vietnamese header (each needs two known cells)."""
    code_row = vi_row = None
    for r, cells in enumerate(rows[:HEADER_SCAN]):
        texts = [t for t in map(text_of, cells) if t]
        if code_row is None and sum(index.by_code(t) is not None for t in texts) >= 2:
            code_row = r
        if vi_row is None and sum(index.by_header(t) is not None for t in texts) >= 2:
            vi_row = r
    return code_row, vi_row


def _map_columns(rows: list[list[object]], code_row: int | None, vi_row: int | None, index: ColumnIndex,
                 where: str) -> tuple[dict[int, tuple[Column, str]], list[Problem]]:
    """Column index -> (column, header as the user sees it); problems with unknown or repeated headers."""
    by_code = code_row is not None
    head = rows[code_row if by_code else vi_row]
    labels = rows[vi_row] if vi_row is not None and (not by_code or abs(vi_row - code_row) == 1) else head
    mapped: dict[int, tuple[Column, str]] = {}
    seen: dict[str, int] = {}
    problems = []
    for j in range(max(len(head), len(labels))):
        text = text_of(head[j]) if j < len(head) else ""
        label = text_of(labels[j]) if j < len(labels) and text_of(labels[j]) else text
        if not label:
            continue
        column = index.by_code(text) if by_code and text else index.by_header(label)
        at = (where, (code_row if by_code else vi_row) + 1, label)
        if column is None:
            what = index.unknown(text, by_code) if text else (
                f"no column code under the header {label!r} (header cells merged over the code row?), and the "
                "header names no known column; type the column's code (see the template)")
            problems.append(Problem(*at, f"cell {column_letter(j)}{at[1]}: {what}"))
            continue
        said = index.by_header(label) if labels is not head else None
        if said is not None and said.key != column.key:
            problems.append(Problem(*at, f"cell {column_letter(j)}{at[1]}: the header reads as {said.key} "
                                         f"but the code row says {column.key}"))
        if column.key in seen:
            problems.append(Problem(*at, f"cell {column_letter(j)}{at[1]}: column {column.key} appears twice "
                                         f"(also column {column_letter(seen[column.key])})"))
            continue
        seen[column.key] = j
        mapped[j] = (column, label)
    return mapped, problems


def _find_year(rows: list[list[object]], above: int) -> tuple[object, int, str] | None:
    """(year cell, its 1-based row, its label) from a 'Năm báo cáo' cell above the header, or None."""
    labels = {header_key(t) for t in vocabulary.year_labels()}
    for r in range(above):
        cells = rows[r]
        for j, cell in enumerate(cells):
            if header_key(text_of(cell)) in labels:
                rest = [(k, c) for k, c in enumerate(cells[j + 1:], j + 1) if text_of(c) or isinstance(c, (int, float))]
                if rest:
                    return rest[0][1], r + 1, f"{text_of(cell)} ({column_letter(rest[0][0])}{r + 1})"
    return None


def _wide(grid: Grid, index: ColumnIndex, name: str, parsed: Parsed) -> None:
    where = place(name, grid.sheet)
    code_row, vi_row = _find_headers(grid.rows, index)
    if code_row is None and vi_row is None:
        examples = ", ".join(c.key for c in index.columns[:4])
        parsed.problems.append(Problem(where, None, None, (
            f"no header row in the first {HEADER_SCAN} rows: expected a row of column codes ({examples}...) "
            "or the template's Vietnamese headers (see: evaltools template YEAR)")))
        return
    mapped, problems = _map_columns(grid.rows, code_row, vi_row, index, where)
    parsed.problems += problems
    header_end = max(r for r in (code_row, vi_row) if r is not None and (code_row is None or abs(r - code_row) <= 1))
    special = {column.key: (j, label) for j, (column, label) in mapped.items() if column.element is None}
    data = {j: cl for j, cl in mapped.items() if cl[0].element is not None}
    year = _find_year(grid.rows, min(r for r in (code_row, vi_row) if r is not None))
    heads = vocabulary.row_columns()
    if "UNIT" not in special and "UNIT_NAME" not in special and grid.sheet is None:
        parsed.problems.append(Problem(where, header_end + 1, None, "no unit column: expected "
                                                                    f"'{heads['UNIT']}' (UNIT) or '{heads['UNIT_NAME']}' (UNIT_NAME)"))
        return
    if year is None and "PERIOD" not in special:
        parsed.problems.append(Problem(where, None, None, "no year: expected a cell "
                                                          f"'{vocabulary.year_labels()[0]}' with the year to its right above "
                                                          f"the header, or a column '{heads['PERIOD']}' (PERIOD)"))
        return
    records, rows_with_values = _wide_rows(grid, header_end + 1, data, special, year,
                                           (where, place(_base(name), grid.sheet)), parsed)
    if "UNIT" not in special and "UNIT_NAME" not in special and len(rows_with_values) > 1:
        parsed.problems.append(Problem(where, rows_with_values[1], None, (
            f"this sheet has no unit column, so it is the sheet of the unit it is named after ({grid.sheet!r}) "
            f"and holds one row of figures; found rows {', '.join(map(str, rows_with_values))}")))
    parsed.rows += len(rows_with_values)
    if records:
        # object columns: pandas would otherwise read a column of texts and blanks as strings with NaN
        frame = pd.DataFrame(records, columns=list(INCOMING), dtype=object)
        parsed.frames.append(frame.astype({"row": np.int64, "period_row": np.int64}))


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _wide_rows(grid: Grid, start: int, data: dict[int, tuple[Column, str]], special: dict[str, tuple[int, str]],
               year: tuple[object, int, str] | None, names: tuple[str, str],
               parsed: Parsed) -> tuple[list[tuple], list[int]]:
    """One record per data cell of each row that has a figure; rows left empty are skipped.

    ``names``: the place in messages and the place in ``source`` (file name only).
    """
    where, base = names
    headed = set(data) | {j for j, _ in special.values()} | _headed(grid, start)
    get = lambda cells, key: cells[special[key][0]] if key in special and special[key][0] < len(cells) else None  # noqa: E731
    unit_at = special.get("UNIT_NAME", special.get("UNIT", (None, "sheet name")))[1]
    records, rows_with_values = [], []
    for r in range(start, len(grid.rows)):
        cells, n = grid.rows[r], r + 1
        for j, cell in enumerate(cells):
            if j not in headed and _filled(cell):
                parsed.problems.append(Problem(where, n, None, f"cell {column_letter(j)}{n}: a figure in a column "
                                                               "with no header: add the column's code or move it"))
        values = [(j, cells[j] if j < len(cells) else None) for j in data]
        if not any(_filled(v) for _, v in values):
            continue
        rows_with_values.append(n)
        code, name = text_of(get(cells, "UNIT")), text_of(get(cells, "UNIT_NAME"))
        if "UNIT" not in special and "UNIT_NAME" not in special:
            name = grid.sheet
        period, period_at, period_row = (year[0], year[2], year[1]) if year else (None, "", n)
        if _filled(get(cells, "PERIOD")):
            period, period_at, period_row = get(cells, "PERIOD"), special["PERIOD"][1], n
            if year and text_of(period) != text_of(year[0]):
                parsed.problems.append(Problem(where, n, period_at, f"year {text_of(period)} differs from the "
                                                                    f"return's year {text_of(year[0])} ({year[2]})"))
        comment = text_of(get(cells, "COMMENT"))
        for j, value in values:
            column, label = data[j]
            records.append((column.element, column.category, code, name, period, value, "vi", comment, "", where,
                            base, n, label, f"{column_letter(j)}{n}", unit_at, period_at, period_row))
    return records, rows_with_values


def _headed(grid: Grid, start: int) -> set[int]:
    """Columns with any text in the header rows (unknown headers are reported once, not per cell)."""
    return {j for cells in grid.rows[max(0, start - 2):start] for j, c in enumerate(cells) if text_of(c)}
