"""Moving a review's words and id from one period to the next.

Only the period's own marks change: a span of its years ("2012–2017", "2012-2017"), its
length ("5 năm", "five-year") and, for an annual review, its year ("năm 2022"). Other
years stay, above all those inside dates: "Chỉ thị số 20-CT/TW ngày 05/11/2012" names a
directive, not a period.
"""

from __future__ import annotations

import re

from evaltools.model import vocabulary

DASH = "–"           # the en dash the reports write between years
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def span(first: int, last: int) -> str:
    """``2017–2022``, or ``2022`` for a single year."""
    return str(first) if first == last else f"{first}{DASH}{last}"


def _lone_year(year: int) -> re.Pattern:
    # A year on its own: not part of a date (05/11/2012, 2012-11-05) nor of a longer number.
    return re.compile(rf"(?<![\d/.\-]){year}(?![\d/]|-\d)")


def _length_patterns(years: int) -> list[tuple[re.Pattern, str]]:
    """Patterns for a period of ``years`` years: "5 năm", "5-year", "five-year" (case kept)."""
    found = [(re.compile(rf"(?<![\d.,]){years}(?=\s+{vocabulary.word('years_word')}\b)"), "{n}"),
             (re.compile(rf"(?<![\d.,]){years}(?=-year\b)"), "{n}")]
    if years < len(_WORDS):
        word = _WORDS[years]
        found += [(re.compile(rf"\b{word}(?=-year\b)"), "{word}"),
                  (re.compile(rf"\b{word.capitalize()}(?=-year\b)"), "{Word}")]
    return found


def move_text(text: str, old: tuple[int, int], new: tuple[int, int]) -> str:
    """``text`` with the old period's span, length and (annual) year replaced by the new one's.

    Examples
    --------
    >>> move_text("Sơ kết 5 năm (2012–2017), Chỉ thị ngày 05/11/2012", (2012, 2017), (2018, 2023))
    'Sơ kết 5 năm (2018–2023), Chỉ thị ngày 05/11/2012'
    >>> move_text("Báo cáo năm 2022", (2022, 2022), (2023, 2023))
    'Báo cáo năm 2023'
    """
    (of, ol), (nf, nl) = old, new
    if of != ol:
        text = re.sub(rf"(?<![\d/.]){of}(\s*[–—-]\s*){ol}(?![\d/])", lambda m: f"{nf}{m.group(1)}{nl}", text)
    else:
        text = _lone_year(of).sub(span(nf, nl), text)
    if ol - of != nl - nf and ol > of:
        n = nl - nf
        word = _WORDS[n] if n < len(_WORDS) else str(n)
        for pattern, form in _length_patterns(ol - of):
            text = pattern.sub(form.format(n=n, word=word, Word=word.capitalize()), text)
    return text


def mentions(text: str, first: int, last: int) -> bool:
    """Whether ``text`` names the period (its span, or its year when it is one year)."""
    if first == last:
        return bool(_lone_year(first).search(text))
    return bool(re.search(rf"(?<![\d/.]){first}\s*[–—-]\s*{last}(?![\d/])", text))


def move_title(text: str, old: tuple[int, int], new: tuple[int, int]) -> str:
    """A title moved to the new period; one that does not name its period gets it added.

    The span goes right after a Vietnamese length ("Sơ kết 5 năm (2017–2022) thực hiện
    ..."), else at the end ("... of 05/11/2012 (2017–2022)"), so two reviews of a series
    never share a title.
    """
    moved = move_text(text, old, new)
    if mentions(moved, *new):
        return moved
    label = span(*new)
    length = re.search(rf"(?<![\d.,]){new[1] - new[0]}\s+{vocabulary.word('years_word')}\b", moved) if new[1] > new[0] else None
    if length:
        return f"{moved[:length.end()]} ({label}){moved[length.end():]}"
    return f"{moved} ({label})"


def next_id(old_id: str, old: tuple[int, int], new: tuple[int, int]) -> str:
    """The id of the next review: ``ct20-2012-2017`` -> ``ct20-2017-2022``, ``annual-2022`` -> ``annual-2023``."""
    (of, ol), (nf, nl) = old, new
    label = str(nf) if nf == nl else f"{nf}-{nl}"
    if of != ol and re.search(rf"(?<!\d){of}-{ol}(?!\d)", old_id):
        return re.sub(rf"(?<!\d){of}-{ol}(?!\d)", label, old_id)
    if re.search(rf"(?<!\d){ol}(?!\d)", old_id):
        return re.sub(rf"(?<!\d){ol}(?!\d)", label, old_id)
    return f"{old_id}-{label}"
