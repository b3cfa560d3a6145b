"""HTML building blocks of the report: escaped text, headings, tables, figures.

Every text that comes from data (unit names, labels) goes through :func:`text`;
narrative Markdown is rendered with raw HTML escaped (see narrative.py). The
export step sanitises all outputs once more.
"""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def text(value: object) -> str:
    """Escape a text for HTML, NFC-normalised."""
    return html.escape(unicodedata.normalize("NFC", str(value)))


def slug(title: str) -> str:
    """An ASCII id for a heading (``II. KẾT QUẢ`` → ``ii-ket-qua``)."""
    plain = unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "section"


def heading(title: str, level: int = 2) -> str:
    """A heading with an id, so the table of contents can link to it."""
    return f'<h{level} id="{slug(title)}">{text(title)}</h{level}>'


def paragraph(sentence: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{text(sentence)}</p>"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1,
          caption: str | None = None, css: str = "figures") -> str:
    """A table of already formatted cells; columns from ``numeric_from`` on are right-aligned."""
    head = "".join(f'<th class="{"num" if i >= numeric_from else "label"}">{text(h)}</th>'
                   for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td class="{"num" if i >= numeric_from else "label"}">{text(c)}</td>'
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    cap = f"<caption>{text(caption)}</caption>" if caption else ""
    return f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def figure(png: bytes, caption: str) -> str:
    """An embedded PNG chart with its caption."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{text(caption)}"/>'
            f"<figcaption>{text(caption)}</figcaption></figure>")


@dataclass
class Section:
    """One part of the report: HTML fragments shown in order as a single output."""

    parts: list[str] = field(default_factory=list)

    def add(self, *fragments: str) -> Section:
        """Append fragments; returns self so calls chain."""
        self.parts.extend(f for f in fragments if f)
        return self

    def html(self) -> str:
        """The section as one HTML string."""
        return "\n".join(self.parts)

    def _repr_html_(self) -> str:
        return self.html()
