"""The loaded report: review data, the language's texts and the analyst's narrative."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from .. import units as unitlib, vnformat
from ..context import ReviewData, open_review
from . import narrative as narrative_mod


def load_texts(lang: str) -> dict:
    """Labels and sentence templates of one language (package data)."""
    source = resources.files("evaltools.resources.text").joinpath(f"{lang}.yaml")
    return yaml.safe_load(source.read_text(encoding="utf-8"))


@dataclass
class Report:
    """Everything the report sections read, with lookups and formatting at hand."""

    data: ReviewData
    texts: dict
    narrative: dict[str, str]
    narrative_file: Path | None
    high_findings: int = 0
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())

    @property
    def review(self):
        """The review config."""
        return self.data.review

    @property
    def lang(self) -> str:
        """Report language, ``vi`` or ``en``."""
        return self.data.lang

    @property
    def span(self) -> str:
        """Label of the whole review period in the indicator table (``2012-2017``)."""
        return self.data.periods[-1].label

    @property
    def years(self) -> list[int]:
        """The review's years."""
        return list(range(self.review.first_year, self.review.last_year + 1))

    @cached_property
    def _values(self) -> pd.Series:
        table = self.data.indicators
        return table.set_index(["indicator", "unit", "period", "category"])["value"].sort_index()

    def has(self, indicator: str) -> bool:
        """Whether the review shows ``indicator``."""
        return indicator in self.review.indicators

    def value(self, indicator: str, period: str | int | None = None, category: str = "total",
              unit: str | None = None) -> float:
        """One indicator value (NaN when missing); defaults: the area, the whole period."""
        key = (indicator, unit or self.review.area, str(period or self.span), category)
        return float(self._values.get(key, math.nan))

    def by_year(self, indicator: str, category: str = "total", unit: str | None = None) -> pd.Series:
        """An indicator's yearly values (index: year as int)."""
        return pd.Series({y: self.value(indicator, y, category, unit) for y in self.years})

    def table(self, indicator: str) -> pd.DataFrame:
        """Every row of one indicator (all units, periods and categories)."""
        table = self.data.indicators
        return table[table["indicator"] == indicator]

    def fmt(self, indicator: str, value: float, with_unit: bool = True) -> str:
        """Format a value of ``indicator`` with its decimals and unit, the language's way."""
        row = self.data.catalog.indicators.loc[indicator]
        if not with_unit:
            return vnformat.number(value, int(row["decimals"]), self.lang)
        return vnformat.quantity(value, row[f"unit_{self.lang}"], int(row["decimals"]), self.lang)

    def t(self, *keys: str, **values: object) -> str:
        """A label or sentence of the language file, placeholders filled (``t("sentences", "area", ...)``)."""
        node = self.texts
        for key in keys:
            node = node[key]
        return " ".join(str(node).split()).format(**values) if values else str(node)

    def name(self, kind: str, code: str) -> str:
        """Name of an indicator, element, option or unit in the report language."""
        catalog = self.data.catalog
        if kind == "unit":
            return unitlib.current_rows(catalog.units, self.review.last_year).at[code, f"name_{self.lang}"]
        if kind == "option":
            options = catalog.options.drop_duplicates("option").set_index("option")
            return options.at[code, f"name_{self.lang}"]
        frame = catalog.indicators if kind == "indicator" else catalog.elements
        return frame.at[code, f"name_{self.lang}"]

    def cell(self, indicator: str, value: float) -> str:
        """A table cell: amounts in millions of đồng (as Vietnamese tables show them), else as :meth:`fmt`."""
        if self.data.catalog.indicators.at[indicator, "unit_vi"] == "đồng":
            return vnformat.number(value / 1e6, 1, self.lang)
        return self.fmt(indicator, value, False)

    def unit_label(self, indicator: str) -> str:
        """The unit a table column of ``indicator`` is in (amounts: millions of đồng)."""
        unit = self.data.catalog.indicators.at[indicator, f"unit_{self.lang}"]
        return {"đồng": "triệu đồng", "VND": "million VND"}.get(unit, unit)

    def join(self, items: list[str]) -> str:
        """``a, b và c`` / ``a, b and c``."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('sentences', 'and')} {items[-1]}"

    def date(self, day: dt.date) -> str:
        """A date written dd/mm/yyyy (vi) or 5 June 2017 (en)."""
        return vnformat.date(day, self.lang)

    @cached_property
    def assessment(self):
        """Targets, trends, ranking, scorecards and comparison (see :mod:`evaltools.assess`)."""
        from ..assess.review import assess_review

        return assess_review(self.data)

    def narrative_html(self, key: str) -> str:
        """The analyst's text for ``key`` as HTML, or a visible note that it is missing."""
        if key in self.narrative and self.narrative[key]:
            return narrative_mod.to_html(self.narrative[key])
        if self.narrative_file is None:
            return ""
        note = self.t("sentences", "missing_section", file=self.narrative_file.name)
        return f'<p class="missing-text">{note}</p>'


def open_report(review: str | Path, lang: str | None = None, high_findings: int = 0) -> Report:
    """Load a review for the report notebook.

    Parameters
    ----------
    review : str or Path
        A review config path, or a review id found under ``data/reviews/``.
    lang : {"vi", "en"}, optional
        Report language; defaults to the review's.
    high_findings : int
        High-importance validation findings the data still have (rendered anyway with
        ``--allow-invalid``); the first page then says so.
    """
    data = open_review(resolve_review(review), lang, skip_invalid=high_findings > 0)
    files = data.review.narrative or {}
    path = files.get(data.lang)
    return Report(data, load_texts(data.lang), narrative_mod.load(path), path, high_findings)


def resolve_review(review: str | Path) -> Path:
    """A review path as given, or the review id's ``data/reviews/<id>.yaml``.

    The id is looked up from the working folder upwards, so the notebook finds it
    whether the kernel starts in the project root or in ``notebooks/``.
    """
    path = Path(review)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    here = Path.cwd()
    for base in (here, *here.parents):
        candidate = base / "data" / "reviews" / f"{review}.yaml"
        if candidate.exists():
            return candidate
    return Path("data") / "reviews" / f"{review}.yaml"
