"""The DHIS2 commands, ``evaltools export dhis2`` and ``evaltools pull dhis2`` (light to import: the work is lazy)."""

from __future__ import annotations

import argparse
from pathlib import Path

def _cmd_export_dhis2(args: argparse.Namespace) -> int:
    from .context import open_review, resolve_review
    from .errors import display_path
    from .export.dhis2 import export_files, written
    from .intake.dhis2map import load_mapping
    from .limits import check_review_inputs
    from .publish import recover_outputs

    from .cli import _folder       # the outputs folder as every command finds it

    check_review_inputs(args.review)
    out = _folder(args.out, "outputs")
    recover_outputs(out)
    data = open_review(resolve_review(args.review))
    mapping = load_mapping(data.review.catalog_dir, data.catalog) if args.ids == "mapped" else None
    files = export_files(data, args.what, args.format, mapping)
    ids = f"DHIS2 identifiers of {mapping.path}" if mapping else "idScheme CODE"
    for path, (_, count) in zip(written(out / data.review.id, files), files.values()):
        print(f"{display_path(path)}: {count} data values ({ids})")
    return 0


def add_export_parser(sub) -> None:
    """Register ``export`` (with its one target, ``dhis2``) on the CLI's sub-parsers."""
    from .cli import REVIEW_HELP

    export = sub.add_parser("export", help="write a review's figures for another system (dhis2)",
                            description="Write a review's figures in another system's format.")
    targets = export.add_subparsers(dest="target", metavar="TARGET", required=True)
    p = targets.add_parser("dhis2", help="a DHIS2 data value set (dataValueSets JSON or CSV)",
                           description="Write the review's yearly indicator values (and/or the data values it "
                                       "reads, which `evaltools import` takes back) as a DHIS2 data value set in "
                                       "outputs/<id>/dhis2-<what>.json: period yyyy, org unit the GSO code, "
                                       "missing values left out.")
    p.add_argument("review", help=REVIEW_HELP)
    p.add_argument("--what", choices=("indicators", "data", "all"), default="indicators",
                   help="indicators (default), data (the element values import takes back) or all")
    p.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or DHIS2's csv")
    p.add_argument("--ids", choices=("code", "mapped"), default="code",
                   help="code: the catalog's codes, idScheme CODE (default); mapped: the DHIS2 identifiers of "
                        "<data>/catalog/dhis2.yaml")
    p.add_argument("--out", type=Path, help="outputs folder (default: the project's outputs/)")
    p.set_defaults(func=_cmd_export_dhis2)


def _cmd_pull_dhis2(args: argparse.Namespace) -> int:
    from .errors import EvaltoolsError, display_path
    from .intake.dhis2pull import fetch, pull_url
    from .iorw import atomic_write

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


def add_pull_parser(sub) -> None:
    """Register ``pull`` (with its one source, ``dhis2``) on the CLI's sub-parsers."""
    pull = sub.add_parser("pull", help="fetch data values from another system (dhis2) into a file to import",
                          description="Fetch data values from another system, read-only, into a file.")
    sources = pull.add_subparsers(dest="source", metavar="SOURCE", required=True)
    p = sources.add_parser("dhis2", help="GET /api/dataValueSets.json from a DHIS2 server",
                           description="Fetch a DHIS2 data value set (read-only) and save it as a JSON file, "
                                       "to import with `evaltools import FILE`. Credentials from the environment: "
                                       "DHIS2_TOKEN, or DHIS2_USER and DHIS2_PASSWORD.")
    p.add_argument("server", help="the server's address, e.g. https://dhis2.example.org")
    p.add_argument("--data-set", action="append", required=True, metavar="UID", help="data set (repeatable)")
    p.add_argument("--period", action="append", required=True, metavar="PERIOD",
                   help="ISO period: 2023, 202301, 2023Q1 (repeatable)")
    p.add_argument("--org-unit", action="append", required=True, metavar="UID", help="org unit (repeatable)")
    p.add_argument("--children", action="store_true", help="also the org units below")
    p.add_argument("--id-scheme", choices=("UID", "CODE"), help="identifiers to ask for (default: the server's, UID)")
    p.add_argument("--save", type=Path, help="file to write (default: dhis2-<data set>-<period>.json here)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the server (default: 60)")
    p.set_defaults(func=_cmd_pull_dhis2)
