"""The return template: an .xlsx workbook that communes fill in and send back.

``evaltools template YEAR`` writes it for the units that exist in YEAR (on 31
December, so 2021 has Xã Thanh An, not Xã Cam An or Xã Cam Thanh).

Sheet **Số liệu** (the figures):

- row 1: title; row 2: ``Năm báo cáo`` in A2 and the year in B2 (the reader
  takes the year from the cell right of that label);
- row 4: the Vietnamese headers, "element – option (unit)", e.g. "Trẻ em đang
  hưởng trợ cấp xã hội hằng tháng – Trẻ em khuyết tật (em)";
- row 5: the machine codes the reader matches on: ``UNIT``, ``UNIT_NAME``, one
  ``ELEMENT`` or ``ELEMENT.option`` per data column, ``COMMENT``; without this row the reader falls
  back to the Vietnamese headers;
- only the criteria of the assessment standard in force in YEAR (``catalog/standards.yaml``):
  the 2023 template has QĐ 06/QĐ-TTg's criteria, not those of QĐ 34/2014/QĐ-TTg, which
  ended with 2018;
- from row 6: one row per commune (code and name filled in), each district's
  communes followed by the district's own row, which holds the district-level
  elements (catalog ``level: district``). Cells that do not apply to a row's
  level are grey and must stay empty.

Empty cells are missing figures, never zeros. Cells are checked by Excel as
they are typed (whole numbers ≥ 0 for counts and amounts, 0 or 1 for yes/no).
Sheet **Hướng dẫn** holds the instructions in Vietnamese and the list of
columns; the reader skips it. Communes may also return the same columns as one
sheet per commune (no unit columns, the sheet named after the commune), or as
a CSV file with the code row.
"""

from __future__ import annotations

import io
from pathlib import Path

from evaltools.model import vocabulary
from evaltools.assess.inforce import catalog_standards, out_of_force, years_of
from evaltools.assess.scorecards import standard_for
from evaltools.model.catalog import Catalog
from evaltools.core.errors import EvaltoolsError
from evaltools.core.iorw import atomic_write
from evaltools.model.texts import package_entry
from evaltools.model.units import valid_in
from evaltools.intake.columns import Column, data_columns

HEADER_ROW, CODE_ROW, FIRST_ROW = 4, 5, 6
NUMBER_FORMATS = {"integer": "#,##0", "amount": "#,##0", "boolean": "0", "number": "#,##0.##"}


def _t(key: str):
    """A word of the template, from ``template.<key>`` of the package's texts.yaml."""
    return package_entry(f"template.{key}")


def template_units(catalog: Catalog, year: int) -> list[tuple[str, str, str]]:
    """(code, name, level) of the rows: each district's communes in code order, then the district."""
    units = catalog.units[valid_in(catalog.units, year).to_numpy(dtype=bool)]
    rows = []
    for _, district in units[units["level"] == "district"].sort_values("code").iterrows():
        communes = units[(units["level"] == "commune") & (units["parent"] == district["code"])]
        rows += [(c["code"], c["name_vi"], "commune") for _, c in communes.sort_values("code").iterrows()]
        rows.append((district["code"], district["name_vi"], "district"))
    return rows


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="B7B7B7")
    return {
        "title": Font(bold=True, size=14), "bold": Font(bold=True),
        "header": (Font(bold=True), PatternFill("solid", fgColor="DDEBF7"),
                   Alignment(wrap_text=True, vertical="top")),
        "code": Font(italic=True, size=8, color="808080"),
        "unit": PatternFill("solid", fgColor="F2F2F2"),
        "off": PatternFill("solid", fgColor="A6A6A6"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def _validation(column: Column):
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.value_type == "boolean":
        rule = DataValidation(type="list", formula1='"0,1"', allow_blank=True)
    elif column.value_type == "number":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    else:
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    rule.error, rule.errorTitle, rule.showErrorMessage = _t("invalid_value"), _t("invalid_title"), True
    return rule


def _data_sheet(ws, columns: list[Column], units: list[tuple[str, str, str]], year: int) -> None:
    from openpyxl.utils import get_column_letter

    style = _styles()
    ws["A1"], ws["A1"].font = _t("title").format(year=year), style["title"]
    ws["A2"], ws["B2"] = _t("year_label"), year
    ws["A2"].font = ws["B2"].font = style["bold"]
    ws["A3"] = _t("instructions")[3] + _t("see_help")
    heads = vocabulary.row_columns()
    keys = [("UNIT", heads["UNIT"]), ("UNIT_NAME", heads["UNIT_NAME"])]
    keys += [(c.key, c.header_vi) for c in columns] + [("COMMENT", heads["COMMENT"])]
    for j, (code, header) in enumerate(keys, 1):
        top, bottom = ws.cell(HEADER_ROW, j, header), ws.cell(CODE_ROW, j, code)
        top.font, top.fill, top.alignment = style["header"]
        top.border, bottom.font = style["border"], style["code"]
        ws.column_dimensions[get_column_letter(j)].width = 10 if j == 1 else 24 if j == 2 else 16
    ws.row_dimensions[HEADER_ROW].height = 120
    for i, (code, name, level) in enumerate(units):
        r = FIRST_ROW + i
        for j, text in ((1, code), (2, name)):
            cell = ws.cell(r, j, text)
            cell.fill, cell.border = style["unit"], style["border"]
        for j, column in enumerate(columns, 3):
            cell = ws.cell(r, j)
            cell.border, cell.number_format = style["border"], NUMBER_FORMATS[column.value_type]
            if column.level != level:
                cell.fill = style["off"]
        ws.cell(r, len(keys)).border = style["border"]
    last = FIRST_ROW + len(units) - 1
    for j, column in enumerate(columns, 3):
        rule = _validation(column)
        ws.add_data_validation(rule)
        letter = get_column_letter(j)
        rule.add(f"{letter}{FIRST_ROW}:{letter}{last}")
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)


def _help_sheet(ws, columns: list[Column], year: int, more: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    ws["A1"], ws["A1"].font = _t("help_title"), Font(bold=True, size=14)
    lines = [line.format(year=year) for line in _t("instructions")] + more
    for i, line in enumerate(lines, 3):
        ws.cell(i, 1, f"{i - 2}. {line}")
    top = len(lines) + 4
    ws.cell(top, 1, _t("columns_title")).font = Font(bold=True)
    heads, kinds, levels = _t("column_heads"), _t("kinds"), _t("levels")
    for j, head in enumerate(heads, 1):
        ws.cell(top + 1, j, head).font = Font(bold=True)
    for i, column in enumerate(columns, top + 2):
        level = levels["district" if column.level == "district" else "commune"]
        for j, text in enumerate((column.key, column.header_vi, kinds[column.value_type], level), 1):
            ws.cell(i, j, text).alignment = Alignment(wrap_text=j == 2, vertical="top")
    for letter, width in zip("ABCD", (28, 90, 18, 14)):
        ws.column_dimensions[letter].width = width


def write_template(catalog: Catalog, year: int, path: str | Path) -> Path:
    """Write the return template for ``year`` to ``path`` (atomically); return the path."""
    from openpyxl import Workbook

    if not 1900 <= year <= 2100:
        raise EvaltoolsError(f"template {year}: expected a year such as 2023 (1900 to 2100); nothing was written")
    units = template_units(catalog, year)
    if not any(level == "commune" for _, _, level in units):
        raise EvaltoolsError(f"no commune exists in {year}: nothing to put in a return template")
    standards = catalog_standards(catalog)
    gone = out_of_force(standards, year)
    columns = [c for c in data_columns(catalog) if (c.element, c.category) not in gone]
    current = None if standards is None else standard_for(standards, year)
    more = [] if current is None else [_t("standard_line").format(name=current["name_vi"], years=years_of(current))]
    book = Workbook()
    data = book.active
    data.title = _t("data_sheet")
    _data_sheet(data, columns, units, year)
    _help_sheet(book.create_sheet(_t("help_sheet")), columns, year, more)
    book.properties.title = _t("document_title").format(year=year)
    buffer = io.BytesIO()
    book.save(buffer)
    return atomic_write(path, buffer.getvalue())
