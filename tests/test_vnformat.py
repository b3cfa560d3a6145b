"""Vietnamese number, money and date formats, with half-up rounding."""

from __future__ import annotations

import datetime as dt

import pytest

from evaltools.model import vnformat as f


@pytest.mark.parametrize(("value", "decimals", "vi", "en"), [
    (3667005000, 0, "3.667.005.000", "3,667,005,000"),
    (98.46, 1, "98,5", "98.5"),
    (2.5, 0, "3", "3"),              # half-up, not half-to-even
    (0.125, 2, "0,13", "0.13"),
    (1234.5, 1, "1.234,5", "1,234.5"),
    (-1234, 0, "-1.234", "-1,234"),
    (-0.04, 1, "0,0", "0.0"),        # never "-0,0"
    (353, 0, "353", "353"),
    (float("nan"), 0, "–", "–"),
    (None, 0, "–", "–"),
])
def test_number(value, decimals, vi, en):
    assert f.number(value, decimals, "vi") == vi
    assert f.number(value, decimals, "en") == en


def test_percent_per_mille_money():
    assert f.percent(98.46) == "98,5 %"
    assert f.percent(100, 0, "en") == "100%"
    assert f.per_mille(27.2734) == "27,3 ‰"
    assert f.money(3667005000) == "3.667.005.000 đồng"
    assert f.money(3667005000, "en") == "3,667,005,000 VND"
    assert f.money_short(3667005000) == "3,67 tỷ đồng"
    assert f.money_short(24_000_000) == "24 triệu đồng"
    assert f.money_short(16_250_000) == "16,25 triệu đồng"
    assert f.money_short(3667005000, "en") == "3.67 billion VND"
    assert f.money_short(250_000) == "250.000 đồng"


def test_quantity_attaches_units_as_a_sentence_reads():
    assert f.quantity(353, "em") == "353 em"
    assert f.quantity(100, "%", 1) == "100,0 %"
    assert f.quantity(23_000_000, "đồng") == "23.000.000 đồng"
    assert f.quantity(11, "bicycles", lang="en") == "11 bicycles"
    assert f.quantity(1, "cases", lang="en") == "1 case"
    assert f.quantity(1, "children", lang="en") == "1 child"
    assert f.quantity(1, "em") == "1 em"


def test_compact_drops_trailing_zeros():
    assert f.compact(3667005000) == "3.667.005.000"
    assert f.compact(12.5) == "12,5"
    assert f.compact(2.125) == "2,13"          # at most 2 decimals, half-up
    assert f.compact(1.5, "en") == "1.5"


def test_dates():
    day = dt.date(2012, 11, 5)
    assert f.date(day) == "05/11/2012"
    assert f.date_long(day) == "ngày 05 tháng 11 năm 2012"
    assert f.date(day, "en") == "5 November 2012"
    assert f.period(2012, 2017) == "2012–2017"
    assert f.period(2022, 2022) == "2022"
