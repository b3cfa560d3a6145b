"""evaltools.explore: the analyst's filters, tables and charts on the sample store."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from evaltools import explore

from .conftest import SAMPLE_REVIEW


@pytest.fixture(scope="module")
def data():
    return explore.load(SAMPLE_REVIEW)


def test_load_by_id_finds_the_same_review(data):
    assert explore.load("ct20-2012-2017").review.path == data.review.path


def test_a_commune_is_found_by_code_or_by_name_as_returns_write_it(data):
    by_code = explore.values(data, unit="19606", element="CHILDREN")
    assert list(by_code["period"]) == list(range(2012, 2023))
    for name in ("Xã Cam Thủy", "Cam Thuỷ", "cam thủy", "X. Cam Thủy"):
        assert explore.values(data, unit=name, element="CHILDREN").equals(by_code), name
    assert explore.values(data, unit="Cam Thanh", element="CHILDREN")["unit"].unique().tolist() == ["19609"]
    assert explore.values(data, unit="Cam Thành", element="CHILDREN")["unit"].unique().tolist() == ["19612"]


def test_units_are_named_as_they_were_that_year(data):
    rows = explore.values(data, unit="19603", element="CHILDREN", years=[2019, 2020])
    assert list(rows["unit_name"]) == ["Xã Cam An", "Xã Thanh An"]
    assert explore.values(data, unit="Thanh An", element="CHILDREN")["period"].min() == 2020


def test_values_filter_by_element_year_and_option(data):
    rows = explore.values(data, element="ALLOWANCE", years=range(2012, 2018))
    assert sorted(rows["period"].unique()) == list(range(2012, 2018))
    assert set(rows["category"]) == {"orphan_both", "disabled", "orphan_one"}
    wide = explore.table(rows)
    assert wide[2017].sum() == 353                            # the district's 353 children, commune by commune
    disabled = explore.values(data, element="ALLOWANCE", years=2017, category="disabled")
    assert disabled["value"].sum() == 137
    assert set(rows["file"]) == {f"data/values/cam-lo-{y}.csv" for y in range(2012, 2018)}


def test_a_cell_with_an_option_missing_is_missing_not_the_sum_of_the_others(data):
    rows = explore.values(data, element="ALLOWANCE", years=[2016, 2017])
    gap = rows.index[(rows["unit"] == "19606") & (rows["period"] == 2017) & (rows["category"] == "disabled")]
    damaged = rows.copy()
    damaged.loc[gap, "value"] = float("nan")                 # one option of one commune-year not reported
    wide = explore.table(damaged)
    by_hand = rows.groupby(["unit_name", "period"])["value"].sum().unstack("period")
    name = rows.loc[gap, "unit_name"].iloc[0]
    assert pd.isna(wide.at[name, 2017]) and wide.at[name, 2016] == by_hand.at[name, 2016]
    others = by_hand.drop(index=name)
    assert wide.drop(index=name)[2017].tolist() == others[2017].tolist()
    with pytest.raises(ValueError, match="rates do not add up"):
        explore.table(explore.indicators(data, indicator="ALLOWANCE", category=None, years=2017))


def test_indicators_filter(data):
    rows = explore.indicators(data, indicator="ALLOWANCE", unit="468")
    assert dict(zip(rows["period"], rows["value"]))["2012-2017"] == 353
    assert explore.indicators(data, indicator="ALLOWANCE", unit="468", years=[2017])["value"].tolist() == [353]


def test_charts_are_figures_that_show_as_png(data):
    rows = explore.values(data, element="ALLOWANCE", years=range(2012, 2018))
    for chart in (explore.trend(rows), explore.compare(rows, year=2017),
                  explore.trend(explore.indicators(data, indicator="INJURY_RATE"))):
        assert isinstance(chart, Figure)
        assert chart._repr_png_().startswith(b"\x89PNG")
    ax = explore.compare(rows, year=2017).axes[0]
    assert ax.get_title() == "Trẻ em đang hưởng trợ cấp xã hội hằng tháng (2017)"
    assert ax.get_yticklabels()[0].get_text() == "Thị trấn Cam Lộ"        # largest first: 99 children


def test_charts_take_the_programmes_palette_not_matplotlibs(data):
    import seaborn as sns
    from matplotlib.colors import to_hex

    rows = explore.values(data, element="ALLOWANCE", years=range(2012, 2018))
    crest = [to_hex(c) for c in sns.color_palette("crest", rows["unit_name"].nunique())]   # ct20's programme.yaml
    lines = explore.trend(rows).axes[0].get_lines()
    drawn = {to_hex(line.get_color()) for line in lines if len(line.get_xdata())}
    assert len(drawn) >= 5 and drawn <= set(crest)
    bars = explore.compare(rows, year=2017).axes[0].patches
    assert to_hex(bars[0].get_facecolor()) == to_hex(sns.color_palette("crest", 3)[1])
    assert "#1f77b4" not in {to_hex(line.get_color()) for line in lines}            # tab10's first blue


def test_two_series_in_one_chart_are_refused(data):
    with pytest.raises(ValueError, match="expected rows of one element, found 2.*filter with element="):
        explore.trend(explore.values(data, element=["ALLOWANCE", "CHILDREN"]))


def test_validation_helpers(data):
    assert explore.findings(data).empty                     # the sample validates clean
    matrix = explore.completeness(data)
    assert list(matrix.columns) == list(range(2012, 2018)) and (matrix == 1).all().all()
    env = explore.environment(data)
    assert isinstance(env, pd.DataFrame) and env.at["review", "value"].endswith("ct20-2012-2017.yaml")
    assert set(explore.catalog(data, "elements")["code"]) >= {"CHILDREN", "ALLOWANCE", "HI_CARDS"}
    with pytest.raises(ValueError, match="expected 'elements', 'indicators' or 'units'"):
        explore.catalog(data, "nope")
