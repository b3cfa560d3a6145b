"""What a final report may not have: a part still to be written, a heading with nothing under it.

A review is final when its config says ``status: final`` or ``evaltools run --final``
asks for it. A draft renders whatever is there, marked "DỰ THẢO" on its first page; a
final report must be complete. These checks read the executed notebook as the report
of its language shows it (cells tagged with another language left out).
"""

from __future__ import annotations

import re

from evaltools.core import mime
from evaltools.export.frame import LANGUAGE_TAGS

_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*$")
_NOT_SHOWN = {mime.GLUE, mime.FRAME}


def _shows(output: dict) -> bool:
    """Whether a reader sees something of ``output``."""
    if output.get("output_type") == "stream":
        return output.get("name") == "stdout" and bool(str(output.get("text", "")).strip())
    data = output.get("data", {})
    if set(data) & _NOT_SHOWN:
        return False
    return any(str(data[m]).strip() for m in data if m.startswith(("text/html", "text/markdown", "image/")))


def _events(nb, lang: str) -> list[tuple]:
    """("h", level, title) for each heading and ("c",) for each piece of content, in page order."""
    events: list[tuple] = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if LANGUAGE_TAGS & tags - {lang} or tags & {"remove-cell", "parameters", "injected-parameters"}:
            continue
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                found = _HEADING.match(line)
                if found:
                    events.append(("h", len(found.group(1)), found.group(2)))
                elif line.strip():
                    events.append(("c",))
        elif cell.cell_type == "code":
            events += [("c",) for output in cell.get("outputs", []) if _shows(output)]
    return events


def empty_sections(nb, lang: str) -> list[str]:
    """Headings followed by nothing before the next heading of the same or a higher level."""
    events, empty = _events(nb, lang), []
    for i, event in enumerate(events):
        if event[0] != "h":
            continue
        after = next((e for e in events[i + 1:] if e[0] == "c" or e[1] <= event[1]), None)
        if after is None or after[0] == "h":
            empty.append(event[2])
    return empty


def placeholders(nb) -> list[str]:
    """The narrative parts a notebook showed as still to be written."""
    return [output["data"][mime.PLACEHOLDER].get("part", "")
            for cell in nb.cells for output in cell.get("outputs", []) if mime.PLACEHOLDER in output.get("data", {})]


def final_problems(nb, lang: str) -> list[str]:
    """Why the executed notebook is not a final report (nothing when it is)."""
    problems = [f"narrative part {{#{part}}} not written" for part in placeholders(nb)]
    problems += [f"nothing under the heading “{title}”" for title in empty_sections(nb, lang)]
    return problems
