"""The rendered HTML as leaders read it: a 390 px phone and a 1280 px laptop, in headless Chromium.

Measured in the browser: the page's scrollWidth, which boxes scroll sideways, computed font
sizes, how many lines an indicator's name takes and the size chart text is drawn at. The
screenshots are written next to the outputs (``<outputs>/screens/``) to be looked at.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium missing: run scripts/setup.sh test")

PHONE, LAPTOP = 390, 1280

# Every box wider than its frame that the reader would have to scroll, as a CSS path.
_OVERFLOWING = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
    const s = getComputedStyle(e);
    return e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(s.overflowX) && e.clientWidth > 0;
}).map(e => ({tag: e.tagName, wide: !!e.querySelector('table.wide, table.figures'),
              sticky: e.querySelector('table.figures td:first-child') ?
                      getComputedStyle(e.querySelector('table.figures td:first-child')).position : null}))"""

_PAST_THE_EDGE = """(width) => Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
    }
    return true;
}).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))"""

_FONT_SIZES = """() => {
    const px = sel => Array.from(document.querySelectorAll(sel)).map(e => parseFloat(getComputedStyle(e).fontSize));
    return {body: px('.jp-RenderedHTMLCommon p'), cells: px('table.figures td'), heads: px('h2, h3')};
}"""

# Lines an indicator's (or a commune's) name takes in the first column of the figures tables.
_NAME_LINES = """() => Array.from(document.querySelectorAll('table.figures tbody td:first-child')).map(td => {
    const range = document.createRange(); range.selectNodeContents(td);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    return {name: td.textContent.trim(), lines: tops.size};
})"""

# The marker of every list item of the report's text, as the browser computes it.
_MARKERS = """() => Array.from(document.querySelectorAll('.jp-RenderedHTMLCommon li'))
    .filter(li => !li.closest('nav')).map(li => getComputedStyle(li).listStyleType)"""

_CHARTS = """() => Array.from(document.querySelectorAll('img[src^="data:image/svg+xml"]')).map(img => ({
    src: img.src, shown: img.getBoundingClientRect().width, alt: img.alt}))"""


def chart_text_px(src: str, shown: float) -> float:
    """The smallest text of an SVG chart as drawn: its font size in the SVG's units times the scale."""
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    view = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font(?:-size)?:[^;\"]*?([\d.]+)px", svg)]
    return min(sizes) * shown / view


def measure(path: Path, width: int, shot: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": 844}, device_scale_factor=1)
            page.goto(path.resolve().as_uri(), wait_until="load")
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=False)
            return {"scroll": page.evaluate("document.documentElement.scrollWidth"),
                    "overflowing": page.evaluate(_OVERFLOWING), "past": page.evaluate(_PAST_THE_EDGE, width),
                    "fonts": page.evaluate(_FONT_SIZES), "names": page.evaluate(_NAME_LINES),
                    "charts": page.evaluate(_CHARTS), "markers": page.evaluate(_MARKERS),
                    "links": page.evaluate("() => Array.from(document.links).map(a => a.getAttribute('href'))")}
        finally:
            browser.close()


@pytest.fixture(scope="module", params=[PHONE, LAPTOP], ids=["phone", "laptop"])
def ten_years(request, sample_outputs):
    """The ten-year review (14-column tables) at a phone's and a laptop's width."""
    width = request.param
    return width, measure(sample_outputs / "ct20-2012-2022" / "report.html", width,
                          sample_outputs / "screens" / f"ct20-2012-2022-{width}.png")


def test_only_wide_tables_scroll_sideways(ten_years):
    width, seen = ten_years
    assert seen["scroll"] <= width
    assert seen["past"] == []
    if width == PHONE:
        # the 14-column tables scroll in their own boxes, their first column held in place
        assert len(seen["overflowing"]) >= 2
        assert all(box["wide"] and box["sticky"] == "sticky" for box in seen["overflowing"]), seen["overflowing"]
    else:
        assert seen["overflowing"] == []


def test_text_is_read_without_zooming(ten_years):
    width, seen = ten_years
    fonts = seen["fonts"]
    assert fonts["body"] and min(fonts["body"]) >= 16        # 12 pt on screen
    assert min(fonts["cells"]) >= 13
    assert min(fonts["heads"]) >= min(fonts["body"])


def test_indicator_names_wrap_to_a_few_lines(ten_years):
    width, seen = ten_years
    names = [n for n in seen["names"] if n["name"]]
    assert len(names) > 20
    longest = max(names, key=lambda n: n["lines"])
    assert longest["lines"] <= (4 if width == PHONE else 2), longest


def test_chart_text_is_at_least_11_css_px_and_charts_say_what_they_show(ten_years):
    width, seen = ten_years
    charts = seen["charts"]
    assert len(charts) >= 3
    smallest = min(chart_text_px(c["src"], c["shown"]) for c in charts)
    assert smallest >= 11, smallest
    assert all(c["alt"] and c["alt"] != "No description has been provided for this image" for c in charts)
    assert all(c["shown"] <= width for c in charts)


def test_list_items_are_dashed_as_official_documents_write_them(ten_years):
    """Vietnamese administrative style introduces an item by "-" (a sub-item by "+"), never a bullet: on screen
    as on paper."""
    _, seen = ten_years
    assert len(seen["markers"]) >= 3
    assert set(seen["markers"]) <= {'"- "', '"+ "'}, set(seen["markers"])


def test_the_index_fits_a_phone_and_links_every_output(sample_outputs):
    seen = measure(sample_outputs / "index.html", PHONE, sample_outputs / "screens" / "index-390.png")
    assert seen["scroll"] <= PHONE and seen["past"] == [] and seen["overflowing"] == []
    for review in ("ct20-2012-2017", "ct20-2012-2022", "annual-2022", "injury-hi-2022"):
        for name in ("report.html", "report.pdf", "report.docx", "indicators.xlsx", "data_quality.html"):
            assert f"{review}/{name}" in seen["links"], (review, name)
            assert (sample_outputs / review / name).is_file()
