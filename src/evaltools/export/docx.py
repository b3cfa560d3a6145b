"""Report page -> Word document (.docx) with python-docx, for offices that edit and circulate in Word.

The converter reads the page :func:`evaltools.export.to_html` made (already sanitised,
so it knows every tag it may meet) and writes the same content as Word objects, in the
official format (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4 with margins 20/15/20/30 mm,
Times New Roman 13 pt justified with the first line indented 1 cm, the page number
centred in the header from page 2 on; the masthead and the closing as borderless
two-column tables (:mod:`.docx_frame`); headings as Word headings (the navigation pane
works); figures tables with a repeated header, a wide one on a landscape page
(:mod:`.docx_tables`); charts as SVG with a PNG fallback (:mod:`.docx_pictures`); each
appendix on a new page. No LibreOffice, no network.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import html as lxml_html

from evaltools.export.docx_frame import TEXT_WIDTH_CM, layout_table, title
from evaltools.export.docx_pictures import add_svg, png_fallbacks
from evaltools.export.docx_tables import section, write_grid
from evaltools.export.printed import printed

FONT = "Times New Roman"
BODY_PT = 13
HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
CENTRED = {"period", "appendix-note", "draft-mark"}
ITALIC = {"period", "appendix-note", "placeholder"}
APPENDIX_HEADER = {"celltag_appendix", "celltag_appendix-title"}      # centred, as on paper

__all__ = ["to_docx_from_html", "png_fallbacks"]


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _set_font(style, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)      # a theme font would override ours (headings use one)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_after, fmt.first_line_indent = Pt(6), Cm(1)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.MULTIPLE, 1.15
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        _set_font(doc.styles[name], BODY_PT, bold=True)
        doc.styles[name].paragraph_format.space_before = Pt(6)
        doc.styles[name].paragraph_format.first_line_indent = Cm(0 if name == "Heading 1" else 1)
    doc.styles["Heading 3"].font.italic = True
    for name in ("List Bullet", "List Number"):
        doc.styles[name].paragraph_format.first_line_indent = Cm(0)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) that Word computes when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText" if text == instruction else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)


def page_numbers(section) -> None:
    """The page number centred in the header, 13 pt; none on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    _field(paragraph, "PAGE")
    for run in paragraph.runs:
        run.font.size = Pt(BODY_PT)


class _Writer:
    """Walks the page's <main> and writes each block into a python-docx Document.

    ``fallbacks`` maps each SVG chart of the page (its text) to a PNG of the same chart:
    Word shows the SVG (vector, Word 2016 and later) and older readers the PNG.
    """

    def __init__(self, doc, lang: str, fallbacks: dict[str, bytes] | None = None):
        self.doc, self.lang, self.fallbacks = doc, lang, fallbacks or {}
        self.centred = False              # inside an appendix's heading cell
        self.landscape = False            # the current section's orientation

    # -- inline text ------------------------------------------------------------------
    def runs(self, paragraph, el, bold: bool = False, italic: bool = False) -> None:
        """Add ``el``'s text and children as runs (bold, italic, line breaks kept)."""
        bold = bold or el.tag in ("strong", "b", "th")
        italic = italic or el.tag in ("em", "i", "cite")
        if el.text and "nobr" in _classes(el):
            self._unbroken(paragraph, el.text, bold, italic)
        elif el.text:
            self._run(paragraph, el.text, bold, italic)
        for child in el:
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif not (child.tag == "a" and "anchor-link" in _classes(child)):
                self.runs(paragraph, child, bold, italic)
            if child.tail:
                self._run(paragraph, child.tail, bold, italic)

    def _unbroken(self, paragraph, text: str, bold: bool, italic: bool) -> None:
        """A document number in a span "nobr" ("06/QĐ-TTg"): Word's non-breaking hyphen, which Word reads
        back as "-" (Word does not break after "/")."""
        for i, part in enumerate(text.split("-")):
            if i:
                run = paragraph.add_run()
                run.bold, run.italic = bold or None, italic or None
                run._r.append(OxmlElement("w:noBreakHyphen"))
            if part:
                self._run(paragraph, part, bold, italic)

    @staticmethod
    def _run(paragraph, text: str, bold: bool, italic: bool) -> None:
        text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))
        if not text.strip() and not paragraph.runs:
            return
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None

    def paragraph(self, el, style: str | None = None, container=None):
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph(style=style)
        self.runs(paragraph, el)
        classes = _classes(el)
        if classes & ITALIC:
            for run in paragraph.runs:
                run.italic = True
        if classes & CENTRED or self.centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = Cm(0)
        if classes & {"warning", "draft-mark"}:
            for run in paragraph.runs:
                run.bold = True
        return paragraph

    # -- blocks ---------------------------------------------------------------------
    def orient(self, el) -> bool:
        """Open a landscape section for a wide table or a block printed landscape (class "landscape",
        see :mod:`.printed`), and a portrait one after them: consecutive wide tables share landscape
        pages, with no portrait page between them. True when a new section (a new page) began."""
        landscape = ("wide" in _classes(el) and el.tag == "table") or any(
            "landscape" in _classes(a) for a in (el, *el.iterancestors()))
        if landscape == self.landscape:
            return False
        section(self.doc, landscape)
        self.landscape = landscape
        return True

    def block(self, el, container=None) -> None:
        tag, classes = el.tag, _classes(el)
        if not isinstance(tag, str) or tag in ("nav", "script", "style"):
            return
        leaf = tag in ("p", "ul", "ol", "table", "img", "pre", "h1", *HEADINGS) or "appendix-break" in classes
        new_page = container is None and leaf and self.orient(el)
        if "keep-with-next" in classes:
            return self._kept(el, container)
        if "appendix-break" in classes:
            if not new_page:
                self.doc.add_page_break()
        elif tag == "header":
            self.children(el, container)
        elif tag == "h1":
            title(self, el)
        elif tag in HEADINGS:
            heading = self.doc.add_heading(level=HEADINGS[tag])
            self.runs(heading, el)
            if self.centred:
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif tag == "p":
            self.paragraph(el, container=container)
        elif tag in ("ul", "ol"):
            self.items(el, tag, container)
        elif tag == "table":
            self.table(el)
        elif tag == "img":
            self.picture(el.get("src", ""))
        elif tag == "pre":
            self.doc.add_paragraph(el.text_content()).runs[0].font.name = "Courier New"
        else:                                  # div, section ...: walk in; loose text becomes a paragraph
            if (el.text or "").strip():
                target = container if container is not None else self.doc
                target.add_paragraph(_text(el.text))
            was, self.centred = self.centred, self.centred or bool(classes & APPENDIX_HEADER)
            self.children(el, container)
            self.centred = was

    def _kept(self, el, container=None) -> None:
        """A block kept with what follows it (a heading's cell, an appendix's header): Word's "keep
        with next" on each of its paragraphs."""
        before = len(self.doc.paragraphs)
        el.set("class", " ".join(c for c in _classes(el) if c != "keep-with-next"))
        self.block(el, container)
        for paragraph in self.doc.paragraphs[before:]:
            paragraph.paragraph_format.keep_with_next = True

    def children(self, el, container=None) -> None:
        for child in el:
            self.block(child, container)

    def items(self, el, tag: str, container=None, depth: int = 1) -> None:
        style = ("List Bullet" if tag == "ul" else "List Number") + (f" {depth}" if depth > 1 else "")
        target = container if container is not None else self.doc
        for li in el.findall("li"):
            bullet = tag == "ul"                # administrative style: "-", then "+" for sub-items, not "•"
            paragraph = target.add_paragraph(style=style if container is None and not bullet else None)
            if bullet:
                paragraph.paragraph_format.first_line_indent = Cm(0.5 * depth)
            if bullet:
                paragraph.add_run("- " if depth == 1 else "+ ")
            elif container is not None:
                paragraph.add_run("– ")
            nested = [c for c in li if c.tag in ("ul", "ol")]
            for c in nested:
                li.remove(c)
            self.runs(paragraph, li)
            for c in nested:
                self.items(c, c.tag, container, min(depth + 1, 3))

    def picture(self, src: str) -> None:
        if not src.startswith("data:image/") or ";base64," not in src:
            return                              # the sanitiser lets nothing else through
        kind = src[len("data:image/"):src.index(";")]
        data = base64.b64decode(src.split(",", 1)[1])
        svg = None
        if kind == "svg+xml":
            svg, data = data, self.fallbacks.get(data.decode("utf-8"))
            if data is None:
                return                          # no picture Word could fall back to
        elif kind not in ("png", "jpeg", "gif"):
            return
        shape = self.doc.add_picture(io.BytesIO(data), width=Cm(min(TEXT_WIDTH_CM, 15.5)))
        if svg is not None:
            add_svg(self.doc, shape, svg)
        picture = self.doc.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = Cm(0)

    def table(self, el) -> None:
        if _classes(el) & {"masthead", "signature"}:
            return layout_table(self, el)
        return write_grid(self, el)


def to_docx_from_html(page: str, lang: str = "vi", title: str | None = None,
                      fallbacks: dict[str, bytes] | None = None) -> bytes:
    """Write a report page (from :func:`~evaltools.export.to_html`) as a Word document.

    Parameters
    ----------
    page : str
        The whole HTML page.
    lang : {"vi", "en"}
        The document's language property.
    title : str, optional
        The document's title property (default: the page's <title>).
    fallbacks : dict, optional
        A PNG for each SVG chart of the page (by the SVG's text); see :func:`png_fallbacks`.

    Returns
    -------
    bytes
        The .docx file.
    """
    tree = lxml_html.fromstring(printed(page))       # the signed copy: no screen-only cell
    main = tree.find(".//main")
    main = main if main is not None else tree.find(".//body")
    doc = Document()
    _page_setup(doc)
    page_numbers(doc.sections[0])
    doc.core_properties.title = title or _text(tree.findtext(".//title") or "")
    doc.core_properties.language = lang
    _Writer(doc, lang, fallbacks).children(main)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
