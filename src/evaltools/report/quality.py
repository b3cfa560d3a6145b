"""The data-quality page: what validation found in a review's data, as tables, a chart and sentences."""

from __future__ import annotations

import pandas as pd

from evaltools.store import manifest
from evaltools.model import vnformat
from evaltools.model.texts import Prose, Texts
from evaltools.validation import Validation, completeness_matrix
from evaltools.report.charts import Chart, completeness_heatmap

LEVELS = ("high", "medium", "low")


def checked(result: Validation, texts: Texts) -> Prose:
    """Which review's data were checked, when, over which period."""
    rv, now = result.review, manifest.now()
    return Prose.paragraphs([
        texts("quality.subtitle", title=rv.title[texts.lang]),
        texts("quality.checked", time=f"{vnformat.date(now.date(), texts.lang)} {now:%H:%M}",
              period=vnformat.period(rv.first_year, rv.last_year))])


def summary(result: Validation, texts: Texts) -> Prose:
    """Counts by importance in a sentence, and a warning when any is high."""
    f = result.findings
    if f.empty:
        return texts("quality.none")
    by = f["importance"].value_counts()
    found = texts("quality.found", total=len(f), **{level: int(by.get(level, 0)) for level in LEVELS})
    return Prose.paragraphs([found, f"**{texts('quality.blocking')}**" if by.get("high", 0) else ""])


def counts(result: Validation, texts: Texts) -> pd.DataFrame:
    """Findings per kind of check and importance."""
    f = result.findings
    kinds = [k.split(".")[-1] for k in texts.entries if k.startswith("quality.kinds.")]
    rows = {texts.label(f"quality.kinds.{k}"): [int(((f["kind"] == k) & (f["importance"] == i)).sum()) for i in LEVELS]
            for k in kinds}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[texts.label(f"quality.levels.{i}") for i in LEVELS]) \
        .rename_axis(texts.label("quality.kind")).reset_index()


def heatmap(result: Validation, texts: Texts) -> Chart:
    """Returns received per unit and year: received, missing, not expected."""
    matrix = completeness_matrix(result.completeness, texts.lang)
    return completeness_heatmap(matrix, texts.label("quality.heatmap"),
                                tuple(texts.label(f"quality.{k}") for k in ("received", "missing", "not_expected")))


def rates(result: Validation, texts: Texts) -> pd.DataFrame:
    """Per year: returns expected, received, and the rate in percent."""
    r = result.rates
    return pd.DataFrame({texts.label("quality.year"): [str(y) for y in r.index],
                         texts.label("quality.expected"): r["expected"].astype(int).to_numpy(),
                         texts.label("quality.got"): r["received"].astype(int).to_numpy(),
                         texts.label("quality.rate"): [vnformat.percent(100 * v, 1, texts.lang) for v in r["rate"]]})


def findings(result: Validation, texts: Texts) -> pd.DataFrame:
    """Every finding, most important first, with the file and row the value came from."""
    lang = texts.lang
    rows = [(texts.label(f"quality.levels.{r.importance}"), texts.label(f"quality.kinds.{r.kind}"),
             getattr(r, f"rule_name_{lang}") or r.rule, f"{r.unit} {r.unit_name}".strip(),
             "" if r.year != r.year else str(int(r.year)), _number(r.value, lang), _number(r.expected, lang),
             r.message, f"{r.file}:{int(r.line)}" if r.file and r.line == r.line else (r.file or ""))
            for r in result.findings.itertuples()]
    keys = ("importance", "kind", "rule", "unit", "year", "value", "expected_value", "message", "where")
    return pd.DataFrame(rows, columns=[texts.label(f"quality.{k}") for k in keys])


def _number(value, lang: str) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "" if value is None or value != value else str(value)
    return "" if number != number else vnformat.compact(number, lang)
