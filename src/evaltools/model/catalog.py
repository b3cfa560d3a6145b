"""The catalogs of an area's data model: org units, data elements, indicators, partial years.

Each catalog is a commented YAML file under ``<data>/catalog/``; :func:`load_catalog`
reads them all, checks every entry and cross-reference, and raises one
:class:`~evaltools.core.errors.InputError` listing every problem with file, line and key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from evaltools.model import formula, units as unitlib
from evaltools.model.vocabulary import formats
from evaltools.core.errors import EvaltoolsError, InputError, Problem, display_path
from evaltools.core.schema import Field, duplicates, parse_records
from evaltools.core.yamlio import load_yaml

LEVELS = ("country", "province", "district", "commune")      # highest first: a unit sits below a higher one
_LATE = 9999          # a year after every unit's last change: the catalog's latest tree (dead units included)
UNIT_CLASSES = ("standard", "disadvantaged", "ward")

UNIT_FIELDS = (
    Field("code", "code"),
    Field("name", "i18n"),
    Field("level", "choice", choices=LEVELS),
    Field("parent", "code", required=False),
    Field("valid_from", "date"),
    Field("valid_to", "date", required=False),
    Field("successor", "any", required=False),     # a code (merger, renaming) or a list of codes (a split)
    Field("class", "choice", required=False, choices=UNIT_CLASSES, default="standard"),
)
OPTION_FIELDS = (Field("code", "code", pattern=r"^[a-z0-9_]+$"), Field("name", "i18n"),
                 Field("group", "code", required=False, pattern=r"^[a-z0-9_]+$"))
ELEMENT_FIELDS = (
    Field("code", "code", pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field("name", "i18n"),
    Field("unit", "i18n"),
    Field("value_type", "choice", choices=("integer", "number", "boolean", "amount")),
    Field("aggregation_time", "choice", choices=("sum", "last")),
    Field("aggregation_units", "choice", required=False, choices=("sum", "average"), default="sum"),
    Field("disaggregation", "code", required=False),
    Field("level", "choice", required=False, choices=("commune", "district"), default="commune"),
    Field("definition_changes", "any", required=False),
)
CHANGE_FIELDS = (Field("date", "date"), Field("note", "i18n"))
PARTIAL_FIELDS = (Field("unit", "code", required=False), Field("year", "int"), Field("last_day", "date"),
                  Field("note", "i18n", required=False))
# An entry of periods.yaml without a unit: the old, store-wide format, refused (it would leak one
# district's cut-off into every other district of the store).
MIGRATE_PARTIAL = ("expected the GSO code of the area whose returns stop early: a partial year belongs to "
                   "that unit and every unit below it, not to the whole store; add unit: \"<code>\" to the entry "
                   "(see data/README.md, 'Partial years')")
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
    Field("display", "any", required=False),     # {scale: NAME}: how report tables show it (_table_scales)
)
DEFAULT_OPTION = "default"
REQUIRED_FILES = ("org_units.yaml", "data_elements.yaml", "indicators.yaml")


@dataclass(frozen=True)
class Catalog:
    """The catalogs as DataFrames, plus the files they came from.

    ``elements["definition_changes"]`` holds, per element, a tuple of
    ``(date, {"vi": note, "en": note})``: days from which the element counts something
    else (a new law, a new standard); values on either side are not comparable.
    ``partial_areas`` maps a unit code to {year: last day}, for the years whose returns
    stop early in that unit and every unit below it (``periods.yaml``); read it through
    :meth:`unit_partial_years` or :meth:`partial_years_for`, never as a store-wide calendar.
    """

    units: pd.DataFrame
    options: pd.DataFrame
    elements: pd.DataFrame
    indicators: pd.DataFrame
    files: tuple[Path, ...]
    partial_areas: Mapping[str, Mapping[int, dt.date]] = field(default_factory=dict)

    def unit_partial_years(self) -> dict[str, dict[int, dt.date]]:
        """Every unit whose returns stop early in some year -> {year: last day}: the declared areas and
        every unit below them (units outside every declared area are not keys)."""
        return self._partial_by_unit

    @cached_property
    def _partial_by_unit(self) -> dict[str, dict[int, dt.date]]:
        out: dict[str, dict[int, dt.date]] = {}
        for area, days in self.partial_areas.items():
            for code in unitlib.in_area(self.units, area, _LATE):
                mine = out.setdefault(code, {})
                for year, day in days.items():
                    mine[year] = min(day, mine.get(year, day))
        return out

    def partial_years_for(self, area: str | None) -> dict[int, dt.date]:
        """Years cut short somewhere in ``area``'s figures -> the earliest last day: declared for the
        area, for a unit above it or for a unit below it (None: the whole store)."""
        inside = set(unitlib.in_area(self.units, area, _LATE)) if area is not None else None
        above = set(unitlib.ancestors(self.units, _LATE).get(area, [])) if area is not None else set()
        out: dict[int, dt.date] = {}
        for code, days in self.partial_areas.items():
            if inside is None or code in inside or code in above:
                for year, day in days.items():
                    out[year] = min(day, out.get(year, day))
        return dict(sorted(out.items()))

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
        problems += _successor_problems(row.successor, codes, name, row.line)
        if pd.notna(row.valid_to) and pd.notna(row.valid_from) and row.valid_to < row.valid_from:
            problems.append(Problem(name, row.line, "valid_to", "is before valid_from"))
    units["successor"] = [tuple(s) if isinstance(s, list) else s for s in units["successor"]]
    units = _split_i18n(units, "name")
    # A name given once (Vietnamese) reads in English as a translator writes it: "Cam Thủy commune".
    same = units["name_en"] == units["name_vi"]
    units.loc[same, "name_en"] = units.loc[same, "name_vi"].map(unitlib.english_name)
    return units


def _successor_problems(successor: object, codes: set[str], name: str, line: int) -> list[Problem]:
    """A successor is null, one code, or a list of two or more codes (a split)."""
    if not isinstance(successor, (str, list)) and (successor is None or pd.isna(successor)):
        return []
    listed = successor if isinstance(successor, list) else [successor]
    if not listed or not all(isinstance(c, str) for c in listed) or \
            (isinstance(successor, list) and len(listed) < 2):
        return [Problem(name, line, "successor", f"expected a code in quotes, or a list of two or more codes "
                                                 f"for a split, found {successor!r}")]
    return [Problem(name, line, "successor", f"unknown unit code {c!r}") for c in listed if c not in codes]


def _definition_changes(elements: pd.DataFrame, name: str, problems: list[Problem]) -> list[tuple]:
    """Per element, the days from which it counts something else, with the reason."""
    out = []
    for row in elements.itertuples():
        raw = row.definition_changes
        changes, found = parse_records(raw if raw is not None else [], CHANGE_FIELDS, name,
                                       f"elements.{row.code}.definition_changes")
        problems += found
        out.append(tuple(sorted((c.date, c.note) for c in changes.itertuples() if c.date is not None)))
    return out


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
        columns=["disaggregation", "code", "name", "group", "line", "order"])
    elements, found = parse_records(_section(path, "elements"), ELEMENT_FIELDS, name, "elements")
    problems += found + duplicates(elements, ["code"], name)
    elements["definition_changes"] = _definition_changes(elements, name, problems)
    for row in elements.itertuples():
        if isinstance(row.disaggregation, str) and row.disaggregation not in raw:
            problems.append(Problem(name, row.line, "disaggregation",
                                    f"unknown option set {row.disaggregation!r}; expected one of {', '.join(raw)}"))
    options = _split_i18n(options, "name").rename(columns={"code": "option"})
    options["group"] = options["group"].where(options["group"].notna(), options["option"])
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


def _kinds(text: str | None, elements: pd.DataFrame) -> tuple[set[str], set[str], set[str]]:
    """Aggregation over time, levels and element codes of a formula's column terms."""
    terms = [t for t in formula.parse(text) if t.column is not None] if isinstance(text, str) else []
    codes = {t.element for t in terms if t.element}
    times = {elements.at[c, "aggregation_time"] for c in codes} | ({"last"} if any(
        t.column == formula.COMMUNE_COUNT for t in terms) else set())
    levels = {elements.at[c, "level"] for c in codes} | ({"commune"} if len(codes) < len(terms) else set())
    return times, levels, codes


def _shape_problem(numerator: str, denominator: str | None, elements: pd.DataFrame) -> tuple[str, str] | None:
    """What makes an indicator impossible to aggregate honestly, or None.

    Each side adds up flows only or stocks only (one rule over the years); both sides
    come from returns of one level (a rate is computed on the units that reported
    both); a score averaged over units stands alone as the numerator.
    """
    (n_time, n_level, n_codes), (d_time, d_level, d_codes) = (
        _kinds(numerator, elements), _kinds(denominator, elements))
    for side, times in (("numerator", n_time), ("denominator", d_time)):
        if len(times) > 1:
            return side, "mixes flows (aggregation_time: sum) and stocks (last); split it into two indicators"
    if len(n_level | d_level) > 1:
        return "denominator", "mixes elements reported at commune and at district level"
    averaged = {c for c in n_codes | d_codes if elements.at[c, "aggregation_units"] == "average"}
    terms = formula.parse(numerator)
    if averaged and (isinstance(denominator, str) or len(terms) != 1):
        return "numerator", (f"{', '.join(sorted(averaged))} is averaged over units: use it alone as the "
                             "numerator, without denominator")
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
        wrongs = {f: _check_formula(getattr(row, f), elements, options) for f in ("numerator", "denominator")}
        problems += [Problem(name, row.line, f, w) for f, w in wrongs.items() if w]
        shape = None if any(wrongs.values()) else _shape_problem(row.numerator, row.denominator, elements)
        if shape:
            problems.append(Problem(name, row.line, shape[0], shape[1]))
        if row.disaggregate and not _check_formula(row.numerator, elements, options):
            terms = formula.parse(row.numerator)
            if len(terms) != 1 or terms[0].option or terms[0].element is None or \
                    not isinstance(elements.at[terms[0].element, "disaggregation"], str):
                problems.append(Problem(name, row.line, "disaggregate",
                                        "needs a numerator that is one disaggregated element"))
    frame["factor"] = frame["factor"].astype(int)
    frame = _split_i18n(_split_i18n(frame, "name"), "unit").set_index("code", drop=False)
    return _table_scales(_default_units(frame, elements), name, problems)


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


def _table_scale(row: pd.Series, scales: Mapping[str, Mapping]) -> tuple[str, str | None]:
    """(scale, problem or None) of one indicator: its ``display.scale`` checked against
    ``table_scales`` of formats.yaml, or the default for its unit and shape."""
    display, fits = row["display"], {n: s.get("units") for n, s in scales.items()}
    if display is None or display != display:          # absent (None, or NaN beside another entry's mapping)
        total = not isinstance(row["denominator"], str)
        return next((n for n, s in scales.items() if total and s.get("default_for_totals")
                     and row["unit_vi"] in s["units"]), "one"), None
    if not isinstance(display, Mapping) or set(display) != {"scale"}:
        return "one", f"expected {{scale: {' | '.join(scales)}}}; found {display!r}"
    scale = display["scale"]
    if not isinstance(scale, str) or scale not in scales:
        return "one", f"expected a scale among {', '.join(scales)}; found {scale!r}"
    if fits[scale] and row["unit_vi"] not in fits[scale]:
        return "one", (f"scale {scale} fits an indicator in {', '.join(fits[scale])} only; "
                       f"this one is in {row['unit_vi']!r}")
    return scale, None


def _table_scales(frame: pd.DataFrame, name: str, problems: list[Problem]) -> pd.DataFrame:
    """Replace each indicator's ``display`` by its ``scale``, a name in formats.yaml's ``table_scales``."""
    scales = formats()["table_scales"]
    found = [_table_scale(row, scales) for _, row in frame.iterrows()]
    problems += [Problem(name, line, "display", f"indicator {code}: {wrong}")
                 for code, line, (_, wrong) in zip(frame["code"], frame["line"], found) if wrong]
    return frame.drop(columns="display").assign(scale=[scale for scale, _ in found])


def _load_partial_years(path: Path, units: pd.DataFrame, problems: list[Problem]) -> dict[str, dict[int, dt.date]]:
    """Years declared partial per area in ``periods.yaml`` (optional): unit -> {year: last day covered}."""
    if not path.exists():
        return {}
    name = display_path(path)
    frame, found = parse_records((load_yaml(path) or {}).get("partial_years", []), PARTIAL_FIELDS, name,
                                 "partial_years")
    problems += found + duplicates(frame, ["unit", "year"], name)
    known = set(units["code"]) if "code" in units else set()
    out: dict[str, dict[int, dt.date]] = {}
    for row in frame.itertuples():
        if row.unit is None or (isinstance(row.unit, float) and pd.isna(row.unit)):
            problems.append(Problem(name, row.line, "unit", MIGRATE_PARTIAL))
        elif str(row.unit) not in known:
            problems.append(Problem(name, row.line, "unit",
                                    f"unit {row.unit!r} is not in org_units.yaml: expected a GSO code of its units"))
        if row.year is not None and row.last_day is not None and row.last_day.year != row.year:
            problems.append(Problem(name, row.line, "last_day", f"expected a day of {row.year}"))
        elif row.year is not None and row.last_day is not None and isinstance(row.unit, str):
            out.setdefault(row.unit, {})[int(row.year)] = row.last_day
    return out


def load_catalog(folder: str | Path, extra_indicators: Sequence[Path] = ()) -> Catalog:
    """Read ``org_units.yaml``, ``data_elements.yaml``, ``indicators.yaml`` and ``periods.yaml``.

    ``periods.yaml`` is optional; the others are required.

    ``extra_indicators`` are more indicator files in the same format (a programme's own
    indicators), added after the catalog's; a code may be defined once only.

    Raises
    ------
    InputError
        Listing every problem in the files at once.
    """
    folder = Path(folder)
    files = tuple(folder / f for f in REQUIRED_FILES)
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
    partial = _load_partial_years(folder / "periods.yaml", units, problems)
    if problems:
        raise InputError(problems)
    return Catalog(units, options, elements, indicators, catalog_files(folder, extra_indicators), partial)


def catalog_files(folder: str | Path, extra_indicators: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The files :func:`load_catalog` reads, in its order: the required ones, ``periods.yaml`` when it
    exists, then the extra indicator files (what a parsed catalog depends on)."""
    folder = Path(folder)
    files = tuple(folder / f for f in REQUIRED_FILES)
    files += (folder / "periods.yaml",) if (folder / "periods.yaml").exists() else ()
    return files + tuple(Path(p) for p in extra_indicators)
