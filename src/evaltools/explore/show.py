"""How exploration tables show themselves: as the report writes numbers, while holding real floats.

A :class:`Shown` is a plain pandas DataFrame (filter it, sum it, plot it: its numbers are
floats, a missing value is NaN) whose notebook display and ``print`` write its figures as
the report does: ``3.667.005.000`` and ``98,5`` in Vietnamese, ``3,667,005,000`` and
``98.5`` in English, ``–`` for a missing value, never 0. :func:`formatted` gives the
display copy itself (a DataFrame of text), e.g. to paste into a document.

How a table shows (its language, each column's decimals, the years asked for, the palette of its
charts) is its *kind*: a subclass of :class:`Shown` made by :func:`shown`, never ``DataFrame.attrs``
(which merge and concat drop). pandas builds what an operation returns with the frame's own class
(``_constructor``), so a table filtered, merged onto, grouped, concatenated or copied still shows
as the report writes it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from evaltools.dataset.present import written
from evaltools.model import vnformat
from evaltools.project.project import project_of

COMPACT = None          # a column written with at most two decimals, trailing zeros dropped
PERCENT = "%"           # a share (0.889) written as a whole percentage (89 %)
TEXT = "text"           # a code, a year, a line number: written as it is (2017, not 2.017); missing "–"


class Shown(pd.DataFrame):
    """A DataFrame of real numbers that displays them as the report writes them (see :func:`formatted`)."""

    spec: Mapping = {}          # how it shows: set on each table's own subclass by :func:`shown`

    @property
    def _constructor(self):
        return type(self)       # what pandas returns keeps the kind, and so how it shows

    def _repr_html_(self) -> str | None:
        shown_rows, note = _visible(self)
        with pd.option_context("display.show_dimensions", not note):   # the note gives the true shape
            html = formatted(shown_rows)._repr_html_() or ""
        return html + (f"<p>{note}</p>" if note else "")

    def __repr__(self) -> str:
        shown_rows, note = _visible(self)
        with pd.option_context("display.show_dimensions", not note):
            return repr(formatted(shown_rows)) + (f"\n{note}" if note else "")


def _visible(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The rows a display shows (a long frame: its first and last few, as pandas shows them), and a note
    saying so: only those are written out, so a national store displays at once."""
    most = pd.get_option("display.max_rows")
    if most is None or len(frame) <= most:
        return frame, ""
    half = max((pd.get_option("display.min_rows") or 10) // 2, 1)
    return (pd.concat([frame.iloc[:half], frame.iloc[-half:]]),
            f"[{len(frame)} rows × {len(frame.columns)} columns: the first and last {half} shown]")


def spec_of(frame: pd.DataFrame) -> Mapping:
    """How ``frame`` shows (empty for a frame that is not a :class:`Shown`)."""
    return getattr(type(frame), "spec", {})


def shown(frame: pd.DataFrame, lang: str, columns: Mapping[object, int | None], by: str | None = None,
          digits_by: Mapping[str, int] | None = None, **more) -> Shown:
    """``frame`` as a :class:`Shown`, its ``columns`` written with their decimals.

    Parameters
    ----------
    columns
        Column (``"*"``: every column) -> decimals: a number; ``None``, at most two, trailing zeros
        dropped; ``"%"``, a share as a whole percentage; ``"by"``, each row's indicator's.
    by, digits_by
        For a column whose decimals are ``"by"``: the column naming each row's indicator, and each
        indicator's decimals.
    more
        What else the table knows (``years`` asked for, ``palette``, ``absent`` cells...), over what
        ``frame``'s own kind knew.
    """
    digits_by = dict(digits_by or {})
    # one indicator in the frame: its decimals hold even after the ``by`` column is selected away
    codes = set(frame[by].astype(str)) if by in frame.columns else set()
    only = digits_by.get(codes.pop()) if len(codes) == 1 else None
    spec = {**spec_of(frame), **more, "lang": lang, "columns": dict(columns), "by": by, "digits_by": digits_by,
            "only": only}
    return _kind(spec)(pd.DataFrame(frame))


_KINDS: dict[str, type] = {}


def _kind(spec: dict) -> type:
    """The one subclass of :class:`Shown` for ``spec``: two tables that show alike are of one kind (pandas'
    ``equals`` compares kinds)."""
    key = repr(spec)
    if key not in _KINDS:
        _KINDS[key] = type("Shown", (Shown,), {"spec": spec})
    return _KINDS[key]


def _text(value: object, digits: int | str | None, lang: str) -> str:
    if digits == TEXT or not isinstance(value, (int, float)) or isinstance(value, bool):
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return vnformat.MISSING                  # one marker for every kind of missing (NaN, <NA>, None)
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if digits == PERCENT:
        return vnformat.percent(100 * float(value), 0, lang)
    if digits is None:
        return vnformat.compact(float(value), lang)
    return written([float(value)], int(digits), lang)[0]         # the report's own writer


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """The display copy of a :class:`Shown` (a plain DataFrame of text); other frames are returned as they are."""
    spec = spec_of(frame)
    if not spec:
        return pd.DataFrame(frame)
    lang, wanted = spec["lang"], spec["columns"]
    out = pd.DataFrame(frame).astype(object)
    targets = list(frame.columns) if "*" in wanted else [c for c in wanted if c in frame.columns]
    for column in targets:
        how = wanted.get(column, wanted.get("*"))
        if how == "by" and spec["by"] in frame.columns:
            places = frame[spec["by"]].map(spec["digits_by"]).where(lambda s: s.notna(), None)
        else:
            fixed = spec.get("only") if how == "by" else how
            places = pd.Series([fixed] * len(frame), index=frame.index, dtype=object)
        out[column] = [_text(v, p if p is None or isinstance(p, str) else None if p != p else int(p), lang)
                       for v, p in zip(frame[column], places)]
    # cells that are not missing figures but cannot have one (a unit that did not exist that year)
    for row, column in spec.get("absent", ()):
        if row in out.index and column in out.columns:
            out.at[row, column] = spec.get("absent_text", "")
    return out


def relative(path: str | Path) -> str:
    """``path`` as seen from its project's root (``data/reviews/x.yaml``, ``.venv/bin/python``), else as it is.

    The file itself is not resolved: ``.venv/bin/python`` links out of the project and is shown as the link.
    """
    absolute = Path(os.path.abspath(path))
    found = project_of(absolute.parent / "_")
    try:
        return str(absolute.relative_to(found.root)) if found else str(path)
    except ValueError:
        return str(path)
