"""The Word copy (``--to docx``) and the spreadsheet appendix (``indicators.xlsx``) of a real run.

The sample review is rendered once by the real command line; report.docx is read back
with python-docx and indicators.xlsx with openpyxl, the way an office would open them.
A copy of the data with hostile unit names proves no text cell becomes a formula.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import unicodedata
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from evaltools.dataset.context import open_review
from evaltools.export.xlsx import indicators_xlsx

from .conftest import ROOT, SAMPLE_REVIEW, make_project

HEADINGS = ["I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN", "III. NHIỆM VỤ TRỌNG TÂM VÀ GIẢI PHÁP",
            "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Phụ lục I", "Phụ lục II"]


@pytest.fixture(scope="module")
def rendered(sample_outputs):
    """The sample review as `evaltools batch` rendered it for every test that reads a report."""
    return sample_outputs / "ct20-2012-2017"


@pytest.fixture(scope="module")
def document(rendered):
    return docx.Document(str(rendered / "report.docx"))


def _signed_part(page: str) -> str:
    """The HTML copy without its cells tagged screen-only (data files, fingerprints): the Word copy has none."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(page)
    for el in tree.xpath("//*[contains(concat(' ', @class, ' '), ' celltag_screen-only ')]"):
        cell = next((a for a in el.iterancestors() if "jp-Cell" in (a.get("class") or "").split()), el)
        if cell.getparent() is not None:
            cell.getparent().remove(cell)
    return lxml_html.tostring(tree, encoding="unicode")


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return unicodedata.normalize("NFC", "\n".join(parts))


def test_run_writes_the_word_copy_and_the_spreadsheet(rendered):
    assert sorted(p.name for p in rendered.iterdir()) == [
        "data_quality.html", "facts.json", "indicators.csv", "indicators.xlsx", "manifest.json", "report.docx",
        "report.html", "report.pdf", "review.ipynb"]


def test_docx_has_the_reports_headings_as_word_headings(document, rendered):
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [text for style, text in headings if style == "Heading 1"] == HEADINGS
    page = _signed_part((rendered / "report.html").read_text(encoding="utf-8"))
    in_page = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", page)]
    assert [text for _, text in headings] == [html.unescape(h).replace("¶", "").strip() for h in in_page]


def test_docx_holds_the_figures_and_vietnamese_text(document):
    text = _all_text(document)
    assert "\ufffd" not in text
    for phrase in ["BÁO CÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cam Lộ, ngày 15 tháng 6 năm 2017",
                   "Hiện tại có 353 trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng",
                   "5.905 thẻ bảo hiểm y tế cho trẻ em, thành tiền 3.667.005.000 đồng",
                   "AIA 7 em, số tiền 23.000.000 đồng", "Xã Cam Thủy", "Nơi nhận"]:
        assert phrase in text, phrase
    assert document.core_properties.title.startswith("Sơ kết 5 năm thực hiện Chỉ thị số 20-CT/TW")


def test_docx_tables_have_a_repeated_header_and_the_figures(document, rendered):
    page = _signed_part((rendered / "report.html").read_text(encoding="utf-8"))
    assert len(document.tables) == page.count("<table")
    years = next(t for t in document.tables if [c.text for c in t.rows[0].cells] ==
                 ["Năm", "Số xã, thị trấn được đánh giá", "Số xã, thị trấn đạt chuẩn", "Tỷ lệ", "Tiêu chuẩn áp dụng"])
    assert [c.text for c in years.rows[1].cells] == ["2014", "9", "9", "100,0 %", "QĐ 34/2014/QĐ-TTg"]   # in force from 15/07/2014
    assert years.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None          # Word repeats it on each page
    assert years.rows[1].cells[3].paragraphs[0].alignment == 2                  # numbers on the right
    masthead = document.tables[0]
    assert masthead.rows[0].cells[1].paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_docx_has_the_charts_as_pictures_and_an_a4_page(document, rendered):
    page = (rendered / "report.html").read_text(encoding="utf-8")
    assert len(document.inline_shapes) == page.count("<img") == 3
    with zipfile.ZipFile(rendered / "report.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        svg = [n for n in media if n.endswith(".svg")]
        assert len(svg) == 3 and all(b"<svg" in archive.read(n) for n in svg)     # vector charts
        assert all(archive.read(n).startswith(b"\x89PNG") for n in media if n not in svg)   # and their fallbacks
        assert archive.read("word/document.xml").count(b"svgBlip") == 3
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.footer.paragraphs[0].text == "" and section.header.paragraphs[0]._p.xml.count("PAGE") == 1
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_xlsx_has_a_sheet_per_section_with_numbers_that_stay_numbers(rendered):
    book = openpyxl.load_workbook(rendered / "indicators.xlsx")
    assert book.sheetnames == ["Tình hình chung", "Xã phù hợp với trẻ em", "Văn bản, kế hoạch", "Trợ cấp xã hội",
                               "Học bổng, quà tặng", "Bảo hiểm y tế", "Tai nạn thương tích, xâm hại",
                               "Mô hình bảo vệ trẻ em", "Định nghĩa chỉ tiêu", "Bảng đầy đủ"]
    sheet = book["Trợ cấp xã hội"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Chỉ tiêu", "Đơn vị hành chính", "Nhóm", "Đơn vị tính"] and "2012–2017" in header
    rows = {(r[0], r[1], r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    allowance = rows[("Trẻ em đang hưởng trợ cấp xã hội hằng tháng", "Huyện Cam Lộ", "Tổng")]
    assert allowance[header.index("2012–2017")] == 353
    groups = [rows[("Trẻ em đang hưởng trợ cấp xã hội hằng tháng", "Huyện Cam Lộ", name)][header.index("2017")]
              for name in ("Trẻ mồ côi cả cha lẫn mẹ không nơi nương tựa", "Trẻ em khuyết tật",
                           "Trẻ em mồ côi cha hoặc mẹ")]
    assert groups == [18, 137, 198]
    cards = book["Bảo hiểm y tế"]
    head = [c.value for c in cards[1]]
    row = next(r for r in cards.iter_rows(min_row=2) if r[0].value == "Giá trị thẻ BHYT cấp miễn phí"
               and r[1].value == "Huyện Cam Lộ")
    value = row[head.index("2012–2017")]
    # a total in đồng in millions with one decimal, as the report's tables show it (data/README.md)
    assert (value.value, value.data_type, value.number_format) == (pytest.approx(3_667_005_000 / 1_000_000), "n",
                                                                   "#,##0.0")
    assert row[head.index("Đơn vị tính")].value == "triệu đồng"
    rate = next(r for r in book["Tai nạn thương tích, xâm hại"].iter_rows(min_row=2)
                if r[0].value == "Trẻ em bị tai nạn thương tích trên 1.000 trẻ em")[4]
    assert rate.data_type == "n" and rate.number_format == "#,##0.00"


def _csv(rendered):
    import pandas as pd

    return pd.read_csv(rendered / "indicators.csv", dtype={"unit": str, "period": str, "category": str},
                       keep_default_na=False, na_values=[""])


def test_xlsx_full_sheet_has_every_figure_and_no_meaningless_row(rendered):
    csv = _csv(rendered)
    sheet = openpyxl.load_workbook(rendered / "indicators.xlsx")["Bảng đầy đủ"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Mã chỉ tiêu", "Chỉ tiêu", "Mã đơn vị", "Đơn vị hành chính"]
    assert None not in header and "Cách tổng hợp" in header and "Tỷ lệ báo cáo" in header
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    # every figure of the csv is there, and a missing one says why, in Vietnamese
    assert sum(r["Giá trị"] is not None for r in rows) == csv["value"].notna().sum() > 2000
    missing = [r for r in rows if r["Giá trị"] is None]
    assert missing and {r["Lý do thiếu số liệu"] for r in missing} <= {"không có số liệu", "mẫu số bằng 0",
                                                                       "không có số liệu mẫu số"}
    # what the plain csv says about meaningless pairs, worked out here with plain pandas
    communes = csv[csv["level"] == "commune"]
    never = communes.groupby("indicator")["value"].apply(lambda v: v.isna().all())
    assert set(never[never].index) == {"CENTRE_CHILDREN", "PLANS"}            # district-level indicators
    assert not [r for r in rows if r["Mã chỉ tiêu"] in ("CENTRE_CHILDREN", "PLANS") and r["Cấp"] == "xã"]
    empty = csv.groupby(["indicator", "category", "period"])["value"].transform(lambda v: v.isna().all())
    dropped = csv[empty & (csv["level"] == "commune")]
    assert len(rows) <= len(csv) - len(dropped) and len(dropped) > 500
    assert {r["Cách tổng hợp"] for r in rows} == {"một năm", "cuối kỳ", "tổng các năm", "tổng tử số / tổng mẫu số"}


def test_xlsx_lists_communes_in_gso_code_order_and_defines_every_indicator(rendered):
    book = openpyxl.load_workbook(rendered / "indicators.xlsx")
    sheet = book["Trợ cấp xã hội"]
    header = [c.value for c in sheet[1]]
    units = [r[header.index("Mã đơn vị")] for r in sheet.iter_rows(min_row=2, values_only=True)
             if r[0] == "Trẻ em đang hưởng trợ cấp xã hội hằng tháng" and r[2] == "Tổng"]
    assert units[0] == "468" and units[1:] == sorted(units[1:], key=int) and len(units) == 10
    assert book.sheetnames[-2:] == ["Định nghĩa chỉ tiêu", "Bảng đầy đủ"]
    sheet = book["Định nghĩa chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    defined = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(defined) == set(_csv(rendered)["indicator"])
    rate = defined["INJURY_RATE"]
    assert rate["Tử số"] == "Trẻ em bị tai nạn thương tích [INJURIES]"
    assert rate["Mẫu số"] == "Trẻ em dưới 16 tuổi [CHILDREN]" and rate["Hệ số"] == 1000
    assert rate["Cộng các năm thành số cả giai đoạn"].startswith("tổng tử số các năm / tổng số trẻ em-năm")
    assert defined["CF_SCORE"]["Cộng các xã thành số của huyện"] == "bình quân các xã đã báo cáo"
    assert defined["ALLOWANCE"]["Cộng các năm thành số cả giai đoạn"] == "số của năm cuối kỳ"
    assert defined["CSC_CHILDREN"]["Thay đổi định nghĩa"].startswith("01/06/2017: Luật Trẻ em số 102/2016/QH13")
    assert defined["PLANS"]["Nguồn số liệu (mã trong báo cáo)"].startswith("báo cáo năm của huyện")


def test_xlsx_in_english():
    data = open_review(SAMPLE_REVIEW, "en")
    book = openpyxl.load_workbook(io.BytesIO(indicators_xlsx(data)))
    assert book.sheetnames[3] == "Allowances" and book.sheetnames[-1] == "All indicators"
    assert [c.value for c in book["Allowances"][1]][:3] == ["Indicator", "Administrative unit", "Category"]
    rows = {r[0]: r for r in book["Definitions"].iter_rows(min_row=2, values_only=True)}
    assert rows["CF_SHARE"][:5] == ("CF_SHARE", "Share of communes that are child-friendly", "%",
                                    "Commune recognised as child-friendly [CF_RECOGNISED]", "communes in the year")
    levels = {r[4] for r in book["All indicators"].iter_rows(min_row=2, values_only=True)}
    assert levels == {"district", "commune"}


HOSTILE = {"19606": '=HYPERLINK("https://example.com/x","Cam Thủy")', "19612": "+1+1", "19615": "-2+3",
           "19618": "@SUM(1,1)"}


def test_text_that_looks_like_a_formula_stays_text(tmp_path, python):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    make_project(tmp_path)
    units = data / "catalog" / "org_units.yaml"
    text = units.read_text(encoding="utf-8")
    for code, name in HOSTILE.items():
        text, n = re.subn(rf'(code: "{code}", name: )[^,]+,', lambda m: f"{m.group(1)}{name!r},", text)
        assert n >= 1, code
    units.write_text(text, encoding="utf-8")
    review = data / "reviews" / "ct20-2012-2017.yaml"
    done = subprocess.run([python, "-m", "evaltools", "run", str(review), "--to", "html", "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "out" / "ct20-2012-2017" / "indicators.xlsx"
    book = openpyxl.load_workbook(path)
    found = {c.value: c for ws in book for row in ws.iter_rows() for c in row if c.value in HOSTILE.values()}
    assert set(found) == set(HOSTILE.values())
    for cell in found.values():
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)        # no formula anywhere
