"""``evaltools run`` end to end: real Papermill, real nbconvert, real PDF, real Chromium.

The report is the shared render of the sample (tests/conftest.py's ``sample_outputs``; the
English one is rendered here) and is read the way a person would: pdftotext for the PDF, headless Chromium (network off) for
the HTML.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata

import pytest

from .browser import ink_pixels, open_page


def render(python, root, out, *args, env=None):
    return subprocess.run([python, "-m", "evaltools", "run", "ct20-2012-2017", "--out", str(out), *args],
                          capture_output=True, text=True, cwd=root, env=env)


@pytest.fixture(scope="module")
def rendered(sample_outputs):
    """The sample review as the shared render made it (with no Jupyter kernel registered anywhere: the run
    must still find the project's own kernel). Read only: a test that writes copies it first."""
    return sample_outputs / "ct20-2012-2017"


def pdf_text(path, *pages):
    args = ["pdftotext", "-layout", *pages, str(path), "-"]
    return unicodedata.normalize("NFC", subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def test_run_writes_every_output(rendered):
    assert sorted(p.name for p in rendered.iterdir()) == [
        "data_quality.html", "facts.json", "indicators.csv", "indicators.xlsx", "manifest.json", "report.docx", "report.html",
        "report.pdf", "review.ipynb"]
    # no staging folder or journal left behind (.batch: the batch's record of what it rendered)
    assert [p.name for p in rendered.parent.glob(".*") if p.name != ".batch"] == []


def test_manifest_records_inputs_parameters_versions_and_the_project_kernel(rendered, python):
    manifest = json.loads((rendered / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kernel"] == python
    assert manifest["parameters"]["lang"] == "vi"
    roles = {entry["role"] for entry in manifest["inputs"]}
    assert roles == {"review", "catalog", "programme", "values", "narrative", "notebook"}
    values = [e for e in manifest["inputs"] if e["role"] == "values"]
    assert [e["path"] for e in values] == [f"data/values/cam-lo-{y}.csv" for y in range(2012, 2018)]   # used only
    notebooks = [e["path"] for e in manifest["inputs"] if e["role"] == "notebook"]
    assert notebooks[0] == "programmes/ct20/review.ipynb" and notebooks[1].endswith("notebooks/data_quality.ipynb")
    assert manifest["programme"] == "ct20"
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["sha256"]) for e in manifest["inputs"])
    assert {o["file"] for o in manifest["outputs"]} == {"data_quality.html", "facts.json", "indicators.csv",
                                                       "indicators.xlsx", "report.docx", "report.html", "report.pdf",
                                                       "review.ipynb"}
    assert manifest["validation"] == {"high": 0, "medium": 0, "low": 0, "allow_invalid": False}
    assert manifest["versions"]["papermill"] and manifest["versions"]["evaltools"]


def test_pdf_reads_as_the_source_report_with_figures_from_data(rendered):
    text = pdf_text(rendered / "report.pdf")
    flat = " ".join(text.split())
    assert "\ufffd" not in text
    for phrase in ["BÁO CÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cam Lộ, ngày 15 tháng 6 năm 2017",
                   "I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN", "III. NHIỆM VỤ TRỌNG TÂM",
                   "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Phụ lục I", "SỐ LIỆU CHI TIẾT THEO XÃ, THỊ TRẤN VÀ THEO NĂM",
                   "Phụ lục II",
                   "Hiện tại có 353 trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng",
                   "không nơi nương tựa: 18 em, trẻ em khuyết tật: 137 em, trẻ em mồ côi cha hoặc mẹ: 198 em",
                   "có 4 trẻ em mất nguồn nuôi dưỡng",
                   "5.905 thẻ bảo hiểm y tế cho trẻ em, thành tiền 3.667.005.000 đồng",
                   "9/9 xã, thị trấn hằng năm đều đạt chuẩn xã, thị trấn phù hợp với trẻ em theo QĐ 34/2014/QĐ-TTg", "Zhishan Foundation 69 em",
                   "Học bổng FPT cho học sinh khuyết tật 20 em, số tiền 24.000.000 đồng (mức 1.200.000 đồng/em/năm)",
                   "Tổ chức VNEP 5 em, số tiền 16.250.000 đồng (mức 3.250.000 đồng/em/năm)",
                   "AIA 7 em, số tiền 23.000.000 đồng", "có 11 xe đạp", "Xã Cam Thủy"]:
        assert phrase in flat, phrase
    info = subprocess.run(["pdfinfo", str(rendered / "report.pdf")], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "595.276 x 841.89 pts (A4)" in info
    assert pages >= 10 and "Mục lục" not in flat and "Trang" not in flat


def test_html_has_no_code_no_cdn_and_embeds_its_images(rendered):
    page = (rendered / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert "cdnjs" not in page and "report.load" not in page and "sns.barplot" not in page
    assert "In&nbsp;[" not in page and "injected" not in page.lower()
    assert 'lang="vi"' in page
    assert len(re.findall(r'<img[^>]+src="data:image/svg\+xml;base64,', page)) == 3    # vector charts
    assert not re.findall(r'<img[^>]+src="data:image/png', page)


def test_chromium_offline_shows_the_figures_and_the_charts(rendered):
    view = open_page(rendered / "report.html")
    assert view.remote_requests == []
    text = unicodedata.normalize("NFC", view.text)
    for phrase in ["353 trẻ em", "3.667.005.000 đồng", "Xã Cam Thủy"]:
        assert phrase in text
    assert len(view.images) >= 3 and all(i["width"] > 300 for i in view.images)
    assert ink_pixels(view.screenshot) > 50_000


def test_executed_notebook_keeps_its_outputs_but_the_committed_one_has_none(rendered, root):
    import nbformat
    executed = nbformat.read(rendered / "review.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    # a sentence's figures link to their lines of the method appendix: the words read without the links
    assert any("353 trẻ em" in re.sub(r"<[^>]+>", "", o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert not [o for o in outputs if o.output_type == "error"]


def test_english_report(tmp_path, python, root):
    done = render(python, root, tmp_path, "--lang", "en", "--to", "pdf")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "ct20-2012-2017"
    assert not (folder / "report.html").exists()
    flat = " ".join(pdf_text(folder / "report.pdf").split())
    for phrase in ["REPORT", "I. GENERAL SITUATION", "At present, 353 children receive a monthly social allowance",
                   "5,905 free health-insurance cards were issued to children, worth 3,667,005,000 VND",
                   "No. 45/BC-LĐTBXH", "Recipients:"]:
        assert phrase in flat, phrase
    assert "Trẻ em khuyết tật" not in flat
    assert vietnamese_words(flat) == []
    # dates written out for an English reader, months capitalised (data/README.md, "Dates in the English copy")
    assert re.findall(r"\b\d{1,2}/\d{1,2}/\d{4}\b", flat) == []
    months = "january|february|march|april|may|june|july|august|september|october|november|december"
    assert re.findall(rf"\b\d{{1,2}} (?:{months})\b", flat) == []
    for phrase in ["of 5 November 2012", "As of 31 May 2017, 101 students", "Cam Lộ, 15 June 2017",
                   "40 from drowning, 39 from road traffic", "the target of 100% for 2020",
                   "“Hành trình cuộc sống” (Journey of Life) bicycles-for-school programme"]:
        assert phrase in flat, phrase
    assert "of whom" not in flat and "at least 100" not in flat and "bicycles to school" not in flat


# Letters only Vietnamese uses (with its tone marks); a word holding one is Vietnamese, unless it is a
# proper name: a unit's name, the place, the signer, a document's number, a programme's name in quotes.
_VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def vietnamese_words(text: str) -> list[str]:
    import yaml

    from .conftest import ROOT
    units = yaml.safe_load((ROOT / "data" / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"]
    review = yaml.safe_load((ROOT / "data" / "reviews" / "ct20-2012-2017.yaml").read_text(encoding="utf-8"))
    names = " ".join([u["name"] for u in units] + [review["place"], review["signer"]["name"], "Quảng Trị"])
    proper = {w.casefold() for w in names.split()}
    quoted = {w.casefold() for q in re.findall(r"“([^”]*)”", text) for w in q.split()}
    words = re.findall(r"[\w/.-]+", text)
    return [w for w in words if _VIETNAMESE.search(w) and "/" not in w
            and w.strip(".-").casefold() not in proper | quoted]


def test_failing_cell_is_named_and_earlier_outputs_survive(tmp_path, python, root, rendered):
    import shutil
    import nbformat
    out = tmp_path / "outputs"
    shutil.copytree(rendered, out / "ct20-2012-2017")
    before = {p.name: p.read_bytes() for p in (out / "ct20-2012-2017").iterdir()}
    nb = nbformat.read(root / "programmes" / "ct20" / "review.ipynb", as_version=4)
    target = next(i for i, c in enumerate(nb.cells) if c.source.startswith('text("sentences.area"'))
    nb.cells[target].source = "x = 1\ntext('sentences.area', 'no such argument')"
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    done = render(python, root, out, "--notebook", str(broken))
    assert done.returncode == 1
    *progress, message = done.stderr.strip().splitlines()          # the sections that finished, then one line
    assert all(re.match(r"\[ *\d+\.\d s\] ct20-2012-2017: ", line) for line in progress), done.stderr
    source = "text('sentences.area', 'no such argument')"
    assert f"broken.ipynb, cell {target + 1}, line 2 `{source}`: TypeError:" in message
    assert "(section I. TÌNH HÌNH CHUNG; executed notebook kept in " in message
    assert "failed/broken.ipynb" in message
    after = {p.name: p.read_bytes() for p in (out / "ct20-2012-2017").iterdir() if p.is_file()}
    assert after == before
    failed = nbformat.read(out / "ct20-2012-2017" / "failed" / "broken.ipynb", as_version=4)
    assert any(o.output_type == "error" for c in failed.cells if c.cell_type == "code" for o in c.outputs)
