"""Text encodings of returns: detected from the bytes, never guessed silently.

Accepted: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode
text") and Windows-1258. Windows-1258 writes most tone marks as combining
characters, so every decoded text is normalised to NFC. A file that is not
valid UTF-8 is read as Windows-1258 only when every non-ASCII character it then
holds is a Vietnamese letter or common punctuation; otherwise it is refused
with what was tried.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from evaltools.model.vocabulary import vocabulary
from evaltools.intake.problems import FileProblem

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_PUNCTUATION = "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00b0\u20ab"


# Every Vietnamese letter outside ASCII composes to one NFC character; a combining
# mark left over after NFC sits on a letter Vietnamese never marks.
@functools.cache
def vietnamese() -> frozenset[str]:
    """Every non-ASCII character a Vietnamese text holds (vowels: resources/vocabulary.yaml)."""
    words = vocabulary()
    vowels, d = words["vowels"], words["d_with_stroke"]
    return frozenset(
        unicodedata.normalize("NFC", vowel + tone)
        for vowel, tone in itertools.product(vowels + vowels.upper(), _TONES)
    ) | frozenset(d["lower"] + d["upper"] + _PUNCTUATION)

SAVE_HINT = "save it from Excel as 'CSV UTF-8' (or 'Unicode Text') and import it again"


@dataclass(frozen=True)
class Decoded:
    """A file's text (NFC) and the encoding it was read with, as shown to users."""

    text: str
    encoding: str


def _line_of(data: bytes | str, position: int) -> int:
    newline = b"\n" if isinstance(data, (bytes, bytearray)) else "\n"
    return data.count(newline, 0, position) + 1


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _foreign_character(text: str) -> tuple[int, str] | None:
    """First character that is neither ASCII nor Vietnamese, with its position."""
    for position, char in enumerate(text):
        if char >= "\x80" and char not in vietnamese():
            return position, char
    return None


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]")


def _has_utf8_vietnamese(data: bytes) -> bool:
    """Whether the bytes hold a well-formed UTF-8 sequence for a Vietnamese letter.

    A Windows-1258 file essentially never does by chance (its letters are single
    bytes followed by ASCII or a combining mark), so such a file that is not valid
    UTF-8 throughout is UTF-8 with a foreign cell, not a Windows-1258 file.
    """
    for found in _UTF8_SEQUENCE.finditer(data):
        if unicodedata.normalize("NFC", found.group().decode("utf-8")) in vietnamese():
            return True
    return False


def decode(data: bytes, name: str) -> Decoded:
    """Decode a text file's bytes, detecting the encoding.

    Raises
    ------
    FileProblem
        Naming the file, the encodings tried and where each failed.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise FileProblem(name, f"UTF-32 text is not accepted; {SAVE_HINT}")
    for bom, codec, label in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
                              (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
                              (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE")):
        if data.startswith(bom):
            try:
                return Decoded(_nfc(data.decode(codec)), label)
            except UnicodeDecodeError as exc:
                raise FileProblem(name, f"starts with a {label} byte-order mark but byte {exc.start} is not "
                                        f"{label}; {SAVE_HINT}", _line_of(data, exc.start)) from None
    if b"\x00" in data:
        where = data.index(b"\x00")
        raise FileProblem(name, "holds NUL bytes: UTF-16 without a byte-order mark, or not a text file "
                                f"at all; {SAVE_HINT}", _line_of(data, where))
    try:
        return Decoded(_nfc(data.decode("utf-8")), "UTF-8")
    except UnicodeDecodeError as exc:
        utf8 = f"not UTF-8 (byte 0x{data[exc.start]:02X} at line {_line_of(data, exc.start)})"
        if _has_utf8_vietnamese(data):
            line = _line_of(data, exc.start)
            raise FileProblem(name, f"mixes encodings: the file is UTF-8 (it holds Vietnamese letters written in "
                                    f"UTF-8) but byte 0x{data[exc.start]:02X} on this line is not UTF-8, as if "
                                    "the cell was pasted from a file in another encoding (Windows-1258?); retype "
                                    "that cell, or save the whole file again from Excel as 'CSV UTF-8'", line) from None
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileProblem(name, f"unknown text encoding: {utf8}, no UTF-16 byte-order mark, and not "
                                f"Windows-1258 (byte 0x{data[exc.start]:02X} at line {_line_of(data, exc.start)} "
                                f"is undefined there); {SAVE_HINT}") from None
    text = _nfc(text)
    foreign = _foreign_character(text)
    if foreign:
        position, char = foreign
        raise FileProblem(name, f"unknown text encoding: {utf8}, no UTF-16 byte-order mark, and read as "
                                f"Windows-1258 it gives {char!r} (U+{ord(char):04X}) at line "
                                f"{_line_of(text, position)}, which is not Vietnamese (TCVN3 or VNI fonts?); {SAVE_HINT}")
    return Decoded(text, "Windows-1258")
