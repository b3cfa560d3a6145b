"""Bad catalogs, data files and review configs fail with file, line and field, all at once."""

from __future__ import annotations

import shutil

import pytest

from evaltools.model.catalog import load_catalog
from evaltools.core.errors import EvaltoolsError, InputError
from evaltools.project.review import load_review
from evaltools.store.load import load_values

from .conftest import ROOT, write


@pytest.fixture()
def catalog_dir(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(ROOT / "data" / "catalog", folder)
    return folder


def messages(exc_info) -> list[str]:
    return [str(p) for p in exc_info.value.problems]


def test_every_catalog_problem_is_reported_with_file_line_and_key(catalog_dir):
    units = catalog_dir / "org_units.yaml"
    text = units.read_text(encoding="utf-8")
    text = text.replace('{code: "19597", name: Thị trấn Cam Lộ, level: commune,',
                        '{code: "19597", name: Thị trấn Cam Lộ, level: xa,')
    text = text.replace('{code: "19621", name: Xã Cam Nghĩa, level: commune, parent: "468"',
                        '{code: "19621", name: Xã Cam Nghĩa, level: commune, parent: "999"')
    units.write_text(text, encoding="utf-8")
    indicators = catalog_dir / "indicators.yaml"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace(
        "numerator: HI_CARDS_VALUE, denominator: HI_CARDS", "numerator: HI_CARDS_VALUE, denominator: HI_CARD"),
        encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_catalog(catalog_dir)
    found = messages(exc)
    line_level = next(i for i, l in enumerate(text.splitlines(), 1) if "level: xa" in l)
    line_parent = next(i for i, l in enumerate(text.splitlines(), 1) if 'parent: "999"' in l)
    assert any(m.startswith(f"{units}:{line_level}: key 'level': expected one of country, province, district, commune;")
               for m in found), found
    assert f"{units}:{line_parent}: key 'parent': unknown unit code '999'" in found
    assert any("indicators.yaml" in m and "key 'denominator': unknown element 'HI_CARD'" in m for m in found)
    assert len(found) == 3


def test_unquoted_code_and_comma_in_flow_text_are_explained(catalog_dir):
    write(catalog_dir / "org_units.yaml", """
        units:
          - {code: 45, name: Tỉnh Quảng Trị, level: province, valid_from: 2012-01-01}
          - {code: "468", name: {vi: Huyện Cam Lộ, tỉnh Quảng Trị}, level: district, parent: "45", valid_from: 2012-01-01}
        """)
    with pytest.raises(InputError) as exc:
        load_catalog(catalog_dir)
    found = "\n".join(messages(exc))
    assert ":2: key 'code': expected a text (put codes in quotes" in found
    assert ":3: key 'name': expected keys vi and en" in found and "put the text in quotes" in found


def test_duplicate_key_and_bad_yaml_name_the_line(tmp_path):
    bad = write(tmp_path / "r.yaml", "id: a\nid: b\n")
    with pytest.raises(EvaltoolsError, match=r"r.yaml:2: invalid YAML: duplicate key 'id'"):
        load_review(bad)
    broken = write(tmp_path / "s.yaml", "id: [a\ntitle: x\n")
    with pytest.raises(EvaltoolsError, match=r"s.yaml:\d+: invalid YAML"):
        load_review(broken)


def test_review_config_problems_point_at_their_keys(tmp_path):
    text = (ROOT / "data" / "reviews" / "ct20-2012-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("last_year: 2017", "last_year: 2017.5").replace("kind: interim", "kind: sơ kết")
    path = write(tmp_path / "review.yaml", text)
    with pytest.raises(InputError) as exc:
        load_review(path)
    lines = text.splitlines()
    kind_line = next(i for i, l in enumerate(lines, 1) if l.startswith("kind:"))
    year_line = next(i for i, l in enumerate(lines, 1) if l.startswith("last_year:"))
    found = messages(exc)
    assert any(m.startswith(f"{path}:{kind_line}: key 'kind': expected one of annual, interim, final")
               for m in found), found
    assert f"{path}:{year_line}: key 'last_year': expected a whole number, found 2017.5" in found


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "data" / "catalog")


def test_bad_data_values_are_all_reported_with_file_line_and_column(tmp_path, catalog):
    folder = tmp_path / "values"
    path = write(folder / "2017.csv", """
        element,period,unit,category,value,source,comment
        SCHOLARSHIP_VALUE,2017,19597,aia,23.0000.000,,
        ALLOWANCE,2017,19597,default,3,,
        CHILDREN,2017,19999,default,100,,
        CHILDREN,2017,19600,default,-5,,
        CF_RECOGNISED,2017,19600,default,2,,
        HI_CARDS,201x,19600,default,7,,
        NOPE,2017,19600,default,1,,
        GIFTS,2017,19600,default,12,,
        GIFTS,2017,19600,default,13,,
        """)
    with pytest.raises(InputError) as exc:
        load_values(folder, catalog)
    found = messages(exc)
    p = str(path)
    expected = [
        f"{p}:2: column 'value': expected a number written like 1234 or 12.5, found '23.0000.000'",
        f"{p}:3: column 'category': expected one of orphan_both, disabled, orphan_one, found 'default'",
        f"{p}:4: column 'unit': unknown unit code '19999'",
        f"{p}:5: column 'value': CHILDREN counts whole units: expected a whole number ≥ 0, found '-5'",
        f"{p}:6: column 'value': CF_RECOGNISED is yes/no: expected 0 or 1, found '2'",
        f"{p}:7: column 'period': expected a year such as 2017, found '201x'",
        f"{p}:8: column 'element': unknown data element 'NOPE'",
        f"{p}:10: column 'value': duplicate of {p}:9 (GIFTS, 2017, 19600, default)",
    ]
    assert sorted(found) == sorted(expected)


def test_missing_columns_are_named(tmp_path, catalog):
    folder = tmp_path / "values"
    write(folder / "a.csv", "element,period,unit,value\nGIFTS,2017,19600,1\n")
    with pytest.raises(EvaltoolsError, match=r"a.csv:1: expected columns .*missing \['category'\]"):
        load_values(folder, catalog)
