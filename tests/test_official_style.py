"""Every sample review reads in the office's style, read from its PDF and its HTML as a reader sees them.

Official Vietnamese administrative style (data/README.md, "How the report says it"): a sentence is
said once; a unit's kind is lower case inside a sentence ("tại xã Cam Thủy"); lists open with "-"
and "+", never "•"; the body ends with "./."; a rate one wants low is not "đạt"; a target of 100 % is
"100 %", not "từ 100,0 % trở lên"; a ranking in which every unit ties is not shown; a mark ("0,44*")
has its legend on the same page.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata

import pytest

from .conftest import SAMPLE_REVIEWS


def pdf_pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(unicodedata.normalize("NFC", page).split()) for page in text.split("\f")]


def paragraphs(page: str) -> list[str]:
    found = re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split()) for _, body in found]


@pytest.fixture(scope="module", params=SAMPLE_REVIEWS)
def report(request, sample_outputs):
    folder = sample_outputs / request.param
    return request.param, pdf_pages(folder / "report.pdf"), (folder / "report.html").read_text(encoding="utf-8")


def body(pages: list[str]) -> str:
    """The report up to its recipients (the signed body), one string, without the page number last."""
    return re.sub(r"\s*\d+\s*$", "", " ".join(pages).split("Nơi nhận")[0])


def test_no_sentence_is_said_twice(report):
    review, _, page = report
    # the appendices' "(Kèm theo Báo cáo số …)" lines are a header each appendix repeats, not a sentence
    sentences = [s for p in paragraphs(page) for s in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])", p)
                 if len(s) > 40 and not s.startswith("(")]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert repeated == set(), review


def test_a_unit_is_lower_case_inside_a_sentence(report):
    review, _, page = report
    inside = [m.group(0) for p in paragraphs(page)
              for m in re.finditer(r"(?<=[\wà-ỹ,(] )(Xã|Thị trấn|Phường|Huyện|Tỉnh) [A-ZĐ]\w*", p)]
    assert inside == [], review


def test_lists_use_the_administrative_marks(report):
    review, pages, _ = report
    assert "•" not in " ".join(pages), review
    assert re.search(r"(^| )- [A-ZĐ]", body(pages)), review


def test_the_body_ends_with_the_closing_mark(report):
    review, pages, _ = report
    assert body(pages).rstrip().endswith("./."), (review, body(pages)[-120:])


def test_a_rate_one_wants_low_is_not_reached(report):
    review, pages, _ = report
    text = body(pages)
    assert re.findall(r"đạt [\d.,]+ ?‰", text) == [], review
    assert not re.search(r"từ 100(,0)? ?% trở lên", text), review


def test_no_ranking_of_ties(report):
    review, _, page = report
    for table in re.findall(r'<table[^>]*class="[^"]*ranking[^"]*"[^>]*>(.*?)</table>', page, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[-1], re.S)
        values = [re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[-1]).strip() for r in rows
                  if "<td" in r and "colspan" not in r]
        assert len(set(values)) > 1, (review, values)


def test_every_mark_has_its_legend_on_its_page(report):
    review, pages, _ = report
    for number, page in enumerate(pages, start=1):
        if re.search(r"\d\*(?!\*)", page):
            assert re.search(r"\* ([Nn]ăm )?\d{4}:? (số liệu )?(tính đến|figures up to|up to)", page), \
                (review, number, page[:200])
