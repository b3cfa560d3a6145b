"""The synthetic area generator used by the benchmarks and batch tests."""

from __future__ import annotations

from evaltools.model import engine
from evaltools.model.synthetic import Scale, make_area


def test_small_synthetic_area_has_the_requested_shape_and_merges_commune_two():
    scale = Scale(provinces=2, districts=3, communes=4, first_year=2018, last_year=2021, elements=6,
                  disaggregated=2)
    catalog, values = make_area(scale, seed=7)
    levels = catalog.units.drop_duplicates("code")["level"].value_counts()
    assert (levels["province"], levels["district"], levels["commune"]) == (2, 6, 24)
    columns_per_commune = 2 * 3 + 4          # 2 elements in 3 options, 4 plain ones
    # commune 2 of each district stops reporting after 2019 (merged into commune 1 from 2020)
    per_year = values.groupby("period", observed=True).size()
    assert per_year[2019] == 24 * columns_per_commune
    assert per_year[2020] == 18 * columns_per_commune
    facts = engine.aggregate(values, catalog, "01", engine.periods_for(2018, 2021))
    share = engine.evaluate(facts, catalog.indicators.loc[["SHARE"]]).set_index(["unit", "period"])["denominator"]
    assert share[("0101", "2019")] == 4                        # SHARE's denominator is @communes
    assert share[("0101", "2020")] == 3
    assert share[("0101001", "2019")] == 2                     # commune 1 with its predecessor
    assert "0101002" not in facts.units                         # merged away: not a row
    again = make_area(scale, seed=7)[1]
    assert again["value"].equals(values["value"])
