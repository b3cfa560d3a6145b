"""What ``evaltools run`` shows on stderr while it works: one line per section of the report as its cells finish.

The sections are the report notebook's top-level Markdown headings in the report's
language (cells tagged with another language, or ``remove-cell``, are not in the report;
the cells before the first heading are "start"). The lines come from nbclient's own cell
hooks (``on_cell_start``, ``on_cell_executed``), which Papermill calls as it executes each
cell: nothing is estimated or faked.

On a terminal one line is redrawn in place (a bar of the cells done and the section
running); elsewhere (a log, CI) each finished section prints one plain line. ``--quiet``
shows nothing; ``--log-level DEBUG`` adds a line per cell.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from evaltools.core.schema import LANGUAGES

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
BAR = 24
START = "start"
_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*$", re.M)


class Reporter:
    """Where progress goes: stderr, drawn in place on a terminal, plain lines elsewhere.

    Parameters
    ----------
    stream : text stream, optional
        Default: stderr.
    level : {"DEBUG", "INFO", "WARNING", "ERROR"}
        Lines below this level are not shown (progress is INFO, a line per cell DEBUG).
    tty : bool, optional
        Draw in place (default: whether ``stream`` is a terminal).
    """

    def __init__(self, stream: TextIO | None = None, level: str = "INFO", tty: bool | None = None):
        self.stream = stream or sys.stderr
        self.level = LEVELS.index(level.upper())
        self.tty = self.stream.isatty() if tty is None else tty
        self.started = time.perf_counter()
        self.drawn = False

    def shows(self, level: str) -> bool:
        """Whether lines of ``level`` are shown."""
        return LEVELS.index(level) >= self.level

    def line(self, text: str, level: str = "INFO") -> None:
        """A line that stays (a finished section, a stage), stamped with the seconds since the start."""
        if self.shows(level):
            clear = "\r\x1b[K" if self.drawn else ""
            self._write(f"{clear}[{time.perf_counter() - self.started:6.1f} s] {text}\n")
            self.drawn = False

    def bar(self, done: int, total: int, label: str) -> None:
        """On a terminal, redraw ``[#####.....] 12/51  label``; elsewhere nothing."""
        if not (self.tty and self.shows("INFO")):
            return
        filled = int(round(BAR * done / total)) if total else BAR
        self._draw(f"[{'#' * filled}{'.' * (BAR - filled)}] {done:>{len(str(total))}}/{total}  {label}")

    def status(self, label: str) -> None:
        """On a terminal, redraw the line as ``label…`` (a step without cells); elsewhere nothing."""
        if self.tty and self.shows("INFO"):
            self._draw(f"{label}…")

    def close(self) -> None:
        """Clear the line drawn in place."""
        if self.drawn:
            self._write("\r\x1b[K")
            self.drawn = False

    def _draw(self, text: str) -> None:
        """Redraw the line in place, cut to the terminal's width (a wrapped line could not be redrawn)."""
        width = shutil.get_terminal_size().columns - 1
        self._write("\r\x1b[K" + (text if len(text) <= width else text[:width - 1] + "…"))
        self.drawn = True

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def cells(n: int) -> str:
    """``1 cell``, ``2 cells``."""
    return f"{n} cell{'s' if n != 1 else ''}"


@dataclass
class Section:
    """A top-level heading of the report and its code cells."""

    title: str
    cells: int = 0
    done: int = 0
    started: float | None = None


def outline(nb, lang: str) -> tuple[list[Section], dict[str, int]]:
    """The report's sections in order, and the section of each code cell (by cell id).

    Headings count only where the report shows them; every code cell with code runs, so counts.
    """
    hidden = {"remove-cell"} | set(LANGUAGES) - {lang}
    shown = {i for i, c in enumerate(nb.cells)
             if c.cell_type == "markdown" and not set(c.metadata.get("tags", [])) & hidden}
    top = min((len(m.group(1)) for i in shown for m in _HEADING.finditer(nb.cells[i].source)), default=1)
    sections, of_cell = [Section(START)], {}
    for i, cell in enumerate(nb.cells):
        heading = next((m for m in _HEADING.finditer(cell.source) if len(m.group(1)) == top), None) \
            if i in shown else None
        if heading:
            sections.append(Section(heading.group(2)))
        elif cell.cell_type == "code" and cell.source.strip() and cell.get("id"):
            of_cell[cell.id] = len(sections) - 1
            sections[-1].cells += 1
    if not sections[0].cells:               # nothing runs before the first heading
        return sections[1:], {k: v - 1 for k, v in of_cell.items()}
    return sections, of_cell


@dataclass
class Watch:
    """Follows one notebook as nbclient executes it: the section and cell running, the cells done.

    ``hooks()`` are nbclient's cell callbacks (Papermill passes them on); ``where()``
    names the cell running, for a timeout's message.
    """

    notebook: Path
    lang: str
    name: str
    reporter: Reporter | None = None
    sections: list[Section] = field(default_factory=list)
    current: tuple[int, int] | None = None      # (cell number in the committed notebook, section index)

    def __post_init__(self) -> None:
        import nbformat

        nb = nbformat.read(self.notebook, as_version=4)
        self._number = {c.get("id"): n for n, c in enumerate(nb.cells, 1) if c.get("id")}
        self.sections, self._of_cell = outline(nb, self.lang)
        self.total = sum(s.cells for s in self.sections)
        self.done, self._open = 0, None

    def begin(self, what: str) -> None:
        """Say what is about to run: the notebook, its sections and cells."""
        if self.reporter:
            self.reporter.line(f"{self.name}: {what}; executing {self.notebook.name}: {len(self.sections)} sections, "
                               f"{cells(self.total)}")
            self.reporter.bar(0, self.total, f"{self.name}: starting the kernel")

    def hooks(self) -> dict:
        """nbclient's ``on_cell_start`` and ``on_cell_executed`` for this watch."""
        return {"on_cell_start": self._start, "on_cell_executed": self._executed}

    def _start(self, cell, cell_index: int, **_) -> None:
        index = self._of_cell.get(cell.get("id"))
        if index is None:
            return
        self.current = (self._number[cell.id], index)
        if index != self._open:
            self._finish_section()
            self._open = index
            self.sections[index].started = time.perf_counter()
        self._draw()

    def _executed(self, cell, cell_index: int, **_) -> None:
        index = self._of_cell.get(cell.get("id"))
        if index is None:
            return
        self.done += 1
        self.sections[index].done += 1
        if self.reporter:
            self.reporter.line(f"{self.name}: cell {self._number[cell.id]} done ({self.sections[index].title})",
                               "DEBUG")
        self._draw()

    def _draw(self) -> None:
        if self.reporter and self._open is not None:
            self.reporter.bar(self.done, self.total, f"{self.name}: {self.sections[self._open].title}")

    def _finish_section(self) -> None:
        if self._open is None or self.reporter is None:
            return
        section = self.sections[self._open]
        took = time.perf_counter() - (section.started or time.perf_counter())
        self.reporter.line(f"{self.name}: [{self._open + 1}/{len(self.sections)}] {section.title} "
                           f"({cells(section.done)}, {took:.1f} s)")

    def finish(self) -> None:
        """The last section is done."""
        self._finish_section()
        self._open = None

    def where(self) -> tuple[int | None, str | None]:
        """The cell running (as numbered in the committed notebook) and its section's title."""
        if self.current is None:
            return None, None
        number, index = self.current
        return number, self.sections[index].title
