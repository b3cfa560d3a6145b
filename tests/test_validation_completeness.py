"""Completeness across the 2020 merger of Cam An and Cam Thanh into Thanh An (sample catalog)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from evaltools.model.catalog import load_catalog
from evaltools.validation import completeness, completeness_matrix, completeness_rates, validate

from .conftest import write
from .validation_area import write_values

COMMUNES_2019 = ["19597", "19600", "19603", "19606", "19609", "19612", "19615", "19618", "19621"]
COMMUNES_2020 = [c for c in COMMUNES_2019 if c != "19609"]
CAM_HIEU = "19615"


def returns(skip=()) -> list[tuple]:
    """One CHILDREN value per commune valid in each year 2018–2021, and the district's plans."""
    rows = []
    for year in range(2018, 2022):
        for code in COMMUNES_2019 if year < 2020 else COMMUNES_2020:
            if (code, year) not in skip:
                rows.append(("CHILDREN", year, code, "default", 1000))
        rows.append(("PLANS", year, "468", "action_month", 1))
    return rows


@pytest.fixture
def catalog(root):
    return load_catalog(root / "data" / "catalog")


def frame(rows):
    return pd.DataFrame(rows, columns=["element", "period", "unit", "category", "value"])


def test_expected_returns_follow_unit_validity(catalog):
    table = completeness(frame(returns(skip={(CAM_HIEU, 2019)})), catalog, "468", range(2018, 2022))
    expected = table[table["expected"]]
    assert sorted(expected.loc[expected["year"] == 2019, "unit"]) == sorted(COMMUNES_2019 + ["468"])
    assert sorted(expected.loc[expected["year"] == 2020, "unit"]) == sorted(COMMUNES_2020 + ["468"])
    names = expected.set_index(["unit", "year"])["name_vi"]
    assert names[("19603", 2019)] == "Xã Cam An"
    assert names[("19603", 2020)] == "Xã Thanh An"
    assert ("19609", 2020) not in names.index                      # Cam Thanh is gone
    assert "45" not in set(table["unit"])                           # the province is outside the area
    rates = completeness_rates(table)
    assert rates.loc[2019].tolist() == [10, 9, 0.9]
    assert rates.loc[2020].tolist() == [9, 9, 1.0]
    missing = table[table["expected"] & ~table["received"]]
    assert missing[["unit", "year"]].values.tolist() == [[CAM_HIEU, 2019]]


def test_heatmap_matrix(catalog):
    table = completeness(frame(returns(skip={(CAM_HIEU, 2019)})), catalog, "468", range(2018, 2022))
    matrix = completeness_matrix(table)
    assert matrix.loc["19615 Xã Cam Hiếu", 2019] == 0
    assert matrix.loc["19615 Xã Cam Hiếu", 2018] == 1
    assert matrix.loc["19603 Xã Thanh An", 2020] == 1
    assert pd.isna(matrix.loc["19609 Xã Cam Thanh", 2020])         # not expected, so no cell
    assert matrix.shape == (10, 4)


def sample_copy(tmp_path, root, rows, importance="medium"):
    data = tmp_path / "data"
    shutil.copytree(root / "data" / "catalog", data / "catalog")
    rules = (data / "catalog" / "validation_rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace("completeness:\n  importance: medium", f"completeness:\n  importance: {importance}")
    (data / "catalog" / "validation_rules.yaml").write_text(rules, encoding="utf-8")
    write_values(data / "values" / "returns.csv", rows)
    return write(data / "reviews" / "r.yaml", """
        id: r
        kind: annual
        title: R
        issuing_office: O
        place: Cam Lộ
        date: 2022-01-15
        area: "468"
        first_year: 2018
        last_year: 2021
        cutoff: 2021-12-31
        indicators: [CHILDREN]
        data: ..
        """)


def test_missing_return_is_a_finding_of_configurable_importance(tmp_path, root):
    rows = returns(skip={(CAM_HIEU, 2019), ("19603", 2020)})
    result = validate(sample_copy(tmp_path, root, rows))
    found = result.findings[result.findings["kind"] == "completeness"]
    assert found[["unit", "unit_name", "year", "importance"]].values.tolist() == [
        ["19603", "Xã Thanh An", 2020, "medium"], [CAM_HIEU, "Xã Cam Hiếu", 2019, "medium"]]
    assert result.exit_code == 0
    stern = validate(sample_copy(tmp_path / "stern", root, rows, importance="high"))
    assert stern.findings.loc[stern.findings["kind"] == "completeness", "importance"].tolist() == ["high", "high"]
    assert stern.exit_code == 1


def test_a_return_from_a_unit_that_no_longer_exists_is_flagged_not_counted(tmp_path, root):
    rows = returns() + [("CHILDREN", 2021, "19609", "default", 800)]   # Cam Thanh, gone since 2020
    result = validate(sample_copy(tmp_path, root, rows))
    found = result.findings[result.findings["rule"] == "SCHEMA_UNIT_VALID"]
    assert len(found) == 1
    f = found.iloc[0]
    assert (f["importance"], f["unit"], f["unit_name"], f["year"], f["line"]) == (
        "high", "19609", "Xã Cam Thanh", 2021, len(rows) + 1)
    assert f["message"] == ("unit 19609 did not exist on 31/12/2021; it is valid "
                            "01/01/2012–31/12/2019 (Xã Cam Thanh)")
    table = result.completeness
    assert table[(table["unit"] == "19609") & (table["year"] == 2021)].empty
    assert result.rates.loc[2021].tolist() == [9, 9, 1.0]
