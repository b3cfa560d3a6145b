"""``evaltools preview REVIEW`` (light to import: the work is lazy): :mod:`evaltools.render.preview`."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaltools.cli import _folder, _reporter
from evaltools.cli.args import REVIEW_HELP, _lang, _out, _parser


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, found {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, found {text!r}")
    return value


def _cmd_preview(args: argparse.Namespace) -> int:
    from evaltools.project.refs import resolve_review
    from evaltools.render.preview import preview

    reporter = _reporter(args)      # the review's inputs were checked, a killed run's outputs recovered (cli.main)
    try:
        preview(resolve_review(args.review), _folder(args.out, "outputs"), port=args.port, lang=args.lang,
                notebook=args.notebook, reporter=reporter, say=lambda line: print(line, flush=True))
    finally:
        reporter.close()
    return 0


def add_parser(sub) -> None:
    """Register ``preview`` on the CLI's sub-parsers."""
    p = _parser(sub, "preview", help="render a review's HTML, serve it on 127.0.0.1 and re-render on each change",
                description="Render the review's HTML (as `run --to html`), serve the outputs folder on "
                            "127.0.0.1 only, and render again whenever the review config, its narratives, the "
                            "report notebook or a file of the programme's folder (texts.yaml, style) changes, a "
                            "line on stdout each time, as `quarto preview` does. Ctrl-C stops it (exit 130).")
    p.add_argument("review", help=REVIEW_HELP)
    p.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one, printed)")
    _lang(p, "report language")
    p.add_argument("--notebook", type=Path, help="report notebook (default: the config's, else its programme's)")
    _out(p)                                 # rendered into and served
    p.set_defaults(func=_cmd_preview)
