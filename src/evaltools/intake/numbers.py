"""Numbers as communes write them, read exactly or refused with what was expected.

Two grammars, one per kind of file:

- :func:`parse_vi` reads what people type in a return: "3.667.005.000",
  "1.234,5", "98,5", "3.667.005.000,đ", "3 667 005 000 đồng" (spaces, no-break
  spaces and thin spaces group digits too). Thousands separators must split
  the digits into groups of three ("23.0000.000" is refused) and "," marks the
  decimals. A "." that does not group thousands ("12.5") is refused rather than
  guessed: in Vietnamese it is never a decimal mark.
- :func:`parse_plain` reads the canonical long CSV exactly as the store does:
  "3667005000", "12.5", "-3" (so a file exported from the store imports back
  to the same values).

Both return the canonical text the store writes (``"3667005000"``, ``"1234.5"``)
or None for an empty cell (missing, never zero), and raise ``ValueError`` with
a message that says what was expected.
"""

from __future__ import annotations

import functools
import re

from evaltools.model.vocabulary import vocabulary

GROUP_SEPARATORS = ".\u0020\u00a0\u202f\u2009"
_VI = re.compile(
    r"(?P<sign>[-\u2212])?"
    r"(?P<int>[0-9]+|[0-9]{1,3}(?P<sep>[.\u0020\u00a0\u202f\u2009])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:,(?P<frac>[0-9]+))?")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
EXAMPLE = "a number such as 3.667.005.000 or 1.234,5"


@functools.cache
def _currency() -> re.Pattern:
    """A currency word after an amount (resources/vocabulary.yaml, currency_suffixes)."""
    words = "|".join(re.escape(w) for w in vocabulary()["currency_suffixes"])
    return re.compile(rf"\s*,?\s*(?:{words})\.?$", re.IGNORECASE)


def canonical(sign: str, whole: str, fraction: str | None) -> str:
    """The store's text for a number given as sign, digits and decimal digits."""
    whole = whole.lstrip("0") or "0"
    fraction = (fraction or "").rstrip("0")
    text = f"{whole}.{fraction}" if fraction else whole
    return f"-{text}" if sign and text != "0" else text


def _why_not(body: str) -> str:
    """Say what is wrong with a number that does not match the grammar."""
    if not re.search(r"[0-9]", body) or re.search(r"[^0-9.,\s\u00a0\u202f\u2009\u2212-]", body):
        return "not a number (leave the cell empty when there is no figure)"
    if body.count(",") > 1:
        return "',' marks the decimals and may appear only once"
    if "," in body and re.search(r"[.\s\u00a0\u202f\u2009]", body.split(",", 1)[1]):
        return "thousands separators come before the decimal ','"
    if len({c for c in body if c in GROUP_SEPARATORS}) > 1:
        return "mixes different thousands separators"
    return "malformed digit grouping (each '.' or space must be followed by a group of three digits)"


def parse_vi(text: str) -> str | None:
    """Read a number written the Vietnamese way; None for an empty cell.

    Raises
    ------
    ValueError
        Saying what was expected, e.g. for "23.0000.000".
    """
    stripped = text.strip(" \t\r\n\u00a0\u202f\u2009")
    if not stripped:
        return None
    body = _currency().sub("", stripped)
    match = _VI.fullmatch(body)
    if not match:
        raise ValueError(f"{_why_not(body)}; expected {EXAMPLE}, found {text!r}")
    digits = re.sub(r"[^0-9]", "", match["int"])
    return canonical(match["sign"] or "", digits, match["frac"])


def parse_plain(text: str) -> str | None:
    """Read a number written as the store writes it ("1234", "12.5"); None when empty.

    Raises
    ------
    ValueError
        When the text is anything else, e.g. "3.667.005.000".
    """
    stripped = text.strip()
    if not stripped:
        return None
    if not _PLAIN.fullmatch(stripped):
        raise ValueError("the long format takes numbers as the store writes them, such as 3667005000 "
                         f"or 12.5 (no thousands separators, '.' before decimals); found {text!r}")
    sign = "-" if stripped.startswith("-") else ""
    whole, _, fraction = stripped.lstrip("-").partition(".")
    return canonical(sign, whole, fraction)


def from_cell(value: float | int) -> str:
    """The store's text for a spreadsheet's numeric cell."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))
