"""One presentation step for every table a reader sees: the report's, the explorer's and the workbook's.

A table is a plain DataFrame keyed by codes (an indicator code, a unit code, a period). How its figures
show is decided here, from those codes and the review's catalog, and never carried on the frame
(``DataFrame.attrs``, which merge and concat drop), so a frame an analyst has merged, grouped
or copied still shows as the report shows it (data/README.md, "How every table is presented"):

- scaling: an indicator's ``display: {scale: ...}`` (formats.yaml ``table_scales``; a total in đồng
  shows in millions) divides its figures, and its unit is named in that scale ("triệu đồng");
- decimals: the scale's, else the indicator's own;
- marks: † on a figure resting on fewer returns than expected;
- language: 3.667.005.000 and 98,5 in Vietnamese, 3,667,005,000 and 98.5 in English, "–" for a
  missing figure, never 0 (:mod:`evaltools.model.vnformat`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from evaltools.dataset.context import ReviewData
from evaltools.model import vnformat
from evaltools.model.vocabulary import formats

COVERAGE_MARK = "†"


def table_scale(data: ReviewData, code: str) -> Mapping:
    """The scale ``code``'s figures show in (its catalog row's ``scale``, formats.yaml ``table_scales``)."""
    return formats()["table_scales"][data.catalog.indicators.at[code, "scale"]]


def factor(data: ReviewData, code: str) -> float:
    """What a table multiplies ``code``'s figures by (a total in đồng: one millionth)."""
    return 1 / table_scale(data, code)["divisor"]


def unit_label(data: ReviewData, code: str, lang: str | None = None) -> str:
    """The unit a table shows ``code`` in, in ``lang`` (default the review's; a total in đồng: "triệu đồng")."""
    unit = str(data.catalog.indicators.at[code, f"unit_{lang or data.lang}"])
    return table_scale(data, code).get("units", {}).get(unit, unit)


def decimals(data: ReviewData, code: str) -> int:
    """Decimals a table shows for ``code`` (its scale's, else the indicator's own)."""
    return int(table_scale(data, code).get("decimals", data.catalog.indicators.at[code, "decimals"]))


def scaled(frame: pd.DataFrame, data: ReviewData, columns: Iterable[str] = ("value",),
           lang: str | None = None) -> pd.DataFrame:
    """A long frame with an ``indicator`` column, its ``columns`` in each row's table scale and a
    ``measure`` column naming that unit (after the first of ``columns``); ``frame`` is not changed."""
    codes = frame["indicator"].astype(str)
    factors = codes.map({c: factor(data, c) for c in codes.unique()}).astype(float)
    out = frame.assign(**{c: frame[c].astype(float) * factors for c in columns})
    measure = codes.map({c: unit_label(data, c, lang) for c in codes.unique()})
    if "measure" in out:
        return out.assign(measure=measure)
    out.insert(list(out.columns).index(next(iter(columns))) + 1, "measure", measure)
    return out


def short(row: pd.Series | None) -> bool:
    """Whether a figure rests on fewer returns than expected (a missing figure is not marked)."""
    return row is not None and row["value"] == row["value"] and int(row["reported"]) < int(row["expected"])


def written(values: Iterable, digits: int | Iterable[int], lang: str, marks: Iterable[str] = ()) -> list[str]:
    """Each figure written the ``lang`` way with its decimals (one number, or one per figure) and its
    mark: 3.667.005.000, 98,5†, "–" for a missing one."""
    values = list(values)
    places = [digits] * len(values) if isinstance(digits, int) else list(digits)
    marks = list(marks) or [""] * len(values)
    return [vnformat.number(v, int(p), lang) + m for v, p, m in zip(values, places, marks)]
