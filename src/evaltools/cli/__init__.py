"""The ``evaltools`` command line.

Every sub-command has ``--help``. A failure ends the command with one clear line on
stderr and exit code 1 (2 for a usage error), never a traceback: :mod:`evaltools.core.failures`.

The options of every command are in :mod:`evaltools.cli.args`; each command's work is a function
``cmd_<name>`` in a module of this package, named in :data:`COMMANDS`. That registry is the one
place the command line imports lazily (as nbconvert finds its exporters by entry point): a
command's module, with pandas, papermill or nbconvert behind it, is imported only when that
command runs, so ``evaltools --help``, a command's ``--help`` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from evaltools.cli.args import build_parser
from evaltools.core import faults, interrupts
from evaltools.core.failures import guarded

# command (with its system, for export and pull) -> "module:function"
COMMANDS = {
    "indicators": "evaltools.cli.review:cmd_indicators",
    "run": "evaltools.cli.render:cmd_run",
    "validate": "evaltools.cli.review:cmd_validate",
    "check": "evaltools.cli.render:cmd_check",
    "import": "evaltools.cli.data:cmd_import",
    "template": "evaltools.cli.data:cmd_template",
    "new-review": "evaltools.cli.scaffold:cmd_new_review",
    "new-programme": "evaltools.cli.scaffold:cmd_new_programme",
    "batch": "evaltools.cli.render:cmd_batch",
    "preview": "evaltools.cli.render:cmd_preview",
    "recover": "evaltools.cli.data:cmd_recover",
    "list": "evaltools.cli.project:cmd_list",
    "export dhis2": "evaltools.cli.dhis2:cmd_export_dhis2",
    "pull dhis2": "evaltools.cli.pull:cmd_pull_dhis2",
}
PREPARE = "evaltools.cli.prepare:prepare"      # what every command does first


def load(spec: str) -> Callable[[argparse.Namespace], object]:
    """The function ``module:name``, its module imported now."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def command_name(args: argparse.Namespace) -> str:
    """The key of a parsed command line in :data:`COMMANDS` (``run``; ``export dhis2``)."""
    return " ".join(filter(None, (args.command, getattr(args, "target", None))))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 a handled failure, 2 a usage error)."""
    args = build_parser().parse_args(argv)
    faults.arm()
    interrupts.install()

    def command() -> int:
        load(PREPARE)(args)
        return load(COMMANDS[command_name(args)])(args)
    return guarded(command, args.debug)


if __name__ == "__main__":
    sys.exit(main())
