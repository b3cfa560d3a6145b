"""Tables of the Word copy: figures tables with repeated headers, and the borderless layout tables.

The report's figures tables (class ``figures``, and any table a notebook output holds)
become Word tables with a grid, a shaded header row that Word repeats on every page,
rows that never split across pages, and numbers right-aligned. The masthead and the
signature block are two-column tables without borders, as Vietnamese administrative
documents lay them out.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TABLE_PT = 10
LABEL_MIN_CM = 1.8
TEXT_WIDTH_CM = 16.0                        # A4 less the margins (export.docx)
HEADER_FILL = "ECECEC"
# Parts of the masthead and signature block written bold / italic / underlined (report.css).
BOLD = {"office", "office-superior", "country", "motto", "recipients-title", "signer"}
ITALIC = {"place-date", "recipients-title"}


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


def write_grid(writer, el) -> None:
    """A figures table: optional caption, grid, repeated shaded header, numbers on the right."""
    caption = el.find("caption")
    if caption is not None:
        paragraph = writer.doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
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
    for column, cm in zip(table.columns, _widths(rows, width, TEXT_WIDTH_CM)):
        column.width = Cm(cm)                   # the grid (LibreOffice reads it) and each cell (Word does)
        for cell in column.cells:
            cell.width = Cm(cm)
    _font_size(table, TABLE_PT)
    writer.doc.add_paragraph()                  # room after the table, as in the page


def layout_table(writer, el) -> None:
    """The masthead (office | country, motto, date) or signature (recipients | office, signer), no borders."""
    cells = [td for tr in el.iter("tr") for td in tr if td.tag == "td"]
    if not cells:
        return
    table = writer.doc.add_table(rows=1, cols=len(cells))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    signature = "signature" in _classes(el)
    for j, td in enumerate(cells):
        cell = table.rows[0].cells[j]
        first = cell.paragraphs[0]
        for child in td:
            if child.tag in ("ul", "ol"):
                writer.items(child, child.tag, container=cell)
                continue
            paragraph = writer.paragraph(child, container=cell)
            classes = _classes(child)
            for run in paragraph.runs:
                run.bold = True if classes & BOLD or ("office" in classes) else run.bold
                run.italic = True if classes & ITALIC else run.italic
                run.underline = True if "motto" in classes else None
            left = signature and j == 0
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        if len(cell.paragraphs) > 1 and not first.text:
            first._p.getparent().remove(first._p)   # a new cell starts with an empty paragraph
    _font_size(table, 12)
    writer.doc.add_paragraph()
