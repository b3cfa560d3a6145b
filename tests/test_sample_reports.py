"""Every sample review, rendered as a final report, reads as a leader can defend it.

Read from the PDF as a person reads it (pdftotext) and measured as a ruler would
(pdftotext -bbox): no placeholder, no period "from X to X", no clause said twice in a
sentence, every year cut off early marked, and nothing outside the page's text box.
"""

from __future__ import annotations

import html
import re

import pytest

from .conftest import SAMPLE_REVIEWS
from .pdfread import flat, words

MM = 72 / 25.4
PLACEHOLDERS = ("Chưa có nội dung", "No text yet", "DỰ THẢO", "DRAFT", "Giai đoạn 2022;", "nan", "None")


@pytest.fixture(scope="module", params=SAMPLE_REVIEWS)
def report(request, sample_outputs):
    return request.param, sample_outputs / request.param / "report.pdf"


def test_no_placeholder_reaches_a_reader(report):
    review, pdf = report
    text = flat(pdf)
    assert [p for p in PLACEHOLDERS if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)] == [], review


def test_no_period_from_a_year_to_itself(report):
    review, pdf = report
    text = flat(pdf)
    assert not re.search(r"[Tt]ừ năm (\d{4}) đến năm \1\b", text), review
    assert not re.search(r"năm (\d{4}) có [^.;]*?, năm \1 có", text), review
    assert not re.search(r"[Gg]iai đoạn (\d{4})(?![–\d])", text), review


def test_no_clause_said_twice_in_a_sentence(report):
    review, pdf = report
    page = (pdf.parent / "report.html").read_text(encoding="utf-8")
    paragraphs = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", page, re.S)]
    assert len(paragraphs) > 20, review
    for sentence in (s for p in paragraphs for s in re.split(r"(?<=[.;])\s", " ".join(p.split()))):
        clauses = [c.strip() for c in re.split(r"[,;:]", sentence) if len(c.strip()) > 12]
        assert len(clauses) == len(set(clauses)), (review, sentence)


def test_years_cut_off_early_are_marked(report):
    review, pdf = report
    text = flat(pdf)
    if review.startswith("ct20"):          # 2017 runs to 31/05/2017 (data/catalog/periods.yaml)
        assert "2017*" in text and "* Năm 2017: số liệu tính đến ngày 31/05/2017." in text
    else:
        assert "*" not in text.replace("**", "")


def test_nothing_outside_the_text_box(report):
    review, pdf = report
    outside = []
    for w in words(pdf):
        landscape = w.page_width > w.page_height
        left, right = (20 * MM, 20 * MM) if landscape else (30 * MM, 15 * MM)
        # 2 pt of slack: a justified line's last glyph was measured up to 1.4 pt past the margin
        if w.x0 < left - 2 or w.x1 > w.page_width - right + 2 or w.y1 > w.page_height - 15 * MM:
            outside.append((w.page, w.text, round(w.x0), round(w.x1)))
    assert outside == [], (review, outside[:10])


def test_a_span_total_names_its_partial_year_and_no_standard_before_it_took_effect(report):
    """data/README.md, "Spans that include a partial year" and "Standards in force", in the PDF a leader reads."""
    review, pdf = report
    text = flat(pdf)
    if review == "ct20-2012-2022":
        # the cards' total and its span label, in one sentence: the ten years with 2017's cut-off named
        assert re.search(r"10\.470 thẻ .{0,120}?\(giai đoạn 2012–2022, trong đó năm 2017 đến 31/05/2017\)", text)
        assert "(giai đoạn 2012–2022, tính đến ngày 31/05/2017)" not in text
    if review.startswith("ct20"):
        # QĐ 34/2014/QĐ-TTg is in force from 15/07/2014: 2012 and 2013 are not scored under it
        assert not re.search(r"\b201[23]\s+\d+\s+\d+\s+[\d,]+\s*%\s+QĐ 34/2014", text), review
        assert ("Năm 2012–2013: chưa có tiêu chuẩn áp dụng (QĐ 34/2014/QĐ-TTg áp dụng từ ngày "
                "15/07/2014)") in text
