"""Tables for reports: DataFrames of figures, and a Styler that writes them the language's way.

Builders return plain DataFrames keyed by codes (numbers stay numbers, missing stays NaN)
that a notebook may filter, reorder, merge or extend; :func:`present` turns one into what
the report shows, deciding from its codes (:mod:`evaltools.dataset.present`) each figure's
decimals, its marks and the notes under it, and :func:`styled` writes any frame: numbers
as 3.667.005.000 or 98,5, missing as "–", numbers right-aligned, a caption, no index.
Amounts in đồng are shown in millions, as Vietnamese tables do.
"""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from evaltools.model import fact, units as unitlib, vnformat
from evaltools.assess import comparability as cmp
from evaltools.dataset.context import ReviewData
from evaltools.dataset.present import COVERAGE_MARK, decimals, factor, short, unit_label, written
from evaltools.model.texts import Texts
from evaltools.report.facts import alike

WIDE = 9                                    # more columns than this: a landscape page


def period_columns(data: ReviewData, texts: Texts) -> list[tuple[str, str]]:
    """(period label in the indicator table, column header): each year (``2017*`` when cut off
    early), then the whole period."""
    columns = [(str(y), data.year_label(y)) for y in data.years]
    if len(data.years) > 1:
        columns.append((data.span, texts.label("tables.period")))
    return columns


def _cells(data: ReviewData, code: str, unit: str | None, periods: list[str]) -> list:
    """Values of one row (amounts scaled); each figure's fact is recorded in the report's ledger, written
    as the table writes it (marked † where fewer returns than expected: :func:`marks`)."""
    values = []
    group, places = fact.ledger().group(), decimals(data, code)
    for period in periods:
        row = data.row(code, period, unit=unit)
        value = float(row["value"]) * factor(data, code) if row is not None else float("nan")
        if row is not None and value == value:
            fact.ledger().write(data.fact(row), vnformat.number(value, places, data.lang), group, "table",
                                marked=short(row))
        values.append(value)
    return values


def notes(data: ReviewData, texts: Texts, marked: bool, starred: bool = True) -> list[str]:
    """The lines under a table: each year cut off early when a header or a cell has its *, and what †
    means when a cell has it."""
    lines = [texts.plain("figures.partial", year=year, day=day) for year, day in data.partial_years.items()]
    return (lines if starred else []) + ([texts.label("tables.coverage_note")] if marked else [])


def figure_period(data: ReviewData, texts: Texts, code: str) -> str:
    """The period of the whole-period figure of ``code``, for a caption: the year of an end-of-period value
    ("năm 2016", or the day a year cut off early stops), the span of a total or a rate ("2012–2017")."""
    figure = data.quantity(code)
    if figure.year is None or data.review.first_year == data.review.last_year:
        return data.span.replace("-", "–")
    if figure.until is not None:
        return texts.plain("tables.period_until", day=figure.until)
    return texts.plain("tables.period_year", year=figure.year)


_notes = notes            # for :func:`present`, whose argument of that name gives a table its own


def aggregation(data: ReviewData, texts: Texts, code: str) -> str:
    """How the whole-period figure of ``code`` is made: total, end of period (its year), average."""
    row = data.row(code)
    if row is None or row["aggregation"] == "year":
        return ""
    year = "" if pd.isna(row["value_year"]) else data.year_label(int(row["value_year"]))
    return texts.plain(f"tables.aggregation.{row['aggregation']}", year=year)


def summary(data: ReviewData, texts: Texts, codes: list[str] | None = None) -> pd.DataFrame:
    """The area's indicators per year and for the whole period, with how the period figure is made
    (index: indicator code; :func:`present` shows it with its marks and notes)."""
    codes = codes or list(data.review.indicators)
    columns = period_columns(data, texts)
    periods = [p for p, _ in columns]
    rows = {code: [data.name("indicator", code), unit_label(data, code), *_cells(data, code, None, periods)]
            for code in codes}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[texts.label("tables.indicator"),
                                                                  texts.label("tables.unit"), *[h for _, h in columns]])
    if len(data.years) > 1:
        frame[texts.label("tables.how")] = [aggregation(data, texts, code) for code in codes]
    return frame


def level_words(data: ReviewData, texts: Texts, group: str) -> str:
    """``group`` (``tables.levels``, ``assessment.parts``: the units compared) in the words of the level
    below the area; ``tables.totals``, ``tables.summary``, ``tables.across`` and ``assessment.whole``: of the
    area's own level."""
    own = data.area_level or "country"
    # an area without units below it (a commune's own review) lists only itself: its own level's words
    level = own if group.endswith(("totals", "summary", "across", "whole")) else data.sublevel or own
    return texts.label(f"{group}.{level}")


def by_unit(data: ReviewData, texts: Texts, code: str) -> pd.DataFrame:
    """One indicator per unit of the level below the area (a district's communes, a province's districts;
    GSO code order) and period, the area's total last (index: unit code)."""
    columns = period_columns(data, texts)
    table = data.indicators
    rows = table[(table["indicator"] == code) & (table["category"] == "total")
                 & table["level"].isin([data.sublevel])]
    names = rows.drop_duplicates("unit").set_index("unit")["unit_name"].astype(str)
    area = data.review.area
    values = {unit: [names.get(unit, unit) if unit != area else level_words(data, texts, "tables.totals"),
                     *_cells(data, code, unit, [p for p, _ in columns])] for unit in [*sorted(names.index), area]}
    return pd.DataFrame.from_dict(values, orient="index",
                                  columns=[level_words(data, texts, "tables.levels"), *[h for _, h in columns]])


def ranking(data: ReviewData, assessment, texts: Texts, code: str) -> pd.DataFrame:
    """The units below the area ranked on ``code`` over the whole period (rank 1 the best, ties sharing
    the best rank; :func:`evaltools.assess.ranking.rank_units`), the area's own figure last; units with
    missing returns follow unranked, marked †; a figure resting on a year cut off early is marked *
    (:func:`marks`, with ``indicator=code``)."""
    ranked = assessment.ranking[assessment.ranking["indicator"] == code]
    scale = factor(data, code)
    figures = data.by_unit(code)
    short = figures[(figures["coverage"] < 1) & ~figures["unit"].isin(ranked["unit"])].sort_values("unit")
    value, rank = unit_label(data, code), texts.label("tables.rank")
    rows = {u: [r, n, v * scale] for u, r, n, v in
            zip(ranked["unit"], ranked["rank"], ranked["unit_name"], ranked["value"])}
    rows |= {u: [float("nan"), n, v * scale] for u, n, v in zip(short["unit"], short["unit_name"], short["value"])}
    area = data.row(code)
    rows[data.review.area] = [float("nan"), level_words(data, texts, "tables.totals"),
                              float(area["value"]) * scale if area is not None else float("nan")]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[rank, level_words(data, texts, "tables.levels"),
                                                                 value])


def parts_beside(data: ReviewData, before: ReviewData, texts: Texts, code: str) -> pd.DataFrame:
    """A disaggregated indicator by option, the year before beside this year (headed ``2023*`` when cut
    off early), with the change of the values shown only when the two years are alike (complete, neither
    a flow's partial year: :func:`evaltools.report.facts.alike`); its notes are :func:`parts_notes`."""
    now, then = data.parts(code), before.parts(code)
    both = now.merge(then, on=["category", "category_name"], how="outer", suffixes=("", "_before"))
    last, year = before.review.last_year, data.review.last_year
    same = alike(data.quantity(code), before.quantity(code))
    n = len(both)
    change = displayed_change(data, [code] * n, both["value_before"].to_numpy(), both["value"].to_numpy(),
                              [same] * n, ([last] * n, [year] * n),
                              ([last in before.partial_years] * n, [year in data.partial_years] * n),
                              ([_coverage(before, code)] * n, [_coverage(data, code)] * n))
    frame = pd.DataFrame({texts.label("tables.cause"): both["category_name"].to_numpy(),
                          before.year_label(last): both["value_before"].to_numpy(),
                          data.year_label(year): both["value"].to_numpy(), texts.label("tables.change"): change})
    return frame


def parts_notes(data: ReviewData, before: ReviewData, texts: Texts, code: str) -> list[str]:
    """The lines under :func:`parts_beside`: each year cut off early, and what † means when the two years
    are not compared because this one misses returns."""
    same = alike(data.quantity(code), before.quantity(code))
    return notes(data, texts, not same and _coverage(data, code) < 1)


def _coverage(data: ReviewData, code: str) -> float:
    row = data.row(code)
    return float(row["coverage"]) if row is not None else 1.0


def kinds(parts: pd.DataFrame, texts: Texts) -> pd.DataFrame:
    """A disaggregated count (:meth:`ReviewData.parts`) one row per kind (``group``: one plan renewed for
    several periods is one kind, its periods' names joined), so that "thuộc 8 loại" stands beside 8 rows
    and the rows add to the total."""
    grouped = parts.groupby("group", sort=False)
    return pd.DataFrame({texts.label("tables.kind"): grouped["category_name"].agg(lambda n: _kind_name(n, texts)),
                         texts.label("tables.count"): grouped["value"].sum()}).reset_index(drop=True)


def _kind_name(names: pd.Series, texts: Texts) -> str:
    """One kind's name: a plan renewed for several periods is named once, with its periods joined
    ("… giai đoạn 2013–2015, 2016–2020 và 2021–2025"), short enough for a table's first column on a phone."""
    words = [str(n).split() for n in names]
    common = 0
    while all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
        common += 1
    if len(words) == 1 or common == 0:
        return texts.join(str(n) for n in names)
    return " ".join(words[0][:common] + [texts.join(" ".join(w[common:]) for w in words)])


def informative(frame: pd.DataFrame) -> bool:
    """Whether a table says anything: not every figure missing, nor every figure the same."""
    numbers = frame.select_dtypes("number").stack().dropna()
    return numbers.nunique() > 1


def marks(data: ReviewData, texts: Texts, frame: pd.DataFrame, indicator: str | None = None) -> pd.DataFrame:
    """The marks of a table keyed by codes, from the review's data (never carried on the frame).

    Rows are indicator codes (:func:`summary`), or unit codes of ``indicator`` (:func:`by_unit`,
    :func:`ranking`). A figure under a period's header (:func:`period_columns`) is marked † where fewer
    returns were counted than expected; under ``indicator``'s unit (the ranking's whole-period figure)
    a unit's is marked † when its returns are incomplete, else * when it rests on a year cut off early.
    """
    headers = {h: p for p, h in period_columns(data, texts)}
    out = pd.DataFrame("", index=frame.index, columns=frame.columns)
    whole = unit_label(data, indicator) if indicator else None
    keys = frame.index if indicator else [k for k in frame.index if str(k) in data.catalog.indicators.index]
    for column in frame.columns:
        for key in keys:
            code, unit = (indicator, str(key)) if indicator else (str(key), None)
            if column in headers:
                out.at[key, column] = COVERAGE_MARK if short(data.row(code, headers[column], unit=unit)) else ""
            elif column == whole and (row := data.row(code, unit=unit)) is not None:
                incomplete = unit != data.review.area and float(row["coverage"]) < 1
                out.at[key, column] = COVERAGE_MARK if incomplete else "*" if bool(row.get("partial")) else ""
    return out


def present(data: ReviewData, texts: Texts, frame: pd.DataFrame, caption: str = "", css: str = "figures",
            indicator: str | None = None, notes: list[str] | None = None, counted: str = "") -> Styler:
    """A table keyed by codes (:func:`summary`, :func:`by_unit` and :func:`ranking` with
    ``indicator=code``, :func:`comparison`...) as the report shows it: each figure with its indicator's
    decimals (:mod:`evaltools.dataset.present`) and its marks (:func:`marks`), and under it each year cut
    off early and what † means, or ``notes``. The frame may have been filtered, merged or copied."""
    codes = data.catalog.indicators.index
    if indicator:
        places, figures = decimals(data, indicator), {h for _, h in period_columns(data, texts)}
        digits = {c: places if c in figures or c == unit_label(data, indicator) else 0 for c in frame.columns}
    else:
        digits = pd.Series([decimals(data, c) if c in codes else 0 for c in frame.index.astype(str)],
                           index=frame.index)
    shown = marks(data, texts, frame, indicator)
    if notes is None:     # a year cut off early is explained where a header or a figure carries its *
        starred = bool((shown == "*").any(axis=None)) or any(str(c).endswith("*") for c in frame.columns)
        notes = _notes(data, texts, bool((shown == COVERAGE_MARK).any(axis=None)), starred=starred)
    return styled(frame, data.lang, caption, digits, css, counted, marks=shown, notes=notes)


def styled(frame: pd.DataFrame, lang: str, caption: str = "", digits: int | pd.Series | dict = 0,
           css: str = "figures", counted: str = "", marks: pd.DataFrame | None = None,
           notes: list[str] = ()) -> Styler:
    """The table as a report shows it: numbers written the ``lang`` way, "–" for missing, no index.

    ``digits`` is the decimals of every number; or per row (a Series on the frame's index);
    or per column (a dict, columns not named taking 0). ``marks`` (a frame of the same index and columns)
    follow their figures; ``notes`` are the lines under the table. A column of
    :class:`~evaltools.model.vnformat.Quantity` is written with its units (``100,0 %``). A table of
    more than :data:`WIDE` columns is marked ``wide``: it gets a landscape page on paper and
    scrolls sideways on a phone. The table is recorded in the report's ledger as shown (its rows
    are what a sentence's :func:`evaltools.report.facts.count` of ``counted`` counts).
    """
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    quantities = [c for c in frame.columns if len(frame) and
                  frame[c].map(lambda v: isinstance(v, vnformat.Quantity)).all()]
    marks = pd.DataFrame() if marks is None else marks
    text = frame.astype(object)
    for column in numeric:
        if isinstance(digits, dict):
            places = pd.Series(digits.get(column, 0), index=frame.index)
        else:
            places = digits if isinstance(digits, pd.Series) else pd.Series(digits, index=frame.index)
        mark = marks[column] if column in marks else pd.Series("", index=frame.index)
        text[column] = written(frame[column], places, lang, mark)
    # the ledger keeps the caption with its notes (the audit reads what a reader reads under the table)
    fact.ledger().claim("table", caption=" ".join([caption, *notes]).strip(),
                        counted=counted, rows=len(frame), columns=[str(c) for c in frame.columns],
                        cells=[[str(v) for v in row] for row in text.itertuples(index=False)])
    classes = pd.DataFrame("label", index=frame.index, columns=frame.columns)
    classes[numeric + quantities] = "num"
    # Names come from data and catalogs: shown as text, never read as markup.
    css = f"{css} wide" if len(frame.columns) > WIDE else css
    styler = (text.style.format(escape="html").format_index(escape="html", axis=1).hide(axis="index")
              .set_td_classes(classes).set_table_attributes(f'class="{css}"'))
    # the notes (what * and † mean) go under the table, in its footer: a paged table repeats its footer
    # on every page, so a mark is never on a page without its legend
    styler.__class__ = NotedTable
    styler.notes = list(notes)
    # the span lets a phone wrap the caption to the screen while the wide table under it scrolls
    return styler.set_caption(f"<span>{html.escape(caption)}</span>") if caption else styler


class NotedTable(Styler):
    """A styled table with its notes in a ``<tfoot>`` row spanning every column."""

    notes: list[str] = []

    def to_html(self, *args, **kwargs):
        out = super().to_html(*args, **kwargs)
        if not self.notes or not isinstance(out, str) or "</table>" not in out:
            return out
        lines = "<br>".join(html.escape(n) for n in self.notes)
        foot = f'<tfoot><tr><td class="note" colspan="{len(self.columns)}">{lines}</td></tr></tfoot>'
        head, _, tail = out.rpartition("</table>")
        return f"{head}{foot}</table>{tail}"


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
                           predecessors=texts.join(map(texts.unit, before[f"name_{data.lang}"]))))
    return notes + split_notes(data, texts)


def split_notes(data: ReviewData, texts: Texts) -> list[str]:
    """One note per commune of the area split during the review (its earlier years are its parent's only:
    the communes' rows before the split do not add up to the district's)."""
    units, review = data.catalog.units, data.review
    shown = set(data.indicators["unit"].astype(str))
    notes = []
    for row in units.itertuples():
        parts = unitlib.successors(row.successor)
        ended = row.valid_to is not None and not pd.isna(row.valid_to)
        if len(parts) < 2 or not ended or not review.first_year < row.valid_to.year + 1 <= review.last_year:
            continue
        if not set(parts) & shown or row.parent not in shown:
            continue
        name = row.name_vi if data.lang == "vi" else unitlib.english_name(row.name_vi) \
            if not isinstance(getattr(row, "name_en", None), str) else row.name_en
        notes.append(texts("tables.split_note", name=name, year=row.valid_to.year + 1,
                           parts=texts.join(texts.unit(data.name("unit", p)) for p in parts if p in shown),
                           total=level_words(data, texts, "tables.totals"),
                           rows=level_words(data, texts, "assessment.parts")))
    return notes


def comparison(data: ReviewData, assessment, texts: Texts) -> pd.DataFrame | None:
    """The area's indicators in the previous review and in this one, each on the year it is compared on
    (:mod:`evaltools.assess.compare`: like with like, never two overlapping periods), with the change
    where the two compare and the reason where they do not."""
    a = assessment
    if a.comparison is None or a.previous is None:
        return None
    rows = a.comparison[(a.comparison["unit"] == data.review.area) & (a.comparison["category"] == "total")]
    scale = rows["indicator"].map(lambda c: factor(data, c)).to_numpy()

    def year(values: pd.Series, partial: pd.Series) -> list[str]:
        return ["" if pd.isna(y) else f"{int(y)}{'*' if p else ''}" for y, p in zip(values, partial)]

    codes = rows["indicator"].astype(str).tolist()
    previous, current = rows["previous"].to_numpy() * scale, rows["current"].to_numpy() * scale
    change = displayed_change(data, codes, previous, current, rows["change"].notna().tolist(),
                              (rows["previous_year"].tolist(), rows["current_year"].tolist()),
                              (rows["previous_partial"].tolist(), rows["current_partial"].tolist()),
                              (rows["previous_coverage"].tolist(), rows["current_coverage"].tolist()))
    frame = pd.DataFrame({
        texts.label("tables.indicator"): [data.name("indicator", c) for c in rows["indicator"]],
        texts.label("tables.unit"): [unit_label(data, c) for c in rows["indicator"]],
        texts.label("tables.previous_year"): year(rows["previous_year"], rows["previous_partial"]),
        texts.label("tables.previous"): previous,
        texts.label("tables.current_year"): year(rows["current_year"], rows["current_partial"]),
        texts.label("tables.current"): current,
        texts.label("assessment.change"): change,
        texts.label("tables.note"): rows[f"note_{data.lang}"].fillna("").to_numpy(),
    }, index=rows["indicator"].astype(str).to_numpy())
    return frame


def comparison_notes(data: ReviewData, assessment, texts: Texts) -> list[str]:
    """The lines under :func:`comparison`: each year marked * (the legend on the table's own page)."""
    a = assessment
    if a.comparison is None or a.previous is None:
        return []
    rows = a.comparison[(a.comparison["unit"] == data.review.area) & (a.comparison["category"] == "total")]
    marked = sorted({int(y) for y, p in [*zip(rows["previous_year"], rows["previous_partial"]),
                                         *zip(rows["current_year"], rows["current_partial"])] if p and not pd.isna(y)})
    days = {**data.catalog.partial_years_for(data.review.area), **data.cutoffs, a.previous.last_year: a.previous.cutoff}
    return [texts.plain("figures.partial", year=y, day=days[y]) for y in marked if y in days]


def displayed_change(data: ReviewData, codes: list[str], before, after, compared: list[bool],
                     years: tuple[list, list], partial: tuple[list, list], coverage: tuple[list, list]) -> list[float]:
    """The change of each row computed from the two values *as the table shows them* (916 and 916 change
    by 0, not by -1), NaN where the pair is not compared; each pair is recorded in the report's ledger
    (a ``difference`` claim: the audit checks the sum and that no partial or incomplete year is compared)."""
    out = []
    for code, b, a, ok, yb, ya, pb, pa, cb, ca in zip(codes, before, after, compared, *years, *partial, *coverage):
        places = decimals(data, code)
        shown = [float(vnformat.round_half_up(v, places)) if v == v else float("nan") for v in (b, a)]
        change = shown[1] - shown[0] if ok else float("nan")
        out.append(change)
        fact.ledger().claim("difference", indicator=code, years=[_int(yb), _int(ya)],
                            shown=[vnformat.number(v, places, data.lang) for v in (b, a, change)],
                            partial=[bool(pb), bool(pa)], complete=[not cb < 1, not ca < 1],
                            flow=cmp.is_flow(data.catalog, code),
                            direction=data.catalog.indicators.at[code, "direction"])
    return out


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def scorecards(assessment, texts: Texts) -> pd.DataFrame:
    """Per year assessed: units assessed, units that met the standard, the share and the standard in force;
    under it (:func:`no_standard_notes`) the review's years no standard applies to (never the later one's name)."""
    summary = assessment.scorecard_summary
    names = assessment.standards.set_index("code")[f"short_{texts.lang}"]
    frame = pd.DataFrame({
        texts.label("tables.year"): summary["year"].astype(str).to_numpy(),
        texts.label("tables.assessed"): summary["assessed"].to_numpy(),
        texts.label("tables.passed"): summary["passed"].to_numpy(),
        texts.label("tables.share"): [vnformat.Quantity(100 * p / a if a else float("nan"), 1, "%", texts.lang)
                                      for p, a in zip(summary["passed"], summary["assessed"])],
        texts.label("tables.standard"): summary["standard"].map(names).to_numpy()})
    return frame


def no_standard_notes(assessment, texts: Texts) -> list[str]:
    """The note under the scorecards naming the review's years no standard applies to, and the first
    standard's name and day of effect (``tables.no_standard``)."""
    years = list(getattr(assessment, "no_standard_years", ()))
    standards = assessment.standards.sort_values("applies_from")
    if not years or standards.empty:
        return []
    later = standards[standards["applies_from"].map(lambda d: d.year > years[0])]
    first = later.iloc[0] if len(later) else standards.iloc[-1]
    return [texts.plain("tables.no_standard", years=vnformat.period(years[0], years[-1]),
                        standard=first[f"short_{texts.lang}"], day=first["applies_from"])]


def year_on_year(data: ReviewData, before: ReviewData, texts: Texts, codes: list[str] | None = None) -> pd.DataFrame:
    """The review's indicators this year and the year before (in this year's units), with the change
    (of the values as shown); a year cut off early, or a figure missing some returns, is marked and not
    compared with a full one."""
    codes = codes or list(data.review.indicators)
    year, last = data.review.last_year, before.review.last_year
    now, then = ([d.value(c) * factor(data, c) for c in codes] for d in (data, before))
    rows = [[d.row(c) for c in codes] for d in (before, data)]
    coverage = [[float(r["coverage"]) if r is not None else 1.0 for r in side] for side in rows]
    partial = ([last in before.partial_years] * len(codes), [year in data.partial_years] * len(codes))
    compared = [not (pb or pa) and cb >= 1 and ca >= 1
                for pb, pa, cb, ca in zip(*partial, *coverage)]   # like with like only
    change = displayed_change(data, codes, then, now, compared, ([last] * len(codes), [year] * len(codes)),
                              partial, tuple(coverage))
    return pd.DataFrame({
        texts.label("tables.indicator"): [data.name("indicator", c) for c in codes],
        texts.label("tables.unit"): [unit_label(data, c) for c in codes],
        before.year_label(last): then, data.year_label(year): now,
        texts.label("assessment.change"): change,
    }, index=codes)
