"""Table of contents: the h1/h2 headings of a finished HTML page, listed in a ``<nav>``.

Headings come from Markdown cells and from HTML/Markdown outputs alike (the report
displays its sections as outputs), so the TOC is built from the exported page, not
from the notebook. Each listed heading gets an id; the TOC replaces an element
``<nav id="toc"></nav>`` or, when there is none, opens the page's ``<main>``. Not listed:
a heading with class ``tocSkip`` (the convention of Jupyter's toc2 extension) and a
heading inside a ``<header>`` (the document's masthead and title, not a section).

Ids are stored percent-decoded: nbconvert writes ``id="Ti%C3%AAu"`` for a Markdown
heading "Tiêu", which a browser finds but WeasyPrint, which decodes the ``href``
first, does not. A decoded id is found by both, from an encoded or a decoded link.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

LEVELS = ("h1", "h2")
SKIP_CLASS = "tocSkip"
# Tags that run on within a word; any other tag inside a heading (<br>, a block
# <span class="title">) separates words in the TOC entry.
INLINE = frozenset({"a", "abbr", "b", "code", "em", "i", "mark", "s", "strong", "sub", "sup", "u"})


@dataclass
class Heading:
    """One h1/h2 of the page: where its start tag lies and what it says."""

    level: str
    start: int
    end: int
    attrs: list[tuple[str, str | None]]
    in_header: bool = False
    words: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.words).split())

    @property
    def classes(self) -> list[str]:
        return (dict(self.attrs).get("class") or "").split()


class _Scanner(HTMLParser):
    """Find headings, ids in use, the ``<nav id="toc">`` placeholder and ``<main>``."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self._lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.headings: list[Heading] = []
        self.ids: set[str] = set()
        self.nav: list[int] = []           # [start, end] of the placeholder
        self.top: int | None = None        # just after <main> (or <body>)
        self._open: Heading | None = None
        self._hidden = 0                   # depth inside an anchor-link "¶"
        self._nav_depth = 0
        self._header_depth = 0
        self._main_seen = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start, values = self._offset(), dict(attrs)
        end = start + len(self.get_starttag_text())
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "header":
            self._header_depth += 1
        if tag in LEVELS and self._open is None:
            self._open = Heading(tag, start, end, attrs, in_header=self._header_depth > 0)
        elif self._open is not None and tag not in INLINE:
            self._open.words.append(" ")
        elif tag == "a" and self._open and "anchor-link" in (values.get("class") or "").split():
            self._hidden += 1
        elif tag == "nav" and not self.nav and values.get("id") == "toc":
            self.nav, self._nav_depth = [start], 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if (tag == "main" and not self._main_seen) or (tag == "body" and self.top is None):
            self.top, self._main_seen = end, self._main_seen or tag == "main"

    def handle_endtag(self, tag):
        if tag == "header" and self._header_depth:
            self._header_depth -= 1
        if self._open is not None and tag not in INLINE and tag != self._open.level:
            self._open.words.append(" ")
        if tag == "a" and self._hidden:
            self._hidden -= 1
        elif self._open is not None and tag == self._open.level:
            self.headings.append(self._open)
            self._open = None
        elif tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
            if not self._nav_depth:
                self.nav.append(self._offset() + len("</nav>"))

    def handle_data(self, data):
        if self._open is not None and not self._hidden:
            self._open.words.append(data)


def _slug(text: str, taken: set[str]) -> str:
    """A readable id from the heading's words, unique on the page."""
    base = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", text)).strip("-").lower() or "muc"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _start_tag(heading: Heading, new_id: str) -> str:
    attrs = [(k, v) for k, v in heading.attrs if k != "id"] + [("id", new_id)]
    parts = "".join(f' {k}="{html.escape(v)}"' if v is not None else f" {k}" for k, v in attrs)
    return f"<{heading.level}{parts}>"


def toc_html(entries: list[tuple[str, str, str]], title: str) -> str:
    """The ``<nav>`` for ``(level, id, text)`` entries."""
    items = "\n".join(
        f'<li class="toc-{level}"><a href="#{html.escape(anchor)}">{html.escape(text)}</a></li>'
        for level, anchor, text in entries)
    return (f'<nav id="toc" class="toc" aria-labelledby="toc-title">\n'
            f'<p class="toc-title" id="toc-title">{html.escape(title)}</p>\n'
            f'<ol class="toc-list">\n{items}\n</ol>\n</nav>')


def add_toc(page: str, title: str) -> str:
    """Return ``page`` with ids on its h1/h2 headings and a TOC listing them.

    Parameters
    ----------
    page : str
        A whole HTML document (nbconvert's output).
    title : str
        The TOC's heading, e.g. "Mục lục".
    """
    scanner = _Scanner(page)
    scanner.feed(page)
    scanner.close()
    taken = set(scanner.ids)
    edits: list[tuple[int, int, str]] = []
    entries: list[tuple[str, str, str]] = []
    for heading in scanner.headings:
        if SKIP_CLASS in heading.classes or heading.in_header or not heading.text:
            continue
        old = dict(heading.attrs).get("id")
        new = unquote(old) if old else _slug(heading.text, taken)
        if any(new == anchor for _, anchor, _ in entries):   # two headings, one id
            new = _slug(heading.text, taken)
        if new != old:
            taken.add(new)
            edits.append((heading.start, heading.end, _start_tag(heading, new)))
        entries.append((heading.level, new, heading.text))
    nav = toc_html(entries, title) if entries else ""    # no headings, no empty "Mục lục"
    if len(scanner.nav) == 2:
        edits.append((scanner.nav[0], scanner.nav[1], nav))
    elif nav:
        at = scanner.top or 0
        edits.append((at, at, "\n" + nav))
    pieces, done = [], 0
    for start, end, text in sorted(edits):
        pieces += [page[done:start], text]
        done = end
    return "".join(pieces) + page[done:]
