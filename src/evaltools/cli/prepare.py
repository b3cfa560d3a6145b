"""What every command does before its own work (imported when a command runs, not for ``--help``).

The project named by ``--project`` is set for the whole process (and every kernel it starts);
no output of any command may land in a data folder; ``run``, ``batch``, ``indicators`` and ``preview`` refuse
a hostile config or narrative before any kernel starts, and finish what a killed run left.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from evaltools.core.errors import EvaltoolsError
from evaltools.project.outpaths import guard
from evaltools.project.project import ENV_VAR, batch_reviews, find_project, project_folder
from evaltools.project.review import check_review_inputs
from evaltools.store.publish import recover_outputs

RENDERING = ("run", "batch", "indicators", "preview")


def prepare(args: argparse.Namespace) -> None:
    """Set the project, guard the data folders and check a rendering command's reviews (see the module)."""
    if args.project is not None:
        # Through the environment, so every lookup and every kernel started sees the same project.
        os.environ[ENV_VAR] = str(find_project(explicit=args.project).root)
    guard(args, {"out": (_default("outputs"), "the outputs folder (--out not given)"),
                 "save": (Path.cwd(), "the working folder, where --save writes by default")},
          _default("data"))
    if args.command in RENDERING:
        for ref in batch_reviews(args.reviews, args.select) if args.command == "batch" else [args.review]:
            check_review_inputs(ref)
        recover_outputs(project_folder(args.out, "outputs"))


def _default(key: str) -> Path | None:
    """The project's folder ``key`` for the output guard, or None where no project can be found (the
    command that needs one says so in its own words)."""
    try:
        return project_folder(None, key)
    except EvaltoolsError:
        return None
