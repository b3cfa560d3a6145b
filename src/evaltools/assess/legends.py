"""Legends: value bands with no gaps or overlaps, for reading an indicator's value."""

from __future__ import annotations

import bisect
from pathlib import Path

import pandas as pd

from evaltools.core.errors import InputError, Problem, display_path
from evaltools.core.schema import Field, parse_records
from evaltools.core.yamlio import load_yaml

BAND_FIELDS = (Field("name", "i18n"), Field("from", "number"), Field("to", "number"))


def check_bands(bands: pd.DataFrame, file: str, indicator: str) -> list[Problem]:
    """Problems when bands leave a gap, overlap, or run backwards."""
    problems = []
    for _, row in bands.iterrows():
        if row["to"] <= row["from"]:
            problems.append(Problem(file, row["line"], "to", f"{indicator}: band ends before it starts"))
    ordered = bands.sort_values("from")
    for (_, a), (_, b) in zip(ordered.iterrows(), ordered.iloc[1:].iterrows()):
        if a["to"] < b["from"]:
            problems.append(Problem(file, b["line"], "from", f"{indicator}: gap between {a['to']} and {b['from']}"))
        elif a["to"] > b["from"]:
            problems.append(Problem(file, b["line"], "from", f"{indicator}: overlaps the band ending at {a['to']}"))
    return problems


def load_legends(path: str | Path) -> dict[str, pd.DataFrame]:
    """Legends per indicator code, each a DataFrame of bands (name_vi, name_en, from, to) in order.

    Raises
    ------
    InputError
        For bad entries, gaps and overlaps, all at once.
    """
    name = display_path(path)
    raw = load_yaml(path)
    problems: list[Problem] = []
    out = {}
    for entry in (raw or {}).get("legends", []):
        bands, found = parse_records(entry.get("bands"), BAND_FIELDS, name, "bands")
        problems += found
        if found:
            continue
        problems += check_bands(bands, name, entry.get("indicator", "?"))
        bands = bands.assign(name_vi=[n["vi"] for n in bands["name"]], name_en=[n["en"] for n in bands["name"]])
        out[entry.get("indicator")] = bands.drop(columns="name").sort_values("from").reset_index(drop=True)
    if problems:
        raise InputError(problems)
    return out


def classify(value: float, bands: pd.DataFrame, lang: str = "vi") -> str | None:
    """The name of the band ``value`` falls in (the last band includes its upper end), or None."""
    if value != value:
        return None
    starts = list(bands["from"])
    i = bisect.bisect_right(starts, value) - 1
    if i < 0:
        return None
    band = bands.iloc[i]
    inside = value < band["to"] or (i == len(bands) - 1 and value == band["to"])
    return band[f"name_{lang}"] if inside else None
