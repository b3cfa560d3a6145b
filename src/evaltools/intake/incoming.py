"""Incoming cells checked and typed into store rows, every problem located in the return.

The intake's own checks cover what only a return has: how numbers and years
are written, unit names, and whether a figure sits on a unit of the level that
reports it. Everything the store checks (element, category, value type,
negatives, duplicates) is left to :func:`evaltools.store.record.check_values`, whose
problems are pointed back at the return's file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaltools.assess.inforce import refusals
from evaltools.model.catalog import Catalog
from evaltools.core.errors import Problem
from evaltools.store.record import check_values
from evaltools.intake.numbers import from_cell, parse_plain, parse_vi
from evaltools.intake.problems import locate
from evaltools.intake.readers import CellError, Uncomputed
from evaltools.intake.unitnames import UnitNames

TOKEN = "\ue000"  # private-use mark: tags each row for check_values, never found in a return (NFC text)
PARSERS: dict[str, Callable[[str], str | None]] = {"plain": parse_plain, "vi": parse_vi}


def _parse_cell(raw: object, grammar: str, boolean: bool) -> tuple[str | None, str | None]:
    """(canonical text or None when empty, problem or None) for one cell."""
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return None, None
    if isinstance(raw, str):
        try:
            return PARSERS[grammar](raw), None
        except ValueError as exc:
            return None, str(exc)
    if isinstance(raw, bool):
        return (str(int(raw)), None) if boolean else (None, f"expected a number, found {str(raw).upper()}")
    if isinstance(raw, (int, float)):
        return (from_cell(raw), None) if np.isfinite(raw) else (None, f"expected a number, found {raw}")
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return None, f"expected a number, found a date or time ({raw}): format the cell as Number"
    if isinstance(raw, Uncomputed):
        return None, (f"a formula ({raw.formula}) with no saved result: open the file in Excel (or LibreOffice) "
                      "and save it, so that the result is stored with the formula")
    if isinstance(raw, CellError):
        return None, f"the formula's result is an error ({raw.code})"
    return None, f"expected a number, found {raw!r}"


def _expand(codes: np.ndarray, results: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Per-unique (result, problem) pairs spread over rows; code -1 (a missing cell) gives (None, '')."""
    values = np.array([r[0] for r in results] + [None], dtype=object)
    problems = np.array([r[1] or "" for r in results] + [""], dtype=object)
    return values[codes], problems[codes]


def parse_values(frame: pd.DataFrame, catalog: Catalog) -> tuple[pd.Series, pd.Series]:
    """Canonical value texts (None when empty) and problems ('' when none), row by row.

    Each distinct text is parsed once: a national file repeats few distinct figures.
    """
    raw, grammars = frame["raw"], frame["grammar"].unique()
    if isinstance(raw.dtype, pd.CategoricalDtype) and len(grammars) == 1:
        results = [_parse_cell(str(c), str(grammars[0]), False) for c in raw.cat.categories]
        texts, problems = _expand(raw.cat.codes.to_numpy(), results)
        return pd.Series(texts, index=frame.index), pd.Series(problems, index=frame.index)
    boolean = frame["element"].map(catalog.elements["value_type"]).eq("boolean").to_numpy()
    texts, problems = np.full(len(frame), None, dtype=object), np.full(len(frame), "", dtype=object)
    raw, grammar = raw.to_numpy(dtype=object), frame["grammar"].to_numpy(dtype=object)
    is_text = np.fromiter((isinstance(v, str) for v in raw), bool, len(raw))
    for g in set(grammar[is_text]):
        rows = is_text & (grammar == g)
        codes, uniques = pd.factorize(raw[rows])
        texts[rows], problems[rows] = _expand(codes, [_parse_cell(str(u), g, False) for u in uniques])
    for i in np.flatnonzero(~is_text):
        texts[i], problem = _parse_cell(raw[i], grammar[i], bool(boolean[i]))
        problems[i] = problem or ""
    return pd.Series(texts, index=frame.index), pd.Series(problems, index=frame.index)


def _year(raw: object, today: dt.date) -> tuple[int | None, str]:
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return None, "no year given"
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    if isinstance(raw, bool) or not re.fullmatch(r"[0-9]{4}", text):
        return None, f"expected a year such as 2017, found {text!r}" if text else "no year given"
    if int(text) > today.year:
        return None, f"{text} is in the future (today is {today:%d/%m/%Y})"
    return int(text), ""


def parse_periods(frame: pd.DataFrame, today: dt.date) -> tuple[pd.Series, pd.Series]:
    """Years (0 when unreadable) and problems ('' when none), row by row."""
    codes, uniques = pd.factorize(frame["period"])
    years, problems = _expand(codes, [_year(u, today) for u in uniques] + [_year(None, today)])
    years[codes == -1] = None
    problems[codes == -1] = "no year given"
    return pd.Series(years, index=frame.index).fillna(0).astype(int), pd.Series(problems, index=frame.index)


def factorize_rows(*columns: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct combinations of ``columns`` row by row, and those combinations."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        part, values = pd.factorize(column, use_na_sentinel=False)
        codes = codes * len(values) + part
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    combos = [tuple(column.iloc[i] for column in columns) for i in first]
    return inverse.reshape(-1), combos


def resolve_units_noted(frame: pd.DataFrame, periods: pd.Series,
                        names: UnitNames) -> tuple[pd.Series, pd.Series, pd.Series]:
    """GSO codes ('' when unresolved), problems ('' when none) and warnings ('' when none: a misspelt name on a
    row read by its code), row by row; each distinct unit once."""
    codes, combos = factorize_rows(frame["unit_code"], frame["unit_name"], periods)
    results = []
    for code, name, year in combos:
        code, name = (v if isinstance(v, str) else "" for v in (code, name))
        # a row without a readable year is reported for its year; its unit cannot be judged
        found = names.resolve(code or None, name or None, int(year)) if year else ("", "")
        note = names.misnamed(code or None, name or None, int(year)) if year and found[0] else ""
        results.append((found[0] or "", found[1] or "", note))
    units, problems = _expand(codes, [r[:2] for r in results])
    notes = np.array([r[2] for r in results] + [""], dtype=object)[codes]
    index = frame.index
    return pd.Series(units, index=index), pd.Series(problems, index=index), pd.Series(notes, index=index)


LEVEL_MESSAGES = {
    "district": "{e} is reported by the district: put it on the district's row, not a {h}'s",
    "commune": "{e} is reported by each commune: put it on the communes' rows, not the {h}'s",
}


def level_problems(frame: pd.DataFrame, units: pd.Series, catalog: Catalog) -> pd.Series:
    """Figures on a unit of the wrong level: district elements belong on the district row."""
    unit_level = catalog.units.drop_duplicates("code").set_index("code")["level"]
    want = frame["element"].map(catalog.elements["level"])
    have = units.map(unit_level)
    wrong = want.notna() & have.notna() & (want != have)
    out = pd.Series("", index=frame.index, dtype=object)
    out[wrong] = [LEVEL_MESSAGES.get(w, "{e} is reported by a {w}, not a {h}").format(e=e, w=w, h=h)
                  for e, w, h in zip(frame.loc[wrong, "element"], want[wrong], have[wrong])]
    return out


@dataclass
class Checked:
    """Incoming cells after checking.

    ``rows``: the good values as store rows (element, period, unit, category,
    value as text, number, comment, origin) indexed like the incoming frame;
    ``problems``: (order, problem) pairs; ``rejected`` / ``empty``: per incoming
    cell, whether it holds a figure with a problem / is an empty cell that
    could have held one.
    """

    rows: pd.DataFrame
    problems: list[tuple[float, Problem]]
    rejected: pd.Series
    empty: pd.Series
    periods: pd.Series
    warnings: list[Problem] = field(default_factory=list)     # accepted, but the user should know


def check(frame: pd.DataFrame, catalog: Catalog, names: UnitNames, today: dt.date,
          standards: pd.DataFrame | None = None) -> Checked:
    """Check every incoming cell; nothing is dropped silently. ``standards``: the catalog's assessment
    standards, whose criteria a return may hold only for the years each is in force."""
    texts, value_msg = parse_values(frame, catalog)
    periods, period_msg = parse_periods(frame, today)
    units, unit_msg, unit_notes = resolve_units_noted(frame, periods, names)
    level_msg = level_problems(frame, units, catalog)
    refused = refusals(frame["element"], frame["category"], periods, standards)
    if refused.ne("").any():                          # the common case costs nothing on a national file
        level_msg = level_msg.where(level_msg.ne(""), refused)
    filled = texts.notna() | value_msg.ne("")
    problems = (locate(frame, value_msg.where(filled, ""), "column", "row", True, False)
                + locate(frame, period_msg.where(filled, ""), "period_at", "period_row", False, True)
                + locate(frame, unit_msg.where(filled, ""), "unit_at", "row", False, True)
                + locate(frame, level_msg.where(filled, ""), "column", "row", True, False))
    bad = filled & (value_msg.ne("") | period_msg.ne("") | unit_msg.ne("") | level_msg.ne(""))
    empty = ~filled & period_msg.eq("") & unit_msg.eq("") & level_msg.eq("")
    good = filled & ~bad
    found, typed, flagged = _store_checks(frame[good], texts[good], periods[good], units[good], catalog)
    problems += found
    bad.loc[flagged] = True        # every refused row, also those a long list left unnamed ("... N more")
    typed = typed.drop(index=flagged, errors="ignore")
    warnings = [p for _, p in locate(frame, unit_notes.where(good, ""), "unit_at", "row", False, True)]
    return Checked(typed, problems, bad, empty, periods, warnings)


def _store_checks(frame: pd.DataFrame, texts: pd.Series, periods: pd.Series, units: pd.Series,
                  catalog: Catalog) -> tuple[list[tuple[float, Problem]], pd.DataFrame, pd.Index]:
    """Run the store's own checks on the good cells and point their problems back at the return.

    Each row goes in as file ``TOKEN<fileno>``, line = its row in ``frame``, so
    that every problem (and every "duplicate of file:line") can be located.
    """
    tokens = np.array([f"{TOKEN}{n}" for n in range(int(frame["fileno"].max()) + 1 if len(frame) else 0)],
                      dtype=object)
    candidate = pd.DataFrame({
        "element": frame["element"].to_numpy(dtype=object), "period": periods.to_numpy(),
        "unit": units.to_numpy(dtype=object), "category": frame["category"].to_numpy(dtype=object),
        "value": texts.to_numpy(dtype=object), "source": "", "comment": "",
        "file": tokens[frame["fileno"].to_numpy(dtype=np.int64)], "line": frame.index.to_numpy()}, index=frame.index)
    typed, found, refused = check_values(candidate, catalog)
    out = []
    for problem in found:
        i = int(problem.line) if problem.line is not None else int(frame.index[
            frame["fileno"].to_numpy() == int(problem.file[len(TOKEN):])][0])
        message = re.sub(TOKEN + r"\d+:(\d+)", lambda m: _where(frame, int(m.group(1))), problem.message)
        column = _column(frame, i, problem.field)
        if problem.line is None:
            out.append((i + 0.5, Problem(frame.at[i, "place"], None, column, message)))
            continue
        line = frame.at[i, "period_row" if problem.field == "period" else "row"]
        prefix = f"cell {frame.at[i, 'cell']}: " if frame.at[i, "cell"] and problem.field == "value" else ""
        out.append((i, Problem(frame.at[i, "place"], int(line), column, prefix + message)))
    typed = typed.drop(columns=["file", "line", "source", "comment"]).assign(
        text=texts, comment=frame["comment"], origin=frame["origin"], base=frame["base"], row=frame["row"])
    return out, typed, refused


def _where(frame: pd.DataFrame, i: int) -> str:
    """'file[sheet]:row (cell)' of incoming row ``i``, for messages that cite another row."""
    cell = frame.at[i, "cell"]
    return f"{frame.at[i, 'place']}:{frame.at[i, 'row']}" + (f" ({cell})" if cell else "")


def _column(frame: pd.DataFrame, i: int, field: str | None) -> str | None:
    """The header the user sees for a store field of incoming row ``i``."""
    if field in ("element", "category") and not frame.at[i, "cell"]:
        return field  # the long layout's own column
    return frame.at[i, {"unit": "unit_at", "period": "period_at"}.get(field, "column")]
