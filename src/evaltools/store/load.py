"""The store read and checked: the rows a review (or an import) works with.

Below it, :mod:`evaltools.store.record` reads and checks one CSV file of the record and
:mod:`evaltools.store.columnar` keeps the record's read copy; this module holds the store
for reading (:mod:`evaltools.store.storetx`) and puts the two together.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaltools.core.errors import EvaltoolsError, InputError, display_path
from evaltools.model.catalog import Catalog
from evaltools.store import columnar, storetx
from evaltools.store.record import check_values, value_files


def load_values(folder: str | Path, catalog: Catalog, scope=None, copy: bool = True, keys=None) -> pd.DataFrame:
    """Read and check the CSV files of the store (through its columnar copy, :mod:`evaltools.store.columnar`).

    ``scope`` (a :class:`evaltools.store.storescope.Scope`) reads only a review's units and years,
    and every row that cannot be placed in a unit and year; None reads the whole store.
    ``copy=False`` reads the CSV files themselves (an import, about to change them).
    ``keys``: the catalog's partition keys, when already known (:func:`evaltools.store.columnar.read_rows`).

    Returns
    -------
    DataFrame
        element, period (int), unit, category, value (float), source, comment,
        file, line; element, unit and category are categorical.

    Raises
    ------
    InputError
        Listing every problem of every file, with file, line and column.
    """
    with storetx.reading(Path(folder).parent):
        if not value_files(folder):
            raise EvaltoolsError(f"{display_path(folder)}: no data value files (*.csv)")
        frame, refused = columnar.read_rows(folder, catalog.units, scope, copy, keys)
    if refused:
        raise EvaltoolsError(refused[0][1])
    typed, problems, _ = check_values(frame, catalog)
    if problems:
        raise InputError(problems)
    for column in ("element", "unit", "category", "file"):
        typed[column] = typed[column].astype("category")
    return typed
