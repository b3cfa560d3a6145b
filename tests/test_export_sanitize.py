"""Safe text: the allowlist keeps what a report needs and drops what could run or fetch."""

from __future__ import annotations

import pandas as pd
import pytest
from nbformat.v4 import new_output

from evaltools.export.sanitize import clean_html, markdown_to_html, sanitize_output

PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def test_dataframe_table_survives_whole():
    columns = pd.MultiIndex.from_tuples([("Trẻ em", "Nam"), ("Trẻ em", "Nữ"), ("Kinh phí", "đồng")])
    frame = pd.DataFrame([[1, 2, "3.667.005.000"]], columns=columns, index=["Cam Thủy"])
    raw = frame.to_html()
    assert '<th colspan="2" halign="left">' in raw and 'border="1"' in raw
    cleaned = clean_html(raw)
    assert "halign" not in cleaned and "border" not in cleaned        # presentation is the CSS's
    assert '<th colspan="2">Trẻ em</th>' in cleaned
    assert "<thead>" in cleaned and "<tbody>" in cleaned
    assert "<th>Cam Thủy</th>" in cleaned and "<td>3.667.005.000</td>" in cleaned
    assert '<table class="dataframe">' in cleaned


def test_rowspan_and_alignment_style_kept_other_style_dropped():
    cleaned = clean_html('<table><tr><td rowspan="2" style="text-align: right; position: fixed">9</td>'
                         '</tr></table>')
    assert cleaned == '<table><tbody><tr><td rowspan="2" style="text-align:right">9</td></tr></tbody></table>'


@pytest.mark.parametrize("hostile, kept", [
    ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
    ('<img src=x onerror="alert(1)">', "<img>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="other.html">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<iframe src="https://example.com">inside</iframe>ok', "ok"),
    ("<style>body{display:none}</style><link rel=stylesheet href=x.css><meta http-equiv=refresh>t", "t"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>s', "s"),
    ('<img src="https://example.com/t.png">', "<img>"),
    ('<div onclick="x()" onmouseover="y()">d</div>', "<div>d</div>"),
])
def test_hostile_markup_is_removed(hostile, kept):
    assert clean_html(hostile) == kept


@pytest.mark.parametrize("link", ["https://example.org/a?b=1", "http://x.vn", "mailto:a@b.vn", "#muc-2"])
def test_allowed_links(link):
    assert clean_html(f'<a href="{link}">x</a>') == f'<a href="{link}" rel="noopener noreferrer">x</a>'


def test_embedded_png_kept():
    assert clean_html(f'<img src="{PNG}" alt="Biểu đồ">') == f'<img src="{PNG}" alt="Biểu đồ">'


def test_markdown_renders_tables_lists_emphasis_links():
    html = markdown_to_html("## Kết quả\n\n| Xã | Số trẻ em |\n|---|---:|\n| Cam Thủy | 353 |\n\n"
                            "- *một*\n- **hai** [ba](https://example.org)\n\n<script>alert(1)</script>")
    assert '<h2 id="K%E1%BA%BFt-qu%E1%BA%A3">Kết quả<a class="anchor-link"' in html
    assert "<td>Cam Thủy</td>" in html and "<th>Xã</th>" in html
    assert "<li><em>một</em></li>" in html and "<strong>hai</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ba</a>' in html
    assert "script" not in html and "alert" not in html


def test_sanitize_output_drops_scripts_and_renders_markdown():
    output = new_output("display_data", data={
        "text/markdown": "**Cam Lộ**<script>alert(1)</script>",
        "application/javascript": "alert(2)",
        "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
        "text/plain": "Cam Lộ"})
    sanitize_output(output)
    assert output.data == {"text/html": "<p><strong>Cam Lộ</strong></p>\n", "text/plain": "Cam Lộ"}


def test_sanitize_output_leaves_streams_alone():
    stream = new_output("stream", name="stdout", text="<b>escaped by the template</b>")
    assert sanitize_output(stream).text == "<b>escaped by the template</b>"
