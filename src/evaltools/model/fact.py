"""A figure's fact: what a number in a report is (indicator, area, years, aggregation, coverage, value).

Every figure a report writes is a :class:`~evaltools.model.vnformat.Quantity`; one the
review computed carries a :class:`Fact`, and writing it (in a sentence, a table, a
chart label) records the fact with the value *as displayed* in a :class:`Ledger`.
The notebook's method appendix lists the ledger and hands it to ``evaltools run``,
which writes it as ``outputs/<id>/facts.json``; :mod:`evaltools.render.audit` reads that
file to find figures that contradict each other.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Fact:
    """What one computed figure is.

    ``period`` is the indicator table's period (``2022`` or ``2012-2022``), ``year`` the year
    its value is of (a stock's end-of-period year), ``aggregation`` how the period figure
    is made (``year``, ``sum``, ``last``, ``mean``, ``rate``; ``count`` for rows counted in
    a table), ``reported``/``expected`` the returns it rests on, ``until`` the ISO day a
    year cut off early stops; ``name``, ``numerator_name``, ``denominator_name``, ``factor`` and
    ``measure`` (its unit) say it in the report's language, for the reader's explanation; ``flow``
    whether its numerator adds up over the year (a partial year of a flow is not a year); ``where`` the
    unit's and the category's names.
    """

    indicator: str
    unit: str = ""
    period: str = ""
    category: str = "total"
    aggregation: str = "year"
    year: int | None = None
    reported: int | None = None
    expected: int | None = None
    partial: bool = False
    until: str | None = None
    value: float = math.nan
    numerator: float | None = None
    denominator: float | None = None
    name: str = ""
    numerator_name: str = ""
    denominator_name: str = ""
    factor: float | None = None
    measure: str = ""
    flow: bool = False
    where: str = ""

    @property
    def complete(self) -> bool:
        """True unless fewer returns than expected carry it."""
        return self.reported is None or self.expected is None or self.reported >= self.expected

    def key(self) -> tuple:
        """What makes two writings the same figure."""
        return (self.indicator, self.unit, self.period, self.category, self.aggregation, self.year)

    def record(self) -> dict:
        """The fact as JSON-ready data (NaN as null)."""
        out = asdict(self)
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in out.items()}


@dataclass
class Ledger:
    """The facts a notebook wrote, in order, each with the words it was written in.

    ``entries``: one per writing of a figure (``fact`` or None for a figure without one,
    ``shown`` as displayed, ``group`` the sentence or table it belongs to, ``key`` that
    sentence's text key); ``claims``: what sentences and tables assert about facts
    (directions, counts, comparisons), see :mod:`evaltools.render.audit`.
    """

    entries: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    anchors: dict = field(default_factory=dict)
    groups: int = 0

    def group(self) -> int:
        """A new sentence or table: the number its entries share."""
        self.groups += 1
        return self.groups

    def write(self, fact: Fact | None, shown: str, group: int, key: str = "", marked: bool = False) -> int | None:
        """Record one writing; the fact's anchor number (the same for the same figure), None without a fact."""
        anchor = None
        if fact is not None and key != "table":      # a table's cells are listed by indicator, not one by one
            anchor = self.anchors.setdefault(fact.key(), len(self.anchors) + 1)
        self.entries.append({"fact": fact.record() if fact else None, "anchor": anchor, "shown": shown,
                             "group": group, "key": key, "marked": marked})
        return anchor

    def mark(self, group: int) -> None:
        """The sentence ``group`` says that some of its figures rest on fewer returns than expected."""
        for entry in self.entries:
            if entry["group"] == group:
                entry["marked"] = True

    def claim(self, kind: str, **what: object) -> None:
        """Record an assertion the audit checks (see :mod:`evaltools.render.audit`)."""
        self.claims.append({"kind": kind, **what})

    def tabled(self) -> list[dict]:
        """One fact per indicator written in tables (the first), in the order first written."""
        seen: dict[str, dict] = {}
        for entry in self.entries:
            if entry["key"] == "table" and entry["fact"]:
                seen.setdefault(entry["fact"]["indicator"], entry["fact"])
        return list(seen.values())

    def facts(self) -> list[tuple[int, dict]]:
        """Each distinct fact once, by anchor number."""
        seen: dict[int, dict] = {}
        for entry in self.entries:
            if entry["anchor"] is not None:
                seen.setdefault(entry["anchor"], entry["fact"])
        return sorted(seen.items())

    def record(self) -> dict:
        """The whole ledger as JSON-ready data (what ``facts.json`` holds)."""
        return {"entries": self.entries, "claims": self.claims,
                "facts": [{"anchor": n, **fact} for n, fact in self.facts()]}


LEDGER = Ledger()


def reset() -> Ledger:
    """Start a new report's ledger (``report.load`` calls it)."""
    global LEDGER
    LEDGER = Ledger()
    return LEDGER


def ledger() -> Ledger:
    """The ledger of the report being written."""
    return LEDGER
