"""A review's figures as a DHIS2 data value set (JSON, or DHIS2's CSV), for ``evaltools export dhis2``.

Two sets can be written:

- **indicators**: each indicator's yearly value per unit and option, the indicator's
  code as the data element (the receiving DHIS2 needs a data element of that code, or
  a UID in the mapping file). A partial year or a figure from fewer returns than
  expected says so in the value's ``comment``. Span figures (2012–2017) have no DHIS2
  period and are left out.
- **data**: the data values the review reads (every element, its area's units, its
  years), what ``evaltools import`` takes back: exporting them and importing them into
  an empty store gives the same indicators. A partial year's values say so in the
  comment too (after the stored comment, if any).

Identifiers are the catalog's codes (``idScheme: CODE``) or, with ``ids="mapped"``,
the DHIS2 identifiers of the mapping file (:mod:`evaltools.intake.dhis2map`). With codes,
the category option combos are the catalog's option codes (``drowning``), which a DHIS2
instance seldom gives its combos; ``ids="combos"`` writes the mapping file's identifiers
for the combos only (``categoryOptionComboIdScheme: UID``, the rest by code). The
period is the year (``2017``), the org unit the GSO code; the value is text, as DHIS2
writes it; a missing figure is left out, never written as 0; the default option is
left out (DHIS2 then uses its default category option combo).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from evaltools.model.catalog import DEFAULT_OPTION
from evaltools.dataset.context import ReviewData
from evaltools.core.errors import EvaltoolsError
from evaltools.intake.dhis2map import Mapping
from evaltools.intake.numbers import from_cell
from evaltools.store.storescope import review_scope
from evaltools.core.iorw import atomic_write

MAPPED = {"dataElement": ("elements", "data_elements"), "orgUnit": ("units", "org_units"),
          "categoryOptionCombo": ("options", "category_option_combos")}
CSV_HEADER = ("dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby", "lastupdated",
              "comment", "followup")
WHATS = ("indicators", "data")


def _number(value: float) -> str:
    """A figure as DHIS2 text: a whole number without decimals, else up to 10 significant digits."""
    return from_cell(value) if float(value).is_integer() else f"{value:.10g}"


def indicator_rows(data: ReviewData) -> pd.DataFrame:
    """The review's own indicators, one row per unit, year and option with a value (columns of a data value)."""
    shown = data.shown
    yearly = shown[(shown["aggregation"] == "year") & shown["value"].notna()]
    cutoffs = data.cutoffs
    notes = []
    for row in yearly.itertuples():
        note = []
        if str(row.partial) == "True":
            note.append(f"partial year: figures to {cutoffs[int(row.period)]:%d/%m/%Y}")
        if pd.notna(row.expected) and row.reported < row.expected:
            note.append(f"from {int(row.reported)} of {int(row.expected)} returns")
        notes.append("; ".join(note))
    return pd.DataFrame({
        "dataElement": yearly["indicator"].astype(str), "period": yearly["period"].astype(str),
        "orgUnit": yearly["unit"].astype(str),
        "categoryOptionCombo": yearly["category"].astype(str).replace("total", DEFAULT_OPTION),
        "value": [_number(v) for v in yearly["value"]], "comment": notes})


def data_rows(data: ReviewData) -> pd.DataFrame:
    """The data values the review reads: its area's units (at any time of its years), its years."""
    review = data.review
    area = review_scope(review, data.catalog.units).units     # merged-in units too: the roll-up adds them
    values = data.values
    mine = values[values["unit"].astype(str).isin(area) & values["period"].between(review.first_year,
                                                                                   review.last_year)]
    # DHIS2 reads "2017" as the whole year: a year whose figures stop earlier says so
    notes = {y: f"partial year: figures to {d:%d/%m/%Y}" for y, d in data.partial_years.items()}
    comments = [f"{c}; {notes[y]}" if c and y in notes else c or notes.get(y, "")
                for c, y in zip(mine["comment"].astype(str), mine["period"])]
    return pd.DataFrame({
        "dataElement": mine["element"].astype(str), "period": mine["period"].astype(str),
        "orgUnit": mine["unit"].astype(str), "categoryOptionCombo": mine["category"].astype(str),
        "value": [_number(v) for v in mine["value"]], "comment": comments})


def identified(rows: pd.DataFrame, mapping: Mapping | None, columns: tuple[str, ...] = tuple(MAPPED)) -> pd.DataFrame:
    """Rows with the mapping file's DHIS2 identifiers instead of catalog codes in ``columns`` (as they are
    without a mapping)."""
    if mapping is None:
        return rows
    out = rows.copy()
    for column in columns:
        kind, section = MAPPED[column]
        reverse = mapping.reverse(kind)
        if column == "categoryOptionCombo":
            reverse.setdefault(DEFAULT_OPTION, DEFAULT_OPTION)
        missing = sorted(set(out[column]) - set(reverse))
        if missing:
            raise EvaltoolsError(f"{mapping.path}: {section}: no DHIS2 identifier for {', '.join(missing[:5])}"
                                 + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                                 + "; add them, or export the catalog's codes (--ids code)")
        out[column] = out[column].map(reverse)
    return out


def _records(rows: pd.DataFrame) -> list[dict[str, str]]:
    rows = rows.sort_values(["dataElement", "period", "orgUnit", "categoryOptionCombo"], kind="stable")
    out = []
    for row in rows.itertuples(index=False):
        record = {"dataElement": row.dataElement, "period": row.period, "orgUnit": row.orgUnit}
        if row.categoryOptionCombo != DEFAULT_OPTION:
            record["categoryOptionCombo"] = row.categoryOptionCombo
        record["value"] = row.value
        if row.comment:
            record["comment"] = row.comment
        out.append(record)
    return out


def schemes(ids: str) -> dict[str, str]:
    """The id schemes a data value set written with ``ids`` declares (none: DHIS2's default, UID)."""
    if ids == "combos":     # each object's own scheme: DHIS2 reads a specific one before the general idScheme
        return {"dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", "categoryOptionComboIdScheme": "UID"}
    return {"idScheme": "CODE"} if ids == "code" else {}


def to_json(rows: pd.DataFrame, ids: str, data_set: str = "") -> str:
    """A DHIS2 ``dataValueSets`` JSON document declaring its id schemes (:func:`schemes`)."""
    document: dict[str, object] = {"dataSet": data_set} if data_set else {}
    document.update(schemes(ids))
    document["dataValues"] = _records(rows)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: pd.DataFrame) -> str:
    """DHIS2's CSV data value format (columns by position; post it with ``idScheme=CODE`` when they are codes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in _records(rows):
        writer.writerow([r["dataElement"], r["period"], r["orgUnit"], r.get("categoryOptionCombo", ""), "",
                         r["value"], "", "", r.get("comment", ""), ""])
    return buffer.getvalue()


def export_files(data: ReviewData, what: str, fmt: str, mapping: Mapping | None,
                 ids: str = "code") -> dict[str, tuple[str, int]]:
    """File name -> (content, number of values) for each set asked (``what``: indicators, data or all), with
    the identifiers ``ids`` says (code, mapped or combos; ``mapping`` needed unless code)."""
    sets = WHATS if what == "all" else (what,)
    columns = {"code": (), "mapped": tuple(MAPPED), "combos": ("categoryOptionCombo",)}[ids]
    out = {}
    for name in sets:
        rows = identified(indicator_rows(data) if name == "indicators" else data_rows(data), mapping, columns)
        text = to_csv(rows) if fmt == "csv" else to_json(rows, ids, mapping.data_set if mapping else "")
        out[f"dhis2-{name}.{fmt}"] = (text, len(rows))
    return out


def written(folder: Path, files: dict[str, tuple[str, int]]) -> list[Path]:
    """Write each file atomically into ``folder``."""
    return [atomic_write(folder / name, text) for name, (text, _) in files.items()]
