"""Unit names and codes as returns write them, resolved to GSO codes for a year.

Names are compared after normalising what varies without changing the name:
Unicode form (NFC), case, spacing, the administrative prefix ("Xã", "X.",
"Thị trấn", "TT.", "TT", "Phường", "P.", "Huyện", ...) and where the tone mark
sits ("Thủy" = "Thuỷ", "Hòa" = "Hoà"). Diacritics are never stripped: "Cam
Thanh" and "Cam Thành" are different communes. A prefix, when written, must
agree with the unit's own ("TT. Cam Lộ" is the town, "Huyện Cam Lộ" the
district; plain "Cam Lộ" is ambiguous). A unit must exist on 31 December of
the return's year (:mod:`evaltools.model.units`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import defaultdict

import pandas as pd

from evaltools.model import units as unit_history
from evaltools.model import vocabulary

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
CODE = re.compile(r"[0-9]+")


def tone_key(text: str) -> str:
    """Case- and tone-placement-insensitive key of a text; keeps every diacritic."""
    words = re.split(r"[\s\-\u2013\u2014_.,]+", unicodedata.normalize("NFC", text).casefold())
    keys = []
    for word in filter(None, words):
        nfd = unicodedata.normalize("NFD", word)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONE_MARKS))
        keys.append(base + "".join(c for c in nfd if c in TONE_MARKS))  # the tone moves to the word's end
    return " ".join(keys)


def split_name(name: str) -> tuple[str | None, str]:
    """(kind of unit named by the prefix or None, key of the rest of the name)."""
    text = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    # (written prefix, the kind it names): one table for all, resources/vocabulary.yaml
    for written, kind in vocabulary.unit_kind_spellings():
        if text.startswith(written):
            rest = text[len(written):]
            if written.endswith(".") or rest.startswith(" "):
                if rest.strip():
                    return kind, tone_key(rest)
    return None, tone_key(text)


def _loose(text: str) -> str:
    """Diacritics-free text, used only to rank suggestions, never to match."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    d = vocabulary.vocabulary()["d_with_stroke"]
    return stripped.replace(d["lower"], "d").replace(d["upper"], "D").casefold()


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class UnitNames:
    """Resolve unit codes and names of one catalog, for a given year."""

    def __init__(self, units: pd.DataFrame):
        self.units = units.reset_index(drop=True)
        self._by_code: dict[str, list[int]] = defaultdict(list)
        self._by_core: dict[str, list[int]] = defaultdict(list)
        self._kinds: list[str | None] = []
        for i, row in self.units.iterrows():
            kind, core = split_name(row["name_vi"])
            self._kinds.append(kind)
            self._by_code[row["code"]].append(i)
            self._by_core[core].append(i)
        self._valid: dict[int, set[int]] = {}

    def describe(self, i: int) -> str:
        """'Xã Cam Thủy (19606)' for unit row ``i``."""
        return f"{self.units.at[i, 'name_vi']} ({self.units.at[i, 'code']})"

    def valid_rows(self, year: int) -> set[int]:
        """Unit rows that exist on 31 December of ``year``."""
        if year not in self._valid:
            mask = unit_history.valid_in(self.units, year)
            self._valid[year] = set(self.units.index[mask.to_numpy(dtype=bool)])
        return self._valid[year]

    def resolve(self, code: str | None, name: str | None, year: int) -> tuple[str | None, str | None]:
        """Return (GSO code, None) or (None, what is wrong) for a code and/or a name.

        A name made of digits only is taken as a code (no unit name is).
        """
        if name and not code and CODE.fullmatch(name.strip()):
            code, name = name, None
        by_code = self._resolve_code(code, year) if code else None
        by_name = self._resolve_name(name, year, code) if name else None
        if by_code and not by_code[1] and self.misnamed(code, name, year):
            return by_code[0], None           # the code is right: the row is read by it (the caller warns)
        for found in (by_code, by_name):
            if found and found[1]:
                return found
        if by_code and by_name and by_code[0] != by_name[0]:
            row = self._by_code[by_code[0]][-1]
            return None, (f"code {code} is {self._name_in(by_code[0], year) or self.describe(row)}, "
                          f"but the name {name!r} is {self._name_in(by_name[0], year)}")
        if not (by_code or by_name):
            return None, "no unit: expected a unit code or name"
        return (by_code or by_name)[0], None

    def misnamed(self, code: str | None, name: str | None, year: int) -> str:
        """Why ``name`` is not ``code``'s name when the code is a unit of ``year`` and the name no unit's at all
        (a misspelling: "Cam Thủyy"); "" otherwise (a name of another unit stays a conflict)."""
        if not (code and name) or CODE.fullmatch(name.strip()) or self._resolve_code(code, year)[1]:
            return ""
        kind, core = split_name(name)
        if self._by_core.get(core) or core in {tone_key(w) for w in vocabulary.total_words()}:
            return ""
        return (f"unit name {name!r} is no unit's name; read by its code {code.strip()} as "
                f"{self._name_in(code.strip(), year)}: correct the name in the return")

    def described(self, code: str, year: int) -> str:
        """'Xã Cam Thủy (19606)' for unit ``code`` as it was in ``year`` (else its latest name; the code alone
        when the catalog has no such unit)."""
        rows = self._by_code.get(code, [])
        return self._name_in(code, year) or (self.describe(rows[-1]) if rows else code)

    def _name_in(self, code: str, year: int) -> str | None:
        rows = [i for i in self._by_code.get(code, []) if i in self.valid_rows(year)]
        return self.describe(rows[0]) if rows else None

    def _resolve_code(self, code: str, year: int) -> tuple[str | None, str | None]:
        code = code.strip()
        if not CODE.fullmatch(code):
            return None, f"expected a unit code (digits, such as 19597), found {code!r}"
        rows = self._by_code.get(code)
        if not rows:
            return None, f"unknown unit code {code!r}; {self._closest(code, year)}"
        if any(i in self.valid_rows(year) for i in rows):
            return code, None
        return None, self._not_in_year(rows[-1], year)

    def _resolve_name(self, name: str, year: int, code: str | None) -> tuple[str | None, str | None]:
        kind, core = split_name(name)
        rows = [i for i in self._by_core.get(core, []) if kind is None or self._kinds[i] in (kind, None)]
        if not rows:
            if core in {tone_key(w) for w in vocabulary.total_words()}:
                return None, f"{name!r} looks like a total row: leave totals out, evaltools adds units up itself"
            return None, f"unknown unit {name!r}; {self._closest(name, year)}"
        valid = [i for i in rows if i in self.valid_rows(year)]
        codes = sorted({self.units.at[i, "code"] for i in valid})
        if code and code.strip() in codes:
            return code.strip(), None
        if len(codes) == 1:
            return codes[0], None
        if len(codes) > 1:
            listed = " or ".join(self.describe(i) for i in valid)
            examples = ", ".join(vocabulary.vocabulary()["prefix_examples"])
            return None, f"ambiguous unit {name!r}: {listed}; write its prefix ({examples}...) or its code"
        return None, self._not_in_year(rows[-1], year)

    def _not_in_year(self, i: int, year: int) -> str:
        row = self.units.loc[i]
        if row["valid_from"] > unit_history.year_end(year):
            return f"{self.describe(i)} is not a unit in {year}: it exists from {_dmy(row['valid_from'])}"
        end = row["valid_to"] + dt.timedelta(days=1)
        successor = row["successor"]
        if not isinstance(successor, str):
            return f"{self.describe(i)} is not a unit in {year}: it was dissolved on {_dmy(end)}"
        after = [j for j in self._by_code.get(successor, []) if j in self.valid_rows(end.year)]
        target = self.describe(after[0]) if after else successor
        merged = (self.units["successor"] == successor) & (self.units["valid_to"] == row["valid_to"])
        verb = "merged into" if merged.sum() > 1 or successor != row["code"] else "was renamed"
        return f"{self.describe(i)} is not a unit in {year}: on {_dmy(end)} it {verb} {target}"

    def _closest(self, text: str, year: int) -> str:
        valid = sorted(self.valid_rows(year))
        is_code = bool(CODE.fullmatch(text.strip()))
        target = text.strip() if is_code else _loose(split_name(text)[1])
        choices: dict[str, int] = {}
        for i in valid:
            label = self.units.at[i, "code"] if is_code else _loose(split_name(self.units.at[i, "name_vi"])[1])
            choices.setdefault(label, i)
        close = difflib.get_close_matches(target, list(choices), n=3, cutoff=0.6)
        if close:
            return "closest: " + ", ".join(self.describe(choices[c]) for c in close)
        more = ", ..." if len(valid) > 12 else ""
        return f"units in {year}: " + ", ".join(self.describe(i) for i in valid[:12]) + more
