"""The ``evaltools`` command line.

Every sub-command has ``--help``. A failure ends the command with one clear line on
stderr and exit code 1 (2 for a usage error), never a traceback: :mod:`evaltools.core.failures`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

from evaltools.core import faults, interrupts
from evaltools.cli.args import build_parser as _build
from evaltools.core.errors import EvaltoolsError


def _folder(given: Path | None, key: str) -> Path:
    """A folder option as given, else the project's (``outputs``, ``data``), else ``./<key>``."""
    if given is not None:
        return given
    from evaltools.project.project import ENV_VAR, find_project

    try:
        return getattr(find_project(), key)
    except EvaltoolsError:
        if os.environ.get(ENV_VAR):
            raise
        return Path(key)


def _default(key: str) -> Path | None:
    """The project's folder ``key`` for the output guard, or None where no project can be found (the
    command that needs one says so in its own words)."""
    try:
        return _folder(None, key)
    except EvaltoolsError:
        return None


def _cmd_indicators(args: argparse.Namespace) -> int:
    from evaltools.dataset.context import indicators_csv, open_review
    from evaltools.core.iorw import atomic_write

    from evaltools.project.outpaths import review_folder

    data = open_review(args.review, lang=args.lang)
    target = atomic_write(review_folder(_folder(args.out, "outputs"), data.review.id) / "indicators.csv",
                          indicators_csv(data))
    shown = data.shown
    if args.json:
        print(_records_json({"review": data.review.id, "file": str(target), "rows": shown}))
        return 0
    print(f"{target}: {len(shown)} rows ({shown['indicator'].nunique()} indicators, {shown['unit'].nunique()} units)")
    return 0


def _records_json(document: dict) -> str:
    """``document`` as JSON, each DataFrame in it as a list of records (missing values null, never NaN)."""
    import pandas as pd

    def plain(value):
        if isinstance(value, pd.DataFrame):
            return json.loads(value.to_json(orient="records", force_ascii=False, date_format="iso"))
        return value

    return json.dumps({k: plain(v) for k, v in document.items()}, ensure_ascii=False, indent=2)


def _cmd_run(args: argparse.Namespace) -> int:
    from evaltools.render import results
    from evaltools.batch.index import write_index
    from evaltools.project.params import from_file, parse_pairs
    from evaltools.store.publish import kept_note
    from evaltools.render.run import run_review

    out, clock, reporter = _folder(args.out, "outputs"), time.perf_counter(), _reporter(args)
    try:
        result = run_review(args.review, formats=_formats(args.to), lang=args.lang, out=out, notebook=args.notebook,
                            allow_invalid=args.allow_invalid, final=args.final,
                            parameters=from_file(args.parameters_file, parse_pairs(args.parameters)), timeout=args.execution_timeout,
                            reporter=reporter)
    except EvaltoolsError as exc:
        if args.json:                     # the machine's answer; the one line still goes to stderr
            entry = results.review_result(str(args.review), "failed", time.perf_counter() - clock, out, _one(exc))
            print(results.dumps(results.document("run", [entry], time.perf_counter() - clock)), end="")
        raise
    finally:
        reporter.close()                  # an error line starts on a line of its own
    write_index(out)                      # the page a reader opens first lists this review's files too
    doc = results.document("run", [results.review_result(result.review_id, "done", result.seconds, out)],
                           time.perf_counter() - clock)
    results.write(out, doc)
    if args.json:
        print(results.dumps(doc), end="")
    else:
        print(f"{result.folder}: {', '.join(result.files)} ({result.seconds:.1f} s){kept_note(result)}")
    return 0


def _formats(text: str) -> list[str]:
    """``--to html,PDF``: format names in any case, as nbconvert and Quarto take them."""
    return [f.strip().lower() for f in text.split(",") if f.strip()]


def _one(exc: Exception) -> str:
    """A failure's message on one line (several problems joined by "; ")."""
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def _reporter(args: argparse.Namespace):
    from evaltools.render.progress import Reporter

    return Reporter(level="ERROR" if args.quiet else args.log_level)


def _cmd_validate(args: argparse.Namespace) -> int:
    from evaltools.core.iorw import atomic_write
    from evaltools.validation import findings_csv, format_report, validate

    from evaltools.project.refs import resolve_review

    result = validate(resolve_review(args.review), rules=args.rules, whole_store=args.store)
    if args.json:
        findings = result.findings
        counts = {level: int((findings["importance"] == level).sum()) for level in ("high", "medium", "low")}
        print(_records_json({"review": result.review.id, "exit_code": result.exit_code, "findings": counts,
                             "items": findings}))
        return result.exit_code
    print(format_report(result, lang=args.lang or result.review.language))
    if args.csv:
        target = atomic_write(args.csv, findings_csv(result.findings))
        print(f"{target}: {len(result.findings)} findings")
    return result.exit_code


def _cmd_check(args: argparse.Namespace) -> int:
    from evaltools.render.audit import audit, read_ledger, traced
    from evaltools.project.refs import resolve_review
    from evaltools.project.review import load_review

    out = _folder(args.out, "outputs")
    if (out / str(args.review) / "facts.json").is_file():   # a rendered review by id (a batch's own ones too)
        name = str(args.review)
    else:
        name = load_review(resolve_review(args.review)).id
    ledger = read_ledger(out / name)
    found = audit(ledger)
    written, known = traced(ledger)
    for line in found:
        print(f"{name}: {line}")
    print(f"{name}: {written} figures written, {known} traced to their facts; {len(found)} contradictions")
    return 1 if found else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from evaltools.core.errors import EvaltoolsError, InputError
    from evaltools.intake.importer import import_files
    from evaltools.intake.summary import format_summary, import_summary

    result = import_files(args.files, _folder(args.data, "data"), dry_run=args.dry_run, replace=args.replace)
    if args.json:           # the conflicts are in the document; stderr and the exit code still say it
        print(json.dumps(import_summary(result), ensure_ascii=False, indent=2))
        if result.problems:
            raise EvaltoolsError(f"import refused: {len(result.problems)} problem(s) (the conflicts above); "
                                 "nothing was written")
        return 0
    print(format_summary(result))
    if result.problems:
        raise InputError(result.problems)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from evaltools.model.catalog import load_catalog
    from evaltools.core.errors import display_path
    from evaltools.intake.template import write_template

    out = args.out or _folder(None, "outputs") / "templates" / f"return-{args.year}.xlsx"
    target = write_template(load_catalog(_folder(args.data, "data") / "catalog"), args.year, out)
    print(f"{display_path(target)}: return template for {args.year}")
    return 0


def _cmd_new_review(args: argparse.Namespace) -> int:
    from evaltools.scaffold import describe, new_review

    if not args.source and not args.programme:
        from evaltools.core.errors import UsageError
        raise UsageError("new-review: name the last review (--from REVIEW) or the programme (--programme NAME)")
    made = new_review(args.source, args.first, args.last, review_id=args.id, data=_folder(args.data, "data"),
                      programme=args.programme)
    print(describe(made, args.first, args.last))
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from evaltools.render import results
    from evaltools.batch import run_batch
    from evaltools.batch.summary import format_summary
    from evaltools.project.params import from_file, parse_pairs
    from evaltools.project.refs import resolve_review

    configs = [resolve_review(r) for r in args.reviews]
    out, quiet = _folder(args.out, "outputs"), args.quiet or args.log_level in ("WARNING", "ERROR")
    result = run_batch(configs, areas=args.areas, years=args.years, window=args.window, formats=_formats(args.to),
                       lang=args.lang, out=out, notebook=args.notebook, workers=args.workers,
                       scheduler=args.scheduler, force=args.force, allow_invalid=args.allow_invalid,
                       final=args.final, stream=io.StringIO() if quiet else None,
                       parameters=from_file(args.parameters_file, parse_pairs(args.parameters)), timeout=args.execution_timeout)
    entries = [results.review_result(o.review_id, o.status, o.seconds, out, o.message) for o in result.outcomes]
    doc = results.document("batch", entries, result.seconds)
    results.write(out, doc)
    if args.json:
        print(results.dumps(doc), end="")
    else:
        print(format_summary(result.outcomes, result.seconds))
        print(f"index: {result.index}")
    if result.interrupted:
        print("evaltools: interrupted; finished reviews were kept, unfinished ones left nothing behind",
              file=sys.stderr)
    return result.exit_code


def _cmd_new_programme(args: argparse.Namespace) -> int:
    from evaltools.core.errors import display_path
    from evaltools.scaffold.programme import new_programme

    target = new_programme(args.name, args.source, _folder(None, "programmes"))
    print(f"{display_path(target)}: programme {args.name} (copied from {args.source}); edit its review.ipynb "
          f"and texts.yaml, then name it in a review config: programme: {args.name}")
    return 0


def _cmd_recover(args: argparse.Namespace) -> int:
    from evaltools.store.publish import recover_all

    print("\n".join(recover_all(_folder(args.data, "data"), _folder(args.out, "outputs"))))
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from evaltools.project.listing import listing, format_listing

    found = listing(_folder(args.data, "data"), _folder(None, "programmes"), _folder(args.out, "outputs"))
    print(json.dumps(found, ensure_ascii=False, indent=2) if args.json else format_listing(found))
    return 0


COMMANDS = {"indicators": _cmd_indicators, "run": _cmd_run, "validate": _cmd_validate, "check": _cmd_check,
            "import": _cmd_import,
            "template": _cmd_template, "new-review": _cmd_new_review, "new-programme": _cmd_new_programme,
            "batch": _cmd_batch, "recover": _cmd_recover, "list": _cmd_list}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command (:mod:`evaltools.cli.args`)."""
    return _build()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 a handled failure, 2 a usage error)."""
    from evaltools.core.failures import guarded

    parser = build_parser()
    args = parser.parse_args(argv)
    faults.arm()
    interrupts.install()

    def command() -> int:
        if args.project is not None:
            from evaltools.project.project import ENV_VAR, find_project

            # Through the environment, so every lookup and every kernel started sees the same project.
            os.environ[ENV_VAR] = str(find_project(explicit=args.project).root)
        from evaltools.project.outpaths import guard  # no output of any command lands in a data folder
        guard(args, {"out": (_default("outputs"), "the outputs folder (--out not given)"),
                     "save": (Path.cwd(), "the working folder, where --save writes by default")},
              _default("data"))
        if args.command in ("run", "batch", "indicators"):     # refuse a hostile config or narrative before any
            from evaltools.project.review import check_review_inputs  # kernel starts; finish what a killed run left
            from evaltools.store.publish import recover_outputs
            for ref in getattr(args, "reviews", None) or [args.review]:
                check_review_inputs(ref)
            recover_outputs(_folder(args.out, "outputs"))
        return (getattr(args, "func", None) or COMMANDS[args.command])(args)
    return guarded(command, args.debug)


if __name__ == "__main__":
    sys.exit(main())
