"""Safe text: every HTML or Markdown output is cleaned by an allowlist before it reaches a report.

Report sections display text that comes from data and from analysts' Markdown files,
so an output may carry ``<script>``, event handlers or ``javascript:`` links. We clean
with nh3 (Python binding of the Rust sanitiser *ammonia*) and keep what a report needs:
headings, paragraphs, lists, tables (pandas ``DataFrame.to_html`` included), emphasis,
links to the web, mail or an anchor, and images embedded as ``data:image/...`` URIs
(matplotlib figures). Styling belongs to the template's CSS, so no ``<style>``,
``<link>`` or ``<meta>`` passes; a ``style`` attribute keeps only alignment, weight
and colour.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor

from evaltools.core import mime

TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "nav", "section",
    "header", "footer", "article", "blockquote", "pre", "code", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr",
    "q", "cite", "a", "img", "figure", "figcaption",
})
# Tags whose content goes with them (a stripped <script> must not leave its code as text).
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template",
                               "noscript", "svg", "math", "textarea", "select", "title"})
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
}
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align", "white-space", "font-weight",
                              "font-style", "color", "background-color"})
_LINK = re.compile(r"(?:https?:|mailto:|#)", re.I)
_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
# Mime types an output may keep: each is either escaped by the template, an embedded
# image, or cleaned here. Script-like ones (application/javascript, widgets, mermaid
# sources that the template writes unescaped) are dropped.
SAFE_MIMETYPES = frozenset({"text/html", "text/markdown", "text/plain", "text/latex",
                            "image/png", "image/jpeg", "image/svg+xml"})


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Admit only the URLs the allowlist promises, whatever ammonia's scheme check passed."""
    if attribute == "href":
        return value if _LINK.match(value.strip()) else None
    if attribute == "src":
        return value if tag == "img" and _IMAGE.match(value.strip()) else None
    return value


def _relative_url(url: str) -> str | None:
    """Relative URLs point into the reader's disk or nowhere; only in-page anchors stay."""
    return url if url.startswith("#") else None


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS), clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter, url_schemes={"http", "https", "mailto", "data"},
        url_relative=_relative_url, filter_style_properties=set(STYLE_PROPERTIES),
        link_rel="noopener noreferrer")


def clean_html(html: str | bytes) -> str:
    """Return ``html`` with everything outside the allowlist removed.

    Examples
    --------
    >>> clean_html('<p onclick="x()">Cam Thủy<script>alert(1)</script></p>')
    '<p>Cam Thủy</p>'
    """
    text = html.decode("utf-8") if isinstance(html, bytes) else str(html)
    return _cleaner().clean(text)


def markdown_to_html(markdown: str) -> str:
    """Render Markdown (tables, lists, emphasis, links) to HTML and clean the result."""
    return clean_html(markdown2html_mistune(markdown))


def _joined(value: str | list[str]) -> str:
    """Notebook text may be stored as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def sanitize_output(output: dict) -> dict:
    """Clean one output in place: HTML cleaned, Markdown rendered then cleaned, scripts dropped."""
    data = output.get("data")
    if data is None:
        return output                      # streams and errors: the template escapes them
    placeholder = mime.PLACEHOLDER in data
    for mimetype in [m for m in data if m not in SAFE_MIMETYPES]:
        del data[mimetype]
    if "text/markdown" in data:
        markdown = _joined(data.pop("text/markdown"))
        if "text/html" not in data:
            data["text/html"] = markdown_to_html(markdown)
    if "text/html" in data:
        data["text/html"] = clean_html(_joined(data["text/html"]))
        if placeholder:                    # a part still to be written: marked for the reader to see
            data["text/html"] = f'<div class="placeholder">{data["text/html"]}</div>'
    return output


def _for_readers(output: dict) -> bool:
    """Not stderr (warnings are the analyst's) nor a value glued for machines."""
    if output.get("output_type") == "stream":
        return output.get("name") != "stderr"
    return mime.GLUE not in output.get("data", {})


class SanitizeOutputs(Preprocessor):
    """nbconvert preprocessor: :func:`sanitize_output` on every output of every code cell.

    Text a cell wrote to stderr (warnings, progress) is for the analyst, who finds it in the
    executed notebook; it never reaches the report.
    """

    def preprocess_cell(self, cell, resources, index):
        if "outputs" in cell:
            cell.outputs = [sanitize_output(o) for o in cell.outputs if _for_readers(o)]
        return cell, resources
