"""The ``evaltools`` command line.

Every sub-command has ``--help``. A problem the user can fix ends the command
with one clear message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import EvaltoolsError

DEFAULT_OUT = Path("outputs")


def _cmd_indicators(args: argparse.Namespace) -> int:
    from .context import indicators_csv, open_review
    from .iorw import atomic_write

    data = open_review(args.review, lang=args.lang)
    target = atomic_write(args.out / data.review.id / "indicators.csv", indicators_csv(data))
    print(f"{target}: {len(data.indicators)} rows "
          f"({data.indicators['indicator'].nunique()} indicators, {data.indicators['unit'].nunique()} units)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="evaltools", description="Compute, check and render periodic policy reviews.")
    parser.add_argument("--version", action="version", version=f"evaltools {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("indicators", help="compute a review's indicators into outputs/<id>/indicators.csv",
                       description="Compute every indicator of a review per unit, year and period.")
    p.add_argument("review", type=Path, help="review config (YAML), e.g. data/reviews/ct20-2012-2017.yaml")
    p.add_argument("--lang", choices=("vi", "en"), help="language of names (default: the review's)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="outputs folder (default: outputs)")
    p.set_defaults(func=_cmd_indicators)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EvaltoolsError as exc:
        print(f"evaltools: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("evaltools: interrupted; nothing was left half-written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
