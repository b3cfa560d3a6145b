"""Which rows of the indicator table a spreadsheet shows, in which order, and how each indicator is defined.

The engine gives a row for every indicator, unit, period and category, meaningful or not:
plans that only the district issues get a "no data" row for every commune, plan kinds of
a later decade get one for every year. A reader needs neither. A spreadsheet keeps

- the area's own rows always (a missing figure there says the period has no data);
- a commune's rows only for indicators the communes report (not the district-level ones);
- a category only when some unit has a figure for it in some period;
- a commune's missing figure only when another unit has a figure for that indicator,
  category and period: that gap is a commune that did not report, and is shown as missing.

Communes come in GSO code order (the order of the statistics office's lists).
"""

from __future__ import annotations

import pandas as pd

from evaltools.model.catalog import Catalog
from evaltools.model.indicator_specs import specs


def unit_order(codes: pd.Series, area: str) -> pd.Series:
    """A sort key putting the area first, then units by GSO code (numerically when the codes are numbers)."""
    text = codes.astype(str)
    numeric = pd.to_numeric(text, errors="coerce")
    return pd.Series(list(zip(text != area, numeric.isna(), numeric.fillna(0), text)), index=codes.index)


def district_level(catalog: Catalog) -> set[str]:
    """Indicators whose figures only the district reports (its issued plans, its centre's children)."""
    return {s.code for s in specs(catalog, catalog.indicators, []) if s.level == "district"}


def meaningful(table: pd.DataFrame, catalog: Catalog, area: str) -> pd.Series:
    """Rows of a labelled indicator table (``ReviewData.shown``) that say something (see the module)."""
    own = table["unit"].astype(str) == area
    keys = [table["indicator"].astype(str), table["category"].astype(str)]
    has = table["value"].notna()
    reported_by_communes = ~table["indicator"].astype(str).isin(district_level(catalog))
    category_used = has.groupby(keys).transform("any")
    period_has_data = has.groupby([*keys, table["period"].astype(str)]).transform("any")
    return own | (reported_by_communes & category_used & period_has_data)


def ordered(table: pd.DataFrame, indicators: list[str], area: str) -> pd.DataFrame:
    """Rows by indicator (report order), unit (area, then GSO code), period and category (catalog order)."""
    position = {code: i for i, code in enumerate(indicators)}
    categories = {c: i for i, c in enumerate(dict.fromkeys(["total", *table["category"].astype(str)]))}
    keys = pd.DataFrame({"_i": table["indicator"].astype(str).map(position),
                         "_unit": unit_order(table["unit"], area),
                         "_period": table["period"].astype(str),
                         "_category": table["category"].astype(str).map(categories)}, index=table.index)
    return table.loc[keys.sort_values(["_i", "_unit", "_period", "_category"], kind="stable").index]
