"""Numbers, money and dates written the Vietnamese way (and the English way for ``lang="en"``).

Vietnamese: 3.667.005.000; 98,5 %; 27,3 ‰; 3.667.005.000 đồng or 3,67 tỷ đồng;
05/11/2012 and "ngày 05 tháng 11 năm 2012". Rounding is half-up (2,5 → 3), as
reports expect, not Python's or Babel's half-to-even.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from evaltools.model.vocabulary import formats

MISSING = "–"
_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}       # (group, decimal)
_SINGULAR = {"children": "child", "people": "person"}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def is_missing(value: object) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (2.5 → 3, 0.125 → 0.13 at 2)."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float | None, decimals: int = 0, lang: str = "vi") -> str:
    """Format a number: ``3667005000`` → ``3.667.005.000``; ``98.46, 1`` → ``98,5``."""
    if is_missing(value):
        return MISSING
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)                      # no "-0"
    group, point = _SEPARATORS[lang]
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


def compact(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """At most ``decimals`` decimals, trailing zeros dropped: ``3.667.005.000``, ``12,5``."""
    if is_missing(value):
        return MISSING
    text = number(value, decimals, lang)
    point = _SEPARATORS[lang][1]
    return text.rstrip("0").rstrip(point) if point in text else text


def percent(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """``98.46`` → ``98,5 %`` (vi) or ``98.5%`` (en)."""
    if is_missing(value):
        return MISSING
    return number(value, decimals, lang) + (" %" if lang == "vi" else "%")


def per_mille(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """``27.27`` → ``27,3 ‰``."""
    if is_missing(value):
        return MISSING
    return number(value, decimals, lang) + " ‰"


def money(value: float | None, lang: str = "vi") -> str:
    """Whole đồng in words: ``3.667.005.000 đồng`` (vi) or ``3,667,005,000 VND`` (en)."""
    if is_missing(value):
        return MISSING
    return f"{number(value, 0, lang)} {formats()['currency'][lang]}"


def money_short(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """Large sums shortened: ``3,67 tỷ đồng``, ``24 triệu đồng``; small sums in full."""
    if is_missing(value):
        return MISSING
    for scale, word in formats()["scales"][lang]:
        if abs(value) >= scale:
            text = number(value / scale, decimals, lang)
            point = _SEPARATORS[lang][1]
            if point in text:
                text = text.rstrip("0").rstrip(point)
            return f"{text} {word} {formats()['currency'][lang]}"
    return money(value, lang)


def quantity(value: float | None, unit: str, decimals: int = 0, lang: str = "vi") -> str:
    """A value with its unit of measure, the way a sentence reads it.

    ``%`` and ``‰`` attach as in :func:`percent`; ``đồng``/``VND`` as in :func:`money`;
    anything else follows the number after a space: ``353 em``, ``11 chiếc``.
    """
    if is_missing(value):
        return MISSING
    if unit == "%":
        return percent(value, decimals, lang)
    if unit == "‰":
        return per_mille(value, decimals, lang)
    if unit in formats()["currency"].values():
        return money(value, lang)
    if lang == "en" and value == 1:
        unit = _SINGULAR.get(unit, unit[:-1] if unit.endswith("s") else unit)
    return f"{number(value, decimals, lang)} {unit}".rstrip()


def date(day: dt.date | None, lang: str = "vi") -> str:
    """``05/11/2012`` (vi) or ``5 November 2012`` (en)."""
    if day is None:
        return MISSING
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def date_long(day: dt.date, lang: str = "vi") -> str:
    """The date of an official header: ``ngày 05 tháng 11 năm 2012``, ``ngày 15 tháng 6 năm 2017``.

    Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero
    (``tháng 01``, ``tháng 02``), the other months do not.
    """
    if lang == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return formats()["official_date"].format(day=f"{day.day:02d}", month=month, year=day.year)
    return date(day, "en")


def period(first: int, last: int) -> str:
    """``2012–2017`` (en dash), or ``2022`` for one year."""
    return str(first) if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class Quantity:
    """A figure with what writing it needs: decimals, unit of measure, language.

    In a format string ``{x}`` gives the number (``3.667.005.000``), ``{x:u}`` the number
    with its unit (``3.667.005.000 đồng``, ``98,5 %``) and ``{x:s}`` a large sum
    shortened (``3,67 tỷ đồng``). A missing value reads ``–``.

    ``reported`` and ``expected`` count the returns the figure rests on (a sentence says so
    when some are missing); ``year`` is the year the figure is of (a stock at the end of a
    period); ``until`` the day its figures stop when that year is cut off before 31 December;
    ``partial_in`` the last days of the years cut short inside a span's total (sum or Σ/Σ); ``fact``
    what the figure is (:class:`evaltools.model.fact.Fact`), recorded wherever it is written.
    """

    value: float
    decimals: int = 0
    unit: str = ""
    lang: str = "vi"
    reported: int | None = None
    expected: int | None = None
    year: int | None = None
    until: dt.date | None = None
    partial_in: tuple[dt.date, ...] = ()
    fact: object | None = field(default=None, compare=False)   # its evaltools.model.fact.Fact, when computed

    @property
    def complete(self) -> bool:
        """True unless fewer returns than expected carry the figure."""
        return self.reported is None or self.expected is None or self.reported >= self.expected

    @property
    def missing(self) -> bool:
        """True when there is no value."""
        return is_missing(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __format__(self, spec: str) -> str:
        if spec == "":
            return number(self.value, self.decimals, self.lang)
        if spec == "u":
            return quantity(self.value, self.unit, self.decimals, self.lang)
        if spec == "s":
            if self.unit in formats()["currency"].values():
                return money_short(self.value, self.lang)
            return quantity(self.value, self.unit, self.decimals, self.lang)
        raise ValueError(f"unknown figure format {spec!r}: use {{x}} (number), {{x:u}} (with its unit) "
                         "or {x:s} (large sums shortened)")

    def __str__(self) -> str:
        return format(self, "u")


@dataclass(frozen=True)
class UnitQuantity(Quantity):
    """A :class:`Quantity` that a template's plain ``{x}`` writes with its unit (``44 em``): for sentences
    whose placeholders take a figure and its unit together."""

    def __format__(self, spec: str) -> str:
        return super().__format__(spec or "u")


def with_unit(figure: Quantity) -> UnitQuantity:
    """``figure`` written with its unit by default, its fact kept."""
    return UnitQuantity(**{f: getattr(figure, f) for f in figure.__dataclass_fields__})
