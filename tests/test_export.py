"""Export of an executed report notebook, read as a person would: the HTML text and the PDF via pdftotext."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest

from evaltools.export import to_html, to_pdf, to_pdf_from_html

from .export_notebooks import (CODE_MARKER, COMMUNES, DEFAULT_PARAMETER, HEADINGS,
                               INJECTED_PARAMETER, SENTENCE,
                               TITLE, executed_report)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdftotext(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    return done.stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


def squeeze(text: str) -> str:
    """Collapse the spaces pdftotext -layout puts in justified lines."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(executed_report(), as_version=4)


@pytest.fixture(scope="module")
def page(notebook) -> str:
    return to_html(notebook, lang="vi")


@pytest.fixture(scope="module")
def pdf(page, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(to_pdf_from_html(page))
    return path


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    count = int(pdfinfo(pdf)["Pages"])
    return [nfc(pdftotext(pdf, n)) for n in range(1, count + 1)]


# --- the notebook really ran -------------------------------------------------------------

def test_papermill_injected_parameters_and_outputs(notebook):
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
    assert ["injected-parameters"] in tags
    mimetypes = {m for cell in notebook.cells for out in cell.get("outputs", []) for m in out.get("data", {})}
    assert {"text/html", "image/png", "text/markdown"} <= mimetypes


# --- HTML ---------------------------------------------------------------------------------

def test_html_loads_nothing_from_the_network(page):
    assert "<script" not in page                    # no script at all, inline or remote
    for host in ("cdnjs", "jsdelivr", "unpkg", "mathjax", "require.js"):
        assert host not in page.lower()
    assert not re.search(r"""<(?:link|iframe|img)\b[^>]*(?:src|href)=["']?https?:""", page)


def test_lab_css_is_for_screen_only(page):
    # WeasyPrint fails on lab's calc(var(--jp-...)) and ignores most of it: print gets ours alone
    blocks = re.findall(r"<style([^>]*)>(.*?)</style>", page, re.S)
    screen = [css for attrs, css in blocks if 'media="screen"' in attrs]
    printed = [css for attrs, css in blocks if 'media="screen"' not in attrs]
    assert any("--jp-layout-color0" in css for css in screen)
    assert printed and not any("var(--jp-" in css for css in printed)
    assert any("size: A4" in css for css in printed)


def test_html_has_no_code_prompts_or_parameters(page):
    assert CODE_MARKER not in page
    assert "import pandas" not in page
    body = page.split("<body", 1)[1]          # lab's CSS comments mention "Out[]"
    for prompt in ("In [", "In&nbsp;[", "Out[", "jp-InputPrompt", "jp-OutputPrompt"):
        assert prompt not in body
    assert DEFAULT_PARAMETER not in page
    assert INJECTED_PARAMETER not in page


def test_html_lang_title_and_text(page):
    assert '<html lang="vi">' in page
    assert f"<title>{TITLE}</title>" in page
    assert nfc(SENTENCE) in page
    assert "3.667.005.000" in page and "Đơn vị" in page
    assert len(re.findall(r"<tr\b", page)) == 81    # header + 80 rows of the DataFrame


def test_html_images_are_embedded(page):
    sources = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', page)
    assert sources, "the chart is missing"
    assert all(src.startswith("data:image/png;base64,") for src in sources)


def test_html_toc_lists_markdown_and_output_headings(page):
    nav = re.search(r'<nav id="toc".*?</nav>', page, re.S).group(0)
    assert '<p class="toc-title" id="toc-title">Mục lục</p>' in nav
    listed = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)
    assert [text for _, text in listed] == HEADINGS      # the tocSkip title is not listed
    for anchor, text in listed:                          # each entry points at its heading
        assert re.search(rf'<h[12][^>]* id="{re.escape(anchor)}"[^>]*>{re.escape(text)}', page)
    assert page.index('id="toc"') < page.index(f">{HEADINGS[0]}<a")   # where the placeholder was


def test_html_in_english(notebook):
    page = to_html(notebook, lang="en")
    assert '<html lang="en">' in page
    assert '<p class="toc-title" id="toc-title">Contents</p>' in page
    # the page number is the number alone (Nghị định 30/2020), in either language
    assert "content: counter(page);" in page and "Trang" not in page and "Page " not in page


def test_unknown_language_is_refused(notebook):
    with pytest.raises(ValueError, match="'fr' is not one of: en, vi"):
        to_html(notebook, lang="fr")


# --- PDF ----------------------------------------------------------------------------------

def test_pdf_is_a4(pdf):
    info = pdfinfo(pdf)
    width, height = map(float, re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width, 2), round(height, 2)) == (595.28, 841.89)


def test_pdf_vietnamese_text_is_intact(pages):
    text = "\n".join(pages)
    assert "\ufffd" not in text
    flat = squeeze(text)
    for phrase in (SENTENCE, "Trẻ em khuyết tật", "3.667.005.000", "Đạt 9/9 xã, thị trấn.",
                   *COMMUNES, *HEADINGS):
        assert nfc(phrase) in flat, phrase


def test_pdf_page_numbers_top_centre_from_page_two(pages):
    assert not re.match(r"\s*\d+\s*\n", pages[0])                          # none on the first page
    for number, text in enumerate(pages[1:], start=2):
        assert text.lstrip().splitlines()[0].strip() == str(number)     # the first line: its number


def test_pdf_long_table_repeats_its_header(pages):
    first, last = f"{COMMUNES[0]}", f"{COMMUNES[-1]}"
    with_rows = [n for n, text in enumerate(pages) if re.search(rf"^\s*({first}|{last})\s+20\d\d", text, re.M)]
    assert len(with_rows) >= 2, "the 80-row table should span two pages"
    for n in range(with_rows[0], with_rows[-1] + 1):
        assert re.search(r"Đơn vị\s+Năm\s+Trẻ em khuyết tật\s+Kinh phí \(đồng\)", pages[n]), n + 1
    # the second page of the table starts with its header (under the page number), not with a row
    number, continued = [line for line in pages[with_rows[0] + 1].splitlines() if line.strip()][:2]
    assert number.strip() == str(with_rows[0] + 2)
    assert continued.split() == ["Đơn", "vị", "Năm", "Trẻ", "em", "khuyết", "tật", "Kinh", "phí", "(đồng)"]


def test_the_toc_is_for_the_screen_only(page, pages):
    # an official report has no table of contents on paper; the HTML copy keeps one to navigate
    assert '<nav id="toc"' in page and "Mục lục" not in "".join(pages)


def test_pdf_holds_the_chart(pdf):
    done = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    images = [line.split() for line in done.stdout.splitlines()[2:]]
    # matplotlib's 6 x 3 in figure at its 100 dpi (the title and labels are in the picture)
    assert any(int(row[3]) > 500 and int(row[4]) > 250 for row in images), done.stdout


def test_to_pdf_equals_the_html_route(notebook, pages, tmp_path):
    direct = tmp_path / "direct.pdf"
    direct.write_bytes(to_pdf(notebook, lang="vi"))
    assert [nfc(pdftotext(direct, n)) for n in range(1, len(pages) + 1)] == pages
    assert int(pdfinfo(direct)["Pages"]) == len(pages)


def test_pdf_shows_errors_hides_css_warnings_and_stays_offline(caplog):
    import weasyprint

    page = ("<html><head><style>p { foo-bar: 1; color: red } p::-webkit-scrollbar { color: blue }"
            "</style></head><body><p>Cam Lộ</p><img src='https://example.com/x.png'></body></html>")
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        weasyprint.HTML(string=page.split("<img")[0]).write_pdf()      # control: plain WeasyPrint
        warned = [r for r in caplog.records if r.name == "weasyprint" and r.levelno == logging.WARNING]
        assert warned, "this CSS should make WeasyPrint warn"
        caplog.clear()
        to_pdf_from_html(page)
        assert logging.getLogger("weasyprint").level == logging.DEBUG    # restored after the render
    records = [r for r in caplog.records if r.name == "weasyprint"]
    assert [r.levelno for r in records] == [logging.ERROR]
    assert "Failed to load image at 'https://example.com/x.png'" in records[0].getMessage()
    assert "disallowed protocol" in records[0].getMessage()


# --- nbconvert entry points -------------------------------------------------------------------

def _nbconvert(*args: str) -> subprocess.CompletedProcess:
    jupyter = Path(sys.executable).with_name("jupyter")
    return subprocess.run([str(jupyter), "nbconvert", *args], capture_output=True, text=True)


def test_nbconvert_to_evaltools_pdf(tmp_path):
    done = _nbconvert("--to", "evaltools_pdf", str(executed_report()), "--output-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "report.pdf"
    text = squeeze(nfc(pdftotext(pdf)))
    assert nfc(SENTENCE) in text
    assert int(pdfinfo(pdf)["Pages"]) >= 2 and "Trang" not in text


def test_nbconvert_to_evaltools_html_in_english(tmp_path):
    done = _nbconvert("--to", "evaltools_html", str(executed_report()), "--output-dir", str(tmp_path),
                      "--EvaltoolsHTMLExporter.lang=en")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and ">Contents</p>" in page
    assert CODE_MARKER not in page and "<script" not in page


# --- light imports --------------------------------------------------------------------------

def test_import_loads_neither_nbconvert_nor_weasyprint_until_asked(python):
    code = ("import sys, evaltools.export; assert 'weasyprint' not in sys.modules; "
            "assert 'nbconvert' not in sys.modules; import evaltools.export.pdf; "
            "assert 'weasyprint' not in sys.modules; evaltools.export.warm_up(); "
            "assert 'weasyprint' in sys.modules; print('ok')")
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    assert done.stdout == "ok\n", done.stderr
