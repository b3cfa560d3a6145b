"""A programme notebook's headings: each Vietnamese heading cell has its English twin (and back)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("vi", "en")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)", re.M)


@dataclass(frozen=True)
class LoneHeading:
    """A heading cell of one language whose twin in the other is missing (the other copy loses a section)."""

    cell: int           # 1-based, as JupyterLab counts cells
    lang: str           # the language the cell is tagged with
    heading: str        # its first heading line, as written

    @property
    def missing(self) -> str:
        return LANGS[1 - LANGS.index(self.lang)]

    def __str__(self) -> str:
        return (f"cell {self.cell}: heading '{self.heading}' (tagged {self.lang}) has no {self.missing} twin; "
                f"add a Markdown cell tagged {self.missing} with the same heading levels next to it")


def lone_headings(nb) -> list[LoneHeading]:
    """The Markdown heading cells tagged ``vi`` or ``en`` without a twin: the next heading cell, tagged with
    the other language and with the same heading levels (prose may stand between them)."""
    cells = []
    for number, cell in enumerate(nb.cells, 1):
        tags = set(cell.metadata.get("tags", []))
        found = _HEADING.findall(cell.source) if cell.cell_type == "markdown" else []
        langs = tags & set(LANGS)
        if found and len(langs) == 1 and "remove-cell" not in tags:
            cells.append((number, langs.pop(), [len(h) for h, _ in found], f"{found[0][0]} {found[0][1]}"))
    lone, i = [], 0
    while i < len(cells):
        pair = cells[i:i + 2]
        if len(pair) == 2 and pair[0][1] != pair[1][1] and pair[0][2] == pair[1][2]:
            i += 2
            continue
        lone.append(LoneHeading(pair[0][0], pair[0][1], pair[0][3]))
        i += 1
    return lone
