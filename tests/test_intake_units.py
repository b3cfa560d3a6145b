"""Unit names and codes in returns, resolved for the return's year; diacritics never stripped."""

from __future__ import annotations

import pytest

from evaltools.model.catalog import load_catalog
from evaltools.intake.unitnames import UnitNames, split_name, tone_key

from .conftest import ROOT


@pytest.fixture(scope="module")
def names():
    return UnitNames(load_catalog(ROOT / "data" / "catalog").units)


@pytest.mark.parametrize("written, year, code", [
    ("Xã Cam Thủy", 2017, "19606"), ("Cam Thuỷ", 2017, "19606"), ("CAM THỦY", 2017, "19606"),
    ("x. cam  thuỷ", 2017, "19606"), ("X.Cam Thủy", 2017, "19606"),
    ("TT. Cam Lộ", 2017, "19597"), ("TT Cam Lộ", 2017, "19597"), ("Thị Trấn Cam Lộ", 2017, "19597"),
    ("Huyện Cam Lộ", 2017, "468"), ("Cam Thanh", 2019, "19609"), ("Cam Thành", 2019, "19612"),
    ("Xã Cam An", 2019, "19603"), ("Thanh An", 2021, "19603"), ("19603", 2021, "19603"),
    ("\u0043am Thu\u0079\u0309", 2017, "19606"),                       # NFD input
])
def test_names_resolve_to_their_code(names, written, year, code):
    assert names.resolve(None, written, year) == (code, None)


def test_tone_placement_does_not_matter_but_tones_do():
    assert tone_key("Hoà Bình") == tone_key("Hòa Bình")
    assert tone_key("Thuỷ") == tone_key("Thủy")
    assert tone_key("Cam Thanh") != tone_key("Cam Thành")
    assert split_name("TT. Cam Lộ") == ("thị trấn", tone_key("Cam Lộ"))


@pytest.mark.parametrize("code, written, year, message", [
    (None, "Cam Lộ", 2017, "ambiguous unit 'Cam Lộ': Huyện Cam Lộ (468) or Thị trấn Cam Lộ (19597); "
                           "write its prefix (Xã, Thị trấn, Huyện...) or its code"),
    (None, "Cam An", 2021, "Xã Cam An (19603) is not a unit in 2021: on 01/01/2020 it merged into Xã Thanh An (19603)"),
    ("19609", None, 2020, "Xã Cam Thanh (19609) is not a unit in 2020: on 01/01/2020 it merged into "
                          "Xã Thanh An (19603)"),
    (None, "Thanh An", 2019, "Xã Thanh An (19603) is not a unit in 2019: it exists from 01/01/2020"),
    (None, "Cam Thuy", 2019, "unknown unit 'Cam Thuy'; closest: Xã Cam Thủy (19606), Xã Cam Tuyền (19600), "
                             "Xã Cam Hiếu (19615)"),
    ("19606", "Cam Hiếu", 2019, "code 19606 is Xã Cam Thủy (19606), but the name 'Cam Hiếu' is Xã Cam Hiếu (19615)"),
    (None, "Tổng cộng", 2019, "'Tổng cộng' looks like a total row: leave totals out, evaltools adds units up itself"),
])
def test_unresolvable_units_say_why_and_what_is_close(names, code, written, year, message):
    assert names.resolve(code, written, year) == (None, message)


def test_a_code_settles_an_ambiguous_name(names):
    assert names.resolve("19597", "Cam Lộ", 2017) == ("19597", None)
