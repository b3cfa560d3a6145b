"""Tables for reports: DataFrames of figures, and a Styler that writes them the language's way.

Builders return plain DataFrames (numbers stay numbers, missing stays NaN) that a
notebook may filter, reorder or extend; :func:`styled` turns one into what the
report shows: numbers as 3.667.005.000 or 98,5, missing as "–", numbers
right-aligned, a caption, no index. Amounts in đồng are shown in millions, as
Vietnamese tables do.
"""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from .. import units as unitlib, vnformat
from ..context import ReviewData
from ..texts import Texts

AMOUNT_UNITS = {"đồng": "triệu đồng", "VND": "million VND"}


def _scale(data: ReviewData, code: str) -> float:
    return 1e-6 if data.catalog.indicators.at[code, "unit_vi"] == "đồng" else 1.0


def unit_label(data: ReviewData, code: str) -> str:
    """The unit a table column of ``code`` is in (amounts: millions of đồng)."""
    unit = str(data.catalog.indicators.at[code, f"unit_{data.lang}"])
    return AMOUNT_UNITS.get(unit, unit)


def decimals(data: ReviewData, code: str) -> int:
    """Decimals a table shows for ``code`` (amounts in millions: one)."""
    return 1 if _scale(data, code) != 1.0 else int(data.catalog.indicators.at[code, "decimals"])


def period_columns(data: ReviewData, texts: Texts) -> list[tuple[str, str]]:
    """(period label in the indicator table, column header): each year, then the whole period."""
    columns = [(str(y), str(y)) for y in data.years]
    if len(data.years) > 1:
        columns.append((data.span, texts.label("tables.period")))
    return columns


def summary(data: ReviewData, texts: Texts, codes: list[str] | None = None) -> pd.DataFrame:
    """The area's indicators per year and for the whole period (index: indicator code)."""
    codes = codes or list(data.review.indicators)
    columns = period_columns(data, texts)
    rows = {code: [data.name("indicator", code), unit_label(data, code),
                   *(data.value(code, period) * _scale(data, code) for period, _ in columns)] for code in codes}
    header = [texts.label("tables.indicator"), texts.label("tables.unit"), *(h for _, h in columns)]
    return pd.DataFrame.from_dict(rows, orient="index", columns=header)


def by_commune(data: ReviewData, texts: Texts, code: str) -> pd.DataFrame:
    """One indicator per commune and period, the area's total last (index: unit code)."""
    columns = period_columns(data, texts)
    table = data.indicators
    rows = table[(table["indicator"] == code) & (table["category"] == "total")]
    wide = rows.pivot_table(index="unit", columns="period", values="value", aggfunc="first", observed=True,
                            dropna=False).reindex(columns=[p for p, _ in columns]) * _scale(data, code)
    names = rows.drop_duplicates("unit").set_index("unit")["unit_name"].astype(str)
    communes = sorted((u for u in wide.index if u != data.review.area), key=lambda u: names.get(u, u))
    wide = wide.reindex([*communes, data.review.area])
    wide.columns = [h for _, h in columns]
    wide.insert(0, texts.label("tables.commune"),
                [names.get(u, u) if u != data.review.area else texts.label("tables.district_total")
                 for u in wide.index])
    return wide


def styled(frame: pd.DataFrame, lang: str, caption: str = "", digits: int | pd.Series | dict = 0,
           css: str = "figures") -> Styler:
    """The table as a report shows it: numbers written the ``lang`` way, "–" for missing, no index.

    ``digits`` is the decimals of every number; or per row (a Series on the frame's index);
    or per column (a dict, columns not named taking 0). A column of
    :class:`~evaltools.vnformat.Quantity` is written with its units (``100,0 %``).
    """
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    quantities = [c for c in frame.columns if len(frame) and
                  frame[c].map(lambda v: isinstance(v, vnformat.Quantity)).all()]
    text = frame.astype(object)
    for column in numeric:
        if isinstance(digits, dict):
            places = pd.Series(digits.get(column, 0), index=frame.index)
        else:
            places = digits if isinstance(digits, pd.Series) else pd.Series(digits, index=frame.index)
        text[column] = [vnformat.number(v, int(p), lang) for v, p in zip(frame[column], places)]
    classes = pd.DataFrame("label", index=frame.index, columns=frame.columns)
    classes[numeric + quantities] = "num"
    # Names come from data and catalogs: shown as text, never read as markup.
    styler = (text.style.format(escape="html").format_index(escape="html", axis=1).hide(axis="index")
              .set_td_classes(classes).set_table_attributes(f'class="{css}"'))
    return styler.set_caption(html.escape(caption)) if caption else styler


def row_digits(data: ReviewData, frame: pd.DataFrame) -> pd.Series:
    """Decimals per row of a table indexed by indicator code (for :func:`styled`)."""
    return pd.Series([decimals(data, code) for code in frame.index], index=frame.index)


def merger_notes(data: ReviewData, texts: Texts) -> list[str]:
    """One note per unit whose earlier years add up its predecessors (Thanh An = Cam An + Cam Thanh)."""
    units = data.catalog.units
    last = data.review.last_year
    successor = unitlib.successor_map(units, last)
    shown = set(data.indicators["unit"].astype(str))
    notes = []
    for code in sorted(set(successor.values()) & shown):
        ended = units["valid_to"].map(lambda d: d is not None and not pd.isna(d) and d.year < last)
        before = units[units["code"].map(successor).eq(code) & ended]
        if before.empty:
            continue
        year = max(d.year for d in before["valid_to"]) + 1
        notes.append(texts("tables.merged_note", name=data.name("unit", code), year=year,
                           predecessors=texts.join(before[f"name_{data.lang}"])))
    return notes


def comparison(data: ReviewData, assessment, texts: Texts) -> pd.DataFrame | None:
    """The area's indicators in the previous review and in this one, each on the year it is compared on
    (:mod:`evaltools.assess.compare`: like with like, never two overlapping periods), with the change
    where the two compare and the reason where they do not."""
    a = assessment
    if a.comparison is None or a.previous is None:
        return None
    rows = a.comparison[(a.comparison["unit"] == data.review.area) & (a.comparison["category"] == "total")]
    scale = rows["indicator"].map(lambda c: _scale(data, c)).to_numpy()

    def year(values: pd.Series, partial: pd.Series) -> list[str]:
        return ["" if pd.isna(y) else f"{int(y)}{'*' if p else ''}" for y, p in zip(values, partial)]

    return pd.DataFrame({
        texts.label("tables.indicator"): [data.name("indicator", c) for c in rows["indicator"]],
        texts.label("tables.unit"): [unit_label(data, c) for c in rows["indicator"]],
        texts.label("tables.previous_year"): year(rows["previous_year"], rows["previous_partial"]),
        texts.label("tables.previous"): rows["previous"].to_numpy() * scale,
        texts.label("tables.current_year"): year(rows["current_year"], rows["current_partial"]),
        texts.label("tables.current"): rows["current"].to_numpy() * scale,
        texts.label("assessment.change"): rows["change"].to_numpy() * scale,
        texts.label("tables.note"): rows[f"note_{data.lang}"].fillna("").to_numpy(),
    }, index=rows["indicator"].astype(str).to_numpy())
