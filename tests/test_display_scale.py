"""An indicator's table scale is a display field of its catalog row (data/README.md, catalog, `display`).

Expected values are the sample's values files added up with plain pandas: a total in đồng shows in
millions by default, an amount per card stays in đồng, `display: {scale: ...}` overrides either, and
an unknown scale is refused in one line naming file, line, indicator and the allowed scales.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from evaltools.core.errors import InputError
from evaltools.dataset.context import open_review
from evaltools.model.catalog import load_catalog
from evaltools.model.texts import load_texts
from evaltools.report.tables import summary

from .conftest import ROOT, make_project

CODES = ["HI_CARDS_VALUE", "HI_CARD_PRICE"]
YEAR = "2016"
VALUE_LINE = "numerator: HI_CARDS_VALUE, direction: neutral}"
PRICE_LINE = "numerator: HI_CARDS_VALUE, denominator: HI_CARDS, direction: neutral}"


def _plain_2016() -> tuple[float, float]:
    """(value of the cards issued in Cam Lộ in 2016, value per card), in đồng, from the values file."""
    values = pd.read_csv(ROOT / "data" / "values" / f"cam-lo-{YEAR}.csv", dtype={"unit": str})
    totals = values[values["category"] == "default"].groupby("element")["value"].sum()
    return float(totals["HI_CARDS_VALUE"]), float(totals["HI_CARDS_VALUE"] / totals["HI_CARDS"])


def _data(tmp_path_factory, name: str, edit=None):
    """A copy of the sample data (its indicators.yaml edited by ``edit``), as a project."""
    data = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".columnar"))
    make_project(data.parent)
    if edit:
        path = data / "catalog" / "indicators.yaml"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return data


def _table(data, lang: str) -> pd.DataFrame:
    review = open_review(data / "reviews" / "ct20-2012-2017.yaml", lang)
    return summary(review, load_texts(lang, None), CODES)


@pytest.fixture(scope="module")
def default_data(tmp_path_factory):
    return _data(tmp_path_factory, "default-scale")


@pytest.fixture(scope="module")
def swapped_data(tmp_path_factory):
    """The total opts out (`scale: one`), the amount per card asks for millions."""
    return _data(tmp_path_factory, "swapped-scale", lambda text: text.replace(
        VALUE_LINE, VALUE_LINE[:-1] + ", display: {scale: one}}").replace(
        PRICE_LINE, PRICE_LINE[:-1] + ", display: {scale: million}}"))


def test_by_default_a_total_in_dong_shows_in_millions_and_a_price_in_dong(default_data):
    value, price = _plain_2016()
    for lang, million, dong in (("vi", "triệu đồng", "đồng"), ("en", "million VND", "VND")):
        table = _table(default_data, lang)
        assert table.iloc[:, 1].tolist() == [million, dong]
        assert table.loc["HI_CARDS_VALUE", YEAR] == pytest.approx(value / 1_000_000)
        assert table.loc["HI_CARD_PRICE", YEAR] == pytest.approx(price)


def test_display_scale_one_keeps_dong_and_million_divides(swapped_data):
    value, price = _plain_2016()
    table = _table(swapped_data, "vi")
    assert table.iloc[:, 1].tolist() == ["đồng", "triệu đồng"]
    assert table.loc["HI_CARDS_VALUE", YEAR] == pytest.approx(value)
    assert table.loc["HI_CARD_PRICE", YEAR] == pytest.approx(price / 1_000_000)


def test_an_unknown_scale_is_one_line_naming_file_indicator_and_scales(tmp_path_factory):
    data = _data(tmp_path_factory, "bad-scale", lambda text: text.replace(
        VALUE_LINE, VALUE_LINE[:-1] + ", display: {scale: billion}}"))
    path = data / "catalog" / "indicators.yaml"
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "code: HI_CARDS_VALUE," in l)                     # the entry's first line
    with pytest.raises(InputError) as exc:
        load_catalog(data / "catalog")
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:{line}: key 'display': indicator HI_CARDS_VALUE: expected a scale among one, million; "
        "found 'billion'"]


def test_million_is_refused_for_an_indicator_not_in_dong(tmp_path_factory):
    data = _data(tmp_path_factory, "people-in-millions", lambda text: text.replace(
        "numerator: CHILDREN,\n     direction: neutral}", "numerator: CHILDREN,\n     direction: neutral, "
        "display: {scale: million}}"))
    with pytest.raises(InputError) as exc:
        load_catalog(data / "catalog")
    found = [str(p) for p in exc.value.problems]
    assert len(found) == 1 and "indicator CHILDREN: scale million fits an indicator in đồng, VND only" in found[0]


def test_a_display_that_is_not_a_mapping_is_refused_once(tmp_path_factory):
    data = _data(tmp_path_factory, "flat-display", lambda text: text.replace(
        VALUE_LINE, VALUE_LINE[:-1] + ", display: million}"))
    with pytest.raises(InputError) as exc:
        load_catalog(data / "catalog")
    found = [str(p) for p in exc.value.problems]
    assert len(found) == 1 and found[0].endswith(
        "key 'display': indicator HI_CARDS_VALUE: expected {scale: one | million}; found 'million'"), found


def test_a_programmes_own_indicator_is_checked_in_its_own_file(tmp_path):
    own = tmp_path / "indicators.yaml"
    own.write_text((ROOT / "programmes" / "injury-hi" / "indicators.yaml").read_text(encoding="utf-8").replace(
        "factor: 100, decimals: 1, direction: neutral}", "factor: 100, decimals: 1, direction: neutral, "
        "display: {scale: [million]}}"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_catalog(ROOT / "data" / "catalog", [own])
    found = [str(p) for p in exc.value.problems]
    assert len(found) == 1 and found[0].startswith(f"{own}:") and found[0].endswith(
        "key 'display': indicator HI_CARDS_PER_U6: expected a scale among one, million; found ['million']"), found
