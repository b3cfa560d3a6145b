"""The exported HTML in headless Chromium with the network off: what a reader sees, and no script runs."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

from evaltools.export import to_html

from .browser import ink_pixels, open_page
from .export_notebooks import COMMUNES, HEADINGS, SENTENCE, executed_report, hostile_notebook

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                reason="Debian chromium missing: run scripts/setup.sh test")


@pytest.fixture(scope="module")
def report_view(tmp_path_factory):
    page = to_html(nbformat.read(executed_report(), as_version=4), lang="vi")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(page, encoding="utf-8")
    return open_page(path)


def test_report_text_in_the_dom(report_view):
    text = unicodedata.normalize("NFC", report_view.text)
    for phrase in (SENTENCE, "3.667.005.000", "3.667.084.000", "Đơn vị", "Mục lục", *COMMUNES, *HEADINGS):
        assert phrase in text, phrase


def test_report_chart_is_drawn(report_view):
    charts = [img for img in report_view.images if img["scheme"] == "data"]
    assert len(charts) == 1
    assert charts[0]["complete"] and charts[0]["width"] > 500 and charts[0]["height"] > 250


def test_report_opens_offline(report_view):
    assert report_view.remote_requests == []
    assert all(url.startswith("file://") for url in report_view.requests)
    assert report_view.dialogs == []


def test_report_screenshot_is_not_blank(report_view):
    # text, table rules and a chart: well over a few thousand non-white pixels
    assert ink_pixels(report_view.screenshot) > 20_000


@pytest.fixture(scope="module")
def hostile_page() -> str:
    return to_html(hostile_notebook(), lang="vi")


def test_hostile_markup_is_gone_from_the_html(hostile_page):
    body = hostile_page.split("<body", 1)[1]
    for trace in ("<script", "PWNED", "onerror", "onmouseover", "javascript:", "<iframe",
                  "example.com", "alert("):
        assert trace not in body, trace
    assert "<script" not in hostile_page


def test_ordinary_markdown_still_renders(hostile_page):
    assert re.search(r'<h2 id="Nhận-xét">Nhận xét<', hostile_page)
    assert "<td>Cam Thủy</td>" in hostile_page and "<em>điểm</em>" in hostile_page
    assert '<a href="https://example.org/nguon" rel="noopener noreferrer">nguồn</a>' in hostile_page
    assert "Cam Lộ</td>" in hostile_page              # the cell stays, its handler goes


def test_hostile_page_runs_nothing_in_chromium(hostile_page, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(hostile_page, encoding="utf-8")
    view = open_page(path, wait_ms=500)
    assert view.dialogs == []
    assert view.title == "Báo cáo thử"
    assert view.remote_requests == []
    assert "Nhận xét" in view.text and "PWNED" not in view.text


def test_the_browser_check_would_catch_the_stock_export(tmp_path):
    """Control: nbconvert's stock lab export of the same notebook runs the scripts and goes online."""
    from nbconvert import HTMLExporter

    page, _ = HTMLExporter().from_notebook_node(hostile_notebook())
    path = tmp_path / "stock.html"
    path.write_text(page, encoding="utf-8")
    view = open_page(path, wait_ms=500)
    assert view.title == "PWNED"
    assert "alert: 1" in view.dialogs and "alert: 2" in view.dialogs
    assert any("cdnjs" in url for url in view.remote_requests)
    assert "https://example.com/" in view.remote_requests
