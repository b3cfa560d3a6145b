"""Report page -> A4 PDF with WeasyPrint (no LaTeX, no browser).

The PDF is printed from the very HTML page of :mod:`evaltools.export.html`: the
template's print CSS gives the A4 pages of Nghị định 30/2020 (page numbers top centre from
page 2, wide tables on landscape pages) and table headers repeated on each page. WeasyPrint is imported
only when a PDF is made, so importing this module (nbconvert loads every registered
exporter to list them) stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import nbformat
from traitlets import default

from evaltools.export.gcpause import collector_paused
from evaltools.export.html import EvaltoolsHTMLExporter
from evaltools.export.printed import printed

# Resources a report may load: embedded data: URIs, and files beside a page given a base_url.
ALLOWED_PROTOCOLS = frozenset({"data", "file"})


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """Hide WeasyPrint's warnings (CSS it ignores) for one render; errors still show."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(max(logging.ERROR, level))
    try:
        yield
    finally:
        logger.setLevel(level)


def load_weasyprint():
    """The weasyprint module (pango, fonttools): imported on first use only."""
    import weasyprint

    return weasyprint


def to_pdf_from_html(html: str, base_url: str | None = None) -> bytes:
    """Print a report page (from :func:`~evaltools.export.to_html`) to PDF bytes.

    Parameters
    ----------
    html : str
        The page.
    base_url : str, optional
        Where relative links would resolve (a folder path or URL); our pages embed
        everything, so None is the usual value.

    Returns
    -------
    bytes
        An A4 PDF of the signed copy (:func:`~evaltools.export.printed.printed`: no screen-only
        cell). Nothing is fetched from the network: only ``data:`` and ``file:`` URLs are read.
    """
    html = printed(html)
    weasyprint = load_weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols=set(ALLOWED_PROTOCOLS))
    with _quiet_weasyprint(), collector_paused():
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.write_pdf(presentational_hints=True)


class PDFExporter(EvaltoolsHTMLExporter):
    """A4 PDF report: ``jupyter nbconvert --to evaltools_pdf report.ipynb`` writes report.pdf."""

    export_from_notebook = "PDF report (evaltools)"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"                  # the HTML template, not "index.pdf.j2"

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                           **kw: Any) -> tuple[bytes, dict]:
        """The PDF bytes of the notebook's report page."""
        page, resources = super().from_notebook_node(nb, resources, **kw)
        base = resources.get("metadata", {}).get("path") or None
        return to_pdf_from_html(page, base_url=base), resources


def to_pdf(nb: nbformat.NotebookNode, lang: str = "vi") -> bytes:
    """Export an executed notebook to an A4 PDF (same page as :func:`to_html`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    lang : {"vi", "en"}
        Language of the page's fixed words (the contents heading on screen, the frame's labels).
    """
    pdf, _ = PDFExporter(lang=lang).from_notebook_node(nb)
    return pdf
