"""Executed notebook -> self-contained offline HTML page and A4 PDF report.

Public API (each imports nbconvert or WeasyPrint only when called, so importing this
package costs nothing):

- :func:`to_html` (notebook -> page), :func:`to_pdf` (notebook -> PDF),
  :func:`to_pdf_from_html` (page -> PDF, for a caller that already has the page).
- :func:`to_docx_from_html` (page -> Word document, python-docx) for offices that edit in Word.
- :func:`warm_up`: import nbconvert and WeasyPrint and compile the page's templates ahead of time (e.g. in a thread
  while the kernel runs), which takes ~0.4 s off the first PDF.
- nbconvert exporters ``evaltools_html`` and ``evaltools_pdf`` (entry points), in
  :mod:`evaltools.export.html` and :mod:`evaltools.export.pdf`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

__all__ = ["to_docx_from_html", "to_html", "to_pdf", "to_pdf_from_html", "warm_up"]


def to_html(nb: nbformat.NotebookNode, lang: str = "vi", css: str = "") -> str:
    """Export an executed notebook to one self-contained HTML page (see :mod:`.html`)."""
    from evaltools.export.html import to_html as export

    return export(nb, lang, css)


def to_pdf(nb: nbformat.NotebookNode, lang: str = "vi") -> bytes:
    """Export an executed notebook to an A4 PDF (see :mod:`.pdf`)."""
    from evaltools.export.pdf import to_pdf as export

    return export(nb, lang)


def to_pdf_from_html(html: str, base_url: str | None = None) -> bytes:
    """Print a page made by :func:`to_html` to PDF without exporting the notebook again."""
    from evaltools.export.pdf import to_pdf_from_html as export

    return export(html, base_url)


def to_docx_from_html(html: str, lang: str = "vi", title: str | None = None, nb=None) -> bytes:
    """Write a page made by :func:`to_html` as a Word document (see :mod:`.docx`); ``nb``, the executed
    notebook, gives each SVG chart its PNG fallback."""
    from evaltools.export.docx import png_fallbacks, to_docx_from_html as export

    return export(html, lang, title, png_fallbacks(nb) if nb is not None else None)


def warm_up(pdf: bool = True) -> None:
    """Import the exporters' heavy libraries now, so the first export does not wait for them; WeasyPrint only
    when a PDF will be printed (``pdf``): an HTML-only run would load it for nothing (0.6 s of a core)."""
    from evaltools.export import html  # nbconvert, Jinja, nh3
    from evaltools.export.pdf import load_weasyprint

    html.shared_exporter()
    if pdf:
        load_weasyprint()
