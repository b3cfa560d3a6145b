"""``--select PATTERN``: which of a batch's reviews to render, as dbt's ``--select`` picks models.

A pattern is a shell-style glob (``*``, ``?``, ``[...]``) matched, without regard to case, against a
review's id (``ct20-2016-2022-4*``), its area's code (``45*``) and its area's name as the catalog
writes it (``Huyện Cam Lộ``), without its prefix (``Cam Lộ``) or in English (``Cam Lộ district``).
Several patterns select every review any of them matches; a pattern that matches none is an error,
since it is most likely a typo.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

from evaltools.core.errors import EvaltoolsError, did_you_mean
from evaltools.model import units as unitlib
from evaltools.model import vocabulary


def place(name: str) -> str:
    """A unit's name without its written prefix: "Huyện Cam Lộ" → "Cam Lộ"."""
    prefix = next((p for p in vocabulary.unit_prefixes() if name.startswith(p)), "")
    return name.removeprefix(prefix)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


def area_names(units: pd.DataFrame, code: str, as_of: int) -> list[str]:
    """The names a pattern may give for the area ``code`` (none for a code the catalog lacks)."""
    rows = unitlib.current_rows(units, as_of)
    if code not in rows.index:
        return []
    name = str(rows.at[code, "name_vi"])
    return [name, place(name), unitlib.english_name(name)]


def matched(patterns: Sequence[str], review_id: str, area: str, names: Iterable[str]) -> list[str]:
    """The patterns that select the review ``review_id`` of ``area`` (known by ``names``)."""
    keys = [_fold(k) for k in (review_id, area, *names)]
    return [p for p in patterns if any(fnmatch.fnmatchcase(k, _fold(p)) for k in keys)]


def refuse_unmatched(patterns: Sequence[str], used: set[str], candidates: Sequence[str]) -> None:
    """Raise for the first pattern that selected no review, naming it and the closest review ids."""
    for pattern in patterns:
        if pattern not in used:
            raise EvaltoolsError(f"--select {pattern!r}: matches none of the {len(candidates)} "
                                 f"review{'s' if len(candidates) != 1 else ''} (by id, area code or area name)"
                                 f"{did_you_mean(pattern, candidates)}")
