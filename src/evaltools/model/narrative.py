"""The analyst's narrative: a Markdown file whose headings carry keys, ``## Title {#key}``.

The programme lists the keys its notebook places (``narrative:`` in programme.yaml)
and which of them it drafts from the figures (``drafted:``): for those, ``{#key}``
replaces the draft and ``{#key+}`` adds the analyst's text after it. Text before the
first keyed heading is ignored, and so is everything inside ``<!-- -->`` (notes to
oneself, last period's text to revise). Raw HTML in the file is shown as text, never
run. A part the file leaves empty shows a visible placeholder in a draft report
(``evaltools run --final`` refuses it); a review without a narrative file omits the parts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaltools.core import mime
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.mdscan import blank_comments, heading_key
from evaltools.model.texts import Prose, Texts
from evaltools.core.limits import read_markdown




def parse(text: str, keys: Sequence[str], name: str = "narrative") -> dict[str, str]:
    """Split the Markdown into its keyed parts (heading lines removed).

    Raises
    ------
    EvaltoolsError
        For a key the programme does not list, or a repeated key, naming the line.
    """
    parts: dict[str, list[str]] = {}
    current = None
    text = blank_comments(unicodedata.normalize("NFC", text))       # linear time, whatever the text
    for number, line in enumerate(text.splitlines(), 1):
        key = heading_key(line)
        if key:
            current = key
            if current not in keys:
                raise EvaltoolsError(f"{name}:{number}: unknown section key {{#{current}}}; "
                                     f"expected one of {', '.join(keys)}")
            if current in parts or current.rstrip("+") in parts or current + "+" in parts:
                raise EvaltoolsError(f"{name}:{number}: section {{#{current}}} appears twice")
            parts[current] = []
        elif current is not None:
            parts[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in parts.items()}


def read(path: Path, keys: Sequence[str]) -> dict[str, str]:
    """Read (bounded: :func:`evaltools.core.limits.read_markdown`) and parse a narrative file."""
    if not path.exists() and not path.is_symlink():
        raise EvaltoolsError(f"{display_path(path)}: narrative file not found")
    return parse(read_markdown(path), keys, display_path(path))


def _inert(markdown: str) -> str:
    """Markdown whose raw HTML shows as text: ``<script>`` reads as typed, never runs."""
    return markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Placeholder(Prose):
    """A visible note that a part of the narrative is still to be written (a draft's mark)."""

    part = ""

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/markdown": f"*{self}*", mime.PLACEHOLDER: {"placeholder": True, "part": self.part},
                "text/plain": str(self)}


@dataclass
class Narrative:
    """The narrative parts of one review in one language; ``notes["<part>"]`` shows a part."""

    parts: dict[str, str]
    texts: Texts
    file: Path | None = None
    keys: tuple[str, ...] = ()
    shown: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Prose:
        """The analyst's text for ``key``, or a placeholder naming the file to write it in; nothing when
        the review has no narrative file (a report of figures only)."""
        if key not in self.keys:
            raise EvaltoolsError(f"narrative part {key!r} is not one of the programme's: {', '.join(self.keys)}")
        self.shown.append(key)
        if self.parts.get(key):
            return Prose(_inert(self.parts[key]))
        if self.file is None:
            return Prose("")
        file = self.file.name
        note = Placeholder(self.texts("narrative.missing", file=file))
        note.part = key
        return note

    def closing(self, key: str) -> Prose:
        """The last part of the body, ending with the office's closing mark ("./." in Vietnamese,
        ``words.closing`` of the texts; none in English)."""
        part = self[key]
        mark = self.texts.label("words.closing")
        if isinstance(part, Placeholder) or not mark or part.rstrip().endswith(mark):
            return part
        body = part.rstrip()
        return Prose(f"{body.removesuffix('.')}{mark}")

    def drafted(self, key: str, sentences: Sequence[str]) -> Prose:
        """The drafted sentences as a list, replaced by the analyst's ``{#key}`` or followed by ``{#key+}``."""
        if self.parts.get(key) or not (sentences or self.parts.get(f"{key}+")):
            return self[key]
        extra = self.parts.get(f"{key}+")
        draft = Prose.bullets(sentences)
        return Prose.paragraphs([draft, _inert(extra)] if extra else [draft])


def load_narrative(path: Path | None, programme, texts: Texts) -> Narrative:
    """The narrative of ``path``, whose parts are the ``programme``'s (and ``key+`` for its drafted ones).

    A review without a narrative file (``path`` None) shows its figures only: no part, no placeholder.
    """
    parts = read(path, programme.narrative_keys) if path is not None else {}
    return Narrative(parts, texts, path, programme.narrative)
