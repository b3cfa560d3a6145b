"""The commands on a project's data store: ``import``, ``template``, ``recover``.

Imported only when one of them runs (:data:`evaltools.cli.COMMANDS`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evaltools.core import locks
from evaltools.core.errors import EvaltoolsError, InputError, display_path
from evaltools.intake.importer import import_files
from evaltools.intake.summary import format_summary, import_summary
from evaltools.intake.template import write_template
from evaltools.model.catalog import load_catalog
from evaltools.project.project import project_folder
from evaltools.store import storetx
from evaltools.store.publish import recover_outputs


def cmd_import(args: argparse.Namespace) -> int:
    """``evaltools import``: returns into the store, all or nothing."""
    result = import_files(args.files, project_folder(args.data, "data"), dry_run=args.dry_run, replace=args.replace)
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


def cmd_template(args: argparse.Namespace) -> int:
    """``evaltools template``: the .xlsx return communes fill in for a year."""
    out = args.out or project_folder(None, "outputs") / "templates" / f"return-{args.year}.xlsx"
    target = write_template(load_catalog(project_folder(args.data, "data") / "catalog"), args.year, out)
    print(f"{display_path(target)}: return template for {args.year}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """``evaltools recover``: finish what killed imports and runs left; one line for each."""
    print("\n".join(recover_all(project_folder(args.data, "data"), project_folder(args.out, "outputs"))))
    return 0


def recover_all(data: Path, out: Path) -> list[str]:
    """Finish what killed imports and runs left in ``data`` and ``out``; one line for each, or one saying none."""
    done = []
    if data.is_dir():
        with locks.locked(data, locks.EXCLUSIVE, "an import or a run using the data"):
            done += [f"{display_path(data)}: completed an interrupted import ({j})" for j in storetx.recover(data)]
    done += [f"{display_path(out)}: completed an interrupted run ({j})" for j in recover_outputs(out)]
    return done or ["nothing to recover: the data and the outputs are each in one state"]
