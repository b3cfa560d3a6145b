"""Report page -> Word document (.docx) with python-docx, for offices that edit and circulate in Word.

The converter reads the page :func:`evaltools.export.to_html` made (already sanitised,
so it knows every tag it may meet) and writes the same content as Word objects: the
masthead and the signature block as borderless two-column tables, headings as Word
headings (so Word's navigation pane and table of contents work), paragraphs with
bold and italics, lists, tables with a header row repeated on each page and numbers
right-aligned, and charts as pictures with their captions. The page is A4 with the
margins of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) and Times New
Roman, which Word has everywhere and which covers every Vietnamese letter; the footer
reads "Trang 3 / 12" (Word fills the numbers). No LibreOffice, no network.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import html as lxml_html

from .docx_tables import TEXT_WIDTH_CM, layout_table, write_grid
from .html import labels

FONT = "Times New Roman"
BODY_PT = 13
HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}


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
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    _set_font(doc.styles["Normal"], BODY_PT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 15), ("Heading 1", 13), ("Heading 2", 13), ("Heading 3", 13)):
        _set_font(doc.styles[name], size, bold=True)
    doc.styles["Heading 3"].font.italic = True
    caption = doc.styles["Caption"]
    _set_font(caption, 11, bold=False)
    caption.font.italic = True


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word computes when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText" if text == instruction else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)


def _footer(doc, lang: str) -> None:
    words = labels(lang)
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(words["page_before"])
    _field(paragraph, "PAGE")
    paragraph.add_run(words["page_between"])
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


class _Writer:
    """Walks the page's <main> and writes each block into a python-docx Document.

    ``fallbacks`` maps each SVG chart of the page (its text) to a PNG of the same chart:
    Word shows the SVG (vector, Word 2016 and later) and older readers the PNG.
    """

    def __init__(self, doc, lang: str, fallbacks: dict[str, bytes] | None = None):
        self.doc, self.lang, self.fallbacks = doc, lang, fallbacks or {}

    # -- inline text ------------------------------------------------------------------
    def runs(self, paragraph, el, bold: bool = False, italic: bool = False) -> None:
        """Add ``el``'s text and children as runs (bold, italic, line breaks kept)."""
        bold = bold or el.tag in ("strong", "b", "th")
        italic = italic or el.tag in ("em", "i", "cite")
        if el.text:
            self._run(paragraph, el.text, bold, italic)
        for child in el:
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif not (child.tag == "a" and "anchor-link" in _classes(child)):
                self.runs(paragraph, child, bold, italic)
            if child.tail:
                self._run(paragraph, child.tail, bold, italic)

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
        if classes & {"subject", "period", "place-date", "missing-text"}:
            for run in paragraph.runs:
                run.italic = True
        if classes & {"subject", "period"}:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if "warning" in classes:
            for run in paragraph.runs:
                run.bold, run.font.color.rgb = True, RGBColor(0xB0, 0x00, 0x00)
        return paragraph

    # -- blocks ---------------------------------------------------------------------
    def block(self, el, container=None) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in ("nav", "script", "style"):
            return
        if tag == "header":
            self.children(el, container)
        elif tag == "h1":
            self.title(el)
        elif tag in HEADINGS:
            heading = self.doc.add_heading(level=HEADINGS[tag])
            self.runs(heading, el)
        elif tag == "p":
            self.paragraph(el, container=container)
        elif tag in ("ul", "ol"):
            self.items(el, tag, container)
        elif tag == "table":
            self.table(el)
        elif tag == "figure":
            self.figure(el)
        elif tag == "img":
            self.picture(el.get("src", ""))
        elif tag == "pre":
            self.doc.add_paragraph(el.text_content()).runs[0].font.name = "Courier New"
        elif tag == "blockquote":
            for child in el:
                self.block(child, container)
        else:                                  # div, section ...: walk in; loose text becomes a paragraph
            if (el.text or "").strip():
                target = container if container is not None else self.doc
                target.add_paragraph(_text(el.text))
            self.children(el, container)

    def children(self, el, container=None) -> None:
        for child in el:
            self.block(child, container)

    def title(self, el) -> None:
        """The report title: "BÁO CÁO" and, on the next line, the title proper."""
        paragraph = self.doc.add_paragraph(style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.runs(paragraph, el, bold=True)
        for span in el.iter("span"):
            if "title" in _classes(span) and len(paragraph.runs) > 1:
                paragraph.runs[0].add_break()   # the block span starts a line, as in the page

    def items(self, el, tag: str, container=None, depth: int = 1) -> None:
        style = ("List Bullet" if tag == "ul" else "List Number") + (f" {depth}" if depth > 1 else "")
        target = container if container is not None else self.doc
        for li in el.findall("li"):
            paragraph = target.add_paragraph(style=style if container is None else None)
            if container is not None:
                paragraph.add_run("– ")
            nested = [c for c in li if c.tag in ("ul", "ol")]
            for c in nested:
                li.remove(c)
            self.runs(paragraph, li)
            for c in nested:
                self.items(c, c.tag, container, min(depth + 1, 3))

    def figure(self, el) -> None:
        for img in el.iter("img"):
            self.picture(img.get("src", ""))
        for caption in el.iter("figcaption"):
            paragraph = self.doc.add_paragraph(style="Caption")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.runs(paragraph, caption, italic=True)

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
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(self, el) -> None:
        if _classes(el) & {"masthead", "signature"}:
            return layout_table(self, el)
        return write_grid(self, el)


SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"     # Office 2016's svgBlip extension
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_svg(doc, shape, svg: bytes) -> None:
    """Give an inline picture its SVG original, as Word itself stores it (the PNG stays as fallback)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package
    number = sum(1 for p in package.iter_parts() if p.partname.endswith(".svg")) + 1
    part = Part(PackURI(f"/word/media/chart{number}.svg"), "image/svg+xml", svg, package)
    rid = doc.part.relate_to(part, RT.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    extensions = OxmlElement("a:extLst")
    extension = OxmlElement("a:ext")
    extension.set("uri", SVG_EXTENSION)
    svg_blip = blip.makeelement(f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg_blip.set(qn("r:embed"), rid)
    extension.append(svg_blip)
    extensions.append(extension)
    blip.append(extensions)


def to_docx_from_html(page: str, lang: str = "vi", title: str | None = None,
                      fallbacks: dict[str, bytes] | None = None) -> bytes:
    """Write a report page (from :func:`~evaltools.export.to_html`) as a Word document.

    Parameters
    ----------
    page : str
        The whole HTML page.
    lang : {"vi", "en"}
        Language of the footer ("Trang 3 / 12" or "Page 3 of 12").
    title : str, optional
        The document's title property (default: the page's <title>).
    fallbacks : dict, optional
        A PNG for each SVG chart of the page (by the SVG's text); see :func:`png_fallbacks`.

    Returns
    -------
    bytes
        The .docx file.
    """
    tree = lxml_html.fromstring(page)
    main = tree.find(".//main")
    main = main if main is not None else tree.find(".//body")
    doc = Document()
    _page_setup(doc)
    _footer(doc, lang)
    doc.core_properties.title = title or _text(tree.findtext(".//title") or "")
    doc.core_properties.language = lang
    _Writer(doc, lang, fallbacks).children(main)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def png_fallbacks(nb) -> dict[str, bytes]:
    """The PNG a notebook displayed beside each SVG chart (a :class:`~evaltools.report.charts.Chart`), by SVG text."""
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data and "image/png" in data:
                svg = data["image/svg+xml"]
                svg = "".join(svg) if isinstance(svg, list) else svg
                out[svg] = base64.b64decode(data["image/png"])
    return out
