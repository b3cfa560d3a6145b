"""``evaltools list``: the project's reviews and programmes (imported only when it runs,
:data:`evaltools.cli.COMMANDS`; light: no pandas).
"""

from __future__ import annotations

import argparse
import json

from evaltools.project.listing import format_listing, listing
from evaltools.project.project import project_folder


def cmd_list(args: argparse.Namespace) -> int:
    """``evaltools list``: the project's reviews and programmes."""
    found = listing(project_folder(args.data, "data"), project_folder(None, "programmes"),
                    project_folder(args.out, "outputs"))
    print(json.dumps(found, ensure_ascii=False, indent=2) if args.json else format_listing(found))
    return 0
