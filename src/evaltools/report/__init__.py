"""What a review notebook calls: the review's data, words and narrative; its frame, tables, charts and drafts.

Each helper returns a DataFrame, a Figure or a formatted sentence that the notebook
displays; the programme's notebook decides what goes where::

    from evaltools import report
    data = report.load(review, lang=lang, snapshot=snapshot)   # figures, computed once
    text = report.texts(data)                                 # the programme's words in `lang`
    notes = report.narrative(data, text)                      # the analyst's text for this review
    report.document(data, text)                               # masthead, title, signature (the frame)
    report.present(data, text, report.summary(data, text))    # a table keyed by codes, as the report shows it
    text("sentences.cases", total=data.quantity("CASES"))      # a sentence of texts.yaml, with figures
    report.facts.appendix(data, text)                         # last: every figure written, defined

Every figure written is recorded with its fact (:mod:`evaltools.model.fact`); the appendix lists them and
``evaltools run`` writes them to ``facts.json`` for the consistency audit (:mod:`evaltools.render.audit`).
"""

from __future__ import annotations

from pathlib import Path

from evaltools.dataset.context import ReviewData, open_review
from evaltools.model.texts import Prose, Texts, load_texts
from evaltools.report import charts, display, draft, facts, provenance, quality, tables
from evaltools.report.charts import decorate, figure, theme, tight_range
from evaltools.report.frame import document
from evaltools.report.glue import glue
from evaltools.model.narrative import Narrative, load_narrative
from evaltools.report.draft import span
from evaltools.report.tables import by_unit, present, styled, summary
from evaltools.model.fact import reset
from evaltools.dataset.snapshot import read_snapshot
from evaltools.validation.rules import RULES_FILE, load_rules
from evaltools.assess.review import assess_review

__all__ = ["ReviewData", "Prose", "Texts", "Narrative", "load", "texts", "narrative", "assess", "constants", "when",
           "span", "during", "capital", "document",
           "glue", "theme", "figure", "decorate", "tight_range", "present", "styled", "summary", "by_unit",
           "charts", "draft", "facts", "provenance", "quality", "tables"]


def load(review: str | Path, lang: str | None = None, snapshot: str | Path = "",
         validate: bool = False) -> ReviewData:
    """The review's config, programme, catalog, data and indicators.

    Parameters
    ----------
    review : str or Path
        A review id (``data/reviews/<id>.yaml`` of the project) or a config path.
    lang : {"vi", "en"}, optional
        Language of names; defaults to the review's.
    snapshot : str or Path
        What ``evaltools run`` prepared (its parameter); empty: load and compute here.
    validate : bool
        Also run validation (the data-quality page needs it); a snapshot always has it.

    In a notebook, a plain DataFrame displayed from then on is written in the review's language
    (:mod:`evaltools.report.display`).
    """
    reset()                                  # a new report: a new ledger of its figures
    if snapshot:
        data = read_snapshot(snapshot)
    else:
        data = open_review(review, lang, validate=validate)
    display.register(texts(data))       # a DataFrame the notebook shows is written the report's way
    return data


def texts(data: ReviewData) -> Texts:
    """evaltools' words and the programme's (its ``texts.yaml``) in the review's language."""
    return load_texts(data.lang, data.programme.texts)


def narrative(data: ReviewData, text: Texts) -> Narrative:
    """The review's narrative file in its language; parts checked against the programme's keys."""
    path = (data.review.narrative or {}).get(data.lang)
    return load_narrative(path, data.programme, text)


def constants(data: ReviewData) -> facts.Constants:
    """The catalog's named numbers (``constants:`` of validation_rules.yaml): a value, or {year: value};
    their names in the review's language in ``.names``."""
    rules = load_rules(data.review.catalog_dir / RULES_FILE, data.catalog)
    return facts.Constants(rules.constants, {code: name[data.lang] for code, name in rules.constant_names.items()})


def when(text: Texts, figure) -> str:
    """When a figure is of: "năm 2016", or "tính đến ngày 31/05/2017" for a year cut off early."""
    if figure.until is not None:
        return text.plain("figures.as_of", day=figure.until)
    return text.plain("figures.year", year=figure.year)


def capital(words: str) -> str:
    """The first letter in upper case and the rest as written: "Up to 31 May 2017" (``str.capitalize``
    would write "may"), "Tính đến ngày 31/05/2017"."""
    return words[:1].upper() + words[1:]


def during(text: Texts, data: ReviewData) -> str:
    """"Trong giai đoạn 2012–2017" (over the review's years), or "Trong năm 2022" for a one-year review."""
    first, last = data.review.first_year, data.review.last_year
    if first == last:
        return text.plain("words.during.year", year=first)
    return text.plain("words.during.period", period=f"{first}–{last}")


def assess(data: ReviewData):
    """Targets, trends, ranking, scorecards and the comparison with the predecessor (:mod:`evaltools.assess`)."""
    return assess_review(data)
