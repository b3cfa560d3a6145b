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
from .errors import EvaltoolsError, display_path
from .review import Review, load_review

FORMATS = ("html", "pdf")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


@dataclass(frozen=True)
class RunResult:
    """Where a run wrote its outputs, and how long it took."""

    review_id: str
    folder: Path
    files: tuple[str, ...]
    seconds: float


def default_notebook() -> Path:
    """The project's ``notebooks/review.ipynb``."""
    return PROJECT_ROOT / "notebooks" / "review.ipynb"


def run_review(config: str | Path, formats: Sequence[str] = FORMATS, lang: str | None = None,
               out: str | Path = "outputs", notebook: str | Path | None = None) -> RunResult:
    """Render a review into ``<out>/<review id>/``.

    Parameters
    ----------
    config : path
        The review config (YAML).
    formats : sequence of {"html", "pdf"}
        Exports to write besides the executed notebook, indicators.csv and manifest.json.
    lang : {"vi", "en"}, optional
        Report language; defaults to the review's.
    out : path
        The outputs folder.
    notebook : path, optional
        The report notebook; defaults to the project's ``notebooks/review.ipynb``.

    Raises
    ------
    EvaltoolsError
        For a bad config, or a failing cell (naming the cell, its line and the exception;
        the failed notebook is kept in ``<out>/<id>/failed/``). Earlier outputs stay as they were.
    """
    started, clock = manifest.now(), time.perf_counter()
    review = load_review(config)
    lang = lang or review.language
    notebook = Path(notebook) if notebook else default_notebook()
    target = Path(out) / review.id
    parameters = {"lang": lang, "formats": sorted(formats)}
    with ThreadPoolExecutor(max_workers=1) as pool, iorw.staged_folder(target) as stage:
        side = pool.submit(_side_outputs, review, lang, notebook, parameters)
        nb = _execute(notebook, stage / "review.ipynb", review, lang, target)
        nb.metadata.setdefault("evaltools", {}).update(title=review.title[lang], lang=lang)
        _export(nb, stage, formats, lang)
        tables, inputs, prints = side.result()
        iorw.atomic_write(stage / "indicators.csv", tables)
        files = sorted(p.name for p in stage.iterdir())
        record = _manifest(review, notebook, lang, formats, inputs, stage, files, started)
        record["fingerprint"] = prints
        iorw.atomic_write(stage / "manifest.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return RunResult(review.id, target, tuple(files + ["manifest.json"]), time.perf_counter() - clock)


def _side_outputs(review: Review, lang: str, notebook: Path, parameters: dict) -> tuple[str, list[dict], dict]:
    """Indicator table and input fingerprints (run beside the kernel), then warm the exporters."""
    from .context import indicators_csv, open_review

    data = open_review(review.path, lang)
    tables = indicators_csv(data)
    inputs = manifest.input_files(review)
    prints = manifest.fingerprint(review, data.values, data.catalog.units, notebook, parameters)
    from . import export

    export.warm_up()                  # nbconvert, its template and WeasyPrint, ready for the export
    return tables, inputs, prints


def _execute(notebook: Path, output: Path, review: Review, lang: str, target: Path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernel import KERNEL_NAME, ProjectKernelManager

    if not notebook.is_file():
        raise EvaltoolsError(f"{display_path(notebook)}: notebook not found")
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters={"review": str(review.path), "lang": lang},
            kernel_name=KERNEL_NAME, language="python", progress_bar=False,
            request_save_on_cell_execute=False, cwd=str(review.path.parent),
            kernel_manager_class=ProjectKernelManager)
    except PapermillExecutionError as exc:
        failed = iorw.atomic_write(target / "failed" / "review.ipynb", output.read_bytes())
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


def _export(nb, stage: Path, formats: Sequence[str], lang: str) -> None:
    from . import export

    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise EvaltoolsError(f"unknown format(s) {', '.join(unknown)}; expected {', '.join(FORMATS)}")
    page = export.to_html(nb, lang)
    if "html" in formats:
        iorw.atomic_write(stage / "report.html", page)
    if "pdf" in formats:
        iorw.atomic_write(stage / "report.pdf", export.to_pdf_from_html(page))


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
