"""The columns of a wide return: one per data element, or per element and option.

Each column has a machine code (``ELEMENT``, ``ELEMENT.option``) and a
Vietnamese header ("Trẻ em đang hưởng trợ cấp xã hội hằng tháng – Trẻ em khuyết
tật (em)"). Readers match a header row of codes first; without one they match
the Vietnamese headers, compared like unit names (case, spacing, dashes,
quotes and tone-mark placement do not matter; the unit in brackets may be left
out). Four columns describe the row rather than a value: ``UNIT`` (Mã đơn vị),
``UNIT_NAME`` (Tên đơn vị), ``PERIOD`` (Năm) and ``COMMENT`` (Ghi chú).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from evaltools.model import vocabulary
from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.intake.unitnames import tone_key



@dataclass(frozen=True)
class Column:
    """A column of a wide return: a data column (element set) or a row column."""

    key: str
    header_vi: str
    element: str | None = None
    category: str | None = None
    level: str = "commune"
    value_type: str | None = None


def header_key(text: str) -> str:
    """Comparison key of a Vietnamese header."""
    return tone_key(re.sub(r"[“”\"'‘’«»()\[\]:]", " ", text))


def data_columns(catalog: Catalog) -> list[Column]:
    """Every data column of a return, in catalog order (options in their set's order)."""
    out = []
    for code, element in catalog.elements.iterrows():
        disagg, unit = element["disaggregation"], element["unit_vi"]
        common = dict(element=code, level=element["level"], value_type=element["value_type"])
        if not isinstance(disagg, str):
            out.append(Column(code, f"{element['name_vi']} ({unit})", category=DEFAULT_OPTION, **common))
            continue
        for option, opt in catalog.options.loc[disagg].sort_values("order").iterrows():
            out.append(Column(f"{code}.{option}", f"{element['name_vi']} – {opt['name_vi']} ({unit})",
                              category=option, **common))
    return out


class ColumnIndex:
    """Look columns up by code or by Vietnamese header."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.columns = [Column(k, v) for k, v in vocabulary.row_columns().items()] + data_columns(catalog)
        self._codes = {c.key.casefold(): c for c in self.columns}
        headers: dict[str, list[Column]] = {}
        for column in self.columns:
            bare = re.sub(r"\s*\([^()]*\)$", "", column.header_vi)
            for text in {column.header_vi, bare}:
                headers.setdefault(header_key(text), []).append(column)
        # A header two columns share cannot identify either: such columns need the code row.
        self._headers = {k: cs[0] for k, cs in headers.items() if len({c.key for c in cs}) == 1}

    def by_code(self, text: str) -> Column | None:
        """The column whose code is ``text`` (case-insensitive), or None."""
        return self._codes.get(text.strip().casefold())

    def by_header(self, text: str) -> Column | None:
        """The column whose Vietnamese header is ``text`` (normalised), or None."""
        return self._headers.get(header_key(text))

    def unknown(self, text: str, by_code: bool) -> str:
        """What to say about a header that names no column."""
        code = text.strip()
        if by_code and code in self.catalog.elements.index:
            disagg = self.catalog.elements.at[code, "disaggregation"]
            options = self.catalog.options.loc[disagg].index
            return (f"{code} is split by {disagg}: expected one column per option "
                    f"({', '.join(f'{code}.{o}' for o in options)})")
        pool = [c.key for c in self.columns] if by_code else [c.header_vi for c in self.columns]
        close = difflib.get_close_matches(code, pool, n=3, cutoff=0.6)
        what = "column code" if by_code else "column header"
        hint = f"; closest: {', '.join(close)}" if close else "; see the template (evaltools template YEAR)"
        return f"unknown {what} {code!r}{hint}"
