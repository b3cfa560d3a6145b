"""The table of contents built from a finished page's h1/h2 headings."""

from __future__ import annotations

from evaltools.export.toc import add_toc

PAGE = """<html><head><style>h1 {{ color: red }}</style></head>
<body><main>
{before}
<div><h1 id="I.-T%C3%ACnh-h%C3%ACnh">I. Tình hình<a class="anchor-link" href="#I.-T%C3%ACnh-h%C3%ACnh">¶</a></h1></div>
<div><h2>1. Trẻ em &amp; gia đình</h2><h3>không liệt kê</h3></div>
<h2 class="tocSkip">Bỏ qua</h2>
<h2>1. Trẻ em &amp; gia đình</h2>
</main></body></html>"""


def entries(page: str) -> str:
    return page.split('<ol class="toc-list">\n', 1)[1].split("\n</ol>", 1)[0]


def test_toc_replaces_the_placeholder():
    page = add_toc(PAGE.format(before='<p>Tiêu đề</p><nav id="toc"></nav><p>sau</p>'), "Mục lục")
    assert page.count('<nav id="toc"') == 1
    assert '<p>Tiêu đề</p><nav id="toc" class="toc"' in page
    assert '</nav><p>sau</p>' in page
    assert '<p class="toc-title" id="toc-title">Mục lục</p>' in page
    assert entries(page) == (
        '<li class="toc-h1"><a href="#I.-Tình-hình">I. Tình hình</a></li>\n'
        '<li class="toc-h2"><a href="#1-trẻ-em-gia-đình">1. Trẻ em &amp; gia đình</a></li>\n'
        '<li class="toc-h2"><a href="#1-trẻ-em-gia-đình-2">1. Trẻ em &amp; gia đình</a></li>')


def test_headings_get_their_ids():
    page = add_toc(PAGE.format(before=""), "Contents")
    assert '<h1 id="I.-Tình-hình">I. Tình hình<a class="anchor-link"' in page
    assert '<div><h2 id="1-trẻ-em-gia-đình">1. Trẻ em &amp; gia đình</h2><h3>' in page
    assert '<h2 id="1-trẻ-em-gia-đình-2">' in page
    assert '<h2 class="tocSkip">Bỏ qua</h2>' in page


def test_toc_opens_main_when_there_is_no_placeholder():
    page = add_toc(PAGE.format(before=""), "Contents")
    assert page.index("<main>\n<nav id=\"toc\"") == page.index("<main>")
    assert '<p class="toc-title" id="toc-title">Contents</p>' in page


def test_page_without_headings_gets_no_toc():
    page = "<html><body><p>x</p></body></html>"
    assert add_toc(page, "Mục lục") == page
    assert add_toc('<body><nav id="toc"></nav><p>x</p></body>', "Mục lục") == "<body><p>x</p></body>"


def test_masthead_headings_are_not_listed_and_blocks_separate_words():
    page = add_toc('<body><main><header><h1>BÁO CÁO<span class="title">Sơ kết</span></h1></header>'
                   '<h2>I. TÌNH<br>HÌNH <em>chung</em></h2><h2>Cam<strong>Lộ</strong></h2></main></body>',
                   "Mục lục")
    assert entries(page) == ('<li class="toc-h2"><a href="#i-tình-hình-chung">I. TÌNH HÌNH chung</a></li>\n'
                             '<li class="toc-h2"><a href="#camlộ">CamLộ</a></li>')
    assert '<header><h1>BÁO CÁO<span class="title">' in page             # left as it was
