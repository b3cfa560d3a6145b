"""Indicator formulas: terms joined by ``+`` and ``-``.

A term is an element code (``CASES``, all its options), an element option
(``CASES.road``), the built-in ``@communes`` (communes valid in the year)
or a number. Formulas stay this simple on purpose: analysts write them in YAML and
every term maps onto one column of the aggregated data.

Validation rules (``parse(text, constants=...)``) may also multiply a term by
numbers and named constants written ``$name`` (``ELEMENT * $price``,
``800 * OTHER_ELEMENT``); a term still holds one data column at most, so every
formula stays a signed sum of scaled columns. Indicator formulas keep the plain
syntax: the engine does not scale terms.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

COMMUNE_COUNT = "@communes"
# A column term anywhere in a formula (``@communes``, ``ELEMENT``, ``ELEMENT.option``): what a reader's
# definition of a figure names in words.
TERM = re.compile(r"@communes|\b[A-Z][A-Z0-9_]*(?:\.[a-z0-9_]+)?")
_TOKEN = re.compile(r"\s*([+-])?\s*(@communes|[A-Z][A-Z0-9_]*(?:\.[a-z0-9_]+)?|\d+(?:\.\d+)?)\s*")
_FACTOR = r"(@communes|[A-Z][A-Z0-9_]*(?:\.[a-z0-9_]+)?|\d+(?:\.\d+)?|\$[a-z][a-z0-9_]*)"
_SCALED = re.compile(rf"\s*([+-])?\s*{_FACTOR}\s*")
_TIMES = re.compile(rf"\*\s*{_FACTOR}\s*")


@dataclass(frozen=True)
class Term:
    """One signed term: a data column key (``ELEMENT`` or ``ELEMENT.option``) or a constant.

    In rule formulas a term is also scaled: a column term stands for
    ``sign × factor × column × Π $names``, a constant term for
    ``sign × constant × Π $names``. Plain formulas leave ``factor`` 1 and ``names`` empty.
    """

    sign: int
    column: str | None = None
    constant: float | None = None
    factor: float = 1.0
    names: tuple[str, ...] = ()

    @property
    def element(self) -> str | None:
        """The element code of a column term (None for constants and @communes)."""
        if self.column is None or self.column == COMMUNE_COUNT:
            return None
        return self.column.split(".", 1)[0]

    @property
    def option(self) -> str | None:
        """The option code of an ``ELEMENT.option`` term."""
        if self.column and "." in self.column:
            return self.column.split(".", 1)[1]
        return None


def parse(text: str, constants: Collection[str] | None = None) -> tuple[Term, ...]:
    """Parse a formula.

    Parameters
    ----------
    text : str
        The formula.
    constants : collection of str, optional
        Names of the constants a rule formula may use as ``$name``. When given,
        terms may also be products joined by ``*``; when None (indicator
        formulas) only the plain syntax is read.

    Raises
    ------
    ValueError
        Naming the position and the text that could not be read.
    """
    terms: list[Term] = []
    pos = 0
    text = text.strip()
    if not text:
        raise ValueError("empty formula")
    scaled = constants is not None
    while pos < len(text):
        match = (_SCALED if scaled else _TOKEN).match(text, pos)
        if not match or (terms and not match.group(1)):
            expected = "ELEMENT, ELEMENT.option, @communes or a number, joined by + or -"
            if scaled:
                expected = ("ELEMENT, ELEMENT.option, @communes, a number or a $constant, "
                            "joined by + or - and multiplied with *")
            raise ValueError(f"cannot read {text[pos:]!r} in formula {text!r}; expected {expected}")
        factors = [match.group(2)]
        pos = match.end()
        while scaled and (times := _TIMES.match(text, pos)):
            factors.append(times.group(1))
            pos = times.end()
        sign = -1 if match.group(1) == "-" else 1
        terms.append(_term(sign, factors, constants or (), text))
    return tuple(terms)


def _term(sign: int, factors: list[str], constants: Collection[str], text: str) -> Term:
    """Build one term from the factors of a product (a single factor in plain formulas)."""
    column, number, names = None, 1.0, []
    for token in factors:
        if token.startswith("$"):
            if token[1:] not in constants:
                known = ", ".join(f"${c}" for c in sorted(constants)) or "none"
                raise ValueError(f"unknown constant {token} in formula {text!r}; defined: {known}")
            names.append(token[1:])
        elif token[0].isdigit():
            number *= float(token)
        elif column is not None:
            raise ValueError(f"cannot multiply {column} by {token} in formula {text!r}: "
                             "a term holds one data column at most")
        else:
            column = token
    if column is not None:
        return Term(sign, column=column, factor=number, names=tuple(names))
    return Term(sign, constant=number, names=tuple(names))
