"""The canonical data store: long CSV files of data values under ``<data>/values/``.

Columns: ``element, period, unit, category, value`` and optionally ``source``
(where an imported value came from) and ``comment``. One row per value; the
store is read whole and checked against the catalog, every problem at once.
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from evaltools.core import limits
from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.core.errors import EvaltoolsError, Problem, display_path

REQUIRED = ("element", "period", "unit", "category", "value")
OPTIONAL = ("source", "comment")
MAX_PER_CHECK = 20


def value_files(folder: str | Path) -> list[Path]:
    """The store's CSV files in name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EvaltoolsError(f"{display_path(folder)}: data values folder not found")
    return sorted(folder.glob("*.csv"))


def read_values_csv(path: Path) -> pd.DataFrame:
    """Read one store file (bounded, see :mod:`evaltools.core.limits`) as text columns, with ``file`` and ``line``."""
    name = display_path(path)
    return parse_values(read_store_bytes(path, name), name)


def read_store_bytes(path: Path, name: str) -> bytearray:
    """The bytes of one store file, refused past the store's size limit (``name`` in the message)."""
    return limits.read_bytes(path, limits.STORE_FILE, "a CSV file of data values", name)


def parse_values(data: bytes, name: str) -> pd.DataFrame:
    """The rows of one store file's bytes as text columns, with ``file`` (``name``) and ``line``."""
    limits.check_rows(data, name)
    limits.check_control(data, name)
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8",
                            quoting=csv.QUOTE_MINIMAL)
    except UnicodeDecodeError as exc:
        raise EvaltoolsError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise EvaltoolsError(f"{name}: not a readable CSV file ({exc})") from None
    for column in frame.columns:
        longest = frame[column].str.len().max() if len(frame) else 0
        if longest > limits.CELL_CHARS.value:
            row = int(frame[column].str.len().idxmax()) + 2
            raise limits.CELL_CHARS.refuse(name, f"{longest:,} characters", row, column)
    missing = [c for c in REQUIRED if c not in frame.columns]
    extra = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    if missing or extra:
        raise EvaltoolsError(f"{name}:1: expected columns {', '.join(REQUIRED + OPTIONAL)}; "
                             f"missing {missing or 'none'}, unknown {extra or 'none'}")
    for column in OPTIONAL:
        if column not in frame:
            frame[column] = ""
    frame = frame[list(REQUIRED + OPTIONAL)].map(lambda s: unicodedata.normalize("NFC", s.strip()))
    return frame.assign(file=name, line=np.arange(2, len(frame) + 2))


def _report(problems: list[Problem], rows: pd.DataFrame, field: str, message, refused: set | None = None) -> None:
    """Name the first MAX_PER_CHECK ``rows`` in ``problems``, the rest in one line; every row joins ``refused``."""
    if refused is not None:
        refused.update(rows.index)
    for row in rows.head(MAX_PER_CHECK).itertuples():
        problems.append(Problem(row.file, row.line, field, message(row)))
    if len(rows) > MAX_PER_CHECK:
        problems.append(Problem(rows["file"].iloc[0], None, field,
                                f"... {len(rows) - MAX_PER_CHECK} more rows with the same problem"))


def check_values(frame: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, list[Problem], pd.Index]:
    """Check text-typed data values against the catalog.

    Returns the typed values, the problems (at most MAX_PER_CHECK named per check) and the index of every
    row that failed a check, named or not: a row with several problems is one refused row.
    """
    problems: list[Problem] = []
    refused: set = set()
    report = functools.partial(_report, problems, refused=refused)
    elements = catalog.elements
    known_e = frame["element"].isin(elements.index)
    report(frame[~known_e], "element",
            lambda r: f"unknown data element {r.element!r}")
    report(frame[~frame["unit"].isin(catalog.units["code"])], "unit",
            lambda r: f"unknown unit code {r.unit!r}")
    period = pd.to_numeric(frame["period"], errors="coerce")
    bad_p = period.isna() | (period % 1 != 0) | (period < 1900) | (period > 2100)
    report(frame[bad_p], "period", lambda r: f"expected a year such as 2017, found {r.period!r}")
    disagg = frame["element"].map(elements["disaggregation"])
    allowed = pd.Series(list(zip(catalog.options["disaggregation"], catalog.options["option"])))
    pairs = pd.Series(list(zip(disagg, frame["category"])), index=frame.index)
    ok_cat = np.where(disagg.isna(), frame["category"] == DEFAULT_OPTION, pairs.isin(set(allowed)))
    report(frame[known_e & ~ok_cat], "category",
            lambda r: f"expected {_allowed(catalog, r.element)}, found {r.category!r}")
    value = pd.to_numeric(frame["value"], errors="coerce")
    report(frame[value.isna()], "value",
            lambda r: f"expected a number written like 1234 or 12.5, found {r.value!r}")
    vtype = frame["element"].map(elements["value_type"])
    counted = vtype.isin(["integer", "amount", "boolean"])
    report(frame[counted & value.notna() & ((value % 1 != 0) | (value < 0))], "value",
            lambda r: f"{r.element} counts whole units: expected a whole number ≥ 0, found {r.value!r}")
    report(frame[(vtype == "boolean") & value.notna() & ~value.isin([0, 1])], "value",
            lambda r: f"{r.element} is yes/no: expected 0 or 1, found {r.value!r}")
    typed = frame.assign(period=period.fillna(0).astype(int), value=value)
    keys = list(REQUIRED[:4])
    repeated = typed[typed.duplicated(keys, keep=False)]
    where = repeated["file"] + ":" + repeated["line"].astype(str)
    first = where.groupby([repeated[k] for k in keys]).transform("first")
    again = repeated[where != first].assign(first=first)
    report(again, "value",
            lambda r: f"duplicate of {r.first} ({r.element}, {r.period}, {r.unit}, {r.category})")
    return typed, problems, frame.index[frame.index.isin(list(refused))]


def _allowed(catalog: Catalog, element: str) -> str:
    disagg = catalog.elements.at[element, "disaggregation"]
    if not isinstance(disagg, str):
        return f"'{DEFAULT_OPTION}' ({element} has no disaggregation)"
    return "one of " + ", ".join(catalog.options.loc[disagg, "option"])
