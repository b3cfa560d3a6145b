"""DHIS2 periods to the store's years: a year as it is; months or quarters added up or read at the year's end.

The store holds one figure per element, unit, option and year. A DHIS2 file may give
months (``202301``) or quarters (``2023Q1``) instead; they become the year's figure by the
element's ``aggregation_time`` in the catalog, and only when that is honest:

- ``sum`` (flows: cases, cards issued): every month (or quarter) of the year must be
  there, added up; a missing one refuses the year rather than under-count it.
- ``last`` (stocks: children on an allowance): the year's figure is the stock at its
  end, the value of December (or the fourth quarter); earlier months are snapshots of
  the same stock and are not added. Without December, the year is refused.

A year that the catalog declares partial (``periods.yaml``: 2017 to 31/05/2017) ends on
its last day: its months are those up to it, and a value after it is refused.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from evaltools.intake.numbers import canonical, parse_plain

PERIOD = re.compile(r"([0-9]{4})(?:(0[1-9]|1[0-2])|Q([1-4]))?")
EXPECTED = "a year (2023), a month (202301) or a quarter (2023Q1)"


@dataclass(frozen=True)
class Period:
    """A DHIS2 period the store can take: a year, or a month or quarter of one."""

    text: str
    year: int
    kind: str        # year | month | quarter
    number: int      # month 1-12, quarter 1-4, 0 for a year

    @property
    def end(self) -> dt.date:
        """The period's last day."""
        month = 12 if self.kind == "year" else self.number * (3 if self.kind == "quarter" else 1)
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])


def parse_period(text: str) -> Period | None:
    """The period of a DHIS2 ISO period text, or None when it is not a year, month or quarter."""
    found = PERIOD.fullmatch(text.strip())
    if not found:
        return None
    year, month, quarter = found.groups()
    if month:
        return Period(text.strip(), int(year), "month", int(month))
    if quarter:
        return Period(text.strip(), int(year), "quarter", int(quarter))
    return Period(text.strip(), int(year), "year", 0)


def sub_periods(year: int, kind: str, last_day: dt.date) -> list[Period] | None:
    """The months or quarters of ``year`` up to ``last_day``; None when no such period ends on that day."""
    count = 12 if kind == "month" else 4
    subs = [Period(f"{year}{n:02d}" if kind == "month" else f"{year}Q{n}", year, kind, n)
            for n in range(1, count + 1)]
    inside = [p for p in subs if p.end <= last_day]
    return inside if inside and inside[-1].end == last_day else None


def _span(periods: list[Period]) -> str:
    texts = [p.text for p in periods]
    return texts[0] if len(texts) == 1 else f"{texts[0]}–{texts[-1]}"


@dataclass(frozen=True)
class YearFigure:
    """The year's figure made from its months or quarters (``value`` None: refused, ``problem`` says why)."""

    value: str | None
    origin: str
    problem: str = ""
    at: int = 0      # which of the given values the figure is located at (0: the first)


def year_figure(given: Mapping[Period, str | None], rule: str, last_day: dt.date,
                partial_note: str) -> YearFigure:
    """The year's figure from the values of its months (or quarters), by ``rule`` (sum | last).

    ``given`` maps each period to its canonical value text (None when empty), in file
    order. ``partial_note`` says where a last day before 31 December comes from.
    """
    periods = list(given)
    year, kind = periods[0].year, periods[0].kind
    noun = "month" if kind == "month" else "quarter"
    expected = sub_periods(year, kind, last_day)
    cut = f"{year}'s figures stop on {last_day:%d/%m/%Y} ({partial_note})" if last_day.month != 12 or \
        last_day.day != 31 else ""
    if expected is None:
        return YearFigure(None, "", f"{cut}, which no {noun} ends on: send months (or the year's figure)")
    after = [p for p in periods if p.end > last_day]
    if after:
        return YearFigure(None, "", f"{cut}: period {after[0].text} is after it", periods.index(after[0]))
    have = [p for p in expected if given.get(p) is not None]
    if rule == "last":
        end = expected[-1]
        if given.get(end) is None:
            what = f"{len(have)} {noun}(s) given, {_span(have)}" if have else f"no {noun} has a value"
            return YearFigure(None, "", (
                f"a stock's yearly figure is its value at the year's end, {end.text}, which is "
                f"{'empty' if end in given else 'missing'} ({what}); send {end.text} (or the year's figure)"))
        return YearFigure(given[end], f"value of {end.text} (the year's end)", at=periods.index(end))
    missing = [p.text for p in expected if given.get(p) is None]
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        return YearFigure(None, "", (
            f"a flow's yearly figure adds up every {noun} of {year}{' to ' + f'{last_day:%d/%m/%Y}' if cut else ''}, "
            f"and {shown} {'is' if len(missing) == 1 else 'are'} missing or empty: send "
            f"{'it' if len(missing) == 1 else 'them'} (or the year's total); a partial sum would under-count"))
    total = sum(Decimal(given[p]) for p in expected)
    whole, _, fraction = f"{abs(total):f}".partition(".")
    return YearFigure(canonical("-" if total < 0 else "", whole, fraction),
                      f"sum of {len(expected)} {noun}s {_span(expected)}")


def plain(text: str) -> tuple[str | None, str]:
    """(canonical value or None when empty, problem) of a DHIS2 value as DHIS2 writes numbers."""
    try:
        return parse_plain(text), ""
    except ValueError:
        return None, f"expected a number as DHIS2 writes it, such as 1205 or 12.5; found {text!r}"
