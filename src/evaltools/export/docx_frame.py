"""The official frame in the Word copy (Nghị định 30/2020/NĐ-CP, Phụ lục I), as the page lays it out.

The masthead and the closing are two-column tables without borders; the rules under
the issuing office, the motto and the summary are paragraph borders, indented to their
length (a third of the agency's column, the motto's line, a quarter of the summary). The
sizes are the decree's: agency and national title 12.5 pt capitals, motto, number, place
and date 13 pt, "Nơi nhận:" 12 pt bold italic, recipients 11 pt, signer 13 pt bold.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEXT_WIDTH_CM = 16.5                        # A4 less the margins: 21 − 3 − 1.5
# class of a paragraph in the frame -> (size pt, bold, italic, caps)
PARTS = {
    "office-superior": (12.5, False, False, True), "office": (12.5, True, False, True),
    "number": (13, False, False, False), "country": (12.5, True, False, True), "motto": (13, True, False, False),
    "place-date": (13, False, True, False), "recipients-title": (12, True, True, False),
    "recipient": (11, False, False, False), "for": (13, True, False, True), "position": (13, True, False, True),
    "name": (13, True, False, False), "sign-space": (13, False, False, False),
}
# Rules under a paragraph, as (left indent, right indent) in cm of its column.
RULES = {"office": 0.325, "motto": 0.17}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def rule_under(paragraph, indent_cm: float) -> None:
    """A solid rule under ``paragraph``, ``indent_cm`` in from each side (a short centred line)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)


def _style(paragraph, part: str) -> None:
    size, bold, italic, caps = PARTS.get(part, (13, False, False, False))
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.bold = bold or run.bold
        run.italic = italic or run.italic
        run.font.all_caps = caps or None


def layout_table(writer, el) -> None:
    """The masthead (agency, number | national title, motto, place and date) or the closing
    (recipients | signer), two columns without borders."""
    cells = [td for tr in el.iter("tr") for td in tr if td.tag == "td"]
    if not cells:
        return
    closing = "signature" in _classes(el)
    if closing and writer.doc.paragraphs:       # the signature never stands without body text above it
        writer.doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = writer.doc.add_table(rows=1, cols=len(cells))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    shares = (0.45, 0.55) if closing else (0.40, 0.60)
    for j, td in enumerate(cells):
        cell, width = table.rows[0].cells[j], TEXT_WIDTH_CM * shares[min(j, 1)]
        cell.width = Cm(width)
        for child in td:
            part = next(iter(_classes(child) & set(PARTS)), "")
            paragraph = writer.paragraph(child, container=cell)
            _style(paragraph, part)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if closing and j == 0 else WD_ALIGN_PARAGRAPH.CENTER
            if part == "sign-space":
                for _ in range(3):
                    paragraph.add_run().add_break()
            if part in RULES:
                rule = cell.add_paragraph()
                rule.paragraph_format.space_after = Pt(2)
                rule_under(rule, width * RULES[part])
        first = cell.paragraphs[0]
        if len(cell.paragraphs) > 1 and not first.text:
            first._p.getparent().remove(first._p)   # a new cell starts with an empty paragraph
    writer.doc.add_paragraph()


def title(writer, el) -> None:
    """ "BÁO CÁO", then its summary (and subject) on their own lines, bold, centred, a short rule under."""
    head = writer.doc.add_paragraph()
    head.add_run(" ".join((el.text or "").split())).bold = True
    lines = [head] + [writer.doc.add_paragraph() for span in el.iter("span")]
    for span, paragraph in zip(el.iter("span"), lines[1:]):
        paragraph.add_run(" ".join(span.text_content().split())).bold = True
    for paragraph in lines:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Cm(0)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = True
        for run in paragraph.runs:
            run.font.size = Pt(13.5)
    rule = writer.doc.add_paragraph()
    rule_under(rule, TEXT_WIDTH_CM * 0.375)
    rule.paragraph_format.space_after = Pt(12)
