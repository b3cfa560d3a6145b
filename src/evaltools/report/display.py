"""A plain DataFrame a report notebook displays comes out as the report writes tables.

:func:`evaltools.report.load` calls :func:`register` in a running kernel: from then on a
``pandas.DataFrame`` shown in a cell (``df``, ``display(df)``) is written by
:func:`~evaltools.report.tables.styled` — ``1,24`` and ``3.667.005.000`` in Vietnamese,
``1.24`` and ``3,667,005,000`` in English, "–" for a missing value, its data-column codes
headed by their labels (``columns:`` of the texts: ``unit_name`` → "Đơn vị hành chính"). The
frame itself is unchanged: its numbers stay floats. A frame with a display of its own (an
exploration table, a ``Styler``) keeps it.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from evaltools.model import vnformat
from evaltools.model.texts import Texts
from evaltools.report.tables import styled

# Data columns that hold codes, years or line numbers: written as they are (19597, 2017), never 19.597.
AS_IS = ("unit", "year", "period", "value_year", "line", "element", "category", "indicator", "file", "source")
MOST_DIGITS = 2          # a column's decimals: as few as its values need, at most this many


def presented(frame: pd.DataFrame, text: Texts) -> Styler:
    """``frame`` as a report table: an index that names something becomes its first columns, known column
    codes get their labels, numbers the language's separators with the decimals their values need."""
    flat = frame.reset_index() if _named_index(frame) else frame
    flat = flat.copy()
    flat.columns = [" ".join(map(str, c)) if isinstance(c, tuple) else c for c in flat.columns]
    digits = {}
    for column in flat.columns:
        values = flat[column]
        if str(column) in AS_IS or pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            flat[column] = [_word(v, text) for v in values]
        else:
            digits[column] = _decimals(values)
    labels = {c: _label(c, text) for c in flat.columns}
    return styled(flat.rename(columns=labels), text.lang, digits={labels[c]: d for c, d in digits.items()})


def register(text: Texts) -> bool:
    """In a running IPython kernel, display every plain DataFrame with :func:`presented` in ``text``'s
    language (a later call, e.g. for another review, replaces it); outside one, do nothing. True when set."""
    try:
        from IPython import get_ipython
    except ImportError:          # not in a notebook: nothing displays
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, partial(_html, text=text))
    return True


def _html(frame: pd.DataFrame, text: Texts) -> str | None:
    if type(frame)._repr_html_ is not pd.DataFrame._repr_html_:    # a subclass that shows itself (explore)
        return frame._repr_html_()
    return presented(frame, text).to_html()


def _named_index(frame: pd.DataFrame) -> bool:
    """An index worth showing: named, several levels, or not the default 0, 1, 2…"""
    index = frame.index
    return index.nlevels > 1 or any(index.names) or not isinstance(index, pd.RangeIndex)


def _decimals(values: pd.Series) -> int:
    """The fewest decimals (up to :data:`MOST_DIGITS`) that write every value of the column as it is rounded."""
    numbers = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    for places in range(MOST_DIGITS):
        if (numbers.round(places) == numbers.round(MOST_DIGITS)).all():
            return places
    return MOST_DIGITS


def _word(value: object, text: Texts) -> str:
    if isinstance(value, (bool, np.bool_)):
        return text.label(f"columns.values.{str(bool(value)).lower()}")
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return vnformat.MISSING
    return str(value)


def _label(column: object, text: Texts) -> str:
    key = f"columns.{column}"
    return text.label(key) if isinstance(column, str) and key in text.entries else str(column)
