"""The ``evaltools`` command line.

Every sub-command has ``--help``. Any failure ends the command with one clear
message on stderr naming the file, row or key and what to do, and exit code 1
(2 for a usage error such as an unknown option); never a traceback, unless
``--debug`` asks for it. Library log messages (Papermill's, asyncio's) are not
shown either, except with ``--debug``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from . import __version__, faults
from .errors import HANDLED, EvaltoolsError, os_error_line

DEFAULT_OUT = Path("outputs")


def _cmd_indicators(args: argparse.Namespace) -> int:
    from .context import indicators_csv, open_review
    from .iorw import atomic_write
    from .publish import recover_outputs

    recover_outputs(args.out)
    data = open_review(args.review, lang=args.lang)
    target = atomic_write(args.out / data.review.id / "indicators.csv", indicators_csv(data))
    print(f"{target}: {len(data.indicators)} rows "
          f"({data.indicators['indicator'].nunique()} indicators, {data.indicators['unit'].nunique()} units)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from .limits import check_review_inputs
    from .publish import recover_outputs
    from .run import run_review

    check_review_inputs(args.review)
    recover_outputs(args.out)
    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    result = run_review(args.review, formats=formats, lang=args.lang, out=args.out, notebook=args.notebook,
                        allow_invalid=args.allow_invalid)
    print(f"{result.folder}: {', '.join(result.files)} ({result.seconds:.1f} s)"
          + (f"; kept from before, not re-rendered: {', '.join(result.kept)}" if result.kept else "")
          + (f"; removed: {', '.join(f + '/' for f in result.removed)} (an earlier failed run)"
             if result.removed else ""))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .iorw import atomic_write
    from .validation import findings_csv, format_report, validate

    result = validate(args.review, rules=args.rules)
    print(format_report(result, lang=args.lang or result.review.language))
    if args.csv:
        target = atomic_write(args.csv, findings_csv(result.findings))
        print(f"{target}: {len(result.findings)} findings")
    return result.exit_code


def _cmd_import(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .intake.importer import import_files
    from .intake.summary import format_summary

    result = import_files(args.files, args.data, dry_run=args.dry_run, replace=args.replace)
    print(format_summary(result))
    if result.problems:
        raise InputError(result.problems)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .errors import display_path
    from .intake.template import write_template

    out = args.out or DEFAULT_OUT / "templates" / f"return-{args.year}.xlsx"
    target = write_template(load_catalog(args.data / "catalog"), args.year, out)
    print(f"{display_path(target)}: return template for {args.year}")
    return 0


def _cmd_new_review(args: argparse.Namespace) -> int:
    from .scaffold import describe, new_review

    made = new_review(args.source, args.first, args.last, review_id=args.id, data=args.data)
    print(describe(made, args.first, args.last))
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch
    from .limits import check_review_inputs
    from .publish import recover_outputs
    from .batch.summary import format_summary

    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    for config in args.reviews:
        check_review_inputs(config)
    recover_outputs(args.out)
    result = run_batch(args.reviews, areas=args.areas, years=args.years, window=args.window, formats=formats,
                       lang=args.lang, out=args.out, notebook=args.notebook, workers=args.workers,
                       scheduler=args.scheduler, force=args.force, allow_invalid=args.allow_invalid)
    print(format_summary(result.outcomes, result.seconds))
    print(f"index: {result.index}")
    if result.interrupted:
        print("evaltools: interrupted; finished reviews were kept, unfinished ones left nothing behind",
              file=sys.stderr)
    return result.exit_code


def _cmd_recover(args: argparse.Namespace) -> int:
    from .errors import display_path
    from .locks import EXCLUSIVE, locked
    from .publish import recover_outputs
    from .storetx import recover

    done = []
    if args.data.is_dir():
        with locked(args.data, EXCLUSIVE, "an import or a run using the data"):
            done += [f"{display_path(args.data)}: completed an interrupted import ({j})" for j in recover(args.data)]
    done += [f"{display_path(args.out)}: completed an interrupted run ({j})" for j in recover_outputs(args.out)]
    print("\n".join(done) if done else "nothing to recover: the data and the outputs are each in one state")
    return 0


def _render_options(p: argparse.ArgumentParser, what: str) -> None:
    """Options shared by ``run`` and ``batch``."""
    p.add_argument("--to", default="html,pdf",
                   help="comma-separated exports: html, pdf, docx (Word copy) (default: html,pdf)")
    p.add_argument("--lang", choices=("vi", "en"), help=f"report language (default: {what})")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="outputs folder (default: outputs)")
    p.add_argument("--notebook", type=Path, help="report notebook (default: notebooks/review.ipynb)")
    p.add_argument("--allow-invalid", action="store_true",
                   help="render even if validation finds high-importance problems (page 1 then says so)")


def _add_indicators(sub) -> None:
    p = sub.add_parser("indicators", help="compute a review's indicators into outputs/<id>/indicators.csv",
                       description="Compute every indicator of a review per unit, year and period.")
    p.add_argument("review", type=Path, help="review config (YAML), e.g. data/reviews/ct20-2012-2017.yaml")
    p.add_argument("--lang", choices=("vi", "en"), help="language of names (default: the review's)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="outputs folder (default: outputs)")
    p.set_defaults(func=_cmd_indicators)


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="render a review: notebook, report (HTML, PDF, Word), indicators, manifest",
                       description="Execute the report notebook with Papermill in the project's kernel, "
                                   "export it to HTML and PDF, and write outputs/<id>/ only when all succeeded.")
    p.add_argument("review", type=Path, help="review config (YAML)")
    _render_options(p, "the review's")
    p.set_defaults(func=_cmd_run)


def _add_validate(sub) -> None:
    p = sub.add_parser("validate", help="check a review's data: schema, rules, completeness, outliers",
                       description="Check every data value of a review against the catalog and the rules "
                                   "in <data>/catalog/validation_rules.yaml, and list every finding. "
                                   "Exit code 1 when any finding is of high importance, 0 otherwise.")
    p.add_argument("review", type=Path, help="review config (YAML)")
    p.add_argument("--csv", type=Path, help="also write the findings to this CSV file")
    p.add_argument("--rules", type=Path, help="rules file (default: <data>/catalog/validation_rules.yaml)")
    p.add_argument("--lang", choices=("vi", "en"), help="language of rule names (default: the review's)")
    p.set_defaults(func=_cmd_validate)


def _add_import(sub) -> None:
    p = sub.add_parser("import", help="import communes' returns (CSV or XLSX) into <data>/values",
                       description="Read returns (the store's long CSV, or wide CSV/XLSX returns such as the "
                                   "template's) into the data store, all or nothing: any problem in any file "
                                   "and nothing is written. Each import is logged in <data>/imports.csv.")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="return files (.csv or .xlsx)")
    p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    p.add_argument("--dry-run", action="store_true", help="check and show the summary, write nothing")
    p.add_argument("--replace", action="store_true",
                   help="overwrite stored values that differ (default: refuse them)")
    p.set_defaults(func=_cmd_import)


def _add_template(sub) -> None:
    p = sub.add_parser("template", help="write the .xlsx return template communes fill in for a year",
                       description="Write an .xlsx return for YEAR: one row per unit that exists in YEAR, "
                                   "a column per data element and option, instructions in Vietnamese.")
    p.add_argument("year", type=int, metavar="YEAR", help="the year the return reports, e.g. 2023")
    p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
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
    p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    p.set_defaults(func=_cmd_new_review)


def _add_batch(sub) -> None:
    p = sub.add_parser("batch", help="render many reviews in parallel, only those whose inputs changed",
                       description="Render many reviews, each in its own worker process and kernel: the "
                                   "configs given, or each expanded over areas and/or periods. A review whose "
                                   "inputs (data in its area and years, catalogs, config, narrative, notebook, "
                                   "parameters) match its last good outputs is skipped. Ends with a summary "
                                   "table and writes <out>/index.html. Exit code 1 when any review failed.")
    p.add_argument("reviews", type=Path, nargs="+", metavar="REVIEW", help="review configs (YAML)")
    p.add_argument("--areas", help="expand over areas: all-districts (of the review's province) or codes, "
                                   "comma-separated (e.g. 901,902)")
    p.add_argument("--years", help="expand over periods: a span such as 2013-2022 (one annual review per year)")
    p.add_argument("--window", type=int, help="with --years: reviews of N years each, one ending in every year")
    _render_options(p, "each review's")
    p.add_argument("--workers", type=int, help="local worker processes (default: the CPUs available)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="render on this Dask distributed scheduler (e.g. tcp://10.0.0.5:8786) instead; "
                        "needs evaltools[dask] and the same paths on every worker")
    p.add_argument("--force", action="store_true", help="render even the reviews whose inputs did not change")
    p.set_defaults(func=_cmd_batch)


def _add_recover(sub) -> None:
    p = sub.add_parser("recover", help="complete (or undo) what an interrupted import or run left",
                       description="Every command that uses the data or the outputs does this first: an import or "
                                   "run killed after it committed is completed, one killed before is undone. This "
                                   "command only does that, e.g. before a backup.")
    p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="outputs folder (default: outputs)")
    p.set_defaults(func=_cmd_recover)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="evaltools", description="Compute, check and render periodic policy reviews.")
    parser.add_argument("--version", action="version", version=f"evaltools {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on a failure, also show the Python traceback and library log messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (_add_indicators, _add_run, _add_validate, _add_import, _add_template, _add_new_review,
                _add_batch, _add_recover):
        add(sub)
    return parser


def _failure(args: argparse.Namespace, line: str, code: int = HANDLED) -> int:
    """Print the one line of a failure (after the traceback, with --debug); return the exit code."""
    if args.debug:
        traceback.print_exc(file=sys.stderr)
    print(f"evaltools: {line}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    faults.arm()
    if args.debug:
        logging.basicConfig(level=logging.INFO, force=True)
    else:
        logging.getLogger().addHandler(logging.NullHandler())   # no library chatter (asyncio, nbclient)
    try:
        return args.func(args)
    except EvaltoolsError as exc:
        return _failure(args, f"error: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        return _failure(args, "interrupted; nothing was left half-written", 130)
    except BrokenPipeError:
        # The reader went away (``evaltools validate ... | head``): stop quietly, as Unix tools do.
        sys.stderr.close()
        return 141
    except OSError as exc:
        return _failure(args, f"error: {os_error_line(exc)}")
    except MemoryError:
        return _failure(args, "error: out of memory; nothing was half-written; close other programs, or split the "
                              "input into smaller files")
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback reaches the user
        return _failure(args, f"internal error: {type(exc).__name__}: {exc}; nothing was half-written; run the "
                              "command again with --debug (evaltools --debug ...) and report what it shows")


if __name__ == "__main__":
    sys.exit(main())
