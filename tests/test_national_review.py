"""The national level: a review of the country's root unit compares the provinces as a province's review
compares its districts.

A synthetic country (data/province.py: 3 provinces × 2 districts of 8–12 communes, 2021–2022,
root unit "VN" of level country) is generated here and its national review rendered once to HTML
with the real ``evaltools run``; the tests read the ranking and appendix tables from the HTML and
check them against plain pandas over the generated values files (data/README.md's rules: a stock's
span is its last year, a flow's the sum of the years, a rate of a flow over children per child-year).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from evaltools.core.errors import InputError
from evaltools.model.catalog import load_catalog

from .sample import write_national_review, write_province
from .test_province_review import plans_sentence_agrees, rendered, vn

YEARS = (2021, 2022)
CUT = {2021: 1.0, 2022: 349 / 365}      # the config's cut-off, 15/12/2022: 2022's children count for 349 days


@pytest.fixture(scope="module")
def country(tmp_path_factory, python, root):
    """The country and its national review, rendered once to HTML in Vietnamese."""
    folder = tmp_path_factory.mktemp("country")
    write_province(folder, districts=2, first_year=2021, last_year=2022, seed=13, provinces=3)
    tables, page = rendered(write_national_review(folder, 2021, 2022), tmp_path_factory.mktemp("outputs"),
                            python, root)
    units = pd.DataFrame(yaml.safe_load((folder / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"])
    values = pd.concat(pd.read_csv(folder / "values" / f"province-{p}-{y}.csv", dtype={"unit": str})
                       for p in ("01", "02", "03") for y in YEARS)
    return tables, units, values, page


def by_province(units: pd.DataFrame, values: pd.DataFrame, element: str) -> pd.DataFrame:
    """One element's default values added up per province (a commune's district's parent) and year."""
    parent = units.set_index("code")["parent"]
    rows = values[(values["element"] == element)]
    rows = rows.assign(province=rows["unit"].map(parent).map(parent))
    return rows.pivot_table(index="province", columns="period", values="value", aggfunc="sum")


def appendix(tables: list[dict], caption: str) -> list[list[str]]:
    found = [t for t in tables if "appendix" in t["class"] and t["caption"].startswith(caption)]
    assert len(found) == 1, [t["caption"] for t in tables if "appendix" in t["class"]]
    return found[0]["rows"]


def test_the_catalog_has_a_country_root_above_the_provinces(country):
    _, units, _, _ = country
    root = units[units["level"] == "country"]
    assert root["code"].tolist() == ["VN"] and root["parent"].isna().all()
    provinces = units[units["level"] == "province"]
    assert provinces["code"].tolist() == ["01", "02", "03"] and (provinces["parent"] == "VN").all()


def test_the_appendix_lists_the_provinces_with_plain_pandas_sums_and_the_country_total(country):
    tables, units, values, _ = country
    names = units[units["level"] == "province"].set_index("code")["name"]
    header, *rows = appendix(tables, "Trẻ em dưới 16 tuổi")
    assert header == ["Tỉnh, thành phố", "2021", "2022*", "Cả giai đoạn"]
    children = by_province(units, values, "CHILDREN")
    assert [r[0] for r in rows] == [*names.loc[["01", "02", "03"]], "Toàn quốc"]
    for row, code in zip(rows, ["01", "02", "03"]):
        # a stock: each year's total; the span's figure is its last year's (cuối kỳ)
        assert row[1:] == [vn(children.at[code, 2021], 0), vn(children.at[code, 2022], 0),
                           vn(children.at[code, 2022], 0)]
    assert rows[-1][1:] == [vn(children[2021].sum(), 0), vn(children[2022].sum(), 0), vn(children[2022].sum(), 0)]
    _, *rows = appendix(tables, "Trẻ em bị tai nạn thương tích (em)")
    injuries = by_province(units, values, "INJURIES")           # a flow: the span adds the years
    assert [r[1:] for r in rows[:3]] == [[vn(injuries.at[c, 2021], 0), vn(injuries.at[c, 2022], 0),
                                          vn(injuries.loc[c].sum(), 0)] for c in ("01", "02", "03")]
    assert rows[-1][1:] == [vn(injuries[2021].sum(), 0), vn(injuries[2022].sum(), 0), vn(injuries.to_numpy().sum(), 0)]


def test_the_ranking_compares_the_provinces_in_plain_pandas_order_with_the_country_figure(country):
    tables, units, values, _ = country
    ranking = [t for t in tables if "ranking" in t["class"] and "Trẻ em bị tai nạn thương tích" in t["caption"]]
    assert len(ranking) == 1
    assert ranking[0]["caption"].startswith("Xếp hạng các tỉnh, thành phố theo chỉ tiêu")
    header, *rows = ranking[0]["rows"]
    assert header == ["Thứ hạng", "Tỉnh, thành phố", "‰"]
    injuries = by_province(units, values, "INJURIES").sum(axis=1)
    children = by_province(units, values, "CHILDREN").mul(pd.Series(CUT)).sum(axis=1)   # child-years
    rate = 1000 * injuries / children
    order = rate.sort_values(kind="stable")                       # lower is better: rank 1 the lowest
    names = units.set_index("code")["name"]
    assert [r[1] for r in rows[:3]] == names.loc[order.index].tolist()
    assert [r[0] for r in rows[:3]] == ["1", "2", "3"]
    assert [r[2].rstrip("*") for r in rows[:3]] == [vn(v, 2) for v in order]
    assert rows[3][:2] == ["–", "Toàn quốc"]
    assert rows[3][2].rstrip("*") == vn(1000 * injuries.sum() / children.sum(), 2)


def test_the_sentences_speak_of_the_country_and_its_provinces(country):
    _, _, values, page = country
    page = re.sub(r"<[^>]+>", "", page)                         # figures are links to their facts
    last = values[(values["element"] == "CHILDREN") & (values["period"] == 2022)]
    # a stock of 2022, cut off on 15/12: of that day, not of the year
    assert (f"Toàn quốc có {len(last)} xã, thị trấn với {vn(last['value'].sum(), 0)} trẻ em dưới 16 tuổi "
            "(tính đến ngày 15/12/2022)") in page
    assert "Toàn cả nước" not in page
    assert "SỐ LIỆU CHI TIẾT THEO TỈNH, THÀNH PHỐ VÀ THEO NĂM" in page and "THEO HUYỆN" not in page


def test_every_sentence_and_caption_names_the_country_not_a_district_or_province(country):
    tables, _, values, page = country
    assert "Các chỉ tiêu chủ yếu của cả nước" in [t["caption"] for t in tables]
    assert "toàn huyện" not in page.lower() and "toàn tỉnh" not in page.lower()
    plans_sentence_agrees(tables, page, values, "cả nước")


def test_a_country_below_a_province_is_refused_in_one_line(tmp_path):
    write_province(tmp_path, districts=1, first_year=2022, last_year=2022, seed=2, provinces=2)
    path = tmp_path / "catalog" / "org_units.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('level: country, parent: null', 'level: country, parent: "01"'), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_catalog(tmp_path / "catalog")
    assert "org_units.yaml" in str(refused.value) and "a country must sit below a higher level, found province" \
        in str(refused.value)
