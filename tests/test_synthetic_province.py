"""The synthetic province for batches: the sample's catalog, plausible values, deterministic files."""

from __future__ import annotations

import pandas as pd
import pytest

from evaltools.model.catalog import load_catalog
from evaltools.store.load import load_values
from .sample import write_province
from evaltools.validation import validate

from .conftest import ROOT


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    return folder, write_province(folder, districts=24, first_year=2018, last_year=2022, seed=11)


def test_province_has_24_districts_of_8_to_12_communes_and_the_sample_catalog(province):
    folder, template = province
    catalog = load_catalog(folder / "catalog")
    units = catalog.units.drop_duplicates("code", keep="first")
    assert units["level"].value_counts().to_dict() == {"commune": units["level"].eq("commune").sum(),
                                                       "district": 24, "province": 1}
    sizes = units[units["level"] == "commune"].groupby("parent").size()
    assert len(sizes) == 24 and sizes.between(8, 12).all()
    merged = catalog.units[catalog.units["successor"].notna()]
    assert len(merged) == 8 and (merged["valid_to"].astype(str) == "2019-12-31").all()   # districts 1, 4, ..., 22
    for name in ("data_elements.yaml", "indicators.yaml", "standards.yaml", "legends.yaml", "validation_rules.yaml"):
        assert (folder / "catalog" / name).read_bytes() == (ROOT / "data" / "catalog" / name).read_bytes()
    assert template == folder / "reviews" / "ct20-2018-2022.yaml"


def test_values_are_plausible_and_consistent(province):
    folder, _ = province
    catalog = load_catalog(folder / "catalog")
    values = load_values(folder / "values", catalog)           # every row passes the store's checks
    assert set(values["element"].astype(str)) == set(catalog.elements.index)
    wide = values[values["category"] == "default"].pivot_table(
        index=["unit", "period"], columns="element", values="value", observed=True)
    allowance = values[values["element"] == "ALLOWANCE"].groupby(["unit", "period"], observed=True)["value"].sum()
    assert (wide["ALLOWANCE_TOTAL"].dropna() == allowance.reindex(wide["ALLOWANCE_TOTAL"].dropna().index)).all()
    children = wide["CHILDREN"].dropna()
    assert children.between(850, 9000).all()           # a merged commune holds two
    assert ((wide["CHILDREN_U6"] / wide["CHILDREN"]).dropna().between(0.35, 0.41)).all()
    price = {2018: 702000, 2019: 750600, 2020: 804600, 2021: 804600, 2022: 804600}
    cards = wide[["HI_CARDS", "HI_CARDS_VALUE"]].dropna().reset_index()
    assert (cards["HI_CARDS_VALUE"] == cards["HI_CARDS"] * cards["period"].map(price)).all()
    plans = values[values["element"] == "PLANS"]
    assert set(plans["unit"].astype(str)) == {f"9{d:02d}" for d in range(1, 25)}


def test_the_data_pass_validation_without_high_findings(province):
    folder, template = province
    result = validate(template)
    assert result.exit_code == 0
    assert not (result.findings["importance"] == "high").any()


def test_same_seed_same_files_byte_for_byte(province, tmp_path):
    folder, _ = province
    write_province(tmp_path, districts=24, first_year=2018, last_year=2022, seed=11)
    for path in sorted(p for p in folder.rglob("*.*") if ".columnar" not in p.parts):   # not a reader's cache
        assert (tmp_path / path.relative_to(folder)).read_bytes() == path.read_bytes(), path
    other = tmp_path / "other"
    write_province(other, districts=24, first_year=2018, last_year=2022, seed=12)
    name = "values/province-2020.csv"
    assert (other / name).read_bytes() != (folder / name).read_bytes()
    frame = pd.read_csv(folder / "values" / "province-2020.csv", dtype=str)
    assert list(frame.columns) == ["element", "period", "unit", "category", "value", "source", "comment"]
