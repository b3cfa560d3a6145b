"""The index page of an outputs folder: escaped, self-contained, sortable and filterable offline."""

from __future__ import annotations

import json
import re

from evaltools.batch.index import collect, write_index

from .browser import CHROMIUM, CHROMIUM_ARGS
from .conftest import write


def fake_review(out, review_id, title, area, name, years, validation=None, files=("report.html", "report.pdf")):
    folder = out / review_id
    for f in files:
        write(folder / f, "x")
    record = {"review": review_id, "parameters": {"lang": "vi", "formats": ["html", "pdf"]},
              "outputs": [{"file": f} for f in files], "finished": "2026-11-29T08:05:00+07:00",
              "about": {"title": {"vi": title, "en": title}, "area": area, "area_name": {"vi": name, "en": name},
                        "first_year": years[0], "last_year": years[1]}}
    if validation is not None:
        record["validation"] = validation
    write(folder / "manifest.json", json.dumps(record, ensure_ascii=False))


def outputs(tmp_path):
    out = tmp_path / "outputs"
    fake_review(out, "b-review", "Sơ kết <script>alert(1)</script> & co", "468", "Huyện Cam Lộ", (2012, 2017),
                {"high": 0, "medium": 2, "low": 5, "allow_invalid": False})
    fake_review(out, "a-review", "Báo cáo năm 2022", "901", "Huyện Thủy Quang", (2022, 2022),
                {"high": 0, "medium": 0, "low": 0, "allow_invalid": False}, files=("report.html",))
    fake_review(out, "c-review", "Tổng kết 2012–2022", "902", "Huyện Bình Nghĩa", (2012, 2022))
    write(out / "half" / "report.html", "no manifest: not a rendered review")
    write(out / ".d-review.abcd.tmp" / "manifest.json", "{}")
    fake_review(out, "lost-file", "Thiếu tệp", "903", "Huyện X", (2022, 2022))
    (out / "lost-file" / "report.pdf").unlink()
    return out


def test_index_lists_complete_reviews_escaped_and_self_contained(tmp_path):
    out = outputs(tmp_path)
    assert [e["id"] for e in collect(out)] == ["a-review", "b-review", "c-review"]
    page = write_index(out).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "Sơ kết &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)
    assert "http://" not in page and "https://" not in page
    assert 'href="a-review/report.html"' in page and 'href="a-review/report.pdf"' not in page
    assert 'href="b-review/report.pdf"' in page and "29/11/2026 08:05" in page
    assert "medium 2 · low 5" in page and ">ok<" in page and ">—<" in page
    assert not list(out.glob(".index.html.*"))


def test_index_sorts_and_filters_in_the_browser_offline(tmp_path):
    from playwright.sync_api import sync_playwright

    page_path = write_index(outputs(tmp_path))
    requests = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.resolve().as_uri())
            ids = "() => Array.from(document.querySelectorAll('tbody tr')).filter(r => !r.hidden)" \
                  ".map(r => r.querySelector('.id').textContent)"
            assert page.evaluate(ids) == ["a-review", "b-review", "c-review"]
            page.click("button[data-col='2']")               # period, ascending
            assert page.evaluate(ids) == ["b-review", "c-review", "a-review"]
            page.click("button[data-col='2']")               # descending
            assert page.evaluate(ids) == ["a-review", "c-review", "b-review"]
            page.fill("#filter", "thuy quang")              # no tone marks needed
            assert page.evaluate(ids) == ["a-review"] and page.inner_text("#count") == "1"
            page.fill("#filter", "")
            page.select_option("#status", "medium")
            assert page.evaluate(ids) == ["b-review"]
            page.select_option("#status", "none")
            assert page.evaluate(ids) == ["c-review"]
        finally:
            browser.close()
    assert all(url.startswith("file:") for url in requests)
