"""The import summary a user reads (after DHIS2's: read, added, unchanged, replaced, rejected)."""

from __future__ import annotations

from evaltools.core.errors import display_path
from evaltools.intake.importer import FileReport, ImportResult
from evaltools.intake.numbers import from_cell

COLUMNS = ("file", "layout", "encoding", "years", "rows", "values", "empty", "added", "unchanged", "replaced",
           "rejected")
MAX_REPLACED_SHOWN = 20


def _years(years: list[int]) -> str:
    if not years:
        return "-"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _cells(report: FileReport) -> list[str]:
    return [report.name, report.layout or "-", report.encoding or "-", _years(report.years),
            *(str(getattr(report, c)) for c in COLUMNS[4:])]


def format_summary(result: ImportResult) -> str:
    """A plain-text table with one line per file and a total, then notes and replacements."""
    rows = [list(COLUMNS)] + [_cells(r) for r in result.files]
    if len(result.files) > 1:
        totals = [str(sum(getattr(r, c) for r in result.files)) for c in COLUMNS[4:]]
        rows.append(["total", "", "", _years(sorted({y for r in result.files for y in r.years})), *totals])
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) if i < 4 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    lines += _notes(result.files)
    for r in result.replaced.head(MAX_REPLACED_SHOWN).itertuples():
        lines.append(f"replaced {r.element} {r.period} {r.unit} {r.category}: {from_cell(r.stored_value)} "
                     f"({r.stored_at}) -> {from_cell(r.value)} ({r.source})")
    if len(result.replaced) > MAX_REPLACED_SHOWN:
        lines.append(f"... and {len(result.replaced) - MAX_REPLACED_SHOWN} more replaced")
    if any(r.layout.startswith("DHIS2") for r in result.files):
        lines.append(dhis2_count(result))
    lines.append(_outcome(result))
    return "\n".join(lines)


def _notes(files: list[FileReport]) -> list[str]:
    """Each file's notes; a note several files share ("sheet 'Hướng dẫn' skipped") is said once."""
    shared: dict[str, list[str]] = {}
    for report in files:
        for note in dict.fromkeys(report.notes):
            shared.setdefault(note, []).append(report.name)
    out = []
    for note, names in shared.items():
        if len(names) == 1:
            out.append(f"{names[0]}: {note}")
        else:
            which = "all" if len(names) == len(files) else "these"
            shown = "" if which == "all" else ": " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
            out.append(f"{note} in {which} {len(names)} files{shown}")
    return out


def import_summary(result: ImportResult) -> dict:
    """The outcome shaped as DHIS2's ImportSummary (status, importCount, conflicts), for ``import --json``.

    imported = values added, updated = values replaced, ignored = values unchanged or
    refused (DHIS2 ignores an unchanged value too); an import is all or nothing, so a
    refused one imported and updated nothing. Nothing is ever deleted. Counts are of yearly values
    as stored (twelve months make one), except that a refused import ignores every data value read.
    A conflict's ``object`` is where the problem is (file, line, column), its ``value`` what is wrong.
    """
    values = sum(r.values for r in result.files)
    if result.problems:     # every data value read is ignored, months included
        status, imported, updated, ignored = "ERROR", 0, 0, sum(r.rows for r in result.files)
    else:
        imported, updated = sum(r.added for r in result.files), sum(r.replaced for r in result.files)
        ignored = values - imported - updated
        status = "SUCCESS"
    conflicts = [{"object": ":".join(str(x) for x in (p.file, p.line, p.field) if x is not None), "value": p.message}
                 for p in result.problems]
    return {"responseType": "ImportSummary", "status": status, "dryRun": bool(result.dry_run),
            "description": _outcome(result),
            "importCount": {"imported": imported, "updated": updated, "ignored": ignored, "deleted": 0},
            "conflicts": conflicts}


def dhis2_count(result: ImportResult) -> str:
    """The outcome in the words of DHIS2's import summary, on one line: ``conflicts`` is DHIS2's name for the
    table's ``rejected`` (values refused, each for a reason of its own), the same count; a problem of a whole
    file (not JSON, no figures) is no value's conflict: the status says ERROR."""
    summary = import_summary(result)
    count = summary["importCount"]
    dry = " (dry run: what would be imported)" if result.dry_run and not result.problems else ""
    return (f"import summary (DHIS2): status {summary['status']}, importCount imported {count['imported']}, "
            f"updated {count['updated']}, ignored {count['ignored']}, deleted 0; "
            f"conflicts {sum(r.rejected for r in result.files)}{dry}")


def _outcome(result: ImportResult) -> str:
    if result.problems:       # the table's count, where values were refused; else the whole files' problems
        rejected = sum(r.rejected for r in result.files)
        return f"REFUSED: {f'{rejected} value(s) rejected' if rejected else f'{len(result.problems)} problem(s)'}, " \
               "nothing was written"
    if result.dry_run:
        return "dry run: nothing was written"
    written = f"values changed in {', '.join(result.written)}" if result.written else "the store is unchanged"
    return f"imported: {written}; logged in {display_path(result.log)}"
