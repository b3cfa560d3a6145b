"""Input vocabulary: the Vietnamese words evaltools reads, kept in ``resources/vocabulary.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from evaltools.core.yamlio import load_yaml


@cache
def vocabulary() -> dict[str, Any]:
    """The package's vocabulary file, read once."""
    return load_yaml(Path(str(resources.files("evaltools") / "resources" / "vocabulary.yaml")))


@cache
def formats() -> dict[str, Any]:
    """The words vnformat writes around figures (``resources/formats.yaml``), read once."""
    return load_yaml(Path(str(resources.files("evaltools") / "resources" / "formats.yaml")))


def unit_prefixes() -> tuple[str, ...]:
    """Written prefixes of unit names, each followed by a space ("Huyện "), longer before shorter."""
    return tuple(f"{kind['name']} " for kind in vocabulary()["unit_kinds"])


def unit_english() -> tuple[tuple[str, str], ...]:
    """(written prefix with its space, English word for the kind) of every unit kind."""
    return tuple((f"{kind['name']} ", kind["en"]) for kind in vocabulary()["unit_kinds"])


def unit_kind_spellings() -> tuple[tuple[str, str], ...]:
    """(lower-case spelling a return may write, the kind it names in lower case), full words first."""
    kinds = vocabulary()["unit_kinds"]
    full = [(k["name"].casefold(), k["name"].casefold()) for k in kinds]
    short = [(a, k["name"].casefold()) for k in kinds for a in k.get("abbreviations", [])]
    return tuple(full + short)


def total_words() -> tuple[str, ...]:
    """Words a return writes in a total row instead of a unit's name."""
    return tuple(vocabulary()["total_words"])


def row_columns() -> dict[str, str]:
    """Header of each row column of a return (UNIT, UNIT_NAME, PERIOD, COMMENT)."""
    return dict(vocabulary()["row_columns"])


def word(key: str) -> str:
    """A single word of the vocabulary (``help_sheet``, ``years_word``)."""
    return str(vocabulary()[key])


def year_labels() -> tuple[str, ...]:
    """Labels of the cell that precedes a return's year."""
    return tuple(vocabulary()["year_labels"])
