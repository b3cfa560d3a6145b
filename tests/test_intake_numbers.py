"""Numbers as communes write them: read exactly, or refused saying what was expected."""

from __future__ import annotations

import pytest

from evaltools.intake.numbers import from_cell, parse_plain, parse_vi


@pytest.mark.parametrize("text, value", [
    ("3.667.005.000", "3667005000"), ("1.234,5", "1234.5"), ("3.667.005.000,đ", "3667005000"),
    ("3.667.005.000 đ", "3667005000"), ("3.667.005.000 đồng", "3667005000"), ("23.000.000 VNĐ", "23000000"),
    ("3 667 005 000", "3667005000"), ("1\u00a0234", "1234"), ("1\u202f234,25", "1234.25"), ("98,5", "98.5"),
    ("1.234", "1234"), ("1234", "1234"), ("0", "0"), ("0,50", "0.5"), ("-5", "-5"), ("\u22121.000", "-1000"),
    ("  12  ", "12"), ("007", "7"),
])
def test_vietnamese_numbers_are_read(text, value):
    assert parse_vi(text) == value


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_an_empty_cell_is_missing_not_zero(text):
    assert parse_vi(text) is None and parse_plain(text) is None


@pytest.mark.parametrize("text, reason", [
    ("23.0000.000", "malformed digit grouping"), ("1.2.3", "malformed digit grouping"),
    ("12.5", "malformed digit grouping"), ("1,234,567", "',' marks the decimals and may appear only once"),
    ("1,234.5", "thousands separators come before the decimal ','"),
    ("1.234 567", "mixes different thousands separators"), ("-", "not a number"), ("khoảng 30", "not a number"),
    ("1.5OO", "not a number"),
])
def test_malformed_numbers_are_refused_with_what_was_expected(text, reason):
    with pytest.raises(ValueError) as caught:
        parse_vi(text)
    assert str(caught.value).startswith(reason)
    assert str(caught.value).endswith(f"expected a number such as 3.667.005.000 or 1.234,5, found {text!r}")


@pytest.mark.parametrize("text, value", [("3667005000", "3667005000"), ("12.5", "12.5"), ("-3", "-3"),
                                         ("1.234", "1.234"), ("62.50", "62.5")])
def test_the_long_format_reads_numbers_as_the_store_does(text, value):
    assert parse_plain(text) == value


@pytest.mark.parametrize("text", ["3.667.005.000", "12,5", "1 234", "1e5", "3.667.005.000 đ"])
def test_the_long_format_refuses_anything_else(text):
    with pytest.raises(ValueError, match="the long format takes numbers as the store writes them"):
        parse_plain(text)


def test_spreadsheet_numbers_keep_their_value():
    assert [from_cell(v) for v in (5, 5.0, 62.5, 3667005000.0, 0.1 + 0.2)] == \
        ["5", "5", "62.5", "3667005000", "0.30000000000000004"]
