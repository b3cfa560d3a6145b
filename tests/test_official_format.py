"""The official format (Nghị định 30/2020/NĐ-CP, Phụ lục I), measured from the files a leader gets.

The PDF is read with pdffonts and pdftotext -bbox (a word's box height is 1.107 × its
font size in Liberation Serif: ascent 0.891 + descent 0.216); the Word copy with
python-docx. The sample reviews are rendered once for the whole session.
"""

from __future__ import annotations

import re
import statistics
import subprocess
from collections import Counter

import docx
import pytest
from docx.enum.section import WD_ORIENT

from .pdfread import flat, text, words

MM = 72 / 25.4
EM = 1.107                                   # Liberation Serif: box height / font size


def size(word) -> float:
    return round((word.y1 - word.y0) / EM, 1)


@pytest.fixture(scope="module")
def five(sample_outputs):
    return sample_outputs / "ct20-2012-2017"


@pytest.fixture(scope="module")
def ten(sample_outputs):
    return sample_outputs / "ct20-2012-2022"


def test_every_font_is_times_new_romans_metric_twin(five):
    listing = subprocess.run(["pdffonts", str(five / "report.pdf")], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in listing.stdout.splitlines()[2:]]
    assert names and all(re.fullmatch(r"[A-Z]{6}\+Liberation-?Serif(-Bold)?(-Italic)?", n) for n in names)
    css = (five / "report.html").read_text(encoding="utf-8")
    assert 'font-family: "Times New Roman", "Liberation Serif"' in css


def test_body_13pt_masthead_12_5_to_13pt_justified_with_a_first_line_indent(five):
    found = words(five / "report.pdf")
    body = Counter(size(w) for w in found if w.page == 2)
    assert body.most_common(1)[0][0] == 13.0
    first = {}
    for w in found:
        if w.page == 1:
            first.setdefault(w.text, w)
    assert size(first["CỘNG"]) == 12.5 and size(first["Độc"]) == 13.0 and size(first["UBND"]) == 12.5
    # "Những năm gần đây..." opens section I: its first line starts 1 cm in from the 30 mm margin
    opening = next(w for w in found if w.text == "Những" and w.page == 1)
    assert opening.x0 == pytest.approx(30 * MM + 10 * MM, abs=0.6)


def test_a4_margins_and_page_numbers_top_centre_but_not_on_page_one(five):
    found = words(five / "report.pdf")
    portrait = [w for w in found if w.page_height > w.page_width]
    assert {(round(w.page_width), round(w.page_height)) for w in portrait} == {(595, 842)}
    assert min(w.x0 for w in portrait) == pytest.approx(30 * MM, abs=0.6)
    assert max(w.x1 for w in portrait) <= 595.28 - 15 * MM + 2
    numbers = {w.page: w for w in found if w.y1 < 20 * MM and re.fullmatch(r"\d+", w.text)}
    pages = max(w.page for w in found)
    assert 1 not in numbers and sorted(numbers) == list(range(2, pages + 1))
    for page, w in numbers.items():
        assert w.text == str(page) and size(w) == 13.0
        centre = (30 * MM + w.page_width - 15 * MM) / 2 if w.page_height > w.page_width else w.page_width / 2
        assert (w.x0 + w.x1) / 2 == pytest.approx(centre, abs=3)
    assert not [w for w in found if w.y1 > w.page_height - 20 * MM]             # nothing in the bottom margin


def test_the_first_page_reads_as_an_official_report(five):
    page_one = " ".join(text(five / "report.pdf", "-f", "1", "-l", "1").split())
    for part in ("UBND HUYỆN CAM LỘ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Số: 45/BC-LĐTBXH", "Cam Lộ, ngày 15 tháng 6 năm 2017", "BÁO CÁO",
                 "Sơ kết 5 năm thực hiện Chỉ thị số 20-CT/TW ngày 05/11/2012 của Bộ Chính trị"):
        assert part in page_one, part
    assert "Mục lục" not in flat(five / "report.pdf") and "Trang" not in page_one
    layout = text(five / "report.pdf", "-f", "1", "-l", "1")
    assert re.search(r"PHÒNG LAO ĐỘNG -\s.*\n\s*THƯƠNG BINH VÀ XÃ HỘI", layout)       # no "THƯƠNG / BINH"


def test_signature_recipients_and_appendix_on_a_new_page(five):
    pdf = five / "report.pdf"
    content = flat(pdf)
    for part in ("Nơi nhận:", "- Ban Tuyên giáo Huyện ủy;", "- Lưu: VT, TE.", "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG",
                 "Hoàng Thị Minh Thu"):
        assert part in content, part
    found = [w for w in words(pdf) if w.y0 > 20 * MM]               # the page's text, not its number
    starts = {}
    for w in found:
        starts.setdefault(w.page, w)
    appendix = next(p for p, w in starts.items() if [x.text for x in found if x.page == p][:3] == ["Phụ", "lục", "I"])
    page = " ".join(x.text for x in found if x.page == appendix)
    assert ("(Kèm theo Báo cáo số 45/BC-LĐTBXH ngày 15/06/2017 của Phòng Lao động - Thương binh và Xã hội)"
            in page)
    recipients = next(w for w in found if w.text == "Nơi")
    assert size(recipients) == 12.0 and recipients.page < appendix


def test_a_wide_table_gets_a_landscape_page(ten):
    found = words(ten / "report.pdf")
    landscape = {w.page for w in found if w.page_width > w.page_height}
    assert landscape
    table = [w for w in found if w.page in landscape]
    assert {"2012", "2022", "2017*"} <= {w.text for w in table}
    assert max(w.x1 for w in table) <= 842 - 20 * MM + 2


@pytest.fixture(scope="module")
def word(five):
    return docx.Document(str(five / "report.docx"))


def test_the_word_copy_has_the_same_page(word):
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(m.cm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [2.0, 2.0, 3.0, 1.5]
    normal = word.styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 13)
    fmt = normal.paragraph_format
    assert round(fmt.first_line_indent.cm, 2) == 1.0 and fmt.space_after.pt >= 6 and fmt.alignment == 3
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == 1 and "PAGE" in header._p.xml                      # centred page number
    assert section.first_page_header.paragraphs[0].text == "" and section.footer.paragraphs[0].text == ""


def test_the_word_copy_has_the_frame(word):
    body = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables[:1] for row in t.rows for c in row.cells)
    assert "Số: 45/BC-LĐTBXH" in cells and "Cam Lộ, ngày 15 tháng 6 năm 2017" in cells
    closing = next(t for t in word.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    assert [p.text for p in closing.rows[0].cells[0].paragraphs][:3] == [
        "Nơi nhận:", "- Ban Tuyên giáo Huyện ủy;", "- Lưu: VT, TE."]
    signer = [p.text for p in closing.rows[0].cells[1].paragraphs if p.text.strip()]
    assert signer == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Hoàng Thị Minh Thu"]
    assert "Mục lục" not in body
    # a page break, or a section break (a landscape appendix opens a landscape section)
    breaks = [i for i, p in enumerate(word.paragraphs) if 'w:type="page"' in p._p.xml or "<w:sectPr" in p._p.xml]
    appendix = next(i for i, p in enumerate(word.paragraphs) if p.text == "Phụ lục I")
    assert breaks and max(b for b in breaks if b < appendix) >= appendix - 2
    assert any(p.text.startswith("(Kèm theo Báo cáo số 45/BC-LĐTBXH") and p.runs[0].italic for p in word.paragraphs)


def test_the_word_copy_puts_a_wide_table_on_a_landscape_section(ten):
    document = docx.Document(str(ten / "report.docx"))
    orientations = [s.orientation for s in document.sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[-1] == WD_ORIENT.PORTRAIT
    landscape = next(s for s in document.sections if s.orientation == WD_ORIENT.LANDSCAPE)
    assert landscape.page_width.cm > landscape.page_height.cm
    sizes = [r.font.size.pt for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs if r.font.size]
    assert min(sizes) >= 10 and statistics.median(sizes) >= 10
    assert all(s.header.is_linked_to_previous for s in document.sections[1:])
    assert all(not s.different_first_page_header_footer for s in document.sections[1:])
    assert "w:fldChar" in document.sections[0].header.paragraphs[0]._p.xml
