"""The commands that render reviews and read what was rendered: ``run``, ``batch``, ``preview``, ``check``.

Imported only when one of them runs (:data:`evaltools.cli.COMMANDS`): papermill, nbconvert and
WeasyPrint come with it.
"""

from __future__ import annotations

import argparse
import io
import sys
import time

from evaltools.batch import run_batch
from evaltools.batch.index import write_index
from evaltools.batch.summary import format_summary
from evaltools.core.errors import EvaltoolsError
from evaltools.project.params import from_file, parse_pairs
from evaltools.project.project import batch_reviews, project_folder
from evaltools.project.refs import resolve_review
from evaltools.project.review import load_review
from evaltools.render import results
from evaltools.render.audit import audit, read_ledger, traced
from evaltools.render.preview import preview
from evaltools.render.progress import Reporter
from evaltools.render.run import run_review
from evaltools.store.publish import kept_note


def cmd_run(args: argparse.Namespace) -> int:
    """``evaltools run``: render one review; its result on stdout and in ``<out>/run_results.json``."""
    out, clock, reporter = project_folder(args.out, "outputs"), time.perf_counter(), _reporter(args)
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


def _reporter(args: argparse.Namespace) -> Reporter:
    return Reporter(level="ERROR" if args.quiet else args.log_level)


def cmd_batch(args: argparse.Namespace) -> int:
    """``evaltools batch``: render many reviews; a summary table, ``<out>/index.html`` and the results file."""
    configs = [resolve_review(r) for r in batch_reviews(args.reviews, args.select)]
    out, quiet = project_folder(args.out, "outputs"), args.quiet or args.log_level in ("WARNING", "ERROR")
    result = run_batch(configs, areas=args.areas, years=args.years, window=args.window, formats=_formats(args.to),
                       lang=args.lang, out=out, notebook=args.notebook, workers=args.workers,
                       scheduler=args.scheduler, force=args.force, allow_invalid=args.allow_invalid,
                       final=args.final, stream=io.StringIO() if quiet else None,
                       parameters=from_file(args.parameters_file, parse_pairs(args.parameters)), timeout=args.execution_timeout,
                       select=args.select or ())
    entries = [results.review_result(o.review_id, o.status, o.seconds, out, o.message, worker=o.worker)
               for o in result.outcomes]
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


def cmd_preview(args: argparse.Namespace) -> int:
    """``evaltools preview``: render the HTML, serve it on 127.0.0.1 and render again on each change."""
    reporter = _reporter(args)      # the review's inputs were checked, a killed run's outputs recovered (prepare)
    try:
        preview(resolve_review(args.review), project_folder(args.out, "outputs"), port=args.port, lang=args.lang,
                notebook=args.notebook, reporter=reporter, say=lambda line: print(line, flush=True))
    finally:
        reporter.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``evaltools check``: every figure of a rendered report that contradicts another, one line each."""
    out = project_folder(args.out, "outputs")
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
