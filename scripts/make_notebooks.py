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


def main() -> None:
    NOTEBOOKS.mkdir(exist_ok=True)
    for name, build in {"review": review, "data_quality": data_quality}.items():
        nb = build()
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{name}-{i:02d}"          # stable ids: diffs stay small
        nbformat.validate(nb)
        (NOTEBOOKS / f"{name}.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
