"""The signed copy: the report page as the PDF and the Word writer print it.

The HTML copy is for the analyst and the auditor as well as the reader; the paper a chief of
office signs holds only the document. :func:`printed` takes the page :func:`evaltools.export.to_html`
made and returns the page both printers read:

- cells tagged ``screen-only`` (the data files, their SHA-256 fingerprints, the tool and the time
  of the run) are dropped: they stay in the HTML copy and in ``manifest.json``;
- a table too wide for a portrait page (class ``wide``) in the body of the report is printed at
  the head of the first appendix, which starts on a landscape page anyway, and a line in its place
  says where it is: a landscape page in the middle of the body left the portrait page before it
  mostly blank;
- an appendix whose tables are landscape is landscape from its header on, so the header
  ("Phụ lục I", its title, the report it is attached to) never stands alone on a portrait page;
- a name, a document's number or a figure with its unit is kept on one line (:mod:`.nobreak`);
- a cell that ends with a heading, and each part of an appendix's header, is kept with what follows
  it (class ``keep-with-next``, which the print CSS and the Word writer read).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from evaltools.export.html import labels
from evaltools.export.nobreak import keep_together

SCREEN_ONLY = "celltag_screen-only"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
APPENDIX_HEADER = ("celltag_appendix", "celltag_appendix-title", "appendix-note")


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _add_class(el, name: str) -> None:
    if name not in _classes(el):
        el.set("class", " ".join([*_classes(el), name]))


def _has_class(el, name: str) -> bool:
    return bool(el.xpath(f"descendant-or-self::*[contains(concat(' ', @class, ' '), ' {name} ')]"))


def _last_block(cell):
    """The last element of ``cell`` that prints something (a heading, a paragraph, a table...)."""
    found = [el for el in cell.iter() if isinstance(el.tag, str) and el.tag in (*HEADINGS, "p", "table", "img", "li")
             and (el.tag in ("table", "img") or el.text_content().strip())]
    return found[-1] if found else None


def _cells(main) -> list:
    """The page's blocks in order: the cells and the frame's parts (masthead, closing, appendix breaks)."""
    return [el for el in main if isinstance(el.tag, str)]


def _drop_screen_only(main) -> None:
    for el in main.xpath(f".//*[contains(concat(' ', @class, ' '), ' {SCREEN_ONLY} ')]"):
        cell = next((a for a in el.iterancestors() if "jp-Cell" in _classes(a)), el)
        if cell.getparent() is not None:
            cell.getparent().remove(cell)


def _appendices(blocks) -> list[list]:
    """The blocks of each appendix, from its page break to the next one (or the page's end)."""
    out: list[list] = []
    for el in blocks:
        if _has_class(el, "appendix-break") and "jp-Cell" not in _classes(el):
            out.append([])
        if out:
            out[-1].append(el)
    return out


def _caption(table) -> str:
    """A table's caption without the legend of its marks ("… * Năm 2017: …")."""
    caption = table.find("caption")
    words = " ".join(caption.text_content().split()) if caption is not None else ""
    return re.split(r"\s\*\s", words, maxsplit=1)[0]


def _move_wide_tables(main, lang: str) -> None:
    """Body tables too wide for portrait go to the head of the first appendix, a line says where."""
    blocks = _cells(main)
    appendices = _appendices(blocks)
    if not appendices:
        return
    try:
        words = labels(lang)
    except ValueError:                          # a page in a language the labels do not know
        words = labels("vi")
    first = appendices[0]
    body = blocks[:blocks.index(first[0])]
    heading = next((h for el in first for h in el.iter(*HEADINGS)), None)
    name = " ".join("".join(heading.xpath("text()")).split()) if heading is not None else ""
    anchor = next((el for el in first if "appendix-note" in _classes(el) or _has_class(el, "appendix-note")), None)
    anchor = anchor if anchor is not None else first[-1]
    for cell in body:
        for table in cell.xpath(".//table[contains(concat(' ', @class, ' '), ' wide ')]"):
            note = lxml_html.Element("p", {"class": "moved-table"})
            note.text = words["moved_table"].format(caption=_caption(table), appendix=name)
            table.addprevious(note)
            holder = lxml_html.Element("div", {"class": "jp-Cell moved landscape"})
            anchor.addnext(holder)
            holder.append(table)
            anchor = holder


def _is_wide(table) -> bool:
    return "wide" in _classes(table)


def _landscape_appendices(main) -> None:
    """An appendix whose first table is landscape is landscape from its header on."""
    for blocks in _appendices(_cells(main)):
        tables = [(i, t) for i, el in enumerate(blocks) for t in el.iter("table")]
        if tables and _is_wide(tables[0][1]):
            for el in blocks[:tables[0][0]]:
                _add_class(el, "landscape")


def _drop_empty(main) -> None:
    """A cell that prints nothing (a code cell without output) would let a page break in between
    a heading and what follows it."""
    for cell in _cells(main):
        if "jp-Cell" in _classes(cell) and _last_block(cell) is None:
            main.remove(cell)


def _keep_together(main) -> None:
    """Mark each block that must not end a page: one ending with a heading, and every part of an
    appendix's header ("Phụ lục I", its title, the report it is attached to)."""
    for cell in _cells(main):
        last = _last_block(cell)
        if (last is not None and last.tag in HEADINGS) or any(_has_class(cell, c) for c in APPENDIX_HEADER):
            _add_class(cell, "keep-with-next")
    # WeasyPrint looks back over one "avoid" only: a run of such blocks ("5. …" then "a) …") becomes one
    # block that does not split, kept with what follows it.
    run: list = []
    for cell in [*_cells(main), None]:
        if cell is not None and "keep-with-next" in _classes(cell):
            run.append(cell)
            continue
        if len(run) > 1:
            group = lxml_html.Element("div", {"class": "keep-with-next keep-together"})
            run[0].addprevious(group)
            for el in run:
                group.append(el)
            run = [group]
        if run and cell is not None:
            _join(run[0], cell)
        run = []


def _join(kept, cell) -> None:
    """Put ``kept`` (a heading's cell) just before the first block of ``cell``, as its sibling: WeasyPrint
    keeps a heading with the paragraph beside it, but may break between two cells at the start of the
    second one's content, leaving the heading alone at the page's foot."""
    first = cell
    while first.tag == "div" and not ({"jp-RenderedSVG", "jp-RenderedImage"} & set(_classes(first))):
        printing = [c for c in first if isinstance(c.tag, str) and (c.tag == "img" or _last_block(c) is not None
                                                                    or c.tag in ("p", "table", "ul", "ol"))]
        if not printing:
            break
        first = printing[0]
    if first is not cell:
        first.addprevious(kept)


def printed(page: str) -> str:
    """The page the signed copies (PDF, Word) are printed from; see the module's docstring."""
    tree = lxml_html.document_fromstring(keep_together(page))
    main = tree.find(".//main")
    main = main if main is not None else tree.find(".//body")
    _drop_screen_only(main)
    _drop_empty(main)
    _move_wide_tables(main, tree.get("lang") or "vi")
    _landscape_appendices(main)
    _keep_together(main)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")

