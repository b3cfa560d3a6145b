"""The catalogs of an area's data model: org units, data elements, indicators.

Each catalog is a commented YAML file under ``<data>/catalog/``; :func:`load_catalog`
reads all three, checks every entry and cross-reference, and raises one
:class:`~evaltools.errors.InputError` listing every problem with file, line and key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import formula
from .errors import EvaltoolsError, InputError, Problem, display_path
from .schema import Field, duplicates, parse_records
from .yamlio import load_yaml

LEVELS = ("province", "district", "commune")
UNIT_CLASSES = ("standard", "disadvantaged", "ward")

UNIT_FIELDS = (
    Field("code", "code"),
    Field("name", "i18n"),
    Field("level", "choice", choices=LEVELS),
    Field("parent", "code", required=False),
    Field("valid_from", "date"),
    Field("valid_to", "date", required=False),
    Field("successor", "code", required=False),
    Field("class", "choice", required=False, choices=UNIT_CLASSES, default="standard"),
)
OPTION_FIELDS = (Field("code", "code", pattern=r"^[a-z0-9_]+$"), Field("name", "i18n"))
ELEMENT_FIELDS = (
    Field("code", "code", pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field("name", "i18n"),
    Field("unit", "i18n"),
    Field("value_type", "choice", choices=("integer", "number", "boolean", "amount")),
    Field("aggregation_time", "choice", choices=("sum", "last")),
    Field("aggregation_units", "choice", required=False, choices=("sum", "average"), default="sum"),
    Field("disaggregation", "code", required=False),
    Field("level", "choice", required=False, choices=("commune", "district"), default="commune"),
)
INDICATOR_FIELDS = (
    Field("code", "code", pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field("name", "i18n"),
    Field("numerator", "text"),
    Field("denominator", "text", required=False),
    Field("factor", "choice", required=False, choices=("1", "100", "1000"), default="1"),
    Field("direction", "choice", choices=("higher", "lower", "neutral")),
    Field("decimals", "int", required=False, default=0),
    Field("unit", "i18n", required=False),
    Field("disaggregate", "bool", required=False, default=False),
)
DEFAULT_OPTION = "default"


@dataclass(frozen=True)
class Catalog:
    """The three catalogs as DataFrames, plus the files they came from."""

    units: pd.DataFrame
    options: pd.DataFrame
    elements: pd.DataFrame
    indicators: pd.DataFrame
    files: tuple[Path, ...]

    def columns(self) -> list[str]:
        """Every data column key: ``ELEMENT`` and ``ELEMENT.option`` for each option."""
        keys = [formula.COMMUNE_COUNT]
        for code, disagg in self.elements["disaggregation"].items():
            keys.append(code)
            if isinstance(disagg, str):
                keys += [f"{code}.{o}" for o in self.options.loc[disagg].index]
        return keys


def _split_i18n(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    texts = frame.pop(column)
    frame[f"{column}_vi"] = [t["vi"] if isinstance(t, dict) else None for t in texts]
    frame[f"{column}_en"] = [t["en"] if isinstance(t, dict) else None for t in texts]
    return frame


def _section(path: Path, key: str) -> object:
    data = load_yaml(path)
    if not isinstance(data, dict) or key not in data:
        raise EvaltoolsError(f"{display_path(path)}: expected a top-level '{key}:' list")
    return data[key]


def _load_units(path: Path, problems: list[Problem]) -> pd.DataFrame:
    name = display_path(path)
    units, found = parse_records(_section(path, "units"), UNIT_FIELDS, name, "units")
    problems += found + duplicates(units, ["code", "valid_from"], name)
    codes = set(units["code"])
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    levels = units.drop_duplicates("code").set_index("code")["level"]
    for row in units.itertuples():
        if isinstance(row.parent, str) and row.parent not in codes:
            problems.append(Problem(name, row.line, "parent", f"unknown unit code {row.parent!r}"))
        elif isinstance(row.parent, str) and row.level in rank and \
                rank.get(levels.get(row.parent), -1) >= rank[row.level]:
            problems.append(Problem(name, row.line, "parent",
                                    f"a {row.level} must sit below a higher level, found {levels[row.parent]}"))
        if isinstance(row.successor, str) and row.successor not in codes:
            problems.append(Problem(name, row.line, "successor", f"unknown unit code {row.successor!r}"))
        if pd.notna(row.valid_to) and pd.notna(row.valid_from) and row.valid_to < row.valid_from:
            problems.append(Problem(name, row.line, "valid_to", "is before valid_from"))
    return _split_i18n(units, "name")


def _load_elements(path: Path, problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    name = display_path(path)
    raw = _section(path, "disaggregations")
    option_rows = []
    if not isinstance(raw, dict):
        problems.append(Problem(name, None, "disaggregations", "expected a mapping of option lists"))
        raw = {}
    for disagg, entries in raw.items():
        opts, found = parse_records(entries, OPTION_FIELDS, name, f"disaggregations.{disagg}")
        problems += found + duplicates(opts, ["code"], name)
        opts.insert(0, "disaggregation", disagg)
        opts["order"] = range(len(opts))
        option_rows.append(opts)
    options = pd.concat(option_rows, ignore_index=True) if option_rows else pd.DataFrame(
        columns=["disaggregation", "code", "name", "line", "order"])
    elements, found = parse_records(_section(path, "elements"), ELEMENT_FIELDS, name, "elements")
    problems += found + duplicates(elements, ["code"], name)
    for row in elements.itertuples():
        if isinstance(row.disaggregation, str) and row.disaggregation not in raw:
            problems.append(Problem(name, row.line, "disaggregation",
                                    f"unknown option set {row.disaggregation!r}; expected one of {', '.join(raw)}"))
    options = _split_i18n(options, "name").rename(columns={"code": "option"})
    elements = _split_i18n(_split_i18n(elements, "name"), "unit")
    return elements.set_index("code", drop=False), options.set_index(["disaggregation", "option"], drop=False)


def _check_formula(text: str | None, elements: pd.DataFrame, options: pd.DataFrame) -> str | None:
    """Return what is wrong with a formula, or None."""
    if not isinstance(text, str):
        return None
    try:
        terms = formula.parse(text)
    except ValueError as exc:
        return str(exc)
    for term in terms:
        if term.element is None:
            continue
        if term.element not in elements.index:
            return f"unknown element {term.element!r} in {text!r}"
        disagg = elements.at[term.element, "disaggregation"]
        if term.option and (not isinstance(disagg, str) or (disagg, term.option) not in options.index):
            return f"{term.element} has no option {term.option!r}"
    return None


def _load_indicators(path: Path, elements: pd.DataFrame, options: pd.DataFrame,
                     problems: list[Problem]) -> pd.DataFrame:
    name = display_path(path)
    raw = _section(path, "indicators")
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("factor"), int):
            entry["factor"] = str(entry["factor"])  # YAML reads 100 as a number; the schema lists choices
    frame, found = parse_records(raw, INDICATOR_FIELDS, name, "indicators")
    problems += found + duplicates(frame, ["code"], name)
    for row in frame.itertuples():
        for field in ("numerator", "denominator"):
            wrong = _check_formula(getattr(row, field), elements, options)
            if wrong:
                problems.append(Problem(name, row.line, field, wrong))
        if row.disaggregate and not _check_formula(row.numerator, elements, options):
            terms = formula.parse(row.numerator)
            if len(terms) != 1 or terms[0].option or terms[0].element is None or \
                    not isinstance(elements.at[terms[0].element, "disaggregation"], str):
                problems.append(Problem(name, row.line, "disaggregate",
                                        "needs a numerator that is one disaggregated element"))
    frame["factor"] = frame["factor"].astype(int)
    frame = _split_i18n(_split_i18n(frame, "name"), "unit").set_index("code", drop=False)
    return _default_units(frame, elements)


def _default_units(frame: pd.DataFrame, elements: pd.DataFrame) -> pd.DataFrame:
    """Fill a missing indicator unit: % or ‰ by factor, else the numerator element's unit."""
    for code, row in frame.iterrows():
        if isinstance(row["unit_vi"], str):
            continue
        symbol = {100: "%", 1000: "‰"}.get(row["factor"])
        first = formula.parse(row["numerator"])[0] if isinstance(row["numerator"], str) else None
        if symbol:
            frame.loc[code, ["unit_vi", "unit_en"]] = symbol, symbol
        elif first is not None and first.element in elements.index:
            frame.loc[code, ["unit_vi", "unit_en"]] = elements.loc[first.element, ["unit_vi", "unit_en"]].tolist()
    return frame


def load_catalog(folder: str | Path, extra_indicators: Sequence[Path] = ()) -> Catalog:
    """Read ``org_units.yaml``, ``data_elements.yaml`` and ``indicators.yaml`` from ``folder``.

    ``extra_indicators`` are more indicator files in the same format (a programme's own
    indicators), added after the catalog's; a code may be defined once only.

    Raises
    ------
    InputError
        Listing every problem in the files at once.
    """
    folder = Path(folder)
    files = tuple(folder / f for f in ("org_units.yaml", "data_elements.yaml", "indicators.yaml"))
    problems: list[Problem] = []
    units = _load_units(files[0], problems)
    elements, options = _load_elements(files[1], problems)
    frames = [_load_indicators(path, elements, options, problems) for path in (files[2], *extra_indicators)]
    indicators = pd.concat(frames) if len(frames) > 1 else frames[0]
    for path, frame in zip(extra_indicators, frames[1:]):
        for code, line in frame["line"].items():
            if code in frames[0].index:
                problems.append(Problem(display_path(path), line, "code",
                                        f"indicator {code} is already defined in {display_path(files[2])}"))
    if problems:
        raise InputError(problems)
    return Catalog(units, options, elements, indicators, files + tuple(extra_indicators))
