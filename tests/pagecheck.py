"""Pages read as a proof-reader reads them: what each page of a PDF holds, from its words' boxes.

A page fails when it holds nothing but headings, table captions, an appendix's header or the closing
(signature and recipients); when its last line is a heading or a caption (stranded at the foot); or
when it is a portrait page more than half blank before a landscape page that does not open an
appendix. What counts as a heading, caption, header or closing is read from the report's HTML copy.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from .pdfread import Word, words

MM = 72 / 25.4
TOP, BOTTOM = 20 * MM, 20 * MM                  # the portrait page's margins


@dataclass(frozen=True)
class Line:
    page: int
    y0: float
    y1: float
    text: str


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", html_lib.unescape(text)).replace("¶", "").split())


def _texts(root, xpath: str) -> list[str]:
    return [t for t in (_norm(el.text_content()) for el in root.xpath(xpath)) if t]


def _has(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass
class Parts:
    """The texts of a report that are not body text, by kind."""

    headings: list[str]
    captions: list[str]
    appendix: list[str]
    closing: list[str]

    @classmethod
    def of(cls, page_html: Path) -> Parts:
        root = lxml_html.fromstring(page_html.read_text(encoding="utf-8"))
        for hidden in root.xpath(f"//*[{_has('celltag_screen-only')}]"):
            hidden.getparent().remove(hidden)
        return cls(headings=_texts(root, "//main//*[self::h1 or self::h2 or self::h3 or self::h4]"),
                   captions=_texts(root, "//main//caption"),
                   appendix=_texts(root, f"//*[{_has('celltag_appendix')} or {_has('celltag_appendix-title')} "
                                         f"or {_has('appendix-note')}]"),
                   closing=_texts(root, f"//table[{_has('signature')}]//p"))

    def words(self) -> set[str]:
        return {w for t in (*self.headings, *self.captions, *self.appendix, *self.closing) for w in t.split()}

    def stranded(self, line: str) -> bool:
        """``line`` is (a line of) a heading, caption or appendix header: it must not end a page."""
        if len(line) < 4:
            return False
        return any(re.search(rf"(?<!\S){re.escape(line)}(?!\S)", t) for t in (*self.headings, *self.captions,
                                                                               *self.appendix))


def lines(found: list[Word]) -> list[Line]:
    """Words gathered into lines (same page, overlapping heights), top to bottom."""
    out: list[list[Word]] = []
    for w in sorted(found, key=lambda w: (w.page, w.y0, w.x0)):
        last = out[-1] if out else None
        if last and last[0].page == w.page and w.y0 < last[0].y1 - 2:
            last.append(w)
        else:
            out.append([w])
    return [Line(ws[0].page, min(w.y0 for w in ws), max(w.y1 for w in ws),
                 " ".join(w.text for w in sorted(ws, key=lambda w: w.x0))) for ws in out]


def _body(page_words: list[Word]) -> list[Word]:
    """The page's words without its number (alone in the top margin)."""
    return [w for w in page_words if not (w.y1 < TOP and w.text.isdigit())]


def failing_pages(pdf: Path, page_html: Path) -> list[tuple[int, str]]:
    """Every page that breaks badly, with the reason."""
    parts, found = Parts.of(page_html), words(pdf)
    special = parts.words()
    pages = sorted({w.page for w in found})
    by_page = {p: _body([w for w in found if w.page == p]) for p in pages}
    failures = []
    for p in pages:
        body = by_page[p]
        if body and all(w.text in special for w in body):
            failures.append((p, "holds only headings, captions, an appendix header or the closing: "
                                + " ".join(w.text for w in body)[:80]))
        page_lines = lines(body)
        if page_lines and p != pages[-1] and parts.stranded(page_lines[-1].text):
            failures.append((p, f"ends with a heading or caption: {page_lines[-1].text}"))
        after = by_page.get(p + 1)
        if body and after and body[0].page_width < body[0].page_height and after[0].page_width > after[0].page_height:
            opening = lines(after)[0].text
            fill = (max(w.y1 for w in body) - TOP) / (body[0].page_height - TOP - BOTTOM)
            if not any(opening in t or t in opening for t in parts.appendix) and fill < 0.5:
                failures.append((p, f"{1 - fill:.0%} blank before a landscape page"))
    return failures


def page_count(pdf: Path) -> int:
    import subprocess

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
