"""The ``evaltools`` command line.

Every sub-command has ``--help``. A failure ends the command with one clear line on
stderr and exit code 1 (2 for a usage error), never a traceback: :mod:`evaltools.failures`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, faults
from .errors import EvaltoolsError


def _folder(given: Path | None, key: str) -> Path:
    """A folder option as given, else the project's (``outputs``, ``data``), else ``./<key>``."""
    if given is not None:
        return given
    from .project import ENV_VAR, find_project

    try:
        return getattr(find_project(), key)
    except EvaltoolsError:
        if os.environ.get(ENV_VAR):
            raise
        return Path(key)


def _cmd_indicators(args: argparse.Namespace) -> int:
    from .context import indicators_csv, open_review
    from .iorw import atomic_write

    data = open_review(args.review, lang=args.lang)
    target = atomic_write(_folder(args.out, "outputs") / data.review.id / "indicators.csv", indicators_csv(data))
    shown = data.shown
    print(f"{target}: {len(shown)} rows ({shown['indicator'].nunique()} indicators, {shown['unit'].nunique()} units)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from .batch.index import write_index
    from .publish import kept_note
    from .run import run_review

    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    out = _folder(args.out, "outputs")
    result = run_review(args.review, formats=formats, lang=args.lang, out=out,
                        notebook=args.notebook, allow_invalid=args.allow_invalid, final=args.final)
    write_index(out)                      # the page a reader opens first lists this review's files too
    print(f"{result.folder}: {', '.join(result.files)} ({result.seconds:.1f} s){kept_note(result)}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .iorw import atomic_write
    from .validation import findings_csv, format_report, validate

    from .context import resolve_review

    result = validate(resolve_review(args.review), rules=args.rules)
    print(format_report(result, lang=args.lang or result.review.language))
    if args.csv:
        target = atomic_write(args.csv, findings_csv(result.findings))
        print(f"{target}: {len(result.findings)} findings")
    return result.exit_code


def _cmd_import(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .intake.importer import import_files
    from .intake.summary import format_summary

    result = import_files(args.files, _folder(args.data, "data"), dry_run=args.dry_run, replace=args.replace)
    print(format_summary(result))
    if result.problems:
        raise InputError(result.problems)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .errors import display_path
    from .intake.template import write_template

    out = args.out or _folder(None, "outputs") / "templates" / f"return-{args.year}.xlsx"
    target = write_template(load_catalog(_folder(args.data, "data") / "catalog"), args.year, out)
    print(f"{display_path(target)}: return template for {args.year}")
    return 0


def _cmd_new_review(args: argparse.Namespace) -> int:
    from .scaffold import describe, new_review

    made = new_review(args.source, args.first, args.last, review_id=args.id, data=_folder(args.data, "data"))
    print(describe(made, args.first, args.last))
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch
    from .batch.summary import format_summary

    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    from .context import resolve_review

    configs = [resolve_review(r) for r in args.reviews]
    result = run_batch(configs, areas=args.areas, years=args.years, window=args.window, formats=formats,
                       lang=args.lang, out=_folder(args.out, "outputs"), notebook=args.notebook, workers=args.workers,
                       scheduler=args.scheduler, force=args.force, allow_invalid=args.allow_invalid,
                       final=args.final)
    print(format_summary(result.outcomes, result.seconds))
    print(f"index: {result.index}")
    if result.interrupted:
        print("evaltools: interrupted; finished reviews were kept, unfinished ones left nothing behind",
              file=sys.stderr)
    return result.exit_code


def _cmd_new_programme(args: argparse.Namespace) -> int:
    from .errors import display_path
    from .scaffold.programme import new_programme

    target = new_programme(args.name, args.source, _folder(None, "programmes"))
    print(f"{display_path(target)}: programme {args.name} (copied from {args.source}); edit its review.ipynb "
          f"and texts.yaml, then name it in a review config: programme: {args.name}")
    return 0


def _cmd_recover(args: argparse.Namespace) -> int:
    from .publish import recover_all

    print("\n".join(recover_all(_folder(args.data, "data"), _folder(args.out, "outputs"))))
    return 0


REVIEW_HELP = "review id (data/reviews/<id>.yaml, e.g. ct20-2012-2017) or config path"


def _render_options(p: argparse.ArgumentParser, what: str) -> None:
    """Options shared by ``run`` and ``batch``."""
    p.add_argument("--to", default="html,pdf",
                   help="comma-separated exports: html, pdf, docx (Word copy) (default: html,pdf)")
    p.add_argument("--lang", choices=("vi", "en"), help=f"report language (default: {what})")
    p.add_argument("--out", type=Path, help="outputs folder (default: the project's outputs/)")
    p.add_argument("--notebook", type=Path,
                   help="report notebook (default: the config's notebook:, else its programme's)")
    p.add_argument("--allow-invalid", action="store_true",
                   help="render even if validation finds high-importance problems (page 1 then says so)")
    p.add_argument("--final", action="store_true",
                   help="render the final report (as status: final in the config): refused while a narrative "
                        "part is unwritten, a heading is empty or the data have high-importance problems")


def _add_indicators(sub) -> None:
    p = sub.add_parser("indicators", help="compute a review's indicators into outputs/<id>/indicators.csv",
                       description="Compute every indicator of a review per unit, year and period.")
    p.add_argument("review", help=REVIEW_HELP)
    p.add_argument("--lang", choices=("vi", "en"), help="language of names (default: the review's)")
    p.add_argument("--out", type=Path, help="outputs folder (default: the project's outputs/)")
    p.set_defaults(func=_cmd_indicators)


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="render a review: notebook, report (HTML, PDF, Word), indicators, manifest",
                       description="Execute the report notebook with Papermill in the project's kernel, "
                                   "export it to HTML and PDF, and write outputs/<id>/ only when all succeeded.")
    p.add_argument("review", help=REVIEW_HELP)
    _render_options(p, "the review's")
    p.set_defaults(func=_cmd_run)


def _add_validate(sub) -> None:
    p = sub.add_parser("validate", help="check a review's data: schema, rules, completeness, outliers",
                       description="Check every data value of a review against the catalog and the rules "
                                   "in <data>/catalog/validation_rules.yaml, and list every finding. "
                                   "Exit code 1 when any finding is of high importance, 0 otherwise.")
    p.add_argument("review", help=REVIEW_HELP)
    p.add_argument("--csv", type=Path, help="also write the findings to this CSV file")
    p.add_argument("--rules", type=Path, help="rules file (default: <data>/catalog/validation_rules.yaml)")
    p.add_argument("--lang", choices=("vi", "en"), help="language of rule names (default: the review's)")
    p.set_defaults(func=_cmd_validate)


def _add_import(sub) -> None:
    p = sub.add_parser("import", help="import communes' returns (CSV or XLSX) into <data>/values",
                       description="Read returns (the store's long CSV, or wide CSV/XLSX returns such as the "
                                   "template's) into the data store, all or nothing: any problem in any file "
                                   "and nothing is written. Each import is logged in <data>/imports.csv.")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE",
                   help="return files (.csv or .xlsx), or DHIS2 data value sets (JSON or DHIS2's CSV)")
    p.add_argument("--data", type=Path, help="data folder (default: the project's data/)")
    p.add_argument("--dry-run", action="store_true", help="check and show the summary, write nothing")
    p.add_argument("--replace", action="store_true",
                   help="overwrite stored values that differ (default: refuse them)")
    p.set_defaults(func=_cmd_import)


def _add_template(sub) -> None:
    p = sub.add_parser("template", help="write the .xlsx return template communes fill in for a year",
                       description="Write an .xlsx return for YEAR: one row per unit that exists in YEAR, "
                                   "a column per data element and option, instructions in Vietnamese.")
    p.add_argument("year", type=int, metavar="YEAR", help="the year the return reports, e.g. 2023")
    p.add_argument("--data", type=Path, help="data folder (default: the project's data/)")
    p.add_argument("--out", type=Path, help="output file (default: outputs/templates/return-YEAR.xlsx)")
    p.set_defaults(func=_cmd_template)


def _add_new_review(sub) -> None:
    p = sub.add_parser("new-review", help="scaffold the next review of a series from the last one",
                       description="Write the next review's config (id, title, years and dates moved on; "
                                   "indicators, targets and comments kept; the old review as predecessor) and "
                                   "a narrative skeleton per language with last period's text in comments. "
                                   "Files go beside the old config; an existing review is never overwritten.")
    p.add_argument("--from", dest="source", required=True, metavar="REVIEW",
                   help="the last review: an id in <data>/reviews/ (e.g. ct20-2012-2017) or a config path")
    p.add_argument("--first", type=int, required=True, help="first year of the new review, e.g. 2017")
    p.add_argument("--last", type=int, required=True, help="last year of the new review, e.g. 2022")
    p.add_argument("--id", help="id of the new review (default: the old id with its years moved)")
    p.add_argument("--data", type=Path, help="data folder (default: the project's data/)")
    p.set_defaults(func=_cmd_new_review)


def _add_batch(sub) -> None:
    p = sub.add_parser("batch", help="render many reviews in parallel, only those whose inputs changed",
                       description="Render many reviews, each in its own worker process and kernel: the "
                                   "configs given, or each expanded over areas and/or periods. A review whose "
                                   "inputs (data in its area and years, catalogs, config, narrative, notebook, "
                                   "parameters) match its last good outputs is skipped. Ends with a summary "
                                   "table and writes <out>/index.html. Exit code 1 when any review failed.")
    p.add_argument("reviews", nargs="+", metavar="REVIEW", help="review ids or configs (YAML)")
    p.add_argument("--areas", help="expand over areas: all-districts (of the review's province), "
                                   "every-district (of the catalog) or codes, comma-separated (e.g. 901,902)")
    p.add_argument("--years", help="expand over periods: a span such as 2013-2022 (one annual review per year)")
    p.add_argument("--window", type=int, help="with --years: reviews of N years each, one ending in every year")
    _render_options(p, "each review's")
    p.add_argument("--workers", type=int, help="local worker processes (default: the CPUs available)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="render on this Dask distributed scheduler (e.g. tcp://10.0.0.5:8786) instead; "
                        "needs evaltools[dask] and the same paths on every worker")
    p.add_argument("--force", action="store_true", help="render even the reviews whose inputs did not change")
    p.set_defaults(func=_cmd_batch)


def _add_new_programme(sub) -> None:
    p = sub.add_parser("new-programme", help="start a programme folder (notebook, texts, style) from another",
                       description="Copy a programme folder (programmes/<from>/: its review notebook, texts, "
                                   "workbook layout and style) to programmes/<NAME>/ with its own id, to edit "
                                   "into another kind of review. An existing programme is never overwritten.")
    p.add_argument("name", metavar="NAME", help="the new programme's id and folder name, e.g. injury-hi")
    p.add_argument("--from", dest="source", required=True, metavar="PROGRAMME",
                   help="the programme to start from: an id in programmes/ (e.g. ct20) or a folder")
    p.set_defaults(func=_cmd_new_programme)


def _add_recover(sub) -> None:
    p = sub.add_parser("recover", help="complete (or undo) what an interrupted import or run left (every "
                                       "command does this first; this one does only that)")
    p.add_argument("--data", type=Path, help="data folder (default: the project's data/)")
    p.add_argument("--out", type=Path, help="outputs folder (default: the project's outputs/)")
    p.set_defaults(func=_cmd_recover)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="evaltools", description="Compute, check and render periodic policy reviews.")
    parser.add_argument("--version", action="version", version=f"evaltools {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on a failure, also show the Python traceback and library log messages")
    parser.add_argument("--project", type=Path, metavar="DIR",
                        help="the project folder (default: the first folder from here upwards with evaltools.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from .dhis2cli import add_parsers as add_dhis2_parsers       # export dhis2, pull dhis2

    for add in (_add_indicators, _add_run, _add_validate, _add_import, _add_template, _add_new_review,
                _add_new_programme, _add_batch, _add_recover, add_dhis2_parsers):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from .failures import guarded

    parser = build_parser()
    args = parser.parse_args(argv)
    faults.arm()

    def command() -> int:
        if args.project is not None:
            from .project import ENV_VAR, find_project

            # Through the environment, so every lookup and every kernel started sees the same project.
            os.environ[ENV_VAR] = str(find_project(explicit=args.project).root)
        if args.command in ("run", "batch", "indicators"):     # refuse a hostile config or narrative before any
            from .limits import check_review_inputs         # kernel starts; finish what a killed run left
            from .publish import recover_outputs
            for ref in getattr(args, "reviews", None) or [args.review]:
                check_review_inputs(ref)
            recover_outputs(_folder(args.out, "outputs"))
        return args.func(args)
    return guarded(command, args.debug)


if __name__ == "__main__":
    sys.exit(main())
