"""Declarative record schemas with lazy validation: every problem is reported at once.

A schema is a tuple of :class:`Field`. :func:`parse_records` checks a list of YAML
mappings against it and returns a DataFrame of the coerced values together with
every problem found, each naming the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaltools.core.errors import Problem
from evaltools.core.errors import did_you_mean

if TYPE_CHECKING:
    import pandas as pd

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Field:
    """One key of a YAML record.

    ``kind`` is one of: text, code, int, number, date, bool, choice, i18n, list, i18n_list
    (texts, each one for both languages or ``{vi, en}``), any (checked by the caller).
    """

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    default: Any = None
    pattern: str | None = None


_CODE = re.compile(r"^[A-Za-z0-9_\-]+$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (m := _DMY.match(value.strip())):
        day, month, year = (int(g) for g in m.groups())
        return dt.date(year, month, day)
    raise ValueError("expected a date written 2012-11-05 or 05/11/2012")


def _i18n(value: Any) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {lang: value for lang in LANGUAGES}
    if isinstance(value, Mapping) and isinstance(value.get("vi"), str):
        extra = set(value) - set(LANGUAGES)
        if extra:
            raise ValueError(f"expected keys vi and en, found {sorted(extra)}"
                             " (a comma inside {...} ends the text: put the text in quotes)")
        return {"vi": value["vi"], "en": value.get("en") or value["vi"]}
    raise ValueError("expected a text, or a mapping with 'vi' (and optionally 'en') texts")


def _coerce(field: Field, value: Any) -> Any:
    kind = field.kind
    if kind in ("text", "code", "choice"):
        if not isinstance(value, str) or not value.strip():
            hint = ' (put codes in quotes, e.g. "468")' if kind == "code" else ""
            raise ValueError(f"expected a text{hint}, found {value!r}")
        pattern = re.compile(field.pattern) if field.pattern else _CODE if kind == "code" else None
        if pattern and not pattern.match(value):
            raise ValueError(f"expected letters, digits, '_' or '-' only, found {value!r}")
        if kind == "choice" and value not in field.choices:
            raise ValueError(f"expected one of {', '.join(field.choices)}; found {value!r}")
        return value.strip()
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, found {value!r}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, found {value!r}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, found {value!r}")
        return value
    if kind == "date":
        return _date(value)
    if kind == "i18n":
        return _i18n(value)
    if kind == "any":
        return value
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of texts, found {value!r}")
        return value
    if kind == "i18n_list":
        if not isinstance(value, list):
            raise ValueError(f"expected a list of texts (each a text or {{vi: ..., en: ...}}), found {value!r}")
        return [_i18n(v) for v in value]
    raise AssertionError(f"unknown field kind {kind}")


def parse_record(record: Mapping, fields: Sequence[Field], file: str, line: int | None,
                 problems: list[Problem]) -> dict[str, Any]:
    """Coerce one mapping; append a :class:`Problem` per bad or unknown key."""
    known = {f.name for f in fields}
    lines = getattr(record, "key_lines", {})
    out: dict[str, Any] = {}
    for key in record:
        if key not in known:
            problems.append(Problem(file, lines.get(key, line), str(key), f"unknown key{did_you_mean(key, known)}; "
                                                                         f"expected one of {', '.join(sorted(known))}"))
    for field in fields:
        value = record.get(field.name)
        if value is None:
            if field.required:
                problems.append(Problem(file, line, field.name, "required but missing"))
            out[field.name] = field.default
            continue
        try:
            out[field.name] = _coerce(field, value)
        except ValueError as exc:
            problems.append(Problem(file, lines.get(field.name, line), field.name, str(exc)))
            out[field.name] = field.default
    return out


def parse_records(records: Any, fields: Sequence[Field], file: str,
                  key: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a YAML list of mappings against ``fields``.

    Parameters
    ----------
    records : list of Record
        The YAML sequence found under ``key``.
    fields : sequence of Field
        The schema.
    file : str
        File name used in problems.
    key : str
        The YAML key the list was found under (for messages).

    Returns
    -------
    (DataFrame, list of Problem)
        One row per record with a ``line`` column, and every problem found.
    """
    import pandas as pd     # heavy: a command that reads no list of records (pull, list) starts without it

    problems: list[Problem] = []
    if not isinstance(records, list):
        problems.append(Problem(file, None, key, "expected a list of entries"))
        return pd.DataFrame(columns=[f.name for f in fields] + ["line"]), problems
    rows = []
    for record in records:
        line = getattr(record, "line", None)
        if not isinstance(record, Mapping):
            problems.append(Problem(file, line, key, f"expected a mapping, found {record!r}"))
            continue
        rows.append({**parse_record(record, fields, file, line, problems), "line": line})
    frame = pd.DataFrame(rows, columns=[f.name for f in fields] + ["line"])
    return frame, problems


def duplicates(frame: pd.DataFrame, columns: list[str], file: str) -> list[Problem]:
    """One problem per row whose ``columns`` repeat an earlier row."""
    dup = frame[frame.duplicated(columns, keep="first")]
    first = frame.drop_duplicates(columns).set_index(columns)["line"]
    out = []
    for _, row in dup.iterrows():
        key = tuple(row[c] for c in columns)
        earlier = first.loc[key if len(key) > 1 else key[0]]
        out.append(Problem(file, row["line"], columns[0],
                           f"duplicate {'/'.join(map(str, key))}; already defined on line {earlier}"))
    return out
