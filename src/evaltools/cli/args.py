"""The ``evaltools`` command line's arguments: every sub-command, its options and their help.

Typos get a "did you mean" (sub-commands, options, choices); a usage error exits with
code 2, as argparse's own. ``--quiet`` and ``--log-level`` are taken before or after the
sub-command (``evaltools --quiet run X`` = ``evaltools run X --quiet``).
"""

from __future__ import annotations

import argparse
import difflib
import re
from pathlib import Path

from evaltools import __version__
from evaltools.render.progress import LEVELS
from evaltools.core.schema import LANGUAGES
from evaltools.core.errors import did_you_mean


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors suggest the closest sub-command, option or choice."""

    def error(self, message: str):
        super().error(message + _hint(self, message))

    def parse_args(self, args=None, namespace=None):
        """As argparse's, but an option the sub-command does not know is that sub-command's error: its usage,
        and a suggestion among its own options (``run --format`` -> ``--to``)."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            _command_parser(self, parsed).error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed


def _command_parser(parser: argparse.ArgumentParser, parsed: argparse.Namespace) -> argparse.ArgumentParser:
    """The innermost sub-command parser ``parsed`` went through (``export dhis2``'s), else ``parser``."""
    while True:
        found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(parsed, found[0].dest, None) if found else None
        if not found or name not in found[0].choices:
            return parser
        parser = found[0].choices[name]


# Options of neighbouring tools a user types by habit, and ours that do the same.
HABITS = {"--format": "--to", "--output": "--out", "--output-dir": "--out", "--parameters": "--parameter",
          "--kernel": "--notebook", "--language": "--lang"}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string of ``parser`` and of its sub-commands."""
    found = []
    for action in parser._actions:
        found += [o for o in action.option_strings if o.startswith("--")]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _options(sub)
    return sorted(set(found))


def _hint(parser: argparse.ArgumentParser, message: str) -> str:
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        return did_you_mean(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)))
    unknown = re.search(r"unrecognized arguments: (.*)", message)
    if unknown:
        words = [w.split("=", 1)[0] for w in unknown.group(1).split() if w.startswith("--")]
        known = _options(parser)
        close = did_you_mean(words[0], known, n=1) if words else ""
        habit = [HABITS[w] for w in ([words[0]] if words[0] in HABITS else [] if close else
                                     difflib.get_close_matches(words[0], HABITS, n=1))] if words else []
        if habit and habit[0] in known:
            return f"; did you mean {habit[0]}?"
        return "".join(did_you_mean(w, known, n=1) for w in words[:1])
    return ""


def _common() -> argparse.ArgumentParser:
    """Options every sub-command also takes after its name (defaults come from the main parser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="show no progress, only the result and errors")
    common.add_argument("--log-level", type=str.upper, choices=LEVELS, default=argparse.SUPPRESS,
                        help="what to show on stderr: DEBUG (a line per cell), INFO (a line per section; default), "
                             "WARNING, ERROR")
    return common


COMMON = _common()


def _parser(sub, name: str, **kw) -> argparse.ArgumentParser:
    return sub.add_parser(name, parents=[COMMON], **kw)


def _data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, help="data folder (default: the project's data/)")


def _out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, help="outputs folder (default: the project's outputs/)")


def _lang(p: argparse.ArgumentParser, what: str, default: str = "the review's") -> None:
    p.add_argument("--lang", choices=LANGUAGES, help=f"{what} (default: {default})")


RESULTS_FILE = "run_results.json"
REVIEW_HELP = "review id (data/reviews/<id>.yaml, e.g. ct20-2012-2017) or config path"


def _render_options(p: argparse.ArgumentParser, what: str) -> None:
    """Options shared by ``run`` and ``batch``."""
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"), dest="parameters",
                   help="a value for the report notebook's parameter KEY, read as YAML (3, 0.5, true, text); "
                        "repeatable; recorded in the manifest")
    p.add_argument("-f", "--parameters-file", type=Path, metavar="FILE",
                   help="values for the report notebook's parameters from a YAML file of KEY: VALUE (papermill's "
                        "-f); a -p given too wins")
    p.add_argument("--execution-timeout", type=_seconds, metavar="SECONDS",
                   help="stop a cell that runs longer than this (default: no limit)")
    p.add_argument("--json", action="store_true",
                   help=f"print the result as JSON on stdout (as written to <out>/{RESULTS_FILE})")
    p.add_argument("--to", default="html,pdf",
                   help="comma-separated exports: html, pdf, docx (Word copy) (default: html,pdf)")
    _lang(p, "report language", what)
    _out(p)
    p.add_argument("--notebook", type=Path,
                   help="report notebook (default: the config's notebook:, else its programme's)")
    p.add_argument("--allow-invalid", action="store_true",
                   help="render even if validation finds high-importance problems (page 1 then says so)")
    p.add_argument("--final", action="store_true",
                   help="render the final report (as status: final in the config): refused while a narrative "
                        "part is unwritten, a heading is empty or the data have high-importance problems")


def _add_indicators(sub) -> None:
    p = _parser(sub, "indicators", help="compute a review's indicators into outputs/<id>/indicators.csv",
                     description="Compute every indicator of a review per unit, year and period.")
    p.add_argument("review", help=REVIEW_HELP)
    _lang(p, "language of names")
    _out(p)
    p.add_argument("--json", action="store_true", help="print every indicator row as JSON on stdout (the file is "
                                                        "written too)")


def _add_run(sub) -> None:
    p = _parser(sub, "run", help="render a review: notebook, report (HTML, PDF, Word), indicators, manifest",
                     description="Execute the report notebook with Papermill in the project's kernel, "
                                 "export it to HTML and PDF, and write outputs/<id>/ only when all succeeded. "
                                 "Progress (a line per section of the report) goes to stderr; the result to "
                                 f"stdout and <out>/{RESULTS_FILE}.")
    p.add_argument("review", help=REVIEW_HELP)
    _render_options(p, "the review's")


def _add_validate(sub) -> None:
    p = _parser(sub, "validate", help="check a review's data: schema, rules, completeness, outliers",
                     description="Check every data value of a review against the catalog and the rules "
                                 "in <data>/catalog/validation_rules.yaml, and list every finding. "
                                 "Exit code 1 when any finding is of high importance, 0 otherwise.")
    p.add_argument("review", help=REVIEW_HELP)
    p.add_argument("--csv", type=Path, help="also write the findings to this CSV file")
    p.add_argument("--rules", type=Path, help="rules file (default: <data>/catalog/validation_rules.yaml)")
    p.add_argument("--store", action="store_true",
                   help="check every row of the store against the catalog, not only the rows the review reads "
                        "(its area's units in its years): a malformed row anywhere is named")
    _lang(p, "language of rule names")
    p.add_argument("--json", action="store_true", help="print the findings as JSON on stdout (counts by importance "
                                                        "and every finding); the exit code is the same")


CHECK_HELP = ("Read <out>/<id>/facts.json (written by `evaltools run`) and list, one line each, every figure of the "
              "report that contradicts another: parts and their total, a count and the rows it counts, a stated "
              "rise or fall and the comparisons shown, a change and the values shown, a partial or incomplete "
              "year beside a full one, a figure on missing returns without its mark, a target left out. Exit "
              "code 1 when any is found.")


def _add_check(sub) -> None:
    p = _parser(sub, "check", help="audit a rendered report: figures that contradict each other", description=CHECK_HELP)
    p.add_argument("review", help=REVIEW_HELP)
    _out(p)


def _add_import(sub) -> None:
    p = _parser(sub, "import", help="import communes' returns (CSV or XLSX) into <data>/values",
                     description="Read returns (the store's long CSV, or wide CSV/XLSX returns such as the "
                                 "template's) into the data store, all or nothing: any problem in any file "
                                 "and nothing is written. Each import is logged in <data>/imports.csv.")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE",
                   help="return files (.csv or .xlsx), or DHIS2 data value sets (JSON or DHIS2's CSV)")
    _data(p)
    p.add_argument("--dry-run", action="store_true", help="check and show the summary, write nothing")
    p.add_argument("--replace", action="store_true",
                   help="overwrite stored values that differ (default: refuse them)")
    p.add_argument("--json", action="store_true",
                   help="print the outcome as DHIS2's ImportSummary (status, importCount, conflicts) on stdout")


def _add_template(sub) -> None:
    p = _parser(sub, "template", help="write the .xlsx return template communes fill in for a year",
                     description="Write an .xlsx return for YEAR: one row per unit that exists in YEAR, "
                                 "a column per data element and option, instructions in Vietnamese.")
    p.add_argument("year", type=int, metavar="YEAR", help="the year the return reports, e.g. 2023")
    _data(p)
    p.add_argument("--out", type=Path, help="output file (default: outputs/templates/return-YEAR.xlsx)")


def _add_new_review(sub) -> None:
    p = _parser(sub, "new-review", help="scaffold the next review of a series from the last one",
                     description="Write the next review's config (id, title, years and dates moved on; "
                                 "indicators, targets and comments kept; the old review as predecessor) and "
                                 "a narrative skeleton per language with last period's text in comments. "
                                 "Files go beside the old config; an existing review is never overwritten.")
    p.add_argument("--from", dest="source", metavar="REVIEW",
                   help="the last review: an id in <data>/reviews/ (e.g. ct20-2012-2017) or a config path "
                        "(default: the --programme's latest review, else the project's latest)")
    p.add_argument("--programme", metavar="NAME",
                   help="a review of this programme: its first one takes id, title and programme from it and "
                        "the offices, area and signer from --from")
    p.add_argument("--first", type=int, required=True, help="first year of the new review, e.g. 2017")
    p.add_argument("--last", type=int, required=True, help="last year of the new review, e.g. 2022")
    p.add_argument("--id", help="id of the new review (default: the old id with its years moved)")
    _data(p)


def _add_batch(sub) -> None:
    p = _parser(sub, "batch", help="render many reviews in parallel, only those whose inputs changed",
                     description="Render many reviews, each in its own worker process and kernel: the "
                                 "configs given, or each expanded over areas and/or periods. A review whose "
                                 "inputs (data in its area and years, catalogs, config, narrative, notebook, "
                                 "parameters) match its last good outputs is skipped. Ends with a summary "
                                 "table and writes <out>/index.html. Exit code 1 when any review failed.")
    p.add_argument("reviews", nargs="*", metavar="REVIEW",
                   help="review ids or configs (YAML); none with --select: every review of the project")
    p.add_argument("--select", action="append", metavar="PATTERN",
                   help="render only the reviews this glob matches (dbt's --select): their id (ct20-*-2022), "
                        "area code (45*) or area name (with or without its prefix, or in English); "
                        "case-insensitive; repeatable (any matches); a pattern that matches none is an error")
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


def _add_new_programme(sub) -> None:
    p = _parser(sub, "new-programme", help="start a programme folder (notebook, texts, style) from another",
                     description="Copy a programme folder (programmes/<from>/: its review notebook, texts, "
                                 "workbook layout and style) to programmes/<NAME>/ with its own id, to edit "
                                 "into another kind of review. An existing programme is never overwritten.")
    p.add_argument("name", metavar="NAME", help="the new programme's id and folder name, e.g. injury-hi")
    p.add_argument("--from", dest="source", required=True, metavar="PROGRAMME",
                   help="the programme to start from: an id in programmes/ (e.g. ct20) or a folder")


def _add_recover(sub) -> None:
    p = _parser(sub, "recover", help="complete (or undo) what an interrupted import or run left (every "
                                     "command does this first; this one does only that)")
    _data(p)
    _out(p)


def _add_preview(sub) -> None:
    p = _parser(sub, "preview", help="render a review's HTML, serve it on 127.0.0.1 and re-render on each change",
                description="Render the review's HTML (as `run --to html`), serve the outputs folder on "
                            "127.0.0.1 only, and render again whenever the review config, its narratives, the "
                            "report notebook or a file of the programme's folder (texts.yaml, style) changes, a "
                            "line on stdout each time, as `quarto preview` does. Ctrl-C stops it (exit 130).")
    p.add_argument("review", help=REVIEW_HELP)
    p.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one, printed)")
    _lang(p, "report language")
    p.add_argument("--notebook", type=Path, help="report notebook (default: the config's, else its programme's)")
    _out(p)                                 # rendered into and served


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, found {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, found {text!r}")
    return value


def _add_list(sub) -> None:
    p = _parser(sub, "list", help="list the project's reviews and programmes",
                     description="Every review config of <data>/reviews/ (id, programme, years, status, register "
                                 "number, last rendered) and every programme of programmes/, as dbt ls lists "
                                 "its models.")
    _data(p)
    _out(p)
    p.add_argument("--json", action="store_true", help="print the lists as JSON on stdout")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, found {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected more than 0 seconds, found {text!r}")
    return value


# DHIS2's commands: ``evaltools export dhis2`` and ``evaltools pull dhis2`` (their work: evaltools.cli.dhis2).
EXPORT_OPTIONS = (
    ("review", {"help": REVIEW_HELP}),
    ("--what", {"choices": ("indicators", "data", "all"), "default": "indicators",
                "help": "indicators (default), data (the element values import takes back) or all"}),
    ("--format", {"choices": ("json", "csv"), "default": "json", "help": "json (default) or DHIS2's csv"}),
    ("--ids", {"choices": ("code", "mapped", "combos"), "default": "code",
               "help": "code: the catalog's codes, idScheme CODE (default; the receiving DHIS2 needs category "
                       "option combos coded as the catalog's options, e.g. drowning); mapped: the DHIS2 "
                       "identifiers of <data>/catalog/dhis2.yaml; combos: codes, but the category option combos "
                       "by their identifiers in <data>/catalog/dhis2.yaml (categoryOptionComboIdScheme UID)"}),
    ("--out", {"type": Path, "help": "outputs folder (default: the project's outputs/)"}))
PULL_OPTIONS = (
    ("server", {"help": "the server's address, e.g. https://dhis2.example.org"}),
    ("--data-set", {"action": "append", "required": True, "metavar": "UID", "help": "data set (repeatable)"}),
    ("--period", {"action": "append", "required": True, "metavar": "PERIOD",
                  "help": "ISO period: 2023, 202301, 2023Q1 (repeatable)"}),
    ("--org-unit", {"action": "append", "required": True, "metavar": "UID", "help": "org unit (repeatable)"}),
    ("--children", {"action": "store_true", "help": "also the org units below"}),
    ("--id-scheme", {"choices": ("UID", "CODE"), "help": "identifiers to ask for (default: the server's, UID)"}),
    ("--save", {"type": Path, "help": "file to write (default: dhis2-<data set>-<period>.json here)"}),
    ("--timeout", {"type": _seconds, "default": 60.0,
                   "help": "seconds the whole transfer may take, redirects included (default: 60)"}))
DHIS2_COMMANDS = {
    "export": ("write a review's figures for another system (dhis2)",
               "a DHIS2 data value set (dataValueSets JSON or CSV)",
               "Write the review's yearly indicator values (and/or the data values it reads, which `evaltools "
               "import` takes back) as a DHIS2 data value set in outputs/<id>/dhis2-<what>.json: period yyyy, org "
               "unit the GSO code, missing values left out.", EXPORT_OPTIONS),
    "pull": ("fetch data values from another system (dhis2) into a file to import",
             "GET /api/dataValueSets.json from a DHIS2 server",
             "Fetch a DHIS2 data value set (read-only) and save it as a JSON file, to import with `evaltools "
             "import FILE`. Credentials from the environment: DHIS2_TOKEN, or DHIS2_USER and DHIS2_PASSWORD.",
             PULL_OPTIONS)}


def add_dhis2_parsers(sub) -> None:
    """Register ``export dhis2`` and ``pull dhis2`` on the CLI's sub-parsers (DHIS2 is each one's system, for now)."""
    for command, (command_help, dhis2_help, description, options) in DHIS2_COMMANDS.items():
        parser = sub.add_parser(command, help=command_help, description=command_help.capitalize() + ".")
        targets = parser.add_subparsers(dest="target", metavar="SYSTEM", required=True)
        target = targets.add_parser("dhis2", help=dhis2_help, description=description)
        for flag, kwargs in options:
            target.add_argument(flag, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = Parser(
        prog="evaltools", description="Compute, check and render periodic policy reviews.",
        epilog="Exit codes: 0 done, 1 a handled failure (one line on stderr), 2 a usage error, 130 interrupted.")
    parser.add_argument("--version", action="version", version=f"evaltools {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on a failure, also show the Python traceback and library log messages")
    parser.add_argument("-q", "--quiet", action="store_true", help="show no progress, only the result and errors")
    parser.add_argument("--log-level", type=str.upper, choices=LEVELS, default="INFO",
                        help="what to show on stderr: DEBUG, INFO (default), WARNING, ERROR")
    parser.add_argument("--project", type=Path, metavar="DIR",
                        help="the project folder (default: the first folder from here upwards with evaltools.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    for add in (_add_indicators, _add_run, _add_validate, _add_check, _add_import, _add_template, _add_new_review,
                _add_new_programme, _add_batch, _add_preview, _add_recover, _add_list, add_dhis2_parsers):
        add(sub)
    return parser


