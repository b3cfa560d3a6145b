"""``evaltools export dhis2 REVIEW``: the command line of :mod:`evaltools.export.dhis2` (light to import)."""

from __future__ import annotations

import argparse
from pathlib import Path

REVIEW_HELP = "review id (data/reviews/<id>.yaml, e.g. ct20-2012-2017) or config path"


def _cmd_export_dhis2(args: argparse.Namespace) -> int:
    from ..context import open_review, resolve_review
    from ..errors import display_path
    from ..intake.dhis2map import load_mapping
    from ..limits import check_review_inputs
    from ..publish import recover_outputs
    from .dhis2 import export_files, written

    check_review_inputs(args.review)
    out = args.out or _outputs()
    recover_outputs(out)
    data = open_review(resolve_review(args.review))
    mapping = load_mapping(data.review.catalog_dir, data.catalog) if args.ids == "mapped" else None
    files = export_files(data, args.what, args.format, mapping)
    ids = f"DHIS2 identifiers of {mapping.path}" if mapping else "idScheme CODE"
    for path, (_, count) in zip(written(out / data.review.id, files), files.values()):
        print(f"{display_path(path)}: {count} data values ({ids})")
    return 0


def _outputs() -> Path:
    from ..errors import EvaltoolsError
    from ..project import find_project

    try:
        return find_project().outputs
    except EvaltoolsError:
        return Path("outputs")


def add_export_parser(sub) -> None:
    """Register ``export`` (with its one target, ``dhis2``) on the CLI's sub-parsers."""
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
