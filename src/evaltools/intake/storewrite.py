"""Writing accepted values into staged copies of the store's value files.

New values go to ``returns-<year>.csv`` (appended when it exists, so earlier
rows keep their bytes); a replaced value is rewritten in the file that held
it. Only the files that change are staged, each whole; the caller commits them
with the import log (:mod:`evaltools.store.storetx`).
"""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from pathlib import Path

import pandas as pd

from evaltools.core import faults
from evaltools.store.record import OPTIONAL, REQUIRED

HEADER = list(REQUIRED + OPTIONAL)


def stage_copy(values: Path, stage: Path, name: str) -> None:
    """Copy ``values/name`` (when it exists) into the stage folder, to be changed there."""
    if (values / name).is_file():
        faults.point("stage", stage / name)
        shutil.copy2(values / name, stage / name)


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _records(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _canonical(records: list[list[str]]) -> list[list[str]]:
    """Records under the full store header, whatever column order or subset the file had."""
    header = [h.strip() for h in records[0]]
    if header == HEADER:
        return records
    where = {name: header.index(name) for name in HEADER if name in header}
    return [HEADER] + [[r[where[n]] if n in where and where[n] < len(r) else "" for n in HEADER]
                       for r in records[1:]]


def append_rows(folder: Path, name: str, rows: pd.DataFrame) -> None:
    """Append store rows to ``folder/name``, creating it with a header when new.

    An existing file keeps its bytes and gets the rows at its end, unless its
    header is not the store's full one: then it is rewritten under that header.
    """
    path = folder / name
    if path.exists():
        records = _records(path)
        if records and [h.strip() for h in records[0]] != HEADER:
            path.write_text(_csv_text(_canonical(records)), encoding="utf-8", newline="")
        elif not records:
            path.unlink()
        elif not path.read_bytes().endswith(b"\n"):
            with open(path, "a", encoding="utf-8", newline="") as fh:
                fh.write("\n")
    rows[HEADER].to_csv(path, mode="a", header=not path.exists(), index=False, lineterminator="\n",
                        encoding="utf-8")


def _key(record: list[str]) -> tuple:
    element, period, unit, category = (unicodedata.normalize("NFC", c.strip()) for c in record[:4])
    return element, int(float(period)), unit, category


def replace_rows(folder: Path, name: str, rows: pd.DataFrame) -> int:
    """Rewrite ``folder/name`` with new value, source and comment for the rows' keys; return how many."""
    path = folder / name
    records = _canonical(_records(path))
    new = {(r.element, int(r.period), r.unit, r.category): (r.value, r.source, r.comment)
           for r in rows[HEADER].astype({"period": int}).itertuples()}
    done = 0
    for record in records[1:]:
        if len(record) >= 5 and record[0].strip() and (key := _key(record)) in new:
            record[4:7] = new[key]
            done += 1
    path.write_text(_csv_text(records), encoding="utf-8", newline="")
    return done
