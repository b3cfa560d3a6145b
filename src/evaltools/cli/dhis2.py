"""The DHIS2 commands, ``evaltools export dhis2`` and ``evaltools pull dhis2`` (light to import: the work is lazy)."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaltools.cli import _folder
from evaltools.cli.args import REVIEW_HELP, _seconds


def _cmd_export_dhis2(args: argparse.Namespace) -> int:
    from evaltools.dataset.context import open_review
    from evaltools.project.refs import resolve_review
    from evaltools.core.errors import display_path
    from evaltools.export.dhis2 import export_files, schemes, written
    from evaltools.intake.dhis2map import load_mapping
    from evaltools.project.review import check_review_inputs
    from evaltools.project.outpaths import review_folder
    from evaltools.store.publish import recover_outputs

    check_review_inputs(args.review)
    out = _folder(args.out, "outputs")       # the outputs folder as every command finds it
    recover_outputs(out)
    data = open_review(resolve_review(args.review))
    mapping = load_mapping(data.review.catalog_dir, data.catalog) if args.ids != "code" else None
    files = export_files(data, args.what, args.format, mapping, args.ids)
    # what the receiving DHIS2 is told (in the JSON) or must be told (the CSV's POST parameters)
    ids = ", ".join(f"{k} {v}" for k, v in schemes(args.ids).items()) or "UID"
    ids += f", DHIS2 identifiers of {mapping.path}" if mapping else ""
    for path, (_, count) in zip(written(review_folder(out, data.review.id), files), files.values()):
        print(f"{display_path(path)}: {count} data values ({ids})")
    return 0


def _cmd_pull_dhis2(args: argparse.Namespace) -> int:
    from evaltools.core.errors import EvaltoolsError, display_path
    from evaltools.intake.dhis2pull import fetch, pull_url
    from evaltools.core.iorw import atomic_write

    url = pull_url(args.server, args.data_set, args.period, args.org_unit, args.children, args.id_scheme)
    target = args.save or Path(f"dhis2-{'-'.join(args.data_set)}-{'-'.join(args.period)}.json")
    if target.exists():
        raise EvaltoolsError(f"{display_path(target)}: already exists; nothing was written (choose another --save, "
                             "or move it away)")
    body, count = fetch(url, timeout=args.timeout)
    atomic_write(target, body)
    print(f"{display_path(target)}: {count} data values from {url.split('?', 1)[0]}; "
          f"next: evaltools import {display_path(target)}")
    return 0


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
COMMANDS = {
    "export": ("write a review's figures for another system (dhis2)",
               "a DHIS2 data value set (dataValueSets JSON or CSV)",
               "Write the review's yearly indicator values (and/or the data values it reads, which `evaltools "
               "import` takes back) as a DHIS2 data value set in outputs/<id>/dhis2-<what>.json: period yyyy, org "
               "unit the GSO code, missing values left out.", EXPORT_OPTIONS, _cmd_export_dhis2),
    "pull": ("fetch data values from another system (dhis2) into a file to import",
             "GET /api/dataValueSets.json from a DHIS2 server",
             "Fetch a DHIS2 data value set (read-only) and save it as a JSON file, to import with `evaltools "
             "import FILE`. Credentials from the environment: DHIS2_TOKEN, or DHIS2_USER and DHIS2_PASSWORD.",
             PULL_OPTIONS, _cmd_pull_dhis2)}


def add_parsers(sub) -> None:
    """Register ``export dhis2`` and ``pull dhis2`` on the CLI's sub-parsers (DHIS2 is each one's system, for now)."""
    for command, (command_help, dhis2_help, description, options, func) in COMMANDS.items():
        parser = sub.add_parser(command, help=command_help, description=command_help.capitalize() + ".")
        targets = parser.add_subparsers(dest="target", metavar="SYSTEM", required=True)
        target = targets.add_parser("dhis2", help=dhis2_help, description=description)
        for flag, kwargs in options:
            target.add_argument(flag, **kwargs)
        target.set_defaults(func=func)
