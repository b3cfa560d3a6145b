"""Write the committed notebooks from their cell lists (so their JSON stays tidy and output-free).

    python scripts/make_notebooks.py

Edit the cells here, run the script, commit both. Tests fail if a committed
notebook has outputs or defines functions.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
KERNEL = {"kernelspec": {"name": "evaltools", "display_name": "evaltools (.venv)", "language": "python"},
          "language_info": {"name": "python"}}
HIDDEN = {"tags": ["remove-cell"]}


def section(title: str, call: str) -> list:
    """A heading for the analyst (not shown in the report) and one call into evaltools."""
    return [new_markdown_cell(f"## {title}", metadata=HIDDEN), new_code_cell(call)]


def review() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Review report (báo cáo)\n\n"
            "The leadership report of one review. `evaltools run data/reviews/<id>.yaml` runs this "
            "notebook with Papermill and exports it to HTML and PDF; each section below is one call "
            "into `evaltools.report`, which computes every figure from the data.", metadata=HIDDEN),
        new_code_cell(
            'review: str = "ct20-2012-2017"  # review id (data/reviews/<id>.yaml) or a config path\n'
            'lang: str = "vi"  # report language: "vi" or "en"\n'
            "high_findings: int = 0  # unresolved high-importance data problems (run --allow-invalid); shown on page 1",
            metadata={"tags": ["parameters"]}),
        new_code_cell("from evaltools import report", metadata=HIDDEN),
        *section("Load the review (config, data, indicators, narrative)",
                 "r = report.open_report(review, lang=lang, high_findings=high_findings)"),
        *section("Header: office, title, period, legal basis", "report.header(r)"),
        *section("I. General situation", "report.general(r)"),
        *section("II.1–3 Dissemination, awareness, documents issued", "report.results(r)"),
        *section("II.4 Results in figures", "report.outcomes(r)"),
        *section("II.5 Overall assessment", "report.assessment(r)"),
        *section("III. Key tasks and solutions", "report.tasks(r)"),
        *section("IV. Recommendations", "report.recommendations(r)"),
        *section("Recipients and signature", "report.recipients(r)"),
        *section("Appendix 1: detailed figures", "report.appendix(r)"),
        *section("Appendix 2: data sources and method", "report.provenance(r)"),
    ]
    return new_notebook(cells=cells, metadata={**KERNEL, "evaltools": {"notebook": "review"}})


def data_quality() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Data quality (chất lượng số liệu)\n\n"
            "What `evaltools validate` finds in a review's data, as a page: completeness of the communes' "
            "returns and every finding with the file and row it came from. `evaltools run` renders it to "
            "`outputs/<id>/data_quality.html`.", metadata=HIDDEN),
        new_code_cell(
            'review: str = "ct20-2012-2017"  # review id (data/reviews/<id>.yaml) or a config path\n'
            'lang: str = "vi"  # language: "vi" or "en"',
            metadata={"tags": ["parameters"]}),
        new_code_cell("from evaltools.report import quality", metadata=HIDDEN),
        *section("Validate the review's data", "q = quality.open_quality(review, lang=lang)"),
        *section("Title", "quality.header(q)"),
        *section("I. Summary", "quality.summary(q)"),
        *section("II. Completeness heatmap and rates", "quality.completeness(q)"),
        *section("III. Every finding", "quality.findings(q)"),
    ]
    return new_notebook(cells=cells, metadata={**KERNEL, "evaltools": {"notebook": "data_quality"}})


def explore() -> nbformat.NotebookNode:
    """The analyst's notebook, opened by ``make lab``: filter the store, chart it, check it."""
    years = "years=range(first_year, last_year + 1)"
    cells = [
        new_markdown_cell(
            "# Explore the data (khám phá số liệu)\n\n"
            "For analysts, in JupyterLab (`make lab` opens this notebook in the project's kernel, "
            "\"evaltools (.venv)\"). Change the parameters below and run all cells. Each cell is one call "
            "into `evaltools.explore`, which returns a table or a chart; `help(explore.values)` tells more. "
            "Units are found by GSO code or by name as returns write them (\"Cam Thuỷ\", \"TT. Cam Lộ\")."),
        new_code_cell(
            'review: str = "ct20-2012-2017"  # review id (data/reviews/<id>.yaml) or a config path\n'
            'lang: str = "vi"  # language of names: "vi" or "en"\n'
            'unit: str = "Cam Thủy"  # a commune: GSO code ("19606") or name ("Xã Cam Thuỷ", "TT. Cam Lộ")\n'
            'element: str = "ALLOWANCE"  # a data element code (see the catalog below)\n'
            'indicator: str = "INJURY_RATE"  # an indicator code (explore.catalog(data, "indicators"))\n'
            "first_year: int = 2012  # first year to look at\n"
            "last_year: int = 2017  # last year to look at",
            metadata={"tags": ["parameters"]}),
        new_code_cell("from evaltools import explore"),
        new_markdown_cell("## The review, its data and this notebook's Python (the project's `.venv`)"),
        new_code_cell("data = explore.load(review, lang=lang)"),
        new_code_cell("explore.environment(data)"),
        new_markdown_cell("## What there is to filter by: data elements (also \"indicators\", \"units\")"),
        new_code_cell('explore.catalog(data, "elements")'),
        new_markdown_cell("## One commune, every element"),
        new_code_cell(f"explore.values(data, unit=unit, {years})"),
        new_markdown_cell("## One element, every commune: table and charts"),
        new_code_cell(f"rows = explore.values(data, element=element, {years})"),
        new_code_cell("explore.table(rows)"),
        new_code_cell("explore.trend(rows, lang=lang)"),
        new_code_cell("explore.compare(rows, year=last_year, lang=lang)"),
        new_markdown_cell("## An indicator (numerator / denominator × factor), per unit and year"),
        new_code_cell(f"rates = explore.indicators(data, indicator=indicator, {years})"),
        new_code_cell("explore.table(rates)"),
        new_code_cell("explore.trend(rates, lang=lang)"),
        new_markdown_cell("## Validation: every finding, and the returns received (1) or missing (0)"),
        new_code_cell("explore.findings(data)"),
        new_code_cell("explore.completeness(data)"),
    ]
    return new_notebook(cells=cells, metadata={**KERNEL, "evaltools": {"notebook": "explore"}})


def main() -> None:
    NOTEBOOKS.mkdir(exist_ok=True)
    for name, build in {"review": review, "data_quality": data_quality, "explore": explore}.items():
        nb = build()
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{name}-{i:02d}"          # stable ids: diffs stay small
        nbformat.validate(nb)
        (NOTEBOOKS / f"{name}.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
