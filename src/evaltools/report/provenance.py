"""The appendix on data sources and method: which files, with which fingerprints, computed how."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evaltools.store import manifest
from evaltools.model import vnformat
from evaltools.dataset.context import ReviewData
from evaltools.model.texts import Prose, Texts


def sources(data: ReviewData, texts: Texts) -> pd.DataFrame:
    """The data files a reader can check: path, lines, SHA-256 (headers in the report's language)."""
    rows = [(f["path"], f["lines"], f["sha256"]) for f in data.inputs]
    return pd.DataFrame(rows, columns=[texts.label(f"provenance.{k}") for k in ("file", "rows", "sha")])


def parameters(data: ReviewData, texts: Texts, started: dt.datetime | None = None) -> pd.DataFrame:
    """The run's parameters: review config, language, evaltools version, time."""
    started = started or manifest.now()
    rows = [(texts.label("provenance.review"), manifest.relative(data.review.path, data.review.data.parent)),
            (texts.label("provenance.language"), data.lang),
            (texts.label("provenance.version"), manifest.versions()["evaltools"]),
            (texts.label("provenance.time"),
             f"{vnformat.date(started.date(), data.lang)} {started:%H:%M} (UTC{started:%z})")]
    return pd.DataFrame(rows, columns=["", " "])


def method(texts: Texts) -> Prose:
    """How figures are computed, in plain words (a bulleted list)."""
    return Prose.bullets(texts.items("provenance.rules"))
