"""Checks of a review's narrative files: keys the programme knows, and text written for this period.

- A heading key the programme does not list (``{#generall}``) is a high finding with its
  file and line: found by ``validate`` before any notebook runs.
- A part word for word the same as the predecessor review's is a medium finding: last
  period's text signed again as this period's (``evaltools run --final`` refuses it).
"""

from __future__ import annotations

import re

import pandas as pd

from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.model.narrative import parse
from evaltools.project.review import Review, load_review
from evaltools.model.texts import check_name

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)


def _finding(code: str, importance: str, message: str, file: str, line: int | None = None) -> dict:
    vi, en = check_name(code)
    return {"importance": importance, "kind": "narrative", "rule": code, "rule_name_vi": vi, "rule_name_en": en,
            "message": message, "file": file, "line": line}


def _parts(path, keys) -> tuple[dict[str, str], dict | None]:
    """The file's parts, or a finding naming the line that breaks it."""
    try:
        return parse(path.read_text(encoding="utf-8-sig"), keys, display_path(path)), None
    except (OSError, UnicodeDecodeError):
        return {}, None                              # rendering says it, with the file's name
    except EvaltoolsError as exc:
        found = _LINE.match(str(exc))
        if found is None:
            return {}, _finding("NARRATIVE_KEY", "high", str(exc), display_path(path))
        return {}, _finding("NARRATIVE_KEY", "high", found["message"], found["file"], int(found["line"]))


def check_narrative(review: Review, programme) -> pd.DataFrame:
    """Partial findings (kind ``narrative``) of every narrative file of ``review`` (none without a programme)."""
    if programme is None or not review.narrative:
        return pd.DataFrame()
    keys = programme.narrative_keys
    previous = load_review(review.predecessor) if review.predecessor and review.predecessor.exists() else None
    rows = []
    for lang, path in sorted(review.narrative.items()):
        if not path.is_file():
            continue
        parts, broken = _parts(path, keys)
        if broken:
            rows.append(broken)
            continue
        old_path = (previous.narrative or {}).get(lang) if previous else None
        old = _parts(old_path, keys)[0] if old_path is not None and old_path.is_file() else {}
        for key, text in parts.items():
            if text and old.get(key) == text:
                rows.append(_finding("NARRATIVE_COPIED", "medium",
                                     f"{{#{key}}} is word for word the previous review's ({display_path(old_path)}); "
                                     "write this period's text", display_path(path)))
    return pd.DataFrame(rows)
