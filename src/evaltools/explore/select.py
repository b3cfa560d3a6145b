"""Picking rows of a review's data: the store's values and the indicator table, filtered by unit (code or
name, as named that year), element or indicator, year and category; and what they carry to the charts
(the programme's palette, each indicator's decimals). :func:`values` and :func:`indicators` are
re-exported by :mod:`evaltools.explore`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import seaborn as sns

from evaltools.dataset.context import ReviewData
from evaltools.dataset.present import decimals as present_decimals, scaled
from evaltools.explore.show import COMPACT, PERCENT, relative, shown, spec_of
from evaltools.intake.unitnames import split_name
from evaltools.report.charts import DEFAULT_PALETTE

Filter = str | Iterable[str] | None


def as_set(value: Filter) -> set[str] | None:
    """A filter as a set of codes (one code or several), or None: no filter."""
    if value is None:
        return None
    return {str(value)} if isinstance(value, (str, int)) else {str(v) for v in value}


def unit_names(data: ReviewData, codes: pd.Series, years: pd.Series) -> pd.Series:
    """Each (code, year)'s name in the review's language, as the unit was called that year."""
    units = data.catalog.units
    start = units["valid_from"].map(lambda d: d.year)
    end = units["valid_to"].map(lambda d: 9999 if d is None or pd.isna(d) else d.year)
    table = pd.DataFrame({"code": units["code"].astype(str), "start": start, "end": end,
                          "name": units[f"name_{data.lang}"]})
    keys = pd.DataFrame({"code": codes.astype(str).to_numpy(), "year": years.astype(int).to_numpy(),
                         "row": range(len(codes))})
    joined = keys.merge(table, on="code", how="left")
    joined = joined[(joined["start"] <= joined["year"]) & (joined["year"] <= joined["end"])]
    names = joined.drop_duplicates("row", keep="last").set_index("row")["name"]
    fallback = table.drop_duplicates("code", keep="last").set_index("code")["name"]
    out = pd.Series(names.reindex(range(len(codes))).to_numpy(), index=codes.index, dtype=object)
    return out.fillna(codes.astype(str).map(fallback))


def unit_mask(codes: pd.Series, names: pd.Series, unit: Filter) -> pd.Series:
    """Rows whose unit code, or name written any usual way ("Cam Thuỷ", "TT. Cam Lộ"), is asked for."""
    wanted = as_set(unit)
    if wanted is None:
        return pd.Series(True, index=codes.index)
    keys = [split_name(w) for w in wanted]

    def named(name: str) -> bool:
        kind, key = split_name(name)
        return any(k == key and w in (None, kind) for w, k in keys)   # a prefix, when given, must agree

    found = {name: named(name) for name in names.astype(str).unique()}
    return codes.astype(str).isin(wanted) | names.astype(str).map(found)


def _year_mask(periods: pd.Series, years: int | Iterable[int] | None) -> pd.Series:
    if years is None:
        return pd.Series(True, index=periods.index)
    wanted = {str(years)} if isinstance(years, int) else {str(y) for y in years}
    return periods.astype(str).isin(wanted)


def values(data: ReviewData, unit: Filter = None, element: Filter = None, years: int | Iterable[int] | None = None,
           category: Filter = None) -> pd.DataFrame:
    """The store's values, filtered, with element and unit names (each unit as named that year).

    Parameters
    ----------
    unit : code or name, or several
        ``"19606"``, ``"Xã Cam Thủy"``, ``"Cam Thuỷ"``...; default: every unit.
    element : code or codes
        Data element codes (see ``catalog(data)``); default: every element.
    years : int or iterable of int
        E.g. ``range(2012, 2018)``; default: every year.
    category : option code(s)
        E.g. ``"disabled"``; default: every option.
    """
    rows = data.values
    keep = _year_mask(rows["period"], years)
    if element is not None:
        keep &= rows["element"].astype(str).isin(as_set(element))
    if category is not None:
        keep &= rows["category"].astype(str).isin(as_set(category))
    rows = rows[keep]
    names = unit_names(data, rows["unit"], rows["period"])
    rows = rows[unit_mask(rows["unit"], names, unit)]
    names = names[rows.index]
    element_names = data.catalog.elements[f"name_{data.lang}"]
    out = pd.DataFrame({
        "element": rows["element"].astype(str), "element_name": rows["element"].astype(str).map(element_names),
        "period": rows["period"].astype(int), "unit": rows["unit"].astype(str), "unit_name": names,
        "category": rows["category"].astype(str), "value": rows["value"].astype(float),
        "file": _relative_files(rows["file"]), "line": rows["line"]})
    out = out.sort_values(["element", "unit", "period", "category"]).reset_index(drop=True)
    return shown(out, data.lang, {"value": COMPACT}, **style(data), years=_asked(years))


def _asked(years: int | Iterable[int] | None) -> list[int] | None:
    """The years asked for, so that :func:`table` shows a year without data as "–"."""
    if years is None:
        return None
    return [int(years)] if isinstance(years, int) else sorted({int(y) for y in years})


def _relative_files(files: pd.Series) -> pd.Series:
    """Store file names relative to the project, wherever the notebook's kernel started."""
    names = files.astype(str)
    return names.map({name: relative(name) for name in names.unique()})


def style(data: ReviewData) -> dict:
    """What a table carries to :func:`trend` and :func:`compare`: the programme's palette."""
    own = data.programme.style if data.programme is not None else {}
    return {"palette": own.get("palette", DEFAULT_PALETTE)}


def indicators(data: ReviewData, indicator: Filter = None, unit: Filter = None,
               years: int | Iterable[int] | None = None, category: Filter = "total") -> pd.DataFrame:
    """The review's indicator table, filtered (``years=None`` keeps the whole-period rows too); each
    value in its indicator's table scale, named in ``measure``, as the report's tables show it
    (:mod:`evaltools.dataset.present`: a total in đồng in millions)."""
    rows = data.indicators
    keep = _year_mask(rows["period"], years) & unit_mask(rows["unit"], rows["unit_name"], unit)
    if indicator is not None:
        keep &= rows["indicator"].astype(str).isin(as_set(indicator))
    if category is not None:
        keep &= rows["category"].astype(str).isin(as_set(category))
    out = scaled(rows[keep].astype({"indicator": str, "unit": str, "unit_name": str, "period": str, "category": str}),
                 data)
    return shown(out.reset_index(drop=True), data.lang,
                 {"value": "by", "numerator": COMPACT, "denominator": COMPACT, "coverage": PERCENT}, "indicator",
                 decimals(data), **style(data), years=_asked(years))


def decimals(data: ReviewData) -> dict[str, int]:
    """Each indicator's decimals, as the report writes it (in its table scale)."""
    return {str(code): present_decimals(data, str(code)) for code in data.catalog.indicators.index}


def palette(frame: pd.DataFrame, colours: int) -> list:
    """The programme's palette (which :func:`values` and :func:`indicators` give their tables): the
    colours of the report's charts, not matplotlib's default ones."""
    return sns.color_palette(spec_of(frame).get("palette", DEFAULT_PALETTE), n_colors=max(colours, 1))
