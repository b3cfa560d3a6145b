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
