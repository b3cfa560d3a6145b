"""Indicator formulas: terms joined by ``+`` and ``-``.

A term is an element code (``ALLOWANCE``, all its options), an element option
(``ALLOWANCE.disabled``), the built-in ``@communes`` (communes valid in the year)
or a number. Formulas stay this simple on purpose: analysts write them in YAML and
every term maps onto one column of the aggregated data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMUNES = "@communes"
_TOKEN = re.compile(r"\s*([+-])?\s*(@communes|[A-Z][A-Z0-9_]*(?:\.[a-z0-9_]+)?|\d+(?:\.\d+)?)\s*")


@dataclass(frozen=True)
class Term:
    """One signed term: a data column key (``ELEMENT`` or ``ELEMENT.option``) or a constant."""

    sign: int
    column: str | None = None
    constant: float | None = None

    @property
    def element(self) -> str | None:
        """The element code of a column term (None for constants and @communes)."""
        if self.column is None or self.column == COMMUNES:
            return None
        return self.column.split(".", 1)[0]

    @property
    def option(self) -> str | None:
        """The option code of an ``ELEMENT.option`` term."""
        if self.column and "." in self.column:
            return self.column.split(".", 1)[1]
        return None


def parse(text: str) -> tuple[Term, ...]:
    """Parse a formula.

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
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or (terms and not match.group(1)):
            raise ValueError(f"cannot read {text[pos:]!r} in formula {text!r}; "
                             "expected ELEMENT, ELEMENT.option, @communes or a number, joined by + or -")
        sign = -1 if match.group(1) == "-" else 1
        token = match.group(2)
        if token[0].isdigit():
            terms.append(Term(sign, constant=float(token)))
        else:
            terms.append(Term(sign, column=token))
        pos = match.end()
    return tuple(terms)
