"""The signed copies (PDF, Word) of every sample review, Vietnamese and English, read page by page.

Nothing in them that belongs to the analyst (file hashes, the tool's name, the machine's time);
pages that break well (tests/pagecheck.py); an appendix's header in the decree's order; no line
break inside a name, a document's number or a figure with its unit; the masthead's two blocks
apart at every width; every table header whole. The renders are the session's (conftest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from pathlib import Path

import docx
import pytest
import yaml

from .browser import CHROMIUM, CHROMIUM_ARGS
from .conftest import ROOT, SAMPLE_REVIEWS
from .pagecheck import Parts, failing_pages, lines, page_count
from .pdfread import flat, words

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PAGES_DIR = ROOT / "outputs" / "test-pages"


@pytest.fixture(scope="module", params=[(r, lang) for r in SAMPLE_REVIEWS for lang in ("vi", "en")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def copy(request, sample_outputs, sample_outputs_en) -> tuple[str, str, Path]:
    review, lang = request.param
    return review, lang, (sample_outputs if lang == "vi" else sample_outputs_en) / review


def _docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _signed_on(review: str) -> dt.date:
    config = yaml.safe_load((ROOT / "data" / "reviews" / f"{review}.yaml").read_text(encoding="utf-8"))
    date = config["date"]
    return date if isinstance(date, dt.date) else dt.datetime.strptime(date, "%d/%m/%Y").date()


def _dates(text: str) -> list[dt.date]:
    found = [dt.date(int(y), int(m), int(d)) for d, m, y in re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text)]
    found += [dt.date(int(y), MONTHS.index(m) + 1, int(d))
              for d, m, y in re.findall(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b", text)]
    found += [dt.date(int(y), int(m), int(d))
              for d, m, y in re.findall(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text)]
    return found


def test_signed_copies_hold_no_file_hash_tool_name_or_machine_time(copy):
    review, lang, folder = copy
    signed_on = _signed_on(review)
    for name, text in (("report.pdf", flat(folder / "report.pdf")),
                       ("report.docx", _docx_text(folder / "report.docx"))):
        assert not re.search(r"\b[0-9a-f]{12,}\b", text), (review, lang, name)
        assert "evaltools" not in text.lower() and "SHA-256" not in text, (review, lang, name)
        assert not re.search(r"\b\d{1,2}:\d{2}\b", text), (review, lang, name, re.findall(r".{30}\d:\d\d", text))
        dates = _dates(text)
        assert dates and max(dates) <= signed_on, (review, lang, name, max(dates))


def test_the_html_copy_the_manifest_and_the_data_quality_page_keep_the_provenance(copy):
    review, lang, folder = copy
    last_year = yaml.safe_load((ROOT / "data" / "reviews" / f"{review}.yaml").read_text(encoding="utf-8"))["last_year"]
    values = ROOT / "data" / "values" / f"cam-lo-{last_year}.csv"
    digest = hashlib.sha256(values.read_bytes()).hexdigest()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if not review.startswith("injury-hi"):          # programme ct20 lists its sources in the HTML copy
        assert digest in (folder / "report.html").read_text(encoding="utf-8"), (review, lang)
    assert digest in json.dumps(manifest), (review, lang)
    assert digest in (folder / "data_quality.html").read_text(encoding="utf-8"), (review, lang)


def test_every_page_breaks_well(copy):
    review, lang, folder = copy
    assert failing_pages(folder / "report.pdf", folder / "report.html") == [], (review, lang)


def test_an_appendix_header_reads_number_title_then_the_report_it_is_attached_to(copy):
    review, lang, folder = copy
    found = lines(words(folder / "report.pdf"))
    texts = [ln.text for ln in found]
    notes = [i for i, t in enumerate(texts) if t.startswith("(Kèm theo" if lang == "vi" else "(Attached to")]
    assert notes, (review, lang)
    for i in notes:
        header = re.compile(r"(Phụ lục|Appendix)( [IVX]+)?")
        assert header.fullmatch(texts[i - 2]) and not header.fullmatch(texts[i - 1]), (review, lang, texts[i - 2:i + 1])
        assert found[i - 2].page == found[i].page


def _same_line(a, b) -> bool:
    return a.page == b.page and abs(a.y0 - b.y0) < 2


def test_no_line_break_inside_a_name_a_document_number_or_a_figure_and_its_unit(copy):
    review, lang, folder = copy
    found = words(folder / "report.pdf")
    broken = [(a.page, a.text, b.text) for a, b in zip(found, found[1:])
              if b.text.rstrip(").,;") in ("‰", "%") and re.search(r"\d$", a.text) and not _same_line(a, b)]
    # "06/" | "QĐ-TTg", "đồng/" | "tháng"; an English compound may break after its hyphen ("child-" | "protection")
    broken += [(w.page, w.text) for w in found if re.search(r"\w/$|(?:\d|\b[A-ZĐ]{2,})-$", w.text)]
    names = yaml.safe_load((ROOT / "src/evaltools/resources/templates/evaltools/nobreak.yaml").read_text("utf-8"))
    for name in (n.split() for n in names["names"] if " " in n):
        for i in range(len(found) - len(name) + 1):
            run = found[i:i + len(name)]
            if [w.text.strip(",.;:()") for w in run] == name and not all(_same_line(run[0], w) for w in run):
                broken.append((run[0].page, " ".join(name)))
    assert broken == [], (review, lang, broken[:10])


def test_every_table_header_is_printed_whole(copy):
    review, lang, folder = copy
    page = (folder / "report.html").read_text(encoding="utf-8")
    page = re.sub(r'<div class="[^"]*celltag_screen-only.*?</table>', "", page, flags=re.S)   # HTML only
    headers = {" ".join(re.sub(r"<[^>]+>", "", h).split()) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S)}
    printed = set()
    for w in words(folder / "report.pdf"):
        right = w.page_width - (20 if w.page_width > w.page_height else 15) * 72 / 25.4
        if w.x1 <= right + 2:
            printed.add(w.text)
    cut = sorted(h for h in headers if h and not all(part in printed for part in h.split()))
    assert cut == [], (review, lang, cut[:5])
    # nor a header that reads as cut off, ending on a word that needs another after it ("Whole period as")
    dangling = sorted(h for h in headers if re.search(r"\b(as|of|the|and|to|per|by|và|của|theo|trên)$", h))
    assert dangling == [], (review, lang, dangling)


def test_the_masthead_blocks_do_not_overlap_in_the_pdf(copy):
    review, lang, folder = copy
    first = [w for w in words(folder / "report.pdf") if w.page == 1]
    overlaps = [(a.text, b.text) for i, a in enumerate(first) for b in first[i + 1:]
                if a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5]
    assert overlaps == [], (review, lang, overlaps[:5])


def test_the_masthead_fits_its_columns_in_the_word_copy(copy):
    """Word wraps only at a breakable space: each unbroken piece of the agency's and the nation's lines
    must be narrower than its column (16.5 cm × 40 % and × 60 %), measured in Liberation Serif Bold."""
    from PIL import ImageFont

    review, lang, folder = copy
    table = docx.Document(str(folder / "report.docx")).tables[0]
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf", 125)  # 12.5 pt × 10
    for cell, share in zip(table.rows[0].cells, (0.40, 0.60)):
        column_pt = 16.5 * share / 2.54 * 72
        for paragraph in cell.paragraphs:
            for piece in paragraph.text.upper().split(" "):
                assert font.getlength(piece) / 10 <= column_pt, (review, lang, piece)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_masthead_blocks_do_not_overlap_in_the_browser(sample_outputs_en, sample_outputs, width):
    from playwright.sync_api import sync_playwright

    script = """() => {
      const boxes = sel => Array.from(document.querySelectorAll(sel)).flatMap(p => {
        const r = document.createRange(); r.selectNodeContents(p); return Array.from(r.getClientRects()); });
      const a = boxes('table.masthead td.agency p'), b = boxes('table.masthead td.nation p');
      const overlap = a.some(x => b.some(y => x.left < y.right - 0.5 && y.left < x.right - 0.5
                                             && x.top < y.bottom - 0.5 && y.top < x.bottom - 0.5));
      const spill = Array.from(document.querySelectorAll('table.masthead p'))
                         .some(p => p.scrollWidth > p.clientWidth + 1);
      return {overlap, spill, agency: a.length, nation: b.length};
    }"""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": 844})
            for folder in (sample_outputs_en, sample_outputs):
                page.goto((folder / "ct20-2012-2017" / "report.html").resolve().as_uri())
                seen = page.evaluate(script)
                assert seen["agency"] >= 3 and seen["nation"] >= 3, seen
                assert not seen["overlap"] and not seen["spill"], (folder.name, width, seen)
        finally:
            browser.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_images_of_the_five_year_review(sample_outputs, sample_outputs_en, lang):
    """ct20-2012-2017's pages as PNG in outputs/test-pages/ (for a person to look at), one per page."""
    pdf = (sample_outputs if lang == "vi" else sample_outputs_en) / "ct20-2012-2017" / "report.pdf"
    target = PAGES_DIR / f"ct20-2012-2017-{lang}"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(target / "page")], check=True)
    assert len(list(target.glob("page-*.png"))) == page_count(pdf)


def test_the_page_check_finds_what_it_looks_for(tmp_path):
    """The checker itself, on a page it must fail: a heading alone at a page's foot, a page of only a caption."""
    import weasyprint

    filler = "".join(f"<p>Đoạn văn số {i} của báo cáo, đủ dài để lấp một dòng của trang A4.</p>" for i in range(10))
    page = (f"<html><body><main>{filler}<h3>5. Đánh giá chung</h3><div style='break-before: page'></div>"
            "<table style='width: 100%'><caption>Bảng chỉ tiêu</caption></table>"
            "<div style='break-before: page'></div>"
            "<p>Nội dung tiếp theo của báo cáo.</p></main></body></html>")
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
    weasyprint.HTML(string=page).write_pdf(tmp_path / "report.pdf")
    failures = failing_pages(tmp_path / "report.pdf", tmp_path / "report.html")
    assert [(p, reason.split(":")[0]) for p, reason in failures] == [
        (1, "ends with a heading or caption"),
        (2, "holds only headings, captions, an appendix header or the closing"),
        (2, "ends with a heading or caption")], failures
    assert Parts.of(tmp_path / "report.html").headings == ["5. Đánh giá chung"]


def test_the_page_check_finds_a_mostly_blank_page_before_a_landscape_one(tmp_path):
    import weasyprint

    page = ("<html><head><style>@page wide { size: A4 landscape } table { page: wide }</style></head><body><main>"
            "<p>Ba dòng của trang dọc.</p><p>Dòng thứ hai.</p><p>Dòng thứ ba.</p>"
            "<table><caption>Bảng rộng</caption><tr><td>12.596</td></tr></table></main></body></html>")
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
    weasyprint.HTML(string=page).write_pdf(tmp_path / "report.pdf")
    failures = failing_pages(tmp_path / "report.pdf", tmp_path / "report.html")
    assert [p for p, reason in failures if reason.endswith("blank before a landscape page")] == [1], failures


def test_the_html_copy_shows_its_sources_on_screen_and_prints_without_them(sample_outputs):
    """A browser printing the HTML copy prints the signed document: no fingerprint, no tool's name."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 844})
            page.goto((sample_outputs / "ct20-2012-2017" / "report.html").resolve().as_uri())
            screen = page.inner_text("body")
            page.emulate_media(media="print")
            paper = page.inner_text("body")
        finally:
            browser.close()
    assert "SHA-256" in screen and re.search(r"\b[0-9a-f]{64}\b", screen)
    assert "SHA-256" not in paper and not re.search(r"\b[0-9a-f]{12,}\b", paper) and "evaltools" not in paper
    assert "CÁCH TÍNH SỐ LIỆU" in paper                      # the method appendix stays on paper


@pytest.mark.parametrize("review", ["ct20-2012-2017", "ct20-2012-2022"])
def test_the_word_copy_keeps_what_belongs_together_and_has_no_empty_section(sample_outputs, review):
    from docx.oxml.ns import qn

    doc = docx.Document(str(sample_outputs / review / "report.docx"))
    body = list(doc.element.body.iterchildren())
    closing = next(el for el in body if el.tag == qn("w:tbl") and "Nơi nhận" in "".join(el.itertext()))
    before = closing.getprevious()
    while before is not None and not "".join(before.itertext()).strip():
        before = before.getprevious()
    assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None      # the last body lines, then the signature
    texts = [p.text for p in doc.paragraphs]
    for start in ("Phụ lục I", "SỐ LIỆU CHI TIẾT", "(Kèm theo Báo cáo số"):
        header = next(p for p in doc.paragraphs if p.text.startswith(start))
        assert header.paragraph_format.keep_with_next, (review, start)
    assert texts.index("Phụ lục I") < next(i for i, t in enumerate(texts) if t.startswith("SỐ LIỆU CHI TIẾT")) < \
        next(i for i, t in enumerate(texts) if t.startswith("(Kèm theo Báo cáo số"))
    # every section holds something: consecutive wide tables share landscape pages, no blank portrait page between
    segment, empty = [], []
    for el in body:
        segment.append(el)
        if el.find(f".//{qn('w:sectPr')}") is not None or el.tag == qn("w:sectPr"):
            if not any("".join(e.itertext()).strip() or e.tag == qn("w:tbl") for e in segment):
                empty.append(len(empty))
            segment = []
    assert empty == [] and len(doc.sections) <= 5, (review, len(doc.sections))
