"""The commands on one review's figures: ``indicators`` and ``validate``.

Imported only when one of them runs (:data:`evaltools.cli.COMMANDS`).
"""

from __future__ import annotations

import argparse
import json

import pandas as pd

from evaltools.core.iorw import atomic_write
from evaltools.dataset.context import indicators_csv, open_review
from evaltools.project.outpaths import review_folder
from evaltools.project.project import project_folder
from evaltools.project.refs import resolve_review
from evaltools.validation import findings_csv, format_report, validate


def cmd_indicators(args: argparse.Namespace) -> int:
    """``evaltools indicators``: every indicator of a review into ``<out>/<id>/indicators.csv``."""
    data = open_review(args.review, lang=args.lang)
    target = atomic_write(review_folder(project_folder(args.out, "outputs"), data.review.id) / "indicators.csv",
                          indicators_csv(data))
    shown = data.shown
    if args.json:
        print(_records_json({"review": data.review.id, "file": str(target), "rows": shown}))
        return 0
    print(f"{target}: {len(shown)} rows ({shown['indicator'].nunique()} indicators, {shown['unit'].nunique()} units)")
    return 0


def _records_json(document: dict) -> str:
    """``document`` as JSON, each DataFrame in it as a list of records (missing values null, never NaN)."""
    def plain(value):
        if isinstance(value, pd.DataFrame):
            return json.loads(value.to_json(orient="records", force_ascii=False, date_format="iso"))
        return value

    return json.dumps({k: plain(v) for k, v in document.items()}, ensure_ascii=False, indent=2)


def cmd_validate(args: argparse.Namespace) -> int:
    """``evaltools validate``: every finding on a review's data; exit code 1 when one is of high importance."""
    result = validate(resolve_review(args.review), rules=args.rules, whole_store=args.store)
    if args.json:
        findings = result.findings
        counts = {level: int((findings["importance"] == level).sum()) for level in ("high", "medium", "low")}
        print(_records_json({"review": result.review.id, "exit_code": result.exit_code, "findings": counts,
                             "items": findings}))
        return result.exit_code
    print(format_report(result, lang=args.lang or result.review.language))
    if args.csv:
        target = atomic_write(args.csv, findings_csv(result.findings))
        print(f"{target}: {len(result.findings)} findings")
    return result.exit_code
