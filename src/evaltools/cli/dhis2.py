"""``evaltools export dhis2``: a review's figures for DHIS2 (its options: :mod:`evaltools.cli.args`; imported
only when it runs, :data:`evaltools.cli.COMMANDS`)."""

from __future__ import annotations

import argparse

from evaltools.core.errors import display_path
from evaltools.dataset.context import open_review
from evaltools.export.dhis2 import export_files, schemes, written
from evaltools.intake.dhis2map import load_mapping
from evaltools.project.outpaths import review_folder
from evaltools.project.project import project_folder
from evaltools.project.refs import resolve_review
from evaltools.project.review import check_review_inputs
from evaltools.store.publish import recover_outputs


def cmd_export_dhis2(args: argparse.Namespace) -> int:
    """``evaltools export dhis2``: a review's figures as DHIS2 data value sets."""
    check_review_inputs(args.review)
    out = project_folder(args.out, "outputs")       # the outputs folder as every command finds it
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
