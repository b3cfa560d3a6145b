"""Hostile text in data and narrative files never becomes executable in report.html.

A commune name, an indicator label and the narrative carry <script>, an onerror
handler, a javascript: link and an <iframe>. The report is rendered for real and
opened in headless Chromium: no dialog opens, no script runs, no request leaves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from .browser import open_page
from .conftest import ROOT, make_project

NAME = "Xã Cam Thủy<script>document.title='PWNED'</script>"
LABEL = "Trẻ em dưới 16 tuổi <img src=x onerror=\"alert('label')\">"
NARRATIVE = """
## Tình hình chung {#general}

Đoạn văn có <script>alert('narrative')</script> và <iframe src="https://example.com/x"></iframe>.

[Bấm vào đây](javascript:alert('link')) hoặc <a href="javascript:alert('raw')">đây</a>.
<img src="x" onerror="alert('img')">

| Cột | Giá trị |
|---|---|
| a | **đậm** |
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory, python):
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    make_project(root)
    units = data / "catalog" / "org_units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "name: Xã Cam Thủy,", f"name: {json.dumps(NAME, ensure_ascii=False)},"), encoding="utf-8")
    indicators = data / "catalog" / "indicators.yaml"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace(
        '{vi: "Trẻ em dưới 16 tuổi", en: "Children under 16"}',
        f'{{vi: {json.dumps(LABEL, ensure_ascii=False)}, en: "Children under 16"}}'), encoding="utf-8")
    narrative = data / "reviews" / "ct20-2012-2017.vi.md"
    text = narrative.read_text(encoding="utf-8")
    start = text.index("\n## Tình hình chung {#general}\n") + 1
    end = text.index("\n## Phổ biến, tuyên truyền") + 1
    narrative.write_text(text[:start] + NARRATIVE.strip() + "\n\n" + text[end:], encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "run", str(data / "reviews" / "ct20-2012-2017.yaml"),
                           "--to", "html", "--out", str(root / "outputs")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return root / "outputs" / "ct20-2012-2017" / "report.html"


def test_the_hostile_texts_reached_the_report(page):
    html = page.read_text(encoding="utf-8")
    assert "Cam Thủy&lt;script&gt;" in html                      # the name is shown, as text
    assert "onerror" in html and "Trẻ em dưới 16 tuổi &lt;img" in html


class Tags(HTMLParser):
    """Every real start tag with its attributes (text that merely shows "<script>" is not a tag)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_nothing_executable_is_left_in_the_html(page):
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "iframe", "object", "embed"}
    handlers = [(tag, a) for tag, attrs in parser.tags for a in attrs if a.lower().startswith("on")]
    assert handlers == []
    links = [v for _, attrs in parser.tags for k, v in attrs.items() if k in ("href", "src") and v]
    assert not [v for v in links if v.strip().lower().startswith(("javascript:", "vbscript:"))]
    assert len(parser.tags) > 1000                                   # a whole report was parsed


def test_ordinary_markdown_still_renders(page):
    html = page.read_text(encoding="utf-8")
    assert "<strong>đậm</strong>" in html and "<th>Cột</th>" in html


def test_chromium_runs_nothing(page):
    view = open_page(page)
    assert view.dialogs == []
    assert view.title != "PWNED"
    assert view.remote_requests == []
    assert "Cam Thủy<script>" in view.text                         # visible as text to the reader
