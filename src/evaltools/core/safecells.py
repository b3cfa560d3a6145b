"""Text cells that no spreadsheet runs: formula injection in CSV outputs is neutralised.

A spreadsheet opening a CSV treats a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return before one) as a formula: a unit or indicator name such
as ``=HYPERLINK("http://...")`` would run. Such a text is written with a leading
apostrophe, the spreadsheet convention for "this is text", which Excel and LibreOffice
show without the apostrophe. Numbers are never touched (a negative figure stays a
number); only text cells are.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """``text`` made safe to open in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_START) else text


def text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell of its text (object, string, categorical) columns made safe."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        elif not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        out[column] = series.map(lambda v: text_cell(v) if isinstance(v, str) else v)
    return out
