"""DHIS2 data value sets, JSON and CSV as DHIS2 writes them, read as incoming cells of the import.

- **JSON** (``/api/dataValueSets.json``): an object with ``dataValues``, a list of
  objects with ``dataElement``, ``period``, ``orgUnit``, ``categoryOptionCombo``,
  ``attributeOptionCombo``, ``value``, ``comment`` (``storedBy``, ``created``,
  ``lastUpdated``, ``followup`` are not kept); ``period``, ``orgUnit`` and
  ``attributeOptionCombo`` may be given once on the set, as DHIS2 allows. A problem
  names the value by its index, ``dataValues[3]`` (0-based, as DHIS2's own import
  summary counts).
- **CSV**: DHIS2 reads its columns by position under a header row it ignores
  (``dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,
  comment,followup``); a file is taken as DHIS2's when its first three headers are
  ``dataelement, period, orgunit``; newer DHIS2 versions add ``deleted``, and a value marked
  deleted is skipped (as in JSON). A problem names the line.

Identifiers go through the mapping file (:mod:`.dhis2map`); periods to years through
:mod:`.dhis2periods`. From there the values take the same road as every return: the
intake's checks, the comparison with the store, and the one journal write.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from evaltools.core import limits
from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.core.errors import Problem
from evaltools.store.record import MAX_PER_CHECK
from evaltools.intake import dhis2json
from evaltools.intake.numbers import from_cell
from evaltools.intake.dhis2map import Mapping
from evaltools.intake.dhis2periods import EXPECTED, Period, parse_period, plain, year_figure
from evaltools.intake.problems import FileProblem
from evaltools.intake.readers import Source, csv_rows
from evaltools.intake.unitnames import UnitNames

JSON_FIELDS = ("dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value", "comment")
CSV_FIELDS = ("dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby", "lastupdated",
              "comment", "followup")
TRUE, FALSE = frozenset({"true", "t"}), frozenset({"false", "f"})
JSON_LAYOUT, CSV_LAYOUT = "DHIS2 JSON", "DHIS2 CSV"


@dataclass(frozen=True)
class Context:
    """What reading DHIS2 files needs from the project: the catalog and its mapping file."""

    catalog: Catalog
    mapping: Mapping

    @cached_property
    def options(self) -> frozenset[str]:
        """Every option code of the catalog (looked up once per file, not once per value)."""
        return frozenset(self.catalog.options["option"])

    @cached_property
    def names(self) -> UnitNames:
        """The catalog's unit names, to name an org unit in a message (built once, when one needs it)."""
        return UnitNames(self.catalog.units)


@dataclass
class Record:
    """One DHIS2 data value as read: where it is, and its fields as text (``labels``: their names in the file)."""

    at: int
    fields: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def where(self) -> str:
        """How a message cites this value: ``dataValues[3]`` in JSON, ``line 4`` in CSV."""
        return f"dataValues[{self.at}]" if self.labels == JSON_FIELDS else f"line {self.at}"


def is_dhis2_csv(source: Source) -> bool:
    """Whether a CSV's first row is DHIS2's header (its first three names, whatever follows)."""
    first = next((r for r in csv_rows(source.text, source.delimiter, limit=30) if any(r)), [])
    return [c.strip('"').casefold() for c in first[:3]] == ["dataelement", "period", "orgunit"]


def _text(value: object) -> str | None:
    """A JSON field as text (numbers as DHIS2 would have quoted them); None when it is not a scalar."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return from_cell(value)
    # a JSON escape (\u0301) can spell a decomposed letter the decoded text had composed
    return unicodedata.normalize("NFC", value.strip()) if isinstance(value, str) else None


def json_records(text: str, name: str) -> tuple[list[Record], list[Problem], int]:
    """The data values of a DHIS2 JSON data value set, problems, and how many were marked deleted."""
    try:
        document = dhis2json.loads(text)
    except dhis2json.DuplicateKey as exc:
        raise FileProblem(name, str(exc)) from None
    except json.JSONDecodeError as exc:
        raise FileProblem(name, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise FileProblem(name, "not a DHIS2 data value set: JSON nested hundreds of levels deep") from None
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        raise FileProblem(name, 'a JSON file but not a DHIS2 data value set: expected an object with "dataValues", '
                                'a list of data values ({"dataElement", "period", "orgUnit", "value", ...})')
    for key in ("idScheme", "dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme"):
        if str(document.get(key, "")).upper() == "NAME":
            raise FileProblem(name, f'{key} is NAME: names are not identifiers; export with idScheme CODE or UID')
    values = document["dataValues"]
    if len(values) > limits.ROWS.value:
        raise limits.ROWS.refuse(name, f"{len(values):,} data values")
    shared = {k: document.get(k) for k in ("period", "orgUnit", "attributeOptionCombo")}
    records, problems, deleted = [], [], 0
    for i, value in enumerate(values):
        if not isinstance(value, dict):
            problems.append(Problem(name, None, None, f"dataValues[{i}]: expected an object, found {value!r:.40}"))
            continue
        if value.get("deleted") is True:
            deleted += 1
            continue
        fields = []
        for key in JSON_FIELDS:
            raw = value.get(key, shared.get(key))
            text = _text(raw)
            if text is None:
                problems.append(Problem(name, None, None, f"dataValues[{i}].{key}: expected text, found {raw!r:.40}"))
                break
            limits.check_cell(text, name, None, f"dataValues[{i}].{key}")
            fields.append(text)
        else:
            records.append(Record(i, tuple(fields), JSON_FIELDS))
    return records, problems, deleted


def csv_records(text: str, delimiter: str, name: str) -> tuple[list[Record], list[Problem], int]:
    """The data values of a DHIS2 CSV file (its header row skipped, columns by position), problems, and how
    many were marked deleted (the eleventh column of DHIS2's newer CSV, ``deleted``)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, problems, header, line, deleted = [], [], True, 1, 0
    for row in reader:
        at, line = line, reader.line_num + 1
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if header:
            header = False
            continue
        if len(cells) < 3:
            problems.append(Problem(name, at, None, f"expected at least {', '.join(CSV_FIELDS[:3])} (then "
                                                    f"{', '.join(CSV_FIELDS[3:6])}...), found {len(cells)} cell(s)"))
            continue
        if len(cells) > len(CSV_FIELDS) and cells[len(CSV_FIELDS)].casefold() == "true":
            deleted += 1
            continue
        cells += [""] * (len(CSV_FIELDS) - len(cells))
        records.append(Record(at, tuple(cells[j] for j in (0, 1, 2, 3, 4, 5, 8)), CSV_FIELDS[:6] + ("comment",)))
    return records, problems, deleted


def _resolve(record: Record, context: Context) -> tuple[tuple[str, str, str, Period] | None, tuple[str, str]]:
    """(element, option, unit, period) of a record, or None and (field, problem)."""
    de, pe, ou, coc, aoc = record.fields[:5]
    mapping, catalog = context.mapping, context.catalog
    element = mapping.elements.get(de, de)
    if element not in catalog.elements.index:
        return None, (record.labels[0], f"unknown data element {de!r}: neither an element code of the catalog nor "
                                        f"mapped in {mapping.path} (data_elements:)")
    period = parse_period(pe)
    if period is None:
        return None, (record.labels[1], f"expected {EXPECTED}, found {pe!r}")
    unit = mapping.units.get(ou, ou)
    if not unit.isdigit():
        return None, (record.labels[2], f"unknown org unit {ou!r}: neither a GSO unit code nor mapped in "
                                        f"{mapping.path} (org_units:)")
    option = mapping.options.get(coc, DEFAULT_OPTION if coc in ("", DEFAULT_OPTION) else coc)
    if option != DEFAULT_OPTION and option not in context.options:
        return None, (record.labels[3], f"unknown category option combo {coc!r}: neither an option code of the "
                                        f"catalog nor mapped in {mapping.path} (category_option_combos:)")
    if aoc not in mapping.attribute_defaults:
        return None, (record.labels[4], f"attribute option combo {aoc!r}: only the default is read (evaltools keeps "
                                        f"no funding mechanism or partner); list it under attribute_option_combos: "
                                        f"in {mapping.path} if it is your instance's default")
    return (element, option, unit, period), ("", "")


def _value(text: str, element: str, catalog: Catalog) -> str:
    """DHIS2's booleans (true, false) as the store's 1 and 0; any other text as it is."""
    if catalog.elements.at[element, "value_type"] == "boolean":
        low = text.casefold()
        return "1" if low in TRUE else "0" if low in FALSE else text
    return text


def incoming(records: list[Record], context: Context, names: tuple[str, str]) -> tuple[list[tuple], list[Problem]]:
    """Records as incoming cells (layouts.INCOMING order): years as given, months and quarters made into years."""
    where, base = names
    problems, years, subs = [], [], {}
    for record in records:
        found, (label, message) = _resolve(record, context)
        if found is None:
            problems.append(Problem(where, record.at, label, message))
            continue
        element, option, unit, period = found
        value = _value(record.fields[5], element, context.catalog)
        if period.kind == "year":
            years.append((record, element, option, unit, period.text, value, record.fields[6], ""))
        else:
            subs.setdefault((element, option, unit, period.year), []).append((record, period, value))
    given_years = {(e, o, u, int(p)): r for r, e, o, u, p, *_ in years}
    for (element, option, unit, year), group in subs.items():
        row, problem = _year_of(group, (element, option, unit), year, context,
                                given_years.get((element, option, unit, year)))
        if problem:
            problems.append(Problem(where, *problem))
        else:
            years.append((row[0], element, option, unit, str(year), *row[1:]))
    cells = [(e, o, u, "", p, v, "plain", c, origin, where, base, r.at, r.labels[5], "", r.labels[2], r.labels[1],
              r.at) for r, e, o, u, p, v, c, origin in years]
    return cells, problems


def _year_of(group: list[tuple[Record, Period, str]], key: tuple[str, str], year: int, context: Context,
             whole: Record | None) -> tuple[tuple, tuple]:
    """((record, value, comment, origin), ()) for the year made of ``group``, or ((), (line, field, problem))."""
    first = group[0][0]
    if whole is not None:
        return (), (first.at, first.labels[1], f"period {group[0][1].text}: the year {year} of the same element, "
                                               f"unit and option is given too ({whole.where}); give it once")
    kinds = {p.kind for _, p, _ in group}
    if len(kinds) > 1:
        return (), (first.at, first.labels[1], f"{year} mixes months and quarters of the same element, unit and "
                                               "option; give one or the other")
    given: dict[Period, str | None] = {}
    for record, period, text in group:
        if period in given:
            return (), (record.at, record.labels[1], f"period {period.text} is given twice for the same element, "
                                                     "unit and option")
        value, problem = plain(text)
        if problem:
            return (), (record.at, record.labels[5], problem)
        given[period] = value
    element, option, unit = key  # a partial year is its area's: the unit's own cut-off day, if any
    last_day = context.catalog.unit_partial_years().get(unit, {}).get(year)
    rule = context.catalog.elements.at[element, "aggregation_time"]
    figure = year_figure(given, rule, last_day or pd.Timestamp(year, 12, 31).date(), "catalog/periods.yaml")
    if figure.value is None:
        return (), (first.at, first.labels[1], f"{_series(first, key, year, context)}: {figure.problem}")
    record = group[figure.at][0]
    used = group if rule == "sum" else [group[figure.at]]
    comments = list(dict.fromkeys(r.fields[6] for r, _, _ in used if r.fields[6]))
    return (record, figure.value, "; ".join(comments), figure.origin), ()


def _series(record: Record, key: tuple[str, str, str], year: int, context: Context) -> str:
    """The year a message is about, with its org unit named: ``ELEMENT (option) 2023 of Xã Cam Thủy (19606,
    org unit DiszpKrYNg8)`` -- a file of many org units' months must say whose month is missing."""
    element, option, unit = key
    given = record.fields[2]
    named = context.names.described(unit, year)
    if given != unit:
        named = f"{named[:-1]}, org unit {given})" if named.endswith(")") else f"{named} (org unit {given})"
    return f"{element}{f' ({option})' if option != DEFAULT_OPTION else ''} {year} of {named}"


def relocate(problems: list[Problem], indexed: set[str]) -> list[Problem]:
    """Problems of a JSON file located by the data value's index (``dataValues[3].value``), not a line; a
    message that cites a value of one (``duplicate of d.json:3``) cites it so too (``d.json: dataValues[3]``)."""
    cited = re.compile("|".join(rf"(?<![\w/.-])({re.escape(name)}):(\d+)\b" for name in sorted(indexed, key=len,
                                                                                            reverse=True)))
    out = []
    for p in problems:
        message = cited.sub(_cite, p.message) if indexed else p.message
        if p.file in indexed and p.line is not None:
            field = f".{p.field}" if p.field else ""
            p = Problem(p.file, None, None, f"dataValues[{p.line}]{field}: {message}")
        elif message != p.message:
            p = Problem(p.file, p.line, p.field, message)
        out.append(p)
    return out


def _cite(found: re.Match) -> str:
    name, at = [g for g in found.groups() if g is not None]
    return f"{name}: dataValues[{at}]"


def read_into(source: Source, context: Context, parsed, columns: tuple[str, ...]) -> None:
    """Fill ``parsed`` (a :class:`~.layouts.Parsed`) with the incoming cells of a DHIS2 file."""
    if source.kind == "JSON":
        parsed.layout = JSON_LAYOUT
        records, problems, deleted = json_records(source.text, source.name)
        base = f"{source.name.rsplit('/', 1)[-1]}[dataValues]"
    else:
        parsed.layout = CSV_LAYOUT
        records, problems, deleted = csv_records(source.text, source.delimiter, source.name)
        base = source.name.rsplit("/", 1)[-1]
    if deleted:
        parsed.notes.append(f"{deleted} value(s) marked deleted in DHIS2 skipped")
    parsed.rows += len(records)
    cells, more = incoming(records, context, (source.name, base))
    found = problems + more
    parsed.refused += len(found)        # each refuses one value (a year of months: one yearly value)
    if len(found) > MAX_PER_CHECK:      # as the other checks do: a file of bad values is not a screen of lines
        found = found[:MAX_PER_CHECK] + [Problem(source.name, None, None, f"... {len(found) - MAX_PER_CHECK} more "
                                                                          "problems of DHIS2 values like these")]
    parsed.problems += found
    if cells:
        frame = pd.DataFrame(cells, columns=list(columns), dtype=object)
        parsed.frames.append(frame.astype({"row": "int64", "period_row": "int64"}))
