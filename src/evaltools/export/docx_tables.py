"""Figures tables of the Word copy: a grid, a repeated header, numbers on the right, wide ones landscape.

The report's figures tables (class ``figures``, and any table a notebook output holds)
become Word tables with a grid, a shaded header row that Word repeats on every page,
rows that never split across pages, and numbers right-aligned; 11 pt Times New Roman.
A table of many columns (class ``wide``, as on paper) gets a landscape section of its own.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from evaltools.export.docx_frame import TEXT_WIDTH_CM

TABLE_PT, WIDE_PT = 11, 10
LABEL_MIN_CM = 1.8
LANDSCAPE_WIDTH_CM = 29.7 - 2.0 - 2.0
HEADER_FILL = "EFEFEF"


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _row_property(row, name: str) -> None:
    node = OxmlElement(f"w:{name}")
    node.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(node)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    cell._tc.get_or_add_tcPr().append(shading)


def _rows(table_el) -> list[tuple[bool, object]]:
    """(is header, <tr>) in order: thead rows first, then tbody/tfoot rows or bare rows."""
    out = []
    for part in table_el:
        if part.tag in ("thead", "tbody", "tfoot"):
            out += [(part.tag == "thead", tr) for tr in part if tr.tag == "tr"]
        elif part.tag == "tr":
            out.append((all(c.tag == "th" for c in part), part))
    return out


def _span(cell_el) -> int:
    try:
        return max(1, int(cell_el.get("colspan", "1")))
    except ValueError:
        return 1


def _font_size(table, size: float) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.first_line_indent = Cm(0)
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _widths(rows: list[tuple[bool, object]], width: int, total_cm: float) -> list[float]:
    """Column widths (cm): number columns as wide as their longest figure, labels share the rest."""
    longest, numeric = [3] * width, [True] * width
    for header, tr in rows:
        j = 0
        for cell_el in (c for c in tr if c.tag in ("td", "th")):
            if _span(cell_el) == 1 and j < width:
                words = cell_el.text_content().split() or [""]
                # a header may wrap between its words; a figure never wraps
                longest[j] = max(longest[j], max(map(len, words)) if header else len(" ".join(words)))
                numeric[j] = numeric[j] and (header or "num" in _classes(cell_el))
            j += _span(cell_el)
    fixed = [min(n, 14) * 0.2 + 0.45 if numeric[j] else 0.0 for j, n in enumerate(longest)]
    labels = [0 if numeric[j] else min(n, 40) for j, n in enumerate(longest)]
    room = max(total_cm - sum(fixed), 0.0)
    share = [max(LABEL_MIN_CM, room * n / sum(labels)) if n else 0.0 for n in labels] if any(labels) else labels
    over = sum(fixed) + sum(share) - total_cm
    if over > 0 and sum(fixed):                 # too many figures for the page: they give way, labels keep a minimum
        fixed = [w * max(0.5, 1 - over / sum(fixed)) for w in fixed]
    return [fixed[j] or share[j] for j in range(width)]


def section(doc, landscape: bool) -> None:
    """A new section from a new page, landscape (a wide table) or back to portrait; numbers go on."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)
    margins = (2.5, 2.0, 2.0, 2.0) if landscape else (2.0, 2.0, 3.0, 1.5)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = map(Cm, margins)


def write_grid(writer, el) -> None:
    """A figures table: optional caption, grid, repeated shaded header, numbers on the right; a wide one
    on landscape pages (the writer opens the landscape section before it, see ``_Writer.orient``)."""
    wide = "wide" in _classes(el)
    _grid(writer, el, LANDSCAPE_WIDTH_CM if wide else TEXT_WIDTH_CM, WIDE_PT if wide else TABLE_PT)


def _grid(writer, el, text_width: float, size: float) -> None:
    caption = el.find("caption")
    if caption is not None:
        paragraph = writer.doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.first_line_indent = Cm(0)
        writer.runs(paragraph, caption, bold=True)
    rows = _rows(el)
    if not rows:
        return
    width = max(sum(_span(c) for c in tr if c.tag in ("td", "th")) for _, tr in rows)
    table = writer.doc.add_table(rows=len(rows), cols=width)
    table.style = writer.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (header, tr) in enumerate(rows):
        row, j = table.rows[i], 0
        _row_property(row, "cantSplit")
        if header:
            _row_property(row, "tblHeader")
        for cell_el in (c for c in tr if c.tag in ("td", "th")):
            span = _span(cell_el)
            cell = row.cells[j] if span == 1 else row.cells[j].merge(row.cells[min(j + span, width) - 1])
            paragraph = cell.paragraphs[0]
            writer.runs(paragraph, cell_el, bold=header)
            if header:
                _shade(cell, HEADER_FILL)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif "num" in _classes(cell_el):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))   # a figure stays on one line
            j += span
    table.autofit = False
    for column, cm in zip(table.columns, _widths(rows, width, text_width)):
        column.width = Cm(cm)                   # the grid (LibreOffice reads it) and each cell (Word does)
        for cell in column.cells:
            cell.width = Cm(cm)
    _font_size(table, size)
    writer.doc.add_paragraph()                  # room after the table, as in the page
