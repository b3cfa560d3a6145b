"""Scanning a narrative's Markdown in linear time: keyed headings and ``<!-- -->`` comments.

The obvious regular expressions are not linear: ``^#{1,6}\\s+(.*?)\\s*\\{#key\\}\\s*$``
takes minutes on a heading line of a few thousand spaces, and ``<!--.*?-->`` is
quadratic in a text of many unclosed ``<!--``. These functions give the same answers
in one pass, whatever the text (a narrative is bounded too: :func:`evaltools.core.limits.read_markdown`).
"""

from __future__ import annotations

import re

_HEADING_START = re.compile(r"#{1,6}\s")
_KEY = re.compile(r"[A-Za-z0-9_]+\+?")


def heading_key(line: str) -> str | None:
    """The key of a heading line ``## Title {#key}`` (with its ``+``), or None."""
    if not _HEADING_START.match(line):
        return None
    body = line.rstrip()
    start = body.rfind("{#")
    if not body.endswith("}") or start < 0 or not _KEY.fullmatch(body, start + 2, len(body) - 1):
        return None
    return body[start + 2:-1]


def blank_comments(text: str, keep_lines: bool = True) -> str:
    """``text`` without its ``<!-- -->`` comments; ``keep_lines`` leaves their line breaks (line numbers hold)."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        out.append(text[pos:start])
        if keep_lines:
            out.append("\n" * text.count("\n", start, end))
        pos = end + 3
    return "".join(out) + text[pos:]
