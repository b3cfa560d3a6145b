"""The engine against an independent plain-pandas computation on a second district (tests/independent).

The second store holds two districts; the reviewed one has a split, a merger under a new
code, one under a kept code, missing returns and a last year cut off on 30/06/2022. Its
expected figures are computed without evaltools, from data/README.md alone.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

from .independent import district
from .independent.expected import expected

KEYS = ["indicator", "unit", "period", "category"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory, python, root):
    folder = tmp_path_factory.mktemp("second")
    review = district.write(folder / "data")
    done = subprocess.run([python, "-m", "evaltools", "indicators", str(review), "--out", str(folder / "out")],
                          capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    got = pd.read_csv(folder / "out" / "second-district" / "indicators.csv",
                      dtype={"unit": str, "period": str, "category": str})
    want = expected(pd.read_csv(folder / "data" / "values" / "second.csv", dtype={"unit": str}))
    return got.set_index(KEYS).sort_index(), want.set_index(KEYS).sort_index()


def test_the_same_rows_no_dead_unit_and_nothing_of_the_other_district(tables):
    got, want = tables
    assert sorted(got.index) == sorted(want.index)
    units = set(got.index.get_level_values("unit"))
    assert units == {"501", "50101", "50110", "50104", "50107", "50108"}


@pytest.mark.parametrize("column", ["value", "numerator", "denominator"])
def test_every_figure_agrees(tables, column):
    got, want = tables
    a, b = got[column].astype(float), want.loc[got.index, column].astype(float)
    same = np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    assert same.all(), pd.DataFrame({"engine": a[~same], "pandas": b[~same]}).head(20)


@pytest.mark.parametrize("column", ["reported", "expected", "aggregation", "partial"])
def test_every_coverage_and_label_agrees(tables, column):
    got, want = tables
    a, b = got[column], want.loc[got.index, column]
    diff = a.astype(str) != b.astype(str)
    assert not diff.any(), pd.DataFrame({"engine": a[diff], "pandas": b[diff]}).head(20)


def test_every_value_year_agrees(tables):
    got, want = tables
    a = got["value_year"].astype("Int64")
    b = want.loc[got.index, "value_year"].astype("Int64")
    assert a.equals(b)


def test_the_history_is_where_the_documentation_puts_it(tables):
    got, _ = tables
    value = got["value"]
    # F's 2019 children count in the district, not in F1 or F2; BC's 2019 is B + C
    assert np.isnan(value[("CHILDREN", "50107", "2019", "total")])
    assert got.loc[("CHILDREN", "50110", "2019", "total"), "expected"] == 2
    assert got.loc[("CHILDREN", "50104", "2018", "total"), "expected"] == 2     # D and E, under D's kept code
    assert got.loc[("CASE_RATE", "501", "2022", "total"), "reported"] == 4       # A sent no children for 2022
    assert got.loc[("CHILDREN", "501", "2018-2022", "total"), ["reported", "expected"]].tolist() == [4, 5]


# --- The report's own tables of the second district, against the same plain pandas --------------

@pytest.fixture(scope="module")
def report_tables(tmp_path_factory):
    from evaltools.context import open_review
    from evaltools.report.tables import by_unit, summary
    from evaltools.texts import load_texts

    folder = tmp_path_factory.mktemp("second-report")
    review = district.write(folder / "data")
    data = open_review(review, "vi")
    text = load_texts("vi", None)
    want = expected(pd.read_csv(folder / "data" / "values" / "second.csv", dtype={"unit": str}))
    return summary(data, text), by_unit(data, text, "CASE_RATE"), want.set_index(KEYS)


def test_the_summary_table_shows_the_plain_pandas_figures_years_and_marks(report_tables):
    table, _, want = report_tables
    years = [str(y) for y in district.YEARS]
    # the year cut off on 30/06/2022 is marked in the header and explained under the table
    assert list(table.columns) == ["Chỉ tiêu", "Đơn vị tính", *years[:-1], "2022*", "Cả giai đoạn",
                                   "Cách tính cả giai đoạn"]
    assert "Năm 2022: số liệu tính đến ngày 30/06/2022." in " ".join(table.attrs["notes"])
    scale = {"COST_PER_CASE": 1.0}                      # đồng per case stays in đồng (a total would be millions)
    for code in district.INDICATORS:
        for period, column in zip([*years, "2018-2022"], table.columns[2:-1]):
            plain = want.loc[(code, district.AREA, period, "total")]
            shown = table.at[code, column]
            assert np.isclose(shown, plain["value"] * scale.get(code, 1.0), equal_nan=True), (code, period)
            # † exactly where fewer returns counted than were expected
            mark = table.attrs["marks"].at[code, column]
            short = plain["value"] == plain["value"] and plain["reported"] < plain["expected"]
            assert mark == ("†" if short else ""), (code, period, mark)
    assert table.at["CHILDREN", "Cách tính cả giai đoạn"] == "cuối kỳ (2022*)"
    assert table.at["CASE_RATE", "Cách tính cả giai đoạn"] == "bình quân cả giai đoạn"


def test_the_appendix_table_per_commune_is_the_plain_pandas_one(report_tables):
    _, table, want = report_tables
    communes = sorted({u for (i, u, p, c) in want.index if i == "CASE_RATE" and u != district.AREA})
    assert list(table.index) == [*communes, district.AREA]                     # GSO order, the district last
    assert table.iloc[-1, 0] == "Toàn huyện"
    for unit in table.index:
        for period, column in zip([*(str(y) for y in district.YEARS), "2018-2022"], table.columns[1:]):
            plain = want.loc[("CASE_RATE", unit, period, "total"), "value"]
            assert np.isclose(table.at[unit, column], plain, equal_nan=True), (unit, period)
    # F split in 2020: its history stays with the district, so F1 shows no 2019 figure (missing, not 0);
    # B and C merged under BC's new code, which carries their history on
    assert np.isnan(table.at["50107", "2019"]) and table.at["50107", "2020"] >= 0
    assert not np.isnan(table.at["50110", "2018"])
