"""The analyst's narrative: a Markdown file whose headings carry keys, ``## Title {#key}``.

The report places each keyed part where it belongs (``general``, ``dissemination``,
``awareness``, ``documents``, ``outcomes``, ``achievements``, ``shortcomings``,
``tasks``, ``solutions``, ``recommendations``). Text before the first keyed heading
is ignored, and so is everything inside ``<!-- -->`` (notes to oneself, last
period's text to revise). For the parts evaluate drafts
(``achievements``, ``shortcomings``), ``{#key}`` replaces the draft and ``{#key+}``
adds the analyst's text after it. Raw HTML in the file is shown as text,
never run: the Markdown renderer escapes it and refuses ``javascript:`` links.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import EvaltoolsError, display_path
from ..mdscan import blank_comments, heading_key

KEYS = ("general", "dissemination", "awareness", "documents", "outcomes", "achievements",
        "shortcomings", "tasks", "solutions", "recommendations")
def parse(text: str, name: str = "narrative") -> dict[str, str]:
    """Split the Markdown into its keyed parts (heading lines removed).

    Raises
    ------
    EvaltoolsError
        For an unknown or repeated key, naming the line.
    """
    parts: dict[str, list[str]] = {}
    current = None
    text = blank_comments(unicodedata.normalize("NFC", text))
    for number, line in enumerate(text.splitlines(), 1):
        key = heading_key(line)
        if key:
            current = key
            if current.rstrip("+") not in KEYS:
                raise EvaltoolsError(f"{name}:{number}: unknown section key {{#{current}}}; "
                                     f"expected one of {', '.join(KEYS)}")
            if current in parts or current.rstrip("+") in parts or current + "+" in parts:
                raise EvaltoolsError(f"{name}:{number}: section {{#{current}}} appears twice")
            parts[current] = []
        elif current is not None:
            parts[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in parts.items()}


def load(path: Path | None) -> dict[str, str]:
    """Read a narrative file; an absent path gives no parts."""
    if path is None:
        return {}
    from ..limits import read_markdown

    if not path.exists():
        raise EvaltoolsError(f"{display_path(path)}: narrative file not found")
    return parse(read_markdown(path), display_path(path))


def to_html(markdown: str) -> str:
    """Render Markdown with raw HTML escaped and harmful links neutralised."""
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    return render(markdown)
