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
from pathlib import Path

import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

from evaltools import __version__
from evaltools.dataset.context import ReviewData, open_review
from evaltools.explore.select import Filter, as_set, indicators, palette, values
from evaltools.explore.show import COMPACT, PERCENT, TEXT, relative, shown, spec_of
from evaltools.explore.views import element_shares, gaps, history, lineage, ranked, ranking_chart
from evaltools.model.texts import load_texts
from evaltools.report.charts import Chart, _number_axis, theme
from evaltools.validation import validate

__all__ = ["load", "environment", "catalog", "values", "indicators", "table", "trend", "compare", "findings",
           "completeness", "ranked", "ranking_chart", "lineage", "history", "gaps"]


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
    asked = spec_of(frame).get("years")
    if columns == "period" and asked and all(isinstance(c, int) for c in wide.columns):
        wide = wide.reindex(columns=asked)                      # a year asked for without data: "–", not dropped
    spec = spec_of(frame)
    digits = spec.get("digits_by", {}).get(code) if "indicator" in frame else COMPACT
    wide.columns.name = _measure(frame) or wide.columns.name    # the unit its figures are in: "triệu đồng"
    return shown(pd.DataFrame(wide), spec.get("lang", "vi"), {"*": digits})


def _measure(frame: pd.DataFrame) -> str:
    """The unit an indicator's rows are shown in (``measure``, its table scale's), "" when not one."""
    units = frame["measure"].dropna().unique() if "measure" in frame else []
    return str(units[0]) if len(units) == 1 else ""


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
    unit = f" ({_measure(frame)})" if _measure(frame) else ""
    return f"{frame[name].iloc[0]}{unit}" if len(frame) else ""


def trend(frame: pd.DataFrame, hue: str = "unit_name", title: str | None = None, lang: str = "vi") -> Chart:
    """A line per unit (or per ``hue``) over the years, of one element or indicator."""
    _one_series(frame)
    series = _yearly(frame, hue)
    with sns.axes_style("whitegrid", theme()["rc"]):
        fig = Chart(figsize=(7.5, 3.6))
        ax = fig.subplots()
        sns.lineplot(data=series, x="year", y="value", hue=hue, marker="o", ax=ax,
                     palette=palette(frame, series[hue].nunique()))
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
        sns.barplot(data=ordered, y="unit_name", x="value", ax=ax, color=palette(frame, 3)[1], saturation=1)
        ax.set(title=f"{_title(frame, title)} ({year})", xlabel=None, ylabel=None)
        _number_axis(ax.xaxis, lang)
    return fig


def findings(data: ReviewData, importance: Filter = None) -> pd.DataFrame:
    """What ``evaltools validate`` finds in the review's data (optionally only some importances)."""
    found = validate(data.review).findings
    wanted = as_set(importance)
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
    shares, absent = element_shares(validate(data.review).completeness, data.values, data.catalog, data.lang)
    return shown(shares, data.lang, {"*": PERCENT}, absent=absent,
                 absent_text=load_texts(data.lang).label("explore.not_a_unit"))
