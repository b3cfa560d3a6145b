"""Reading a PDF as a person (and a ruler) would: its text with pdftotext, its words' boxes with -bbox."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def text(pdf: Path, *pages: str) -> str:
    """The text, laid out (NFC)."""
    done = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True, check=True)
    return unicodedata.normalize("NFC", done.stdout)


def flat(pdf: Path) -> str:
    """The text on one line: the spaces of justified lines and the line breaks squeezed."""
    return " ".join(text(pdf).split())


@dataclass(frozen=True)
class Word:
    page: int
    page_width: float
    page_height: float
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(pdf: Path) -> list[Word]:
    """Every word with its box, in points from the top left of its page."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    out, page, size = [], 0, (0.0, 0.0)
    for line in done.stdout.splitlines():
        if found := _PAGE.search(line):
            page, size = page + 1, (float(found[1]), float(found[2]))
        elif found := _WORD.search(line):
            out.append(Word(page, *size, *(float(found[i]) for i in range(1, 5)),
                            unicodedata.normalize("NFC", found[5])))
    return out
