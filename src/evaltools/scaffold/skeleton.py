"""The narrative skeleton of a new review: every keyed heading, last period's text in comments.

The report never shows what is inside ``<!-- -->`` (see
:mod:`evaltools.model.narrative`), so a skeleton renders as it stands: each part the
analyst has not written yet reads "no text yet", and the drafted parts
(``{#key+}``) keep their draft.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from evaltools.core.mdscan import blank_comments, heading_key
from evaltools.model.texts import package_entry
from evaltools.scaffold.periods import span


def _w(key: str, lang: str) -> str:
    """A word of the skeleton in ``lang``, from ``skeleton.<key>`` of the package's texts.yaml."""
    return package_entry(f"skeleton.{key}")[lang]


def sections(markdown: str) -> list[tuple[str, str, str]]:
    """(heading line, key with its ``+``, text) of each keyed part, comments removed, in file order."""
    clean = blank_comments(unicodedata.normalize("NFC", markdown), keep_lines=False)
    out: list[list[str]] = []
    for line in clean.splitlines():
        key = heading_key(line)
        if key:
            out.append([line.rstrip(), key, ""])
        elif out:
            out[-1][2] += line + "\n"
    return [(h, k, t.strip()) for h, k, t in out]


def _comment(text: str) -> str:
    # "-->" inside the old text would end the comment early.
    return text.replace("-->", "-- >")


def skeleton(markdown: str, lang: str, titles: dict[str, str], drafted: tuple[str, ...] = (), *, title: str,
             new: tuple[int, int], old: tuple[int, int], source: str, today: dt.date) -> str:
    """The new narrative file for ``lang``.

    Parameters
    ----------
    markdown : str
        Last period's narrative file.
    titles : dict
        The programme's narrative parts (in order) with their heading titles, for the keys
        the old file lacks.
    drafted : tuple of str
        The parts the notebook drafts from the figures: a new heading extends the draft (``+``).
    title, new, old, source, today
        The new review's title, its years, the old review's years, the old file's name and
        the date, for the note at the top.
    """
    intro = _w("intro", lang).format(title=title, period=span(*new), old=span(*old), source=source,
                               today=f"{today:%d/%m/%Y}")
    parts = [f"<!--\n{_comment(intro)}\n-->"]
    found = sections(markdown)
    seen = {key.rstrip("+") for _, key, _ in found}
    missing = [(f"## {titles[k]} {{#{k}{'+' if k in drafted else ''}}}", k, "") for k in titles if k not in seen]
    for heading, _, text in [*found, *missing]:
        body = f"{_w('last_text', lang).format(old=span(*old))}\n\n{_comment(text)}" if text else _w("new_part", lang)
        parts.append(f"{heading}\n\n<!-- {body}\n-->")
    return "\n\n".join(parts) + "\n"
