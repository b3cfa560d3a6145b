"""No line break inside a name, a document's number or a figure with its unit, in the signed copies.

The words come from ``templates/evaltools/nobreak.yaml``; document numbers ("06/QĐ-TTg",
"34/2014/QĐ-TTg", "20-CT/TW") are found by pattern. Each match is wrapped in
``<span class="nobr">``, which the CSS sets ``white-space: nowrap`` and the Word writer writes with
non-breaking hyphens: the text itself is unchanged (no no-break space a search would miss). The HTML
copy reflows to any screen and is left as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from evaltools.export.html import templates_dir

# A document's number: digits, then "/" or "-" and more parts, one of them with capitals (QĐ-TTg, CT/TW).
_NUMBER = r"\d+(?:[/-][\w.]+)*[/-](?:[\w.]*[^\W\d_a-z][\w.]*)(?:[/-][\w.]+)*"
_FIGURE = r"\d[\d.,]*"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_SKIP = ("script", "style", "title", "svg")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    words = yaml.safe_load((templates_dir() / "evaltools" / "nobreak.yaml").read_text(encoding="utf-8"))
    alt = lambda items: "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))  # noqa: E731
    parts = [
        rf"(?:\b(?:{alt(words['before_numbers'])})\s+)?{_NUMBER}",          # QĐ 06/QĐ-TTg, số 45/BC-LĐTBXH
        rf"{_FIGURE}\s?(?:{alt(words['units'])})(?!\w)",                     # 2,62 ‰, 3.667.005.000 đồng
        rf"\b(?:{alt(words['names'])})(?!\w)",                              # Bộ Chính trị
        r"[^\W\d_]+(?:/[^\W\d_]+)+",                                         # a unit per unit: đồng/em/năm
    ]
    return re.compile(r"(?<![\w/-])(?:" + "|".join(parts) + ")")


def _wrap(text: str) -> str:
    def span(found: re.Match) -> str:
        words = found[0]
        return f'<span class="nobr">{words}</span>' if (" " in words or "/" in words or "-" in words) else words
    return _pattern().sub(span, text)


def keep_together(page: str) -> str:
    """``page`` with every name, document number and figure-with-unit of its body in a no-break span."""
    start = page.find("<body")
    if start < 0:
        return page
    out, skip = [page[:start]], None
    for piece in _TAG_OR_TEXT.split(page[start:]):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name[1].lower() if name else ""
            if skip is None and tag in _SKIP and not piece.startswith("</") and not piece.endswith("/>"):
                skip = tag
            elif skip == tag and piece.startswith("</"):
                skip = None
            out.append(piece)
        else:
            out.append(piece if skip else _wrap(piece))
    return "".join(out)
