"""``evaltools run``: execute the report notebook with Papermill, export it, and write the outputs.

One function, :func:`run_review`, reads top to bottom: check the config, execute
the notebook in the project's kernel, export HTML and PDF in this process, add the
indicator table and the manifest, and move the finished folder into place. While
the kernel works, a second thread computes the indicator table and warms up the
exporters, so the extra outputs cost little wall time.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import iorw, manifest
from .errors import DataQualityError, EvaltoolsError, display_path
from .notebooks import default_notebook
from .review import Review, load_review

FORMATS = ("html", "pdf", "docx")      # every export --to knows
DEFAULT_FORMATS = ("html", "pdf")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


@dataclass(frozen=True)
class RunResult:
    """Where a run wrote its outputs, and how long it took."""

    review_id: str
    folder: Path
    files: tuple[str, ...]
    seconds: float


def run_review(config: str | Path, formats: Sequence[str] = DEFAULT_FORMATS, lang: str | None = None,
               out: str | Path = "outputs", notebook: str | Path | None = None,
               allow_invalid: bool = False, overlap: bool = True) -> RunResult:
    """Render a review into ``<out>/<review id>/``.

    Parameters
    ----------
    config : path
        The review config (YAML).
    formats : sequence of {"html", "pdf", "docx"}
        Exports to write besides the executed notebook, indicators.csv, indicators.xlsx and
        manifest.json (docx: ``report.docx``, the Word copy).
    lang : {"vi", "en"}, optional
        Report language; defaults to the review's.
    out : path
        The outputs folder.
    notebook : path, optional
        The report notebook; defaults to the project's ``notebooks/review.ipynb``.
    allow_invalid : bool
        Render even when validation finds high-importance problems; the report's first
        page then says so. The data-quality page (``data_quality.html``) is always written.
    overlap : bool
        Run the data-quality notebook on the second core while the PDF is printed (fastest
        for one review); a batch that keeps every core busy already passes False.

    Raises
    ------
    DataQualityError
        When the data have high-importance findings and ``allow_invalid`` is false.
    EvaltoolsError
        For a bad config, or a failing cell (naming the cell, its line and the exception;
        the failed notebook is kept in ``<out>/<id>/failed/<notebook name>``). Earlier outputs stay as they were.
    """
    started, clock = manifest.now(), time.perf_counter()
    check_formats(formats)
    review = load_review(config)
    lang = lang or review.language
    notebook = Path(notebook) if notebook else default_notebook()
    target = Path(out).resolve() / review.id
    checked = _validate(review, allow_invalid)
    parameters = {"lang": lang, "formats": sorted(formats)}
    with ThreadPoolExecutor(max_workers=2) as pool, iorw.staged_folder(target) as stage:
        side = pool.submit(_side_outputs, review, lang, notebook, parameters, checked["high"] > 0)
        nb = _execute(notebook, stage / "review.ipynb", review, {"lang": lang, "high_findings": checked["high"]},
                      target)
        quality = (default_notebook("data_quality"), stage / ".data_quality.ipynb", review, {"lang": lang}, target)
        pending = pool.submit(_execute, *quality) if overlap else None   # on the other core, during the PDF
        _export(nb, review, stage, formats, lang)
        _export_quality(pending.result() if pending else _execute(*quality), review, stage, lang)
        tables, sheets, inputs, prints, about = side.result()
        iorw.atomic_write(stage / "indicators.csv", tables)
        iorw.atomic_write(stage / "indicators.xlsx", sheets)
        files = sorted(p.name for p in stage.iterdir() if not p.name.startswith("."))
        record = _manifest(review, notebook, lang, formats, inputs, stage, files, started)
        record.update(fingerprint=prints, validation={**checked, "allow_invalid": allow_invalid})
        record["about"] = about         # title, area, period: for the index of outputs
        iorw.atomic_write(stage / "manifest.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return RunResult(review.id, target, tuple(files + ["manifest.json"]), time.perf_counter() - clock)


def check_formats(formats: Sequence[str]) -> None:
    """Refuse an unknown export format before any work is done."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise EvaltoolsError(f"unknown format(s) {', '.join(unknown) or '(none)'}; expected {', '.join(FORMATS)}")


def _side_outputs(review: Review, lang: str, notebook: Path, parameters: dict,
                  skip_invalid: bool) -> tuple[str, bytes, list[dict], dict, dict]:
    """Indicator table (CSV, XLSX) and input fingerprints (run beside the kernel), then warm the exporters."""
    from .context import indicators_csv, open_review
    from .export.xlsx import indicators_xlsx

    data = open_review(review.path, lang, skip_invalid)
    tables, sheets = indicators_csv(data), indicators_xlsx(data, lang)
    inputs = manifest.input_files(review)
    prints = manifest.fingerprint(review, data.values, data.catalog.units, notebook, parameters)
    from . import export

    export.warm_up()                  # nbconvert, its template and WeasyPrint, ready for the export
    return tables, sheets, inputs, prints, manifest.about(review, data.catalog.units)


def _validate(review: Review, allow_invalid: bool) -> dict[str, int]:
    """Counts of findings by importance; refuse high-importance ones unless allowed."""
    from .validation import validate

    result = validate(review)
    counts = {level: int((result.findings["importance"] == level).sum()) for level in ("high", "medium", "low")}
    if counts["high"] and not allow_invalid:
        first = result.findings[result.findings["importance"] == "high"].iloc[0]
        where = f"{first['file']}:{int(first['line'])}: " if first["file"] and first["line"] == first["line"] else ""
        raise DataQualityError(
            f"{review.id}: the data have {counts['high']} high-importance problem(s), e.g. {where}{first['message']}; "
            f"see `evaltools validate {display_path(review.path)}`, or render anyway with --allow-invalid")
    return counts


def _execute(notebook: Path, output: Path, review: Review, parameters: dict, target: Path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernel import KERNEL_NAME, ProjectKernelManager

    if not notebook.is_file():
        raise EvaltoolsError(f"{display_path(notebook)}: notebook not found")
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters={"review": str(review.path), **parameters},
            kernel_name=KERNEL_NAME, language="python", progress_bar=False,
            request_save_on_cell_execute=False, kernel_manager_class=ProjectKernelManager)
        # No ``cwd=``: Papermill would chdir the whole process, and two notebooks run at once.
    except PapermillExecutionError as exc:
        failed = iorw.atomic_write(target / "failed" / notebook.name, output.read_bytes())
        raise EvaltoolsError(describe_failure(exc, notebook, failed)) from None


def describe_failure(exc, notebook: Path, failed: Path) -> str:
    """One line: the cell (as numbered in the committed notebook), its line and the exception."""
    import nbformat

    cells = nbformat.read(failed, as_version=4).cells
    markers = [i for i, c in enumerate(cells) if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])]
    index = exc.cell_index - (1 if injected and exc.cell_index > injected[0] - len(markers[:1]) else 0)
    found = _CELL_LINE.findall(_ANSI.sub("", "\n".join(exc.traceback)))
    line = int(found[0]) if found else 1
    source = exc.source.splitlines()[line - 1].strip() if exc.source.strip() else ""
    return (f"{display_path(notebook)}, cell {index + 1}, line {line} `{source}`: "
            f"{exc.ename}: {exc.evalue} (executed notebook kept in {display_path(failed)})")


def _export(nb, review: Review, stage: Path, formats: Sequence[str], lang: str) -> None:
    from . import export

    nb.metadata.setdefault("evaltools", {}).update(title=review.title[lang], lang=lang)
    page = export.to_html(nb, lang)
    if "html" in formats:
        iorw.atomic_write(stage / "report.html", page)
    if "pdf" in formats:
        iorw.atomic_write(stage / "report.pdf", export.to_pdf_from_html(page))
    if "docx" in formats:
        iorw.atomic_write(stage / "report.docx", export.to_docx_from_html(page, lang, review.title[lang]))


def _export_quality(nb, review: Review, stage: Path, lang: str) -> None:
    """The data-quality page: HTML only; its executed notebook is not kept."""
    from . import export
    from .report.model import load_texts

    title = load_texts(lang)["quality"]["title"].capitalize()
    nb.metadata.setdefault("evaltools", {}).update(title=f"{title}: {review.title[lang]}", lang=lang)
    iorw.atomic_write(stage / "data_quality.html", export.to_html(nb, lang))
    (stage / ".data_quality.ipynb").unlink(missing_ok=True)


def _manifest(review: Review, notebook: Path, lang: str, formats: Sequence[str], inputs: list[dict],
              stage: Path, files: list[str], started) -> dict:
    from .kernel import project_kernel_spec

    outputs = [{"file": f, "bytes": (stage / f).stat().st_size, "sha256": iorw.sha256(stage / f)} for f in files]
    notebook_entry = {"role": "notebook", "path": display_path(notebook), "sha256": iorw.sha256(notebook)}
    return {
        "review": review.id,
        "parameters": {"config": display_path(review.path), "lang": lang, "formats": list(formats)},
        "inputs": inputs + [notebook_entry],
        "outputs": outputs,
        "versions": manifest.versions(),
        "kernel": project_kernel_spec().argv[0],
        "started": started.isoformat(timespec="seconds"),
        "finished": manifest.now().isoformat(timespec="seconds"),
    }
