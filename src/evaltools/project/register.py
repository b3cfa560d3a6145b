"""The register number of a final report ("Số: 45/BC-LĐTBXH"): set, and this report's alone.

An office numbers its reports in one register per year. A report is signed under a number
the register gave it: ``new-review`` leaves the number empty (the old one belongs to the
old report), a draft shows a placeholder, and a final report is refused without a number
or with one another review of the same office, area and year already carries.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, InputError, display_path
from evaltools.project.review import Review
from evaltools.core.yamlio import load_yaml

_YEAR = re.compile(r"\b(\d{4})\b")


def register_problem(review: Review) -> str:
    """Why ``review`` cannot be final under its number (one line naming both reviews); "" when it can."""
    here = f"{review.id} ({display_path(review.path)})"
    if not str(review.number or "").strip():
        return (f"{here}: no register number (number:); take the next number of the office's register for "
                f"{review.date.year} and write it in the config")
    mine = _key(review.number)
    office = (review.area, review.issuing_office.get("vi"), review.date.year)
    for path, raw in _siblings(review.path):
        if raw.get("id") == review.id or _key(raw.get("number")) != mine:
            continue
        if (str(raw.get("area")), (raw.get("issuing_office") or {}).get("vi"), _year(raw.get("date"))) == office:
            return (f"{here}: register number {review.number} is already used by {raw.get('id')} "
                    f"({display_path(path)}), same office and year {review.date.year}; take the next number "
                    "of the office's register")
    return ""


def _siblings(config: Path):
    """The other review configs beside ``config`` (hidden and unreadable files left out)."""
    for path in sorted(config.parent.glob("*.yaml")):
        # a pipe or a device is never read (it would block); hidden files are evaltools' own
        if path.name.startswith(".") or not path.is_file() or path.resolve() == config.resolve():
            continue
        try:
            raw = load_yaml(path)
        except (EvaltoolsError, InputError, OSError):
            continue
        if isinstance(raw, Mapping):
            yield path, raw


def _key(number: object) -> str:
    """A number as the register compares it: NFC, no spaces, case-blind (``45/bc-lđtbxh`` is 45/BC-LĐTBXH)."""
    return "".join(unicodedata.normalize("NFC", str(number or "")).split()).casefold()


def _year(value: object) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    found = _YEAR.search(str(value or ""))
    return int(found.group(1)) if found else None
