"""Incoming values against the store: added, unchanged, or in conflict with a stored value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaltools.store.record import REQUIRED

KEYS = list(REQUIRED[:4])  # element, period, unit, category


def compare(rows: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """``rows`` with ``status`` (added, unchanged, conflict) and the stored value, source and place.

    Parameters
    ----------
    rows
        Typed incoming values (element, period, unit, category, value ...).
    stored
        The store as :func:`evaltools.store.load.load_values` returns it, or None when empty.
    """
    if stored is None or stored.empty:
        return rows.assign(status="added", stored_value=np.nan, stored_source="", stored_at="")
    mine = stored[KEYS + ["value", "source", "file", "line"]].astype(
        {"element": str, "unit": str, "category": str, "file": str})
    mine = mine.assign(stored_at=mine["file"] + ":" + mine["line"].astype(str)).rename(
        columns={"value": "stored_value", "source": "stored_source"}).drop(columns=["file", "line"])
    merged = rows.rename_axis("_idx").reset_index().merge(mine, on=KEYS, how="left").set_index("_idx")
    merged.index.name = rows.index.name
    status = np.where(merged["stored_value"].isna(), "added",
                      np.where(merged["stored_value"] == merged["value"], "unchanged", "conflict"))
    return merged.assign(status=status, stored_source=merged["stored_source"].fillna(""),
                         stored_at=merged["stored_at"].fillna(""))
