"""The validation rules file: named constants, DHIS2-style rules, completeness and outlier settings.

``<data>/catalog/validation_rules.yaml`` (commented YAML, see the sample) holds::

    constants:    named numbers, optionally one per year ($hi_card_price)
    rules:        left side, operator, right side, missing-value strategy, importance
    not_before:   columns whose values exist only from a month of their year on
    completeness: importance of a missing return
    outliers:     thresholds of the modified z-score and year-on-year checks
    confirmed:    denominator jumps the analyst has checked and confirmed, with the reason

:func:`load_rules` checks the whole file against the catalog and raises one
:class:`~evaltools.core.errors.InputError` listing every problem with its line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from evaltools.model import formula
from evaltools.model.catalog import Catalog
from evaltools.core.errors import EvaltoolsError, InputError, Problem, display_path
from evaltools.core.schema import Field, duplicates, parse_record, parse_records
from evaltools.core.yamlio import Record, load_yaml
from evaltools.validation.findings import IMPORTANCE

RULES_FILE = "validation_rules.yaml"
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "~=")
STRATEGIES = ("skip_if_any_missing", "skip_if_all_missing", "never_skip")
SECTIONS = ("constants", "rules", "not_before", "completeness", "outliers", "confirmed")

CONSTANT_FIELDS = (
    Field("code", "code", pattern=r"^[a-z][a-z0-9_]*$"),
    Field("name", "i18n", required=False),
    Field("value", "number", required=False),
    Field("by_year", "any", required=False),
)
RULE_FIELDS = (
    Field("code", "code", pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field("name", "i18n"),
    Field("left", "text"),
    Field("operator", "choice", choices=OPERATORS),
    Field("right", "text"),
    Field("missing_value_strategy", "choice", required=False, choices=STRATEGIES, default="skip_if_all_missing"),
    Field("importance", "choice", required=False, choices=IMPORTANCE, default="medium"),
    Field("tolerance", "number", required=False),
    Field("description", "text", required=False),
    Field("from_year", "int", required=False),     # the rule applies from this year on (e.g. a standard's)
)
NOT_BEFORE_FIELDS = (
    Field("code", "code", pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field("name", "i18n"),
    Field("column", "text"),
    Field("month", "int"),
    Field("importance", "choice", required=False, choices=IMPORTANCE, default="high"),
    Field("description", "text", required=False),
)
COMPLETENESS_FIELDS = (Field("importance", "choice", required=False, choices=IMPORTANCE, default="medium"),)
OUTLIER_FIELDS = (
    Field("z_threshold", "number", required=False, default=3.5),
    Field("z_medium", "number", required=False, default=7.0),
    Field("max_ratio", "number", required=False, default=2.0),
    Field("ratio_medium", "number", required=False, default=5.0),
    Field("min_value", "number", required=False, default=10),
    Field("min_years", "int", required=False, default=5),
    Field("mad_floor", "number", required=False, default=0.1),
    Field("check", "bool", required=False, default=True),
    Field("denominator_jump", "number", required=False, default=5.0),
)
# A denominator's year-on-year jump the analyst has checked (validation: DENOMINATOR_JUMP).
CONFIRMED_FIELDS = (Field("unit", "code"), Field("element", "code"), Field("year", "int"), Field("reason", "text"))


@dataclass(frozen=True)
class OutlierSettings:
    """Thresholds of the outlier checks; ``elements`` holds per-element overrides."""

    z_threshold: float = 3.5
    z_medium: float = 7.0
    max_ratio: float = 2.0
    ratio_medium: float = 5.0
    min_value: float = 10
    min_years: int = 5
    mad_floor: float = 0.1
    check: bool = True
    denominator_jump: float = 5.0
    elements: Mapping[str, OutlierSettings] = field(default_factory=dict)

    def for_element(self, code: str) -> OutlierSettings:
        """The settings that apply to one element."""
        return self.elements.get(code, self)


@dataclass(frozen=True)
class RuleSet:
    """A parsed rules file.

    Attributes
    ----------
    rules : DataFrame
        One row per rule, indexed by code: name_vi, name_en, left, operator, right,
        missing_value_strategy, importance, tolerance, level (commune or district,
        from the rule's elements), left_terms, right_terms (parsed formulas), line.
    constants : dict
        Name -> a number, or a dict year -> number.
    not_before : DataFrame
        One row per ``not_before`` entry: code, name_vi, name_en, column, month,
        importance, description, line.
    confirmed : DataFrame
        One row per ``confirmed`` entry: unit, element, year, reason, line (a denominator's
        jump checked by the analyst: reported, not high).
    """

    file: Path
    rules: pd.DataFrame
    constants: dict[str, float | dict[int, float]]
    completeness_importance: str = "medium"
    outliers: OutlierSettings = OutlierSettings()
    not_before: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["code", "name_vi", "name_en", "column", "month", "importance", "description", "line"]))
    confirmed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["unit", "element", "year", "reason", "line"]))
    constant_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def constant(self, name: str, years: np.ndarray) -> np.ndarray:
        """Values of a constant for each year (NaN for a year it does not cover)."""
        value = self.constants[name]
        if isinstance(value, dict):
            return pd.Series(np.asarray(years)).map(value).to_numpy(dtype=float)
        return np.full(len(years), float(value))


def load_rules(path: str | Path, catalog: Catalog) -> RuleSet:
    """Read and check a rules file against the catalog.

    Raises
    ------
    EvaltoolsError
        When the file is missing or not YAML.
    InputError
        Listing every problem of the file, with line and key.
    """
    path = Path(path)
    name = display_path(path)
    raw = load_yaml(path)
    if not isinstance(raw, Record):
        raise EvaltoolsError(f"{name}: expected a mapping with keys {', '.join(SECTIONS)}")
    problems = [Problem(name, raw.key_lines[k], str(k), f"unknown key; expected one of {', '.join(SECTIONS)}")
                for k in raw if k not in SECTIONS]
    constant_names: dict[str, dict[str, str]] = {}
    constants = _constants(raw.get("constants") or [], name, problems, constant_names)
    rules = _rules(raw.get("rules") or [], catalog, constants, name, problems)
    not_before = _not_before(raw.get("not_before") or [], catalog, name, problems)
    completeness = _settings(raw.get("completeness") or Record(), COMPLETENESS_FIELDS, name, problems, "completeness")
    outliers = _outliers(raw.get("outliers") or Record(), catalog, name, problems)
    confirmed = _confirmed(raw.get("confirmed") or [], catalog, name, problems)
    if problems:
        raise InputError(problems)
    return RuleSet(path, rules, constants, completeness["importance"], outliers, not_before, confirmed,
                   constant_names)


def _confirmed(entries: object, catalog: Catalog, name: str, problems: list[Problem]) -> pd.DataFrame:
    """The ``confirmed`` entries, checked against the catalog: a unit, element and year and a reason."""
    frame, found = parse_records(entries, CONFIRMED_FIELDS, name, "confirmed")
    problems += found + duplicates(frame, ["unit", "element", "year"], name)
    units = set(catalog.units["code"])
    for row in frame.itertuples():
        if isinstance(row.unit, str) and row.unit not in units:
            problems.append(Problem(name, row.line, "unit", f"unit {row.unit!r} is not in org_units.yaml"))
        if isinstance(row.element, str) and row.element not in catalog.elements.index:
            problems.append(Problem(name, row.line, "element", f"unknown data element {row.element!r}"))
        if isinstance(row.reason, str) and not row.reason.strip():
            problems.append(Problem(name, row.line, "reason", "expected why the jump is real (what was checked)"))
    return frame


def _not_before(entries: object, catalog: Catalog, name: str, problems: list[Problem]) -> pd.DataFrame:
    frame, found = parse_records(entries, NOT_BEFORE_FIELDS, name, "not_before")
    problems += found + duplicates(frame, ["code"], name)
    columns = set(catalog.columns()) - {formula.COMMUNE_COUNT}
    for row in frame.itertuples():
        if isinstance(row.column, str) and row.column not in columns:
            problems.append(Problem(name, row.line, "column", f"unknown data column {row.column!r}; expected an "
                                    "element code or ELEMENT.option of data_elements.yaml"))
        if isinstance(row.month, int) and not 1 <= row.month <= 12:
            problems.append(Problem(name, row.line, "month", f"expected a month 1–12, found {row.month}"))
    return frame.drop(columns=["name"]).assign(
        name_vi=[n["vi"] if isinstance(n, dict) else "" for n in frame["name"]],
        name_en=[n["en"] if isinstance(n, dict) else "" for n in frame["name"]])


def _constants(entries: object, name: str, problems: list[Problem],
               names: dict[str, dict[str, str]]) -> dict[str, float | dict[int, float]]:
    """Each constant's value (a number, or {year: number}); its name in each language goes into ``names``."""
    frame, found = parse_records(entries, CONSTANT_FIELDS, name, "constants")
    problems += found + duplicates(frame, ["code"], name)
    out: dict[str, float | dict[int, float]] = {}
    for row in frame.itertuples():
        if isinstance(row.name, dict):
            names[row.code] = row.name
        has_value, has_years = pd.notna(row.value), isinstance(row.by_year, Mapping) or _given(row.by_year)
        if has_value == has_years:
            problems.append(Problem(name, row.line, "value", "give either 'value' or 'by_year' (year: number)"))
        elif has_value:
            out[row.code] = float(row.value)
        elif not isinstance(row.by_year, Mapping) or not row.by_year or not all(
                isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2100
                and isinstance(v, (int, float)) and not isinstance(v, bool) for y, v in row.by_year.items()):
            problems.append(Problem(name, row.line, "by_year",
                                    f"expected a mapping of years to numbers (2018: 702000), found {row.by_year!r}"))
        else:
            out[row.code] = {int(y): float(v) for y, v in row.by_year.items()}
    return out


def _given(value: object) -> bool:
    """True unless the YAML key was absent (None, or NaN once in a DataFrame)."""
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def _rules(entries: object, catalog: Catalog, constants: Mapping, name: str,
           problems: list[Problem]) -> pd.DataFrame:
    for entry in entries if isinstance(entries, list) else []:
        for side in ("left", "right"):
            if isinstance(entry, dict) and isinstance(entry.get(side), (int, float)) \
                    and not isinstance(entry.get(side), bool):
                entry[side] = str(entry[side])   # YAML reads "right: 0" as a number; it is a formula
    frame, found = parse_records(entries, RULE_FIELDS, name, "rules")
    problems += found + duplicates(frame, ["code"], name)
    columns = set(catalog.columns())
    left, right, levels = [], [], []
    for row in frame.itertuples():
        sides = []
        for side in ("left", "right"):
            terms = ()
            try:
                terms = formula.parse(getattr(row, side), constants) if isinstance(getattr(row, side), str) else ()
            except ValueError as exc:
                problems.append(Problem(name, row.line, side, str(exc)))
            for term in terms:
                if term.column is not None and term.column not in columns:
                    problems.append(Problem(name, row.line, side, f"unknown data column {term.column!r}; expected "
                                            "an element code or ELEMENT.option of data_elements.yaml"))
            sides.append(terms)
        left.append(sides[0])
        right.append(sides[1])
        levels.append(_level(sides[0] + sides[1], catalog, name, row.line, problems))
        _check_tolerance(row, name, problems)
    frame["left_terms"], frame["right_terms"], frame["level"] = left, right, levels
    frame = frame.drop(columns=["name"]).assign(
        name_vi=[n["vi"] if isinstance(n, dict) else "" for n in frame["name"]],
        name_en=[n["en"] if isinstance(n, dict) else "" for n in frame["name"]])
    return frame.set_index("code", drop=False)


def _level(terms: tuple[formula.Term, ...], catalog: Catalog, name: str, line: int,
           problems: list[Problem]) -> str:
    """The level of the units a rule applies to: that of its elements (commune by default)."""
    elements = {t.element for t in terms if t.element in catalog.elements.index}
    levels = sorted(set(catalog.elements.loc[sorted(elements), "level"])) if elements else ["commune"]
    if len(levels) > 1:
        problems.append(Problem(name, line, "left", f"mixes elements reported at {' and '.join(levels)} level; "
                                "a rule compares values of one return"))
    return levels[0]


def _check_tolerance(row, name: str, problems: list[Problem]) -> None:
    if row.operator == "~=" and (pd.isna(row.tolerance) or not 0 <= row.tolerance < 1):
        problems.append(Problem(name, row.line, "tolerance",
                                "operator ~= needs a tolerance: a fraction such as 0.01 (1 %) of the larger side"))
    elif row.operator != "~=" and pd.notna(row.tolerance):
        problems.append(Problem(name, row.line, "tolerance", f"only operator ~= takes a tolerance, not {row.operator}"))


def _outliers(raw: object, catalog: Catalog, name: str, problems: list[Problem]) -> OutlierSettings:
    if not isinstance(raw, Mapping):
        problems.append(Problem(name, None, "outliers", "expected a mapping of settings"))
        return OutlierSettings()
    base = OutlierSettings(**_settings(raw, OUTLIER_FIELDS, name, problems, "outliers", skip="elements"))
    overrides = {}
    optional = [dataclasses.replace(f, default=None) for f in OUTLIER_FIELDS]
    per_element = raw.get("elements") or {}
    for code, entry in per_element.items() if isinstance(per_element, Mapping) else []:
        line = getattr(per_element, "key_lines", {}).get(code)
        if code not in catalog.elements.index:
            problems.append(Problem(name, line, "elements", f"unknown data element {code!r}"))
        elif not isinstance(entry, Mapping):
            problems.append(Problem(name, line, str(code), "expected a mapping of settings"))
        else:
            values = _settings(entry, optional, name, problems, f"outliers.elements.{code}")
            overrides[code] = dataclasses.replace(base, **{k: v for k, v in values.items() if v is not None})
    return dataclasses.replace(base, elements=overrides)


def _settings(raw: object, fields, name: str, problems: list[Problem], key: str, skip: str | None = None) -> dict:
    """Coerce a mapping of settings (every problem recorded); defaults where missing or wrong."""
    if not isinstance(raw, Mapping):
        problems.append(Problem(name, None, key, f"expected a mapping of settings, found {raw!r}"))
        raw = Record()
    record = Record({k: v for k, v in raw.items() if k != skip})
    record.line, record.key_lines = getattr(raw, "line", None), getattr(raw, "key_lines", {})
    values = parse_record(record, fields, name, record.line, problems)
    for key in ("z_threshold", "z_medium", "min_value", "mad_floor"):
        if values.get(key) is not None and values[key] < 0:
            problems.append(Problem(name, record.key_lines.get(key), key, "expected a number ≥ 0"))
    for key in ("max_ratio", "ratio_medium"):
        if values.get(key) is not None and values[key] <= 1:
            problems.append(Problem(name, record.key_lines.get(key), key, "expected a ratio above 1, e.g. 2"))
    if values.get("min_years") is not None and values["min_years"] < 3:
        problems.append(Problem(name, record.key_lines.get("min_years"), "min_years", "expected 3 or more"))
    return values
