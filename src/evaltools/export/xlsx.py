"""``indicators.xlsx``: the indicator table as a spreadsheet appendix, one sheet per report section.

Written beside ``indicators.csv`` by every ``evaltools run``. Each section sheet (the
programme's ``workbook.yaml`` lists them, in report order) has one row per indicator, unit and category
and one column per year, then the whole period, like the report's appendix; then a sheet
of definitions (:mod:`.xlsx_definitions`) and the full tidy table (the rows of
``indicators.csv`` that say something, :mod:`.xlsx_rows`). Headers and words are in the
report's language; communes come in GSO code order.

Figures are in each indicator's table scale, with its unit and decimals, as the report's tables show
them (:mod:`evaltools.dataset.present`: a total in đồng in millions, "triệu đồng", one decimal).
Numbers stay numbers, with a number format per indicator (``#,##0``, ``#,##0.0``...):
the format codes are locale-neutral, so a spreadsheet shows the separators of its
user's locale (3.667.005.000 in Vietnamese, 3,667,005,000 in English). Text from the
catalogs (unit and indicator names) is written as text: a name that begins with
``=``, ``+``, ``-`` or ``@`` is stored as a string cell marked "quote prefix", so no
spreadsheet ever evaluates it as a formula, not even when the cell is edited.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pandas as pd
import yaml

from evaltools.dataset.context import ReviewData
from evaltools.dataset import present
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.yamlio import load_yaml
from evaltools.export.xlsx_definitions import definitions
from evaltools.export.xlsx_rows import meaningful, ordered

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "DDEBF7"


@lru_cache(maxsize=1)
def settings() -> dict:
    """Headers, level names and default sheet names (package data ``resources/appendix/xlsx.yaml``)."""
    text = (files("evaltools") / "resources" / "appendix" / "xlsx.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def layout(workbook: Path | None) -> dict:
    """The workbook layout: evaltools' headers and names, with a programme's ``workbook.yaml`` over them."""
    conf = {**settings(), "sections": []}
    if workbook is not None:
        own = load_yaml(workbook)
        if not isinstance(own, dict) or not isinstance(own.get("sections", []), list):
            raise EvaltoolsError(f"{display_path(workbook)}: expected 'sections:' (a list of sheets)")
        conf.update(own)
    return conf


def sections(indicators: list[str], lang: str, conf: dict | None = None) -> list[tuple[str, list[str]]]:
    """(sheet name, indicator codes) for a review's indicators, in report order; unlisted ones last."""
    conf = conf or layout(None)
    out, placed = [], set()
    for section in conf["sections"]:
        codes = [c for c in section["indicators"] if c in indicators]
        placed.update(codes)
        if codes:
            out.append((section["name"][lang], codes))
    rest = [c for c in indicators if c not in placed]
    if rest:
        out.append((conf["other"][lang], rest))
    return out


def number_format(decimals: int) -> str:
    """``#,##0`` for whole numbers, ``#,##0.0`` for one decimal, and so on."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _period_label(period: str) -> str:
    return period.replace("-", "–")


def wide(table: pd.DataFrame, codes: list[str], area: str, lang: str) -> pd.DataFrame:
    """One row per indicator, unit (the area first, then GSO code order) and category (total first);
    a column per period. ``table`` is a review's labelled indicator table, its meaningful rows."""
    keys = ["indicator", "indicator_name", "unit", "unit_name", "category", "category_name"]
    rows = ordered(table[table["indicator"].astype(str).isin(codes)], codes, area)
    rows = rows.assign(**{c: rows[c].astype(object) for c in [*keys, "period"]})
    total = settings()["headers"][lang]["total"]
    rows = rows.assign(category_name=rows["category_name"].where(rows["category"] != "total", total))
    periods = list(dict.fromkeys(table["period"].astype(str)))
    out = rows.set_index([*keys, "period"])["value"].unstack("period")
    out = out.reindex(index=pd.MultiIndex.from_frame(rows[keys].drop_duplicates()), columns=periods)
    out.columns.name = None
    return out.reset_index()


def _text(ws, row: int, column: int, value: object):
    """A text cell that no spreadsheet will run as a formula."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"                       # openpyxl would store "=..." as a formula
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True                # and Excel keeps it text when the cell is edited
    return cell


def _number(ws, row: int, column: int, value: float, fmt: str):
    cell = ws.cell(row=row, column=column)
    if value is not None and not pd.isna(value):
        cell.value = float(value)
        cell.number_format = fmt
    return cell


def _header(ws, names: list[str], widths: list[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    widths = [*widths, *[12] * (len(names) - len(widths))]        # a column added later still gets a header
    for j, (name, width) in enumerate(zip(names, widths), 1):
        cell = _text(ws, 1, j, name)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}1"


def _section_sheet(ws, frame: pd.DataFrame, data: ReviewData, lang: str) -> None:
    h = settings()["headers"][lang]
    periods = [c for c in frame.columns if c not in ("indicator", "indicator_name", "unit_name", "unit", "category",
                                                       "category_name")]
    names = [h["indicator_name"], h["unit_name"], h["category_name"], h["measure"],
             *map(_period_label, periods), h["indicator"], h["unit"], h["category"]]
    _header(ws, names, [34, 22, 26, 12, *[11] * len(periods), 16, 10, 14])
    for i, row in enumerate(frame.to_dict("records"), 2):
        code = row["indicator"]
        for j, value in enumerate((row["indicator_name"], row["unit_name"], row["category_name"],
                                   present.unit_label(data, code, lang)), 1):
            _text(ws, i, j, value)
        fmt = number_format(present.decimals(data, code))
        for j, period in enumerate(periods, 5):
            _number(ws, i, j, row[period], fmt)
        for j, value in enumerate((code, row["unit"], row["category"]), 5 + len(periods)):
            _text(ws, i, j, value)


def _full_sheet(ws, table: pd.DataFrame, data: ReviewData, lang: str) -> None:
    h, levels, words = settings()["headers"][lang], settings()["levels"][lang], settings()["words"][lang]
    columns = [c for c in table.columns if c in h]
    _header(ws, [h[c] for c in columns], [16, 34, 10, 22, 8, 11, 14, 26, 12, 12, 12, 24, 16, 10, 10, 10, 10, 10])
    decimals = {code: present.decimals(data, code) for code in data.catalog.indicators.index}
    shown = {"level": levels, "reason": words["reasons"], "aggregation": words["aggregation"]}
    for i, values in enumerate(table[columns].to_dict("records"), 2):
        fmt = number_format(int(decimals[str(values["indicator"])]))
        for j, column in enumerate(columns, 1):
            value = values[column]
            if column in ("value", "numerator", "denominator"):
                whole = pd.isna(value) or float(value).is_integer()
                _number(ws, i, j, value, fmt if column == "value" else number_format(0 if whole else 2))
            elif column in ("value_year", "reported", "expected", "coverage"):      # the engine's own columns
                _number(ws, i, j, value, "0.0%" if column == "coverage" else "0")
            elif column == "partial":
                _text(ws, i, j, words["partial"] if value is True else "")
            elif column == "period" and str(value).isdigit():
                _number(ws, i, j, int(value), "0")
            elif column in shown:
                _text(ws, i, j, shown[column].get(str(value), value))
            else:
                _text(ws, i, j, _period_label(str(value)) if column == "period" else value)


def _definitions_sheet(ws, data: ReviewData, lang: str) -> None:
    h, words = settings()["headers"][lang], settings()["words"][lang]
    frame = definitions(data.catalog, list(data.review.indicators), lang, words)
    names = [h["indicator_name_def" if c == "indicator_name" else c] for c in frame.columns]
    _header(ws, names, [16, 34, 12, 40, 40, 8, 30, 34, 18, 10, 40, 34, 40])
    from openpyxl.styles import Alignment

    for i, values in enumerate(frame.to_dict("records"), 2):
        for j, column in enumerate(frame.columns, 1):
            value = values[column]
            cell = ws.cell(row=i, column=j, value=value) if isinstance(value, int) else _text(ws, i, j, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def indicators_xlsx(data: ReviewData, lang: str | None = None) -> bytes:
    """The spreadsheet appendix of a review as .xlsx bytes (sheets per section, then the full table)."""
    from openpyxl import Workbook

    lang = lang or data.lang
    book = Workbook()
    book.remove(book.active)
    conf, area = layout(data.programme.workbook), data.review.area
    table = present.scaled(data.shown[meaningful(data.shown, data.catalog, area)], data, lang=lang)
    for name, codes in sections(list(data.review.indicators), lang, conf):
        _section_sheet(book.create_sheet(name[:31]), wide(table, codes, area, lang), data, lang)
    _definitions_sheet(book.create_sheet(conf["definitions"][lang][:31]), data, lang)
    _full_sheet(book.create_sheet(conf["all"][lang][:31]), ordered(table, list(data.review.indicators), area),
                data, lang)
    book.properties.title = data.review.title[lang]
    book.properties.language = lang
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
