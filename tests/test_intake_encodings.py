"""Encodings are detected from the bytes; anything not accepted is refused naming what was tried."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from evaltools.intake.encodings import decode
from evaltools.intake.problems import FileProblem

from .intake_support import cp1258_bytes

TEXT = "Tên đơn vị;Trẻ em\nXã Cam Thuỷ;1.534\nTT. Cam Lộ;3.401\nHoà;Phường\n"


@pytest.mark.parametrize("data, label", [
    (TEXT.encode("utf-8"), "UTF-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with BOM"),
    (TEXT.encode("utf-16"), "UTF-16 LE"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16 BE"),
    (cp1258_bytes(TEXT), "Windows-1258"),
    (unicodedata.normalize("NFD", TEXT).encode("utf-8"), "UTF-8"),
])
def test_accepted_encodings_decode_to_the_same_nfc_text(data, label):
    decoded = decode(data, "x.csv")
    assert (decoded.text, decoded.encoding) == (TEXT, label)


def test_windows_1258_bytes_use_combining_tone_marks():
    assert cp1258_bytes("Thuỷ") == b"Thuy\xd2" and decode(b"Thuy\xd2", "x").text == "Thuỷ"


@pytest.mark.parametrize("data, message", [
    (b"Cam Th\xb5nh", "read as Windows-1258 it gives 'µ' (U+00B5) at line 1, which is not Vietnamese"),
    (TEXT.encode("utf-32"), "UTF-32 text is not accepted"),
    (TEXT.encode("utf-16-le"), "holds NUL bytes"),
    (b"a\x81b", "not Windows-1258 (byte 0x81 at line 1 is undefined there)"),
])
def test_other_encodings_are_refused(data, message):
    with pytest.raises(FileProblem) as caught:
        decode(data, "x.csv")
    assert message in str(caught.value) and str(caught.value).startswith("x.csv")
