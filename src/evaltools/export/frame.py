"""Export preprocessors that shape a notebook into a report: its language's cells, its official frame.

- :class:`LanguageCells` keeps the cells of the report's language: a cell tagged ``vi``
  shows only in the Vietnamese report, ``en`` only in the English one, an untagged
  cell in both.
- :class:`DocumentFrame` takes the frame a notebook displayed with
  :func:`evaltools.report.document` (masthead, title, signature, recipients: data, not
  markup) into the notebook's metadata and places the frame's parts as marker cells
  that the template lays out: the masthead first; the closing (signature and
  recipients) after the last section, before the first cell tagged ``appendix``; and
  before each appendix a page break, then the decree's order: "Phụ lục I", its title, and
  the report it is attached to. The title is in the heading cell or, when it is computed,
  in the next cell, tagged ``appendix-title``.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_raw_cell

from evaltools.core import mime

LANGUAGE_TAGS = frozenset({"vi", "en"})
APPENDIX_TAG = "appendix"
APPENDIX_TITLE_TAG = "appendix-title"


class LanguageCells(Preprocessor):
    """Drop the cells tagged with a language other than ``resources['evaltools']['lang']``."""

    def preprocess(self, nb, resources):
        lang = resources.get("evaltools", {}).get("lang", "vi")
        nb.cells = [c for c in nb.cells
                    if not (LANGUAGE_TAGS & set(c.metadata.get("tags", [])) - {lang})]
        return nb, resources


def _marker(part: str):
    cell = new_raw_cell("")
    cell.metadata["evaltools"] = {"frame": part}
    return cell


def _take_frame(nb) -> dict | None:
    """Remove the frame's output(s) from the cells; the last one displayed wins."""
    found = None
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if mime.FRAME in data:
                found = dict(data[mime.FRAME])
            else:
                kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    return found


class DocumentFrame(Preprocessor):
    """Move the displayed frame into ``metadata.evaltools.document`` and place its parts."""

    def preprocess(self, nb, resources):
        frame = _take_frame(nb)
        if frame is None:
            frame = nb.metadata.get("evaltools", {}).get("document")
        if frame is None:
            return nb, resources
        nb.metadata.setdefault("evaltools", {})["document"] = frame
        cells, closed, note_due = [_marker("masthead")], False, False
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            titled = note_due and APPENDIX_TITLE_TAG in tags     # the appendix's computed title
            if note_due and not titled:
                cells.append(_marker("appendix-note"))
            if APPENDIX_TAG in tags:
                if not closed:
                    cells.append(_marker("closing"))
                    closed = True
                cells.append(_marker("appendix"))
            cells.append(cell)
            if titled:
                cells.append(_marker("appendix-note"))
            note_due = APPENDIX_TAG in tags
        if note_due:
            cells.append(_marker("appendix-note"))
        if not closed:
            cells.append(_marker("closing"))
        nb.cells = cells
        return nb, resources
