"""Exploration that tells the truth, checked against plain pandas over the CSV store.

A copy of the sample's store loses Cam Thanh's 2012 injury figures (every option) and
Cam Thủy's 2013 disabled-children allowance: the commune-years an analyst must see as
missing ("–", never 0) and partial. Tables hold real floats and show numbers as the
report writes them (vnformat); rankings, histories across the 2020 merger and the list
of gaps are compared with what plain pandas makes of the same CSV files.
"""

from __future__ import annotations

import os
import shutil
import sys

import pandas as pd
import pytest
import seaborn as sns
from matplotlib.colors import to_hex

from evaltools import explore
from evaltools.model import vnformat
from evaltools.explore.show import formatted, spec_of

from .conftest import ROOT, make_project

SAMPLE_REVIEW = "ct20-2012-2017"
DROPPED = ("INJURIES,2012,19609,", "ALLOWANCE,2013,19606,disabled,")


@pytest.fixture(scope="module")
def holes(tmp_path_factory):
    """A project whose store lacks the DROPPED rows; returns its folder."""
    root = tmp_path_factory.mktemp("holes")
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root)
    for path in (root / "data" / "values").glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(l for l in lines if not l.startswith(DROPPED)), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def data(holes):
    return explore.load(holes / "data" / "reviews" / f"{SAMPLE_REVIEW}.yaml")


def store(root) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype={"unit": str, "category": str}) for p in sorted((root / "data" / "values").glob("*.csv"))]
    return pd.concat(frames, ignore_index=True)


def plain_rates(root, year: int) -> pd.Series:
    """INJURY_RATE per commune code in ``year`` by hand: Σ injuries / children × 1000, NaN without injury rows."""
    rows = store(root)
    rows = rows[rows["period"] == year]
    injuries = rows[rows["element"] == "INJURIES"].groupby("unit")["value"].sum()
    children = rows[rows["element"] == "CHILDREN"].set_index("unit")["value"]
    communes = children.index[children.index.str.len() == 5]
    return (injuries.reindex(communes) / children[communes] * 1000).sort_index()


def test_a_missing_figure_is_nan_and_shows_a_dash_never_0(data, holes):
    wide = explore.table(explore.indicators(data, indicator="INJURY_RATE", years=range(2012, 2018)))
    by_hand = plain_rates(holes, 2012)
    assert pd.isna(by_hand["19609"]) and pd.isna(wide.at["Xã Cam Thanh", 2012])
    mine = explore.indicators(data, indicator="INJURY_RATE", years=2012).set_index("unit")["value"]
    assert mine[by_hand.index].tolist() == pytest.approx(by_hand.tolist(), nan_ok=True)
    assert wide.at["Xã Cam Thủy", 2012] == pytest.approx(3 / 1447 * 1000)      # a real float for analysts
    assert all(dtype == "float64" for dtype in wide.dtypes)
    shown = formatted(wide)
    assert (shown.at["Xã Cam Thanh", 2012], shown.at["Xã Cam Thủy", 2012], shown.at["Xã Cam Thanh", 2013]) == \
        ("–", "2,07", "0,00")                                    # 2013: a true zero stays 0
    assert "2,07" in repr(wide) and "2.073255" not in repr(wide) and "<td>–</td>" in wide._repr_html_()


def test_the_chart_and_the_table_agree_on_the_missing_year(data):
    rows = explore.indicators(data, indicator="INJURY_RATE", years=range(2012, 2018))
    ax = explore.trend(rows).axes[0]
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    line = [ln for ln in ax.get_lines() if len(ln.get_xdata())][names.index("Xã Cam Thanh")]
    assert 2012 not in list(line.get_xdata()) and 2013 in list(line.get_xdata())


def test_numbers_read_the_way_of_each_language(holes):
    vi = explore.load(holes / "data" / "reviews" / f"{SAMPLE_REVIEW}.yaml")
    en = explore.load(holes / "data" / "reviews" / f"{SAMPLE_REVIEW}.yaml", lang="en")
    # a total in đồng in its table scale, as the report's tables show it: millions, one decimal (data/README.md)
    for d, money, unit, rate in ((vi, "3.667,0", "triệu đồng", "2,07"), (en, "3,667.0", "million VND", "2.07")):
        cards = explore.indicators(d, indicator="HI_CARDS_VALUE", unit="468").set_index("period")
        assert formatted(cards).at["2012-2017", "value"] == money and cards.at["2012-2017", "measure"] == unit
        assert cards.at["2012-2017", "value"] == pytest.approx(3_667_005_000 / 1_000_000)
        assert formatted(explore.table(explore.indicators(d, indicator="INJURY_RATE", years=2012))).at[
            d.name("unit", "19606"), 2012] == rate
    # the district's 2012 rate rests on 8 of 9 returns (Σ/Σ over the communes that sent both figures)
    district = explore.indicators(en, indicator="INJURY_RATE", unit="468", years=2012)[["value", "coverage"]]
    rates = store(holes)
    rates = rates[(rates["period"] == 2012) & (rates["unit"].str.len() == 5)]
    sent = set(rates.loc[rates["element"] == "INJURIES", "unit"])
    by_hand = rates.loc[rates["element"] == "INJURIES", "value"].sum() / rates.loc[
        (rates["element"] == "CHILDREN") & rates["unit"].isin(sent), "value"].sum() * 1000
    assert district["value"].iloc[0] == pytest.approx(by_hand)
    assert formatted(district).iloc[0].tolist() == [f"{by_hand:.2f}", "89%"]       # the code column selected away
    values = explore.values(en, element="CHILDREN", unit="19597", years=2012)
    assert formatted(values).at[0, "value"] == "3,210" and formatted(values).at[0, "period"] == 2012


def test_paths_are_shown_relative_to_the_project(data):
    env = explore.environment(data)
    assert env.at["review", "value"] == f"data/reviews/{SAMPLE_REVIEW}.yaml" and env.at["data", "value"] == "data"
    inside = os.path.abspath(sys.executable).startswith(str(ROOT) + os.sep)
    assert env.at["python", "value"] == (os.path.relpath(os.path.abspath(sys.executable), ROOT) if inside
                                         else sys.executable)


def test_communes_ranked_best_first_with_the_missing_one_last(data, holes):
    by_hand = plain_rates(holes, 2012)
    table = explore.ranked(data, "INJURY_RATE", 2012)          # injuries: lower is better
    expected = by_hand.dropna().sort_values(kind="stable")
    assert table["unit"].tolist() == [*expected.index, "19609"]
    assert table["value"].iloc[:8].tolist() == pytest.approx(expected.tolist())
    assert table["rank"].iloc[:8].tolist() == [1, 2, 3, 4, 5, 6, 7, 8] and pd.isna(table["rank"].iloc[8])
    assert (spec_of(table)["coverage"], table["reported"].tolist()[-1], table["expected"].tolist()[-1]) == ((8, 9), 0, 1)
    assert formatted(table).iloc[8][["rank", "value"]].tolist() == ["–", "–"]
    ax = explore.ranking_chart(table).axes[0]
    assert ax.get_title() == "Trẻ em bị tai nạn thương tích trên 1.000 trẻ em (2012; 8/9 đơn vị có số liệu)"
    assert ax.get_yticklabels()[-1].get_text() == "Xã Cam Thanh (–)"
    assert to_hex(ax.patches[0].get_facecolor()) == to_hex(sns.color_palette("crest", 3)[1])   # ct20's palette


def test_a_units_history_across_the_merger(data, holes):
    lineage = explore.lineage(data, "Thanh An")
    assert lineage[["code", "name", "valid_from", "valid_to", "successor"]].values.tolist() == [
        ["19603", "Xã Cam An", "01/01/2012", "31/12/2019", "19603"], ["19603", "Xã Thanh An", "01/01/2020", "", ""],
        ["19609", "Xã Cam Thanh", "01/01/2012", "31/12/2019", "19603"]]
    assert explore.lineage(data, "19609").equals(lineage)                     # asked from the other side
    rows = store(holes)
    children = rows[(rows["element"] == "CHILDREN") & rows["unit"].isin(["19603", "19609"])]
    by_hand = children.groupby("period")["value"].sum()
    past = explore.history(data, "Cam Thanh", "CHILDREN")
    assert past.index.tolist() == list(range(2012, 2023)) and past["area"].tolist() == by_hand.tolist()
    assert past.loc[2015, ["Xã Cam An", "Xã Cam Thanh"]].tolist() == [997, 838] and pd.isna(past.at[2015, "Xã Thanh An"])
    assert past.loc[2019, ["reported", "expected"]].tolist() == [2, 2]
    assert past.loc[2020, ["area", "reported", "expected"]].tolist() == [by_hand[2020], 1, 1]
    injuries = explore.history(data, "Thanh An", "INJURIES")
    assert pd.isna(injuries.at[2012, "Xã Cam Thanh"]) and injuries.loc[2012, ["reported", "expected"]].tolist() == [1, 2]
    assert injuries.at[2012, "area"] == rows[(rows["element"] == "INJURIES") & (rows["unit"] == "19603")
                                             & (rows["period"] == 2012)]["value"].sum()
    assert formatted(past).at[2015, "area"] == "1.835"


def test_where_coverage_is_incomplete(data, holes):
    gaps = explore.gaps(data, "INJURY_RATE")
    missing = gaps[gaps["status"] == "missing"]
    assert missing[["unit", "period", "reported", "expected"]].values.tolist() == [["19609", "2012", 0, 1]]
    assert set(gaps.loc[gaps["status"] == "partial year", "period"]) == {"2017"}          # cut off on 31/05/2017
    allowance = explore.gaps(data, "ALLOWANCE")
    partial = allowance[allowance["status"] == "partial"]
    assert partial[["unit", "period", "missing_options"]].values.tolist() == [["19606", "2013", "disabled"]]
    # by hand: the commune-years of 2012-2016 with no injury row at all
    rows = store(holes)
    years = rows[rows["period"].between(2012, 2016)]
    have = set(zip(years.loc[years["element"] == "INJURIES", "unit"], years.loc[years["element"] == "INJURIES", "period"]))
    expected = {(u, p) for u, p in zip(years.loc[years["element"] == "CHILDREN", "unit"],
                                       years.loc[years["element"] == "CHILDREN", "period"]) if len(u) == 5} - have
    assert {(u, int(p)) for u, p in zip(missing["unit"], missing["period"])} == expected
    assert vnformat.MISSING == "–"


def test_a_wrong_code_or_name_says_where_to_look(data):
    with pytest.raises(ValueError, match=r"no indicator 'INJURY'; see explore.catalog\(data, 'indicators'\)"):
        explore.ranked(data, "INJURY", 2012)
    with pytest.raises(ValueError, match=r"no data element 'CHILD'; see explore.catalog\(data\)"):
        explore.history(data, "Thanh An", "CHILD")
    with pytest.raises(ValueError, match="no unit 'Cam Lo Moi' in the catalog"):
        explore.lineage(data, "Cam Lo Moi")


def test_a_long_table_shows_its_first_and_last_rows_written_out(data):
    every = explore.values(data)                               # the whole store: thousands of rows
    assert len(every) > 1000 and every["value"].dtype == "float64"
    text = repr(every)
    assert text.endswith(f"\n[{len(every)} rows × 9 columns: the first and last 5 shown]")
    assert every._repr_html_().endswith(f"<p>[{len(every)} rows × 9 columns: the first and last 5 shown]</p>")
