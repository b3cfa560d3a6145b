"""``evaltools import``: read returns into the store, all or nothing.

An import reads every file, checks every cell (all problems of all files at
once), then, holding the store alone (:mod:`evaltools.store.storetx`), compares the
values with it and either writes nothing (any problem, or ``dry_run``) or
commits in one journal the new content of every value file that changes and the
import log ``<data>/imports.csv`` with one more row per file (outside
``values/``, so the store never reads it as values). The raw files are only
ever read. Re-importing a file changes nothing: its values
are all "unchanged". A value that differs from the stored one for the same
element, year, unit and category is refused unless ``replace``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from evaltools import __version__
from evaltools.core import faults, limits
from evaltools.store import storetx
from evaltools.assess.inforce import catalog_standards
from evaltools.model.catalog import Catalog, load_catalog
from evaltools.core.errors import EvaltoolsError, Problem, display_path
from evaltools.store.load import load_values
from evaltools.store.record import value_files
from evaltools.intake import storewrite
from evaltools.intake.columns import ColumnIndex
from evaltools.intake.dhis2 import JSON_LAYOUT, Context, relocate
from evaltools.intake.dhis2map import load_mapping
from evaltools.intake.incoming import Checked, check
from evaltools.intake.layouts import INCOMING, Parsed, read
from evaltools.intake.merge import compare
from evaltools.intake.numbers import from_cell
from evaltools.intake.problems import FileProblem, locate
from evaltools.intake.readers import Source, open_source
from evaltools.intake.unitnames import UnitNames
from evaltools.intake.yearcheck import first_in_file, year_notes

LOG_NAME = storetx.LOG_NAME
LOG_COLUMNS = ("imported_at", "file", "sha256", "bytes", "kind", "encoding", "layout", "years", "rows", "values",
               "empty", "added", "unchanged", "replaced", "rejected", "replace", "evaltools")


@dataclass
class FileReport:
    """What one file gave, for the summary and the import log."""

    name: str
    sha256: str = ""
    size: int = 0
    kind: str = ""
    encoding: str = ""
    layout: str = ""
    years: list[int] = field(default_factory=list)
    rows: int = 0
    values: int = 0
    empty: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    rejected: int = 0
    refused: int = 0        # of ``rejected``, those refused while the file was read (DHIS2: see dhis2.read_into)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """The outcome of an import: per-file reports, problems, and what was written."""

    files: list[FileReport]
    problems: list[Problem]
    replaced: pd.DataFrame
    dry_run: bool
    written: list[str] = field(default_factory=list)
    log: Path | None = None


def _read_sources(paths: Sequence[Path], index: ColumnIndex,
                  dhis2: Context) -> tuple[list[FileReport], list[Parsed], list[Problem]]:
    """Read every file (each once: a second file with the same bytes is a problem), keeping going past bad ones."""
    reports, parsed_all, problems, seen = [], [], [], {}
    for path in paths:
        report, parsed = FileReport(display_path(path)), Parsed()
        try:
            source: Source = open_source(Path(path))
        except FileProblem as exc:
            problems.append(exc.problem)
            reports.append(report)
            parsed_all.append(parsed)
            continue
        report.sha256, report.size, report.kind, report.encoding = (source.sha256, source.size, source.kind,
                                                                    source.encoding)
        if source.sha256 in seen:
            problems.append(Problem(report.name, None, None, f"same content as {seen[source.sha256]}: "
                                                             "each return is imported once"))
        else:
            seen[source.sha256] = report.name
            try:
                parsed = read(source, index, dhis2)
            except FileProblem as exc:
                parsed.problems.append(exc.problem)
        del source
        report.layout, report.rows, report.notes, report.refused = (parsed.layout, parsed.rows, parsed.notes,
                                                                    parsed.refused)
        reports.append(report)
        parsed_all.append(parsed)
    return reports, parsed_all, problems


def _incoming(parsed: list[Parsed]) -> pd.DataFrame:
    """All files' incoming cells in one frame, file by file, with the file's number in ``fileno``."""
    frames = [frame.assign(fileno=np.full(len(frame), fileno, dtype=np.int32))
              for fileno, one in enumerate(parsed) for frame in one.frames]
    if not frames:
        return pd.DataFrame(columns=[*INCOMING, "fileno"])
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _stored(folder: Path, catalog: Catalog) -> pd.DataFrame | None:
    """The store as it is, or None when it holds no value file yet."""
    if not folder.is_dir() or not value_files(folder):
        return None
    return load_values(folder, catalog, copy=False)     # a write reads the record itself, not the copy it outdates


def _conflicts(frame: pd.DataFrame, compared: pd.DataFrame) -> list[tuple[float, Problem]]:
    hit = compared[compared["status"] == "conflict"]
    messages = pd.Series("", index=frame.index, dtype=object)
    messages[hit.index] = [
        f"conflicts with the stored value {from_cell(r.stored_value)} ({r.stored_at}, source "
        f"{r.stored_source or 'none'}): this return has {r.text} (check the year first: see this return's first line)"
        for r in hit.itertuples()]
    return locate(frame, messages, "column", "row", True, False)


def _in_file(place: str, name: str) -> bool:
    """Whether a problem's place (``file`` or ``file[sheet]``) is in file ``name``."""
    return place == name or place.startswith(name + "[")


def _count(reports: list[FileReport], frame: pd.DataFrame, checked: Checked, compared: pd.DataFrame,
           problems: list[Problem]) -> None:
    """Fill each report's counts; a file that gave no figure and no problem is itself a problem."""
    status = compared["status"].groupby(compared["fileno"]).value_counts()
    for i, report in enumerate(reports):
        mine = frame["fileno"] == i
        rejected = int((checked.rejected & mine).sum())
        rejected += report.refused
        report.values = rejected + int((compared["fileno"] == i).sum())
        report.rejected = rejected + int(status.get((i, "conflict"), 0))
        report.empty = int((checked.empty & mine).sum())
        for kind in ("added", "unchanged", "replaced"):
            setattr(report, kind, int(status.get((i, kind), 0)))
        years = checked.periods[mine & (checked.rejected | frame.index.isin(compared.index))]
        report.years = sorted(int(y) for y in years.unique() if y)
        if report.sha256 and report.values == 0 and not any(_in_file(p.file, report.name) for p in problems):
            problems.append(Problem(report.name, None, None, "no figures: every data cell is empty"))


def _replaced(rows: pd.DataFrame) -> pd.DataFrame:
    cols = ["element", "period", "unit", "category", "stored_value", "value", "stored_at", "stored_source"]
    replaced = rows[rows["status"] == "replaced"]
    return replaced[cols].assign(source=sources(replaced)).reset_index(drop=True)


def _settle(compared: pd.DataFrame, replace: bool, now: dt.datetime) -> pd.DataFrame:
    """Final status of each value: with ``replace`` a conflict becomes "replaced", noting the old value."""
    if not replace or not (compared["status"] == "conflict").any():
        return compared
    out = compared.assign(comment=compared["comment"].astype(object))
    conflict = out["status"] == "conflict"
    notes = [f"replaced {from_cell(v)} ({s or 'no source'}) on {now:%d/%m/%Y}"
             for v, s in zip(out.loc[conflict, "stored_value"], out.loc[conflict, "stored_source"])]
    out.loc[conflict, "comment"] = [f"{c}; {n}" if c else n for c, n in zip(out.loc[conflict, "comment"], notes)]
    out.loc[conflict, "status"] = "replaced"
    return out


def sources(rows: pd.DataFrame) -> pd.Series:
    """``source`` of store rows: 'file[sheet]:row', plus ' from <its own source>' for a long file that had one."""
    at = rows["base"].astype(str) + ":" + rows["row"].astype(str)
    origin = rows["origin"].astype(str)
    return at.where(origin.eq(""), at + " from " + origin)


def _stage_values(data: Path, stage: Path, rows: pd.DataFrame) -> list[str]:
    """Write the new content of every value file that changes into ``stage/values``; return their names."""
    changing = rows[rows["status"].isin(["added", "replaced"])]
    changing = changing.assign(value=changing["text"], source=sources(changing))
    added, replaced = changing[changing["status"] == "added"], changing[changing["status"] == "replaced"]
    target = stage / "values"
    target.mkdir()
    changed = []
    for name, group in replaced.groupby(replaced["stored_at"].str.rsplit(":", n=1).str[0].map(
            lambda p: Path(p).name)):
        storewrite.stage_copy(data / "values", target, name)
        storewrite.replace_rows(target, name, group)
        changed.append(name)
    for period, group in added.groupby("period"):
        name = f"returns-{period}.csv"
        storewrite.stage_copy(data / "values", target, name)
        storewrite.append_rows(target, name, group)
        changed.append(name)
    return sorted(set(changed))


def _previous_imports(log: Path) -> dict[str, str]:
    """sha256 -> when that content was last imported."""
    if not log.exists():
        return {}
    frame = read_log(log)
    return dict(zip(frame.get("sha256", []), frame.get("imported_at", [])))


def read_log(log: Path) -> pd.DataFrame:
    """The import log as text columns (bounded like every input)."""
    text = limits.read_text(log, limits.STORE_FILE)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise EvaltoolsError(f"{display_path(log)}: not a readable CSV file ({exc}); restore it from a backup "
                             "or git") from None


def _log_text(log: Path, reports: list[FileReport], replace: bool, now: dt.datetime) -> str:
    """The import log with one row per file added."""
    rows = pd.DataFrame([{
        "imported_at": now.isoformat(timespec="seconds"), "file": r.name, "sha256": r.sha256, "bytes": r.size,
        "kind": r.kind, "encoding": r.encoding, "layout": r.layout, "years": " ".join(map(str, r.years)),
        "rows": r.rows, "values": r.values, "empty": r.empty, "added": r.added, "unchanged": r.unchanged,
        "replaced": r.replaced, "rejected": r.rejected, "replace": "yes" if replace else "no",
        "evaltools": __version__} for r in reports], columns=list(LOG_COLUMNS))
    before = limits.read_text(log, limits.STORE_FILE) if log.exists() else ""
    text = rows.to_csv(index=False, header=not before, lineterminator="\n")
    return before + ("" if not before or before.endswith("\n") else "\n") + text


def import_files(paths: Sequence[str | Path], data: str | Path, *, dry_run: bool = False, replace: bool = False,
                 now: dt.datetime | None = None) -> ImportResult:
    """Import returns into ``<data>/values``, all or nothing.

    Parameters
    ----------
    paths
        Return files (CSV or XLSX, long or wide layout).
    data
        The data folder (holding ``catalog/`` and ``values/``).
    dry_run
        Check and count, write nothing.
    replace
        Overwrite stored values that differ, instead of refusing them.
    now
        The import's time (default: now, local time zone).

    Returns
    -------
    ImportResult
        With every problem found; nothing was written when there is any.
    """
    data, now = Path(data), now or dt.datetime.now().astimezone()
    catalog = load_catalog(data / "catalog")
    names, index = UnitNames(catalog.units), ColumnIndex(catalog)
    dhis2 = Context(catalog, load_mapping(data / "catalog", catalog))
    reports, parsed, problems = _read_sources(paths, index, dhis2)
    with storetx.reading(data) if dry_run else storetx.writing(data) as stage:
        frame = _incoming(parsed)
        checked = check(frame, catalog, names, now.date(), catalog_standards(catalog))
        stored = _stored(data / "values", catalog)
        compared = compare(checked.rows.assign(fileno=frame.loc[checked.rows.index, "fileno"]), stored)
        found = checked.problems + ([] if replace else _conflicts(frame, compared))
        problems += [p for one in parsed for p in one.problems]
        problems += first_in_file([p for _, p in sorted(found, key=lambda kp: (frame.at[int(kp[0]), "fileno"], kp[0]))],
                                  {} if replace else year_notes(frame, compared, stored))
        rows = _settle(compared, replace, now)
        _count(reports, frame, checked, rows, problems)
        previous = _previous_imports(data / LOG_NAME)
        for warning in checked.warnings:             # e.g. a misspelt commune name read by its right code
            for report in reports:
                if _in_file(warning.file, report.name):
                    sheet = warning.file[len(report.name):]
                    report.notes.append(f"{sheet + ' ' if sheet else ''}row {warning.line}: {warning.message}")
        for report in reports:
            if report.sha256 in previous:
                report.notes.append(f"same content imported before, on {previous[report.sha256]}")
        indexed = {r.name for r in reports if r.layout == JSON_LAYOUT}     # located by dataValues[i], not a line
        result = ImportResult(reports, relocate(_ordered(problems, reports), indexed), _replaced(rows), dry_run)
        if problems or dry_run:
            return result
        if (rows["status"] != "unchanged").any():
            result.written = _stage_values(data, stage, rows)
        faults.point("stage", stage / LOG_NAME)
        (stage / LOG_NAME).write_text(_log_text(data / LOG_NAME, reports, replace, now), encoding="utf-8")
        storetx.commit(data, stage)
        result.log = data / LOG_NAME
    return result


def _ordered(problems: list[Problem], reports: list[FileReport]) -> list[Problem]:
    """Problems file by file, in the order the files were given (stable within a file)."""
    rank = {r.name: i for i, r in enumerate(reports)}

    def file_rank(p: Problem) -> int:
        return min((i for name, i in rank.items() if _in_file(p.file, name)), default=len(rank))
    return sorted(problems, key=file_rank)
