"""``evaltools new-review`` and ``evaltools new-programme``: the next review of a series, a programme from
another. Imported only when one of them runs (:data:`evaltools.cli.COMMANDS`).
"""

from __future__ import annotations

import argparse

from evaltools.core.errors import UsageError, display_path
from evaltools.project.project import project_folder
from evaltools.scaffold import describe, new_review
from evaltools.scaffold.programme import new_programme


def cmd_new_review(args: argparse.Namespace) -> int:
    """``evaltools new-review``: the next review of a series (config and narrative skeletons)."""
    if not args.source and not args.programme:
        raise UsageError("new-review: name the last review (--from REVIEW) or the programme (--programme NAME)")
    made = new_review(args.source, args.first, args.last, review_id=args.id, data=project_folder(args.data, "data"),
                      programme=args.programme)
    print(describe(made, args.first, args.last))
    return 0


def cmd_new_programme(args: argparse.Namespace) -> int:
    """``evaltools new-programme``: a programme folder copied from another."""
    target = new_programme(args.name, args.source, project_folder(None, "programmes"))
    print(f"{display_path(target)}: programme {args.name} (copied from {args.source}); edit its review.ipynb "
          f"and texts.yaml, then name it in a review config: programme: {args.name}")
    return 0
