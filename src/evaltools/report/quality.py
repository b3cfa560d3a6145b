"""The data-quality report (notebooks/data_quality.ipynb): findings and completeness of a review's data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import vnformat
from ..validation import Validation, completeness_matrix, validate
from . import charts
from .html import Section, figure, heading, paragraph, table, text
from .model import load_texts, resolve_review


@dataclass
class Quality:
    """A review's validation result with the language's texts."""

    result: Validation
    texts: dict
    lang: str

    def t(self, *keys: str, **values: object) -> str:
        """A label of the language file's ``quality`` part, placeholders filled."""
        node = self.texts["quality"]
        for key in keys:
            node = node[key]
        return " ".join(str(node).split()).format(**values) if values else str(node)


def open_quality(review: str | Path, lang: str = "vi") -> Quality:
    """Validate a review (config path or id) for the data-quality notebook."""
    return Quality(validate(resolve_review(review)), load_texts(lang), lang)


def header(q: Quality) -> Section:
    """Title, the review it checks, when."""
    from .. import manifest
    rv = q.result.review
    now = manifest.now()
    return Section([f'<header class="doc-header"><h1 id="quality-title" class="report-title">{text(q.t("title"))}</h1>'
                    f'<p class="subject">{text(q.t("subtitle", title=rv.title[q.lang]))}</p>'
                    f'<p class="period">{text(q.t("checked", time=f"{now:%d/%m/%Y %H:%M}", period=vnformat.period(rv.first_year, rv.last_year)))}</p>'
                    "</header>", '<nav id="toc"></nav>'])


def summary(q: Quality) -> Section:
    """Counts by importance and kind, in a sentence and a table."""
    f = q.result.findings
    by = f["importance"].value_counts()
    section = Section([heading(q.t("summary"))])
    if f.empty:
        return section.add(paragraph(q.t("none")))
    section.add(paragraph(q.t("found", total=len(f), high=by.get("high", 0), medium=by.get("medium", 0),
                              low=by.get("low", 0))))
    if by.get("high", 0):
        section.add(f'<p class="warning">{text(q.t("blocking"))}</p>')
    rows = [(q.t("kinds", k), *(str(((f["kind"] == k) & (f["importance"] == i)).sum()) for i in ("high", "medium", "low")))
            for k in q.texts["quality"]["kinds"]]
    return section.add(table([q.t("kind"), *(q.t("levels", i) for i in ("high", "medium", "low"))], rows))


def completeness(q: Quality) -> Section:
    """The heatmap of returns received (communes × years) and the yearly rates."""
    matrix = completeness_matrix(q.result.completeness, q.lang)
    title = q.t("heatmap")
    png = charts.completeness_heatmap(matrix, title, (q.t("received"), q.t("missing"), q.t("not_expected")))
    rates = q.result.rates
    rows = [(str(year), str(int(r.expected)), str(int(r.received)), vnformat.percent(100 * r.rate, 1, q.lang))
            for year, r in rates.iterrows()]
    return Section([heading(q.t("completeness")), figure(png, title),
                    table([q.t("year"), q.t("expected"), q.t("got"), q.t("rate")], rows, caption=q.t("rate_table"))])


def findings(q: Quality) -> Section:
    """Every finding, most important first, with the file and row the value came from."""
    f = q.result.findings
    section = Section([heading(q.t("findings"))])
    if f.empty:
        return section.add(paragraph(q.t("none")))
    rows = [(q.t("levels", r.importance), q.t("kinds", r.kind), getattr(r, f"rule_name_{q.lang}") or r.rule,
             f"{r.unit} {r.unit_name}".strip(), "" if r.year != r.year else str(int(r.year)),
             _number(r.value, q.lang), _number(r.expected, q.lang), r.message,
             f"{r.file}:{int(r.line)}" if r.file and r.line == r.line else (r.file or ""))
            for r in f.itertuples()]
    header_ = [q.t(k) for k in ("importance", "kind", "rule", "unit", "year", "value", "expected_value",
                                "message", "where")]
    return section.add(table(header_, rows, numeric_from=99, css="figures findings"))


def _number(value, lang: str) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "" if value is None or value != value else str(value)
    return "" if number != number else vnformat.compact(number, lang)
