"""What analysts ask first: communes ranked on one indicator, a unit across mergers, where data are missing.

Each returns a DataFrame of real numbers (shown as the report writes them, see
:mod:`evaltools.explore.show`) or a matplotlib Figure in the programme's palette; re-exported
by :mod:`evaltools.explore`.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns

from evaltools.model import units as unitlib, vnformat
from evaltools.dataset.context import ReviewData
from evaltools.explore.select import decimals, indicators, palette, style, unit_mask, unit_names
from evaltools.explore.show import COMPACT, shown, spec_of
from evaltools.report.charts import Chart, _number_axis, theme
from evaltools.model.texts import load_texts

RANK_COLUMNS = ["rank", "unit", "unit_name", "value", "measure", "numerator", "denominator", "reported", "expected",
                "partial"]


def ranked(data: ReviewData, indicator: str, year: int | None = None, level: str = "commune") -> pd.DataFrame:
    """The units of ``level`` on one indicator in one year (default: the review's last), best first.

    Best follows the indicator's direction (for injuries, lowest first); a unit without a
    figure has no rank and comes last, shown "–". ``reported``/``expected`` say the returns
    each figure rests on; ``partial`` marks a year cut off early. The table knows its year and how
    many units have a figure (``coverage``, :func:`~evaltools.explore.show.spec_of`), which
    :func:`ranking_chart` writes in its title.
    """
    if indicator not in data.catalog.indicators.index:
        raise ValueError(f"no indicator {indicator!r}; see explore.catalog(data, 'indicators')")
    year = int(year or data.review.last_year)
    rows = indicators(data, indicator=indicator, years=year)
    rows = rows[rows["level"] == level]
    direction = data.catalog.indicators.at[indicator, "direction"]
    order = rows.sort_values(["value", "unit_name"], ascending=[direction == "lower", True], na_position="last")
    order = order.assign(rank=order["value"].rank(method="min", ascending=direction == "lower"))
    out = order[RANK_COLUMNS].reset_index(drop=True).assign(indicator=indicator)
    return shown(out, data.lang, {"value": "by", "numerator": COMPACT, "denominator": COMPACT, "rank": 0},
                 "indicator", decimals(data), year=year, indicator=indicator,
                 coverage=(int(out["value"].notna().sum()), len(out)),
                 title=str(data.catalog.indicators.at[indicator, f"name_{data.lang}"]),
                 year_label=data.year_label(year) if year in data.years else str(year))


def ranking_chart(frame: pd.DataFrame, lang: str = "vi") -> Chart:
    """Bars of a :func:`ranked` table, best first; a unit with no figure is named with "–" and no bar."""
    attrs = spec_of(frame)
    got, of = attrs.get("coverage", (frame["value"].notna().sum(), len(frame)))
    words = load_texts(lang).label("explore.units_with_data")
    with sns.axes_style("whitegrid", theme()["rc"]):
        fig = Chart(figsize=(7, 0.35 * len(frame) + 1.1))
        ax = fig.subplots()
        labels = [f"{name}{'' if v == v else ' (–)'}" for name, v in zip(frame["unit_name"], frame["value"])]
        ax.barh(range(len(frame)), frame["value"].fillna(0),                # no figure: no bar, "(–)" by the name
                color=palette(frame, 3)[1])
        ax.set_yticks(range(len(frame)), labels)
        ax.invert_yaxis()
        ax.set(title=f"{attrs.get('title', '')} ({attrs.get('year_label', '')}; {got}/{of} {words})",
               xlabel=None, ylabel=None)
        _number_axis(ax.xaxis, lang)
    return fig


def lineage(data: ReviewData, unit: str) -> pd.DataFrame:
    """Every catalog row of the unit and of the units merged into it (or it into): the history of its area.

    "Thanh An" gives Xã Cam An (19603, to 2019), Xã Cam Thanh (19609, to 2019, merged into 19603)
    and Xã Thanh An (19603, from 2020).
    """
    codes = _lineage_codes(data, unit)
    units = data.catalog.units
    rows = units[units["code"].astype(str).isin(codes)]
    out = pd.DataFrame({"code": rows["code"].astype(str), "name": rows[f"name_{data.lang}"],
                        "valid_from": rows["valid_from"].map(vnformat.date),
                        "valid_to": rows["valid_to"].map(lambda d: "" if d is None or pd.isna(d) else vnformat.date(d)),
                        "successor": rows["successor"].map(lambda s: ", ".join(unitlib.successors(s)))})
    return out.sort_values(["code", "valid_from"]).reset_index(drop=True)


def _lineage_codes(data: ReviewData, unit: str) -> list[str]:
    """The codes whose history ends in the same unit as ``unit`` (code or name) at the latest date known."""
    units = data.catalog.units
    names = units[f"name_{data.lang}"].where(units[f"name_{data.lang}"].notna(), units["name_vi"])
    asked = units.loc[unit_mask(units["code"].astype(str), names.astype(str), unit), "code"].astype(str)
    if asked.empty:
        raise ValueError(f"no unit {unit!r} in the catalog; see explore.catalog(data, 'units')")
    latest = max(d.year for d in units["valid_from"])
    final = unitlib.successor_map(units, latest)
    ends = {final.get(c, c) for c in asked}
    return sorted(c for c in units["code"].astype(str).unique() if final.get(c, c) in ends)


def history(data: ReviewData, unit: str, element: str, category: str | None = None) -> pd.DataFrame:
    """One element's every stored year for a unit's whole area across mergers (options added up).

    One column per unit as it was named (Xã Cam An, Xã Cam Thanh, Xã Thanh An), then ``area``:
    the area's figure each year, like with like (the units' sum, or their mean for an element
    averaged over units), missing when no unit of it reported; ``reported``/``expected``: how many
    of its units that existed that year sent the figure.
    """
    if element not in data.catalog.elements.index:
        raise ValueError(f"no data element {element!r}; see explore.catalog(data)")
    codes = _lineage_codes(data, unit)
    rows = data.values[data.values["unit"].astype(str).isin(codes) & (data.values["element"] == element)]
    if category is not None:
        rows = rows[rows["category"].astype(str) == str(category)]
    names = unit_names(data, rows["unit"], rows["period"])
    wide = (rows.assign(name=names.to_numpy(), year=rows["period"].astype(int))
            .pivot_table(index="year", columns="name", values="value", aggfunc=lambda v: v.sum(min_count=1)))
    how = data.catalog.elements.at[element, "aggregation_units"]
    area = wide.mean(axis=1) if how == "average" else wide.sum(axis=1, min_count=1)
    units = data.catalog.units
    expected = [int((unitlib.valid_in(units, y) & units["code"].astype(str).isin(codes)).sum()) for y in wide.index]
    reported = [len({c for c in rows.loc[rows["period"].astype(int) == y, "unit"].astype(str)}) for y in wide.index]
    out = pd.DataFrame(wide).assign(area=area, reported=reported, expected=expected)
    out.columns.name = None
    return shown(out, data.lang, {c: COMPACT for c in [*wide.columns, "area"]}, **style(data))


def gaps(data: ReviewData, indicator: str | None = None, level: str = "commune") -> pd.DataFrame:
    """Where coverage is incomplete: each unit-year (of ``level``) of each indicator that is missing or partial.

    ``status``: ``missing`` (no figure), ``partial`` (a figure, but some of its options or units
    did not report: ``missing_options`` names them) or ``partial year`` (the year is cut off early).
    """
    rows = data.indicators[data.indicators["period"].astype(str).str.fullmatch(r"\d{4}")
                           & (data.indicators["level"] == level)]
    if indicator is not None:
        rows = rows[rows["indicator"].isin([indicator] if isinstance(indicator, str) else list(indicator))]
    keys = ["indicator", "unit", "period"]
    options = rows[(rows["category"] != "total") & rows["value"].isna()]
    missing_options = options.groupby(keys, observed=True)["category"].agg(lambda c: ", ".join(map(str, c)))
    missing_options = missing_options.astype(object)
    total = rows[rows["category"] == "total"].set_index(keys)
    total = total.assign(missing_options=missing_options.reindex(total.index).fillna(""))
    status = pd.Series("", index=total.index, dtype=object)
    status[total["partial"].astype(bool)] = "partial year"
    status[(total["reported"] < total["expected"]) | total["missing_options"].ne("")] = "partial"
    status[total["value"].isna()] = "missing"
    out = total.assign(status=status)[status.ne("")].reset_index()
    out = out[["indicator", "indicator_name", "unit", "unit_name", "period", "status", "reported", "expected",
               "missing_options", "reason"]].sort_values(["indicator", "unit", "period"]).reset_index(drop=True)
    return shown(out, data.lang, {}, **style(data))


def element_shares(table: pd.DataFrame, values: pd.DataFrame, catalog,
                   lang: str) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """Units × years: the share of that year's elements of its level each expected unit reported (0 when it
    sent nothing), and the (row, year) cells of a unit that did not exist that year (NaN, not missing).

    ``table`` is validation's completeness table (unit, level, year, expected, name_vi/name_en); a year's
    elements of a level are those any unit of that level reported that year.
    """
    unit_level = table.drop_duplicates("unit").set_index("unit")["level"]
    rows = pd.DataFrame({"unit": values["unit"].astype(str), "year": values["period"].astype(int),
                         "element": values["element"].astype(str)})
    rows = rows[rows["element"].map(catalog.elements["level"]) == rows["unit"].map(unit_level)]
    rows = rows.assign(level=rows["unit"].map(unit_level))
    form = rows.groupby(["level", "year"])["element"].nunique()
    sent = rows.groupby(["unit", "year"])["element"].nunique()
    expected = table[table["expected"]]
    keys = list(zip(expected["unit"].astype(str), expected["year"].astype(int), expected["level"]))
    share = [sent.get((u, y), 0) / form[(lv, y)] if form.get((lv, y), 0) else 0.0 for u, y, lv in keys]
    matrix = expected.assign(unit=expected["unit"].astype(str), share=share).pivot(
        index="unit", columns="year", values="share")
    names = table.sort_values("year").drop_duplicates("unit", keep="last").set_index("unit")[f"name_{lang}"]
    matrix.index = [f"{code} {names[code]}" for code in matrix.index]
    matrix.columns = [int(c) for c in matrix.columns]
    absent = [(row, year) for row in matrix.index for year in matrix.columns if pd.isna(matrix.at[row, year])]
    return matrix, absent
