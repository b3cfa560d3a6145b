"""Helpers for exploring a review's data in JupyterLab (``notebooks/explore.ipynb``).

Each is one call in a notebook cell and returns a DataFrame or a chart::

    from evaltools import explore
    data = explore.load("ct20-2012-2017")                 # config, catalog, store, indicators
    rows = explore.values(data, unit="Cam Thuỷ", element="CASES", years=range(2012, 2018))
    explore.table(rows)                                   # units × years
    explore.trend(rows)                                   # a line per unit (seaborn)
    explore.indicators(data, indicator="CASE_RATE")       # the indicator table, filtered
    explore.findings(data)                                # what `evaltools validate` finds
    explore.ranked(data, "CASE_RATE", 2017)               # communes best first, with coverage
    explore.lineage(data, "Thanh An"); explore.history(data, "Thanh An", "CASES")   # across mergers
    explore.gaps(data)                                    # commune-years missing or partial

Tables are DataFrames of real floats (NaN where a figure is missing) that show themselves
as the report writes them: ``3.667.005.000``, ``98,5``, ``–`` for missing, never 0
(:mod:`evaltools.explore.show`).

Units are matched by GSO code or by name as returns write them ("Cam Thuỷ",
"TT. Cam Lộ"); names follow each year's boundaries (19603 is Xã Cam An until 2019 and
Xã Thanh An from 2020). Charts are matplotlib Figures that show themselves as PNG in
any notebook, whatever the matplotlib backend.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

from evaltools import __version__
from evaltools.dataset.context import ReviewData, open_review
from evaltools.explore.show import COMPACT, PERCENT, TEXT, relative, shown
from evaltools.report.charts import DEFAULT_PALETTE, Chart, _number_axis, theme

Filter = str | Iterable[str] | None


def load(review: str | Path, lang: str | None = None) -> ReviewData:
    """Load a review (an id under ``data/reviews/`` or a config path): catalog, values, indicators.

    Exploring reads every year of the store (a unit's whole history), not only the review's years.
    """
    return open_review(review, lang, every_year=True)


def environment(data: ReviewData | None = None) -> pd.DataFrame:
    """Which Python runs this notebook (the project's kernel is ``.venv/bin/python``), and which data;
    paths relative to the project."""
    rows = [("python", relative(sys.executable)), ("evaltools", __version__)]
    if data is not None:
        rows += [("review", relative(data.review.path)), ("data", relative(data.review.data))]
    return pd.DataFrame(rows, columns=["what", "value"]).set_index("what")


def catalog(data: ReviewData, what: str = "elements") -> pd.DataFrame:
    """The codes to filter by, with names in the review's language: ``elements``, ``indicators`` or ``units``."""
    lang = data.lang
    if what == "elements":
        frame = data.catalog.elements
        return frame[["code", f"name_{lang}", f"unit_{lang}", "value_type", "aggregation_time",
                      "disaggregation", "level"]].reset_index(drop=True)
    if what == "indicators":
        frame = data.catalog.indicators
        return frame.reset_index(drop=True)[["code", f"name_{lang}", "numerator", "denominator", "factor",
                                             "direction"]]
    if what == "units":
        return data.catalog.units[["code", f"name_{lang}", "level", "parent", "valid_from", "valid_to",
                                   "successor"]].reset_index(drop=True)
    raise ValueError(f"catalog: expected 'elements', 'indicators' or 'units', not {what!r}")


def _as_set(value: Filter) -> set[str] | None:
    if value is None:
        return None
    return {str(value)} if isinstance(value, (str, int)) else {str(v) for v in value}


def _unit_names(data: ReviewData, codes: pd.Series, years: pd.Series) -> pd.Series:
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


def _unit_mask(codes: pd.Series, names: pd.Series, unit: Filter) -> pd.Series:
    """Rows whose unit code, or name written any usual way ("Cam Thuỷ", "TT. Cam Lộ"), is asked for."""
    from evaltools.intake.unitnames import split_name

    wanted = _as_set(unit)
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
        keep &= rows["element"].astype(str).isin(_as_set(element))
    if category is not None:
        keep &= rows["category"].astype(str).isin(_as_set(category))
    rows = rows[keep]
    names = _unit_names(data, rows["unit"], rows["period"])
    rows = rows[_unit_mask(rows["unit"], names, unit)]
    names = names[rows.index]
    element_names = data.catalog.elements[f"name_{data.lang}"]
    out = pd.DataFrame({
        "element": rows["element"].astype(str), "element_name": rows["element"].astype(str).map(element_names),
        "period": rows["period"].astype(int), "unit": rows["unit"].astype(str), "unit_name": names,
        "category": rows["category"].astype(str), "value": rows["value"].astype(float),
        "file": _relative_files(rows["file"]), "line": rows["line"]})
    out = out.sort_values(["element", "unit", "period", "category"]).reset_index(drop=True)
    return shown(_with_years(_with_style(out, data), years), data.lang, {"value": COMPACT})


def _with_years(frame: pd.DataFrame, years: int | Iterable[int] | None) -> pd.DataFrame:
    """``frame`` remembering the years asked for, so that :func:`table` shows a year without data as "–"."""
    if years is not None:
        frame.attrs["years"] = [int(years)] if isinstance(years, int) else sorted({int(y) for y in years})
    return frame


def _relative_files(files: pd.Series) -> pd.Series:
    """Store file names relative to the project, wherever the notebook's kernel started."""
    names = files.astype(str)
    return names.map({name: relative(name) for name in names.unique()})


def _with_style(frame: pd.DataFrame, data: ReviewData) -> pd.DataFrame:
    """``frame`` carrying the programme's palette to :func:`trend` and :func:`compare` (pandas keeps
    ``attrs`` through filtering)."""
    style = data.programme.style if data.programme is not None else {}
    frame.attrs["palette"] = style.get("palette", DEFAULT_PALETTE)
    return frame


def indicators(data: ReviewData, indicator: Filter = None, unit: Filter = None,
               years: int | Iterable[int] | None = None, category: Filter = "total") -> pd.DataFrame:
    """The review's indicator table, filtered (``years=None`` keeps the whole-period rows too)."""
    rows = data.indicators
    keep = _year_mask(rows["period"], years) & _unit_mask(rows["unit"], rows["unit_name"], unit)
    if indicator is not None:
        keep &= rows["indicator"].astype(str).isin(_as_set(indicator))
    if category is not None:
        keep &= rows["category"].astype(str).isin(_as_set(category))
    out = rows[keep].astype({"indicator": str, "unit": str, "unit_name": str, "period": str, "category": str})
    return shown(_with_years(_with_style(out.reset_index(drop=True), data), years), data.lang,
                 {"value": "by", "numerator": COMPACT, "denominator": COMPACT, "coverage": PERCENT}, "indicator",
                 _decimals(data))


def _decimals(data: ReviewData) -> dict[str, int]:
    """Each indicator's decimals, as the report writes it."""
    return {str(k): int(v) for k, v in data.catalog.indicators["decimals"].items()}


def table(frame: pd.DataFrame, rows: str = "unit_name", columns: str = "period") -> pd.DataFrame:
    """A wide table (default: units × years), options added up; filter to one element or indicator first.

    A cell with a missing figure stays missing (NaN, shown "–"): never 0 (``pivot_table(aggfunc="sum")``
    would say 0), never the sum of the options that were reported. Indicators are not added up:
    filter an indicator to one category first.
    """
    code = _one_series(frame)
    if "indicator" in frame and frame["category"].nunique() > 1:
        raise ValueError(f"{code}: rows of {frame['category'].nunique()} categories; rates do not add up: "
                         "filter with category=... first")
    cells = frame.groupby([rows, columns], observed=True)["value"]
    wide = cells.sum(min_count=1).where(cells.count() == cells.size()).unstack(columns)
    if all(str(c).isdigit() for c in wide.columns):           # indicator periods are text: years as numbers
        wide.columns = wide.columns.astype(int)
    asked = frame.attrs.get("years")
    if columns == "period" and asked and all(isinstance(c, int) for c in wide.columns):
        wide = wide.reindex(columns=asked)                      # a year asked for without data: "–", not dropped
    spec = frame.attrs.get("show", {})
    digits = spec.get("digits_by", {}).get(code) if "indicator" in frame else COMPACT
    return shown(pd.DataFrame(wide), spec.get("lang", "vi"), {"*": digits})


def _one_series(frame: pd.DataFrame) -> str:
    """The one element or indicator in ``frame`` (charts and tables of two would add apples to pears)."""
    column = "indicator" if "indicator" in frame else "element"
    found = frame[column].unique()
    if len(found) != 1:
        raise ValueError(f"expected rows of one {column}, found {len(found)}: {', '.join(map(str, found[:5]))}; "
                         f"filter with {column}=... first")
    return str(found[0])


def _yearly(frame: pd.DataFrame, hue: str) -> pd.DataFrame:
    """Values per (hue, year), options added up; whole-period rows ("2012-2017") dropped."""
    yearly = frame[frame["period"].astype(str).str.fullmatch(r"\d{4}")]
    return (yearly.assign(year=yearly["period"].astype(int)).groupby([hue, "year"], observed=True)["value"]
            .sum(min_count=1).reset_index())


def _title(frame: pd.DataFrame, title: str | None) -> str:
    if title:
        return title
    name = "indicator_name" if "indicator_name" in frame else "element_name"
    return str(frame[name].iloc[0]) if len(frame) else ""


def _palette(frame: pd.DataFrame, colours: int) -> list:
    """The programme's palette (which :func:`values` and :func:`indicators` put in ``frame.attrs``): the
    colours of the report's charts, not matplotlib's default ones."""
    return sns.color_palette(frame.attrs.get("palette", DEFAULT_PALETTE), n_colors=max(colours, 1))


def trend(frame: pd.DataFrame, hue: str = "unit_name", title: str | None = None, lang: str = "vi") -> Chart:
    """A line per unit (or per ``hue``) over the years, of one element or indicator."""
    _one_series(frame)
    series = _yearly(frame, hue)
    with sns.axes_style("whitegrid", theme()["rc"]):
        fig = Chart(figsize=(7.5, 3.6))
        ax = fig.subplots()
        sns.lineplot(data=series, x="year", y="value", hue=hue, marker="o", ax=ax,
                     palette=_palette(frame, series[hue].nunique()))
        ax.set(title=_title(frame, title), xlabel=None, ylabel=None)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _number_axis(ax.yaxis, lang)
        ax.legend(title=None, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return fig


def compare(frame: pd.DataFrame, year: int | None = None, title: str | None = None, lang: str = "vi") -> Chart:
    """Units side by side in one year (default: the latest in ``frame``), largest first."""
    _one_series(frame)
    series = _yearly(frame, "unit_name")
    year = int(series["year"].max()) if year is None else int(year)
    ordered = series[series["year"] == year].sort_values("value", ascending=False)
    with sns.axes_style("whitegrid", theme()["rc"]):
        fig = Chart(figsize=(7, 0.35 * len(ordered) + 0.9))
        ax = fig.subplots()
        sns.barplot(data=ordered, y="unit_name", x="value", ax=ax, color=_palette(frame, 3)[1], saturation=1)
        ax.set(title=f"{_title(frame, title)} ({year})", xlabel=None, ylabel=None)
        _number_axis(ax.xaxis, lang)
    return fig


def findings(data: ReviewData, importance: Filter = None) -> pd.DataFrame:
    """What ``evaltools validate`` finds in the review's data (optionally only some importances)."""
    from evaltools.validation import validate

    found = validate(data.review).findings
    wanted = _as_set(importance)
    found = found if wanted is None else found[found["importance"].isin(wanted)].reset_index(drop=True)
    figures = {"value": COMPACT, "expected": COMPACT, "score": COMPACT}
    return shown(found, data.lang, {**{c: TEXT for c in found.columns}, **figures})


def completeness(data: ReviewData) -> pd.DataFrame:
    """The share of its elements each unit (rows) reported each year (columns), 0–1, shown as a percentage.

    A unit's elements in a year are the data elements of its level that any unit of that level reported
    that year (that year's form): a commune that sent 4 of 40 is at 10 %, not 100 %. A unit that did not
    exist that year is no missing return: its cell is NaN like a missing one in the numbers, but shown with
    the words ``explore.not_a_unit`` of the texts, not "–".
    """
    from evaltools.explore.views import element_shares
    from evaltools.model.texts import load_texts
    from evaltools.validation import validate

    shares, absent = element_shares(validate(data.review).completeness, data.values, data.catalog, data.lang)
    out = shown(shares, data.lang, {"*": PERCENT})
    out.attrs["show"].update(absent=absent, absent_text=load_texts(data.lang).label("explore.not_a_unit"))
    return out


# The analyst's first questions live in their own module, which builds on the helpers above.
from evaltools.explore.views import gaps, history, lineage, ranked, ranking_chart  # noqa: E402,F401
