"""Executed notebook -> one self-contained HTML page (no code, no prompts, no CDN).

The exporter is nbconvert's HTMLExporter with our template (``evaltools``, which
extends the stock ``lab`` one; shipped in ``evaltools/resources/templates``), the
report's preprocessors (tag removal, safe text, title) and a table of contents added
to the finished page. Registered with nbconvert as ``--to evaltools_html``.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Bool, Unicode, default
from traitlets.config import Config

from evaltools.export.frame import DocumentFrame, LanguageCells
from evaltools.export.gcpause import collector_paused
from evaltools.export.sanitize import SanitizeOutputs, clean_html
from evaltools.export.toc import add_toc

TEMPLATE = "evaltools"
# Cells never shown: papermill's parameter cells and the usual "hide this" tags.
REMOVE_CELL_TAGS = frozenset({"remove-cell", "parameters", "injected-parameters"})
REMOVE_INPUT_TAGS = frozenset({"remove-input", "hide-input"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "hide-output"})


def templates_dir() -> Path:
    """Folder holding our nbconvert template folder (``evaltools/``)."""
    return Path(str(files("evaltools") / "resources" / "templates"))


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, dict[str, str]]:
    text = (templates_dir() / TEMPLATE / "labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def labels(lang: str) -> dict[str, str]:
    """The report's fixed words in ``lang`` ("vi" or "en"); ValueError for another."""
    known = _all_labels()
    if lang not in known:
        raise ValueError(f"report language {lang!r} is not one of: {', '.join(sorted(known))}")
    return known[lang]


def report_lang(nb: nbformat.NotebookNode, lang: str = "") -> str:
    """``lang`` if given, else the notebook's ``metadata.evaltools.lang``, else "vi"."""
    return lang or nb.metadata.get("evaltools", {}).get("lang") or "vi"


class ReportTitle(Preprocessor):
    """The page's <title> (lab reads ``metadata.title``): ``metadata.evaltools.title``, else the frame's title."""

    def preprocess(self, nb, resources):
        meta = nb.metadata.get("evaltools", {})
        title = meta.get("title") or meta.get("document", {}).get("title")
        if title:
            nb.metadata["title"] = str(title)
        return nb, resources


class EvaltoolsHTMLExporter(HTMLExporter):
    """HTML report page: ``jupyter nbconvert --to evaltools_html report.ipynb``.

    ``--EvaltoolsHTMLExporter.lang=en`` picks the language of the TOC title and page
    footer; by default the notebook's ``metadata.evaltools.lang``, else "vi".
    """

    export_from_notebook = "HTML report (evaltools)"
    lang = Unicode("", help="Report language, 'vi' or 'en' (default: notebook metadata, else 'vi').",
                   ).tag(config=True)
    extra_css = Unicode("", help="CSS added after the report's own (a programme's style).").tag(config=True)

    # Our defaults for nbconvert's own options (still configurable): the report
    # template, no code and no prompts, images embedded, every output sanitised. With
    # sanitize_html the template passes Markdown cells, raw cells and (again: cleaning is
    # idempotent) HTML outputs through clean_html, which default_filters points at our
    # nh3 cleaner instead of bleach, and writes no application/javascript.
    template_name = Unicode(TEMPLATE).tag(config=True)
    exclude_input = Bool(True).tag(config=True)
    exclude_input_prompt = Bool(True).tag(config=True)
    exclude_output_prompt = Bool(True).tag(config=True)
    embed_images = Bool(True).tag(config=True)
    sanitize_html = Bool(True).tag(config=True)
    # nbformat's schema check once, after the last preprocessor, instead of after each of them (17 checks
    # of the whole notebook: a sixth of the page's time)
    optimistic_validation = Bool(True).tag(config=True)

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(templates_dir())]

    @property
    def default_config(self) -> Config:
        config = super().default_config.copy()
        # Pygments CSS for code we never show; its lab colour variables are undefined in print.
        config.merge(Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}}))
        return config

    def default_filters(self):
        yield from super().default_filters()
        yield ("clean_html", clean_html)

    def _init_preprocessors(self):
        super()._init_preprocessors()
        self.register_preprocessor(LanguageCells(parent=self), enabled=True)
        self.register_preprocessor(TagRemovePreprocessor(
            remove_cell_tags=set(REMOVE_CELL_TAGS), remove_input_tags=set(REMOVE_INPUT_TAGS),
            remove_all_outputs_tags=set(REMOVE_OUTPUT_TAGS), parent=self), enabled=True)
        self.register_preprocessor(DocumentFrame(parent=self), enabled=True)
        self.register_preprocessor(SanitizeOutputs(parent=self), enabled=True)
        self.register_preprocessor(ReportTitle(parent=self), enabled=True)

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                           **kw: Any) -> tuple[str, dict]:
        """The page as a string, with ``lang`` on <html> and a table of contents."""
        lang = report_lang(nb, self.lang)
        words = labels(lang)
        self.language_code = lang
        resources = dict(resources or {})
        # CSS goes inside <style>: it may not close the element.
        css = self.extra_css.replace("</", "<\\/")
        resources["evaltools"] = {"lang": lang, "labels": words, "css": css}
        with collector_paused():
            page, resources = super().from_notebook_node(nb, resources, **kw)
            return add_toc(page, words["toc"]), resources


def to_html(nb: nbformat.NotebookNode, lang: str = "vi", css: str = "") -> str:
    """Export an executed notebook to one self-contained HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    lang : {"vi", "en"}
        Language of the cells kept (tags ``vi``/``en``), the TOC title, page footer and ``<html lang>``.
    css : str
        A programme's CSS, added after the report's own.

    Returns
    -------
    str
        The page: no code, prompts or parameter cells; outputs sanitised; images as
        data URIs; no ``<script src>``; a TOC of the h1/h2 headings.
    """
    with _EXPORTING:
        exporter = shared_exporter()
        exporter.lang, exporter.extra_css = lang, css
        page, _ = exporter.from_notebook_node(nb)
    return page


_EXPORTING = threading.Lock()      # the shared exporter holds one page's language and CSS at a time


@lru_cache(maxsize=1)
def shared_exporter() -> EvaltoolsHTMLExporter:
    """The process's exporter for :func:`to_html`, its Jinja templates compiled once (a tenth of a
    second a page) rather than for every page; :func:`evaltools.export.warm_up` compiles them while
    the kernel works."""
    exporter = EvaltoolsHTMLExporter()
    exporter.template                  # noqa: B018 - loading the property compiles the templates
    return exporter
