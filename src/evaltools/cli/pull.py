"""``evaltools pull dhis2``: a DHIS2 data value set saved to a file to import (its options:
:mod:`evaltools.cli.args`; imported only when it runs, :data:`evaltools.cli.COMMANDS`). Light: no pandas, so
the command ends within its ``--timeout`` of starting.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.iorw import atomic_write
from evaltools.intake.dhis2pull import fetch, pull_url


def cmd_pull_dhis2(args: argparse.Namespace) -> int:
    """``evaltools pull dhis2``: a DHIS2 data value set saved to a file to import."""
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
