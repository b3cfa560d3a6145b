"""Schema checks: every store row against the catalog, every problem a high finding.

The store's own reader and checker (:func:`evaltools.store.record.read_values_csv`,
:func:`evaltools.store.record.check_values`) do the work; this module turns their
problems into findings, adds the two checks that need the unit history (the
unit existed that year; the element is reported at its level), and hands the
rows that passed on to the other checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from evaltools.store import columnar, record as store, storetx
from evaltools.model.catalog import Catalog
from evaltools.core.errors import Problem, display_path
from evaltools.model.texts import check_name
from evaltools.validation.findings import number
from evaltools.validation.unityears import unit_years, validity_text

_FIELD_RULES = {"element": "SCHEMA_ELEMENT", "unit": "SCHEMA_UNIT", "period": "SCHEMA_PERIOD",
                "category": "SCHEMA_CATEGORY", "value": "SCHEMA_VALUE"}
_ROW = ["file", "line", "element", "period", "unit", "category", "value", "source"]


def check_store(folder: str | Path, catalog: Catalog, scope=None) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Read and check the CSV files of a store, reporting every problem.

    ``scope`` (a :class:`evaltools.store.storescope.Scope`) reads only a review's units and years
    (and every row that cannot be placed in a unit and year); None reads the whole store.

    Returns
    -------
    (DataFrame, DataFrame, bool)
        The typed rows that passed every check (as :func:`evaltools.store.record.check_values`
        types them); the schema findings; and whether every bad row was named
        (False when the store summarised a long run of one problem as
        "... N more rows": then the passed rows cannot be told apart).
    """
    with storetx.reading(Path(folder).parent):          # one committed state of the store
        frame, refused = columnar.read_rows(folder, catalog.units, scope)
    problems = [_file_problem(path, text) for path, text in refused]
    typed, found, failed = store.check_values(frame, catalog)
    problems += found
    complete = not any(p.line is None and p.message.startswith("...") for p in found)
    named = {f"{p.file}:{p.line}" for p in problems if p.line is not None}
    passed = typed.drop(index=failed)
    passed = passed[~(passed["file"] + ":" + passed["line"].astype(str)).isin(named)]
    passed, history = _history_checks(passed, catalog)
    findings = pd.concat([_problem_findings(problems, frame), history], ignore_index=True)
    return passed.reset_index(drop=True), findings, complete


def _file_problem(path: Path, text: str) -> Problem:
    """A whole-file problem; the store's message starts with the file name, kept once."""
    name = display_path(path)
    match = re.match(rf"^{re.escape(name)}(?::(\d+))?: (.*)$", text, re.S)
    if match:
        return Problem(name, int(match.group(1)) if match.group(1) else None, None, match.group(2))
    return Problem(name, None, None, text)


def _rule_of(problem: Problem) -> str:
    if problem.field is None:
        return "SCHEMA_FILE"
    if problem.field == "value" and problem.message.startswith("duplicate"):
        return "SCHEMA_DUPLICATE"
    if problem.field == "value" and "counts whole units" in problem.message:
        return "SCHEMA_COUNT"
    if problem.field == "value" and "is yes/no" in problem.message:
        return "SCHEMA_BOOLEAN"
    return _FIELD_RULES.get(problem.field, "SCHEMA_VALUE")


def _problem_findings(problems: list[Problem], frame: pd.DataFrame) -> pd.DataFrame:
    """One high finding per store problem, with the row's unit, year and element when known."""
    if not problems:
        return pd.DataFrame()
    table = pd.DataFrame({"file": [p.file for p in problems], "line": [p.line for p in problems],
                          "column": [p.field or "" for p in problems],
                          "message": [_message(p) for p in problems],
                          "rule": [_rule_of(p) for p in problems]})
    table["line"] = table["line"].astype("Int64")
    rows = frame[_ROW].rename(columns={"period": "year", "value": "text"})
    rows = rows.assign(line=rows["line"].astype("Int64"))
    table = table.merge(rows, on=["file", "line"], how="left")
    return table.assign(
        importance="high", kind="schema",
        rule_name_vi=table["rule"].map(lambda r: check_name(r)[0]), rule_name_en=table["rule"].map(lambda r: check_name(r)[1]),
        year=pd.to_numeric(table["year"], errors="coerce"),
        value=pd.to_numeric(table["text"], errors="coerce")).drop(columns=["text", "category", "column"])


def _message(problem: Problem) -> str:
    return f"column '{problem.field}': {problem.message}" if problem.field else problem.message


def _history_checks(rows: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flag values of a unit that did not exist that year, or reported at the wrong level."""
    if rows.empty:
        return rows, pd.DataFrame()
    years = sorted(rows["period"].unique())
    # The units the rows name, not the whole catalog (a national one): validity and level are each unit's own.
    named = catalog.units[catalog.units["code"].isin(set(rows["unit"].astype(str)))]
    table = unit_years(named, years, None).set_index(["unit", "year"])
    where = pd.MultiIndex.from_arrays([rows["unit"], rows["period"]])
    valid = table["valid"].reindex(where).fillna(False).to_numpy(dtype=bool)
    unit_level = table["level"].reindex(where).to_numpy()
    element_level = rows["element"].map(catalog.elements["level"]).to_numpy()
    wrong_level = valid & (unit_level != element_level)
    gone = rows[~valid]
    misplaced = rows[wrong_level]
    found = [
        _row_findings(gone, "SCHEMA_UNIT_VALID", lambda r: (
            f"unit {r.unit} did not exist on 31/12/{r.period}; it is valid "
            f"{validity_text(catalog.units, r.unit)}")),
        _row_findings(misplaced, "SCHEMA_LEVEL", lambda r: (
            f"{r.element} is reported by {catalog.elements.at[r.element, 'level']} units; "
            f"unit {r.unit} is a {table.at[(r.unit, r.period), 'level']} (value {number(r.value)})")),
    ]
    return rows[valid & ~wrong_level], pd.concat(found, ignore_index=True)


def _row_findings(rows: pd.DataFrame, rule: str, message) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "importance": "high", "kind": "schema", "rule": rule,
        "rule_name_vi": check_name(rule)[0], "rule_name_en": check_name(rule)[1],
        "unit": rows["unit"].to_numpy(), "year": rows["period"].to_numpy(), "element": rows["element"].to_numpy(),
        "value": rows["value"].to_numpy(), "message": [message(r) for r in rows.itertuples()],
        "file": rows["file"].to_numpy(), "line": rows["line"].to_numpy(), "source": rows["source"].to_numpy()})
