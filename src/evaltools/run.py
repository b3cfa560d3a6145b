"""``evaltools run``: execute the report notebook with Papermill, export it, and write the outputs.

One function, :func:`run_review`, reads top to bottom: check the config and the
data, execute the report notebook in the project's kernel, export it in this
process, add the manifest, and move the finished folder into place.

The side work — indicator tables, input fingerprints and the data-quality page (a
second notebook) — runs in a forked helper process on the other core while this
process drives the report kernel and prints the PDF. A thread would do the same
work but fight WeasyPrint and the kernel client for the GIL (measured: about a
second lost). ``overlap=False`` (batch workers, which already keep every core busy)
does the side work in-process, one step after the other.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import re
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import iorw, manifest, publish, storetx
from .errors import DataQualityError, EvaltoolsError, display_path
from .lifeline import helper_init
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
    kept: tuple[str, ...] = ()          # files of the folder this run did not render, left as they were
    removed: tuple[str, ...] = ()       # e.g. failed/ of an earlier failed run


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
    with storetx.snapshot(review.data) as store_state, publish.staged_outputs(target) as staged, \
            _helper(overlap) as helper:         # one state of the data for the whole run: imports wait for it
        checked = _validate(review, allow_invalid)
        parameters = {"lang": lang, "formats": sorted(formats)}
        stage = staged.path
        side = helper.submit(_side_work, review, lang, notebook, parameters, checked["high"] > 0, stage, target)
        threading.Thread(target=_warm_up, daemon=True).start()
        nb = _execute(notebook, stage / "review.ipynb", review, {"lang": lang, "high_findings": checked["high"]},
                      target)
        _export(nb, review, stage, formats, lang)
        inputs, prints, about = side.result()
        files = sorted(p.name for p in stage.iterdir() if not p.name.startswith("."))
        record = _manifest(review, notebook, lang, formats, inputs, stage, files, started)
        record.update(fingerprint=prints, validation={**checked, "allow_invalid": allow_invalid})
        record["about"] = about         # title, area, period: for the index of outputs
        record["store"] = store_state   # which state of the data this run rendered
        storetx.verify(review.data, store_state)
        iorw.atomic_write(stage / "manifest.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return RunResult(review.id, target, tuple(files + ["manifest.json"]), time.perf_counter() - clock,
                     tuple(staged.kept), tuple(staged.removed))


def check_formats(formats: Sequence[str]) -> None:
    """Refuse an unknown export format before any work is done."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise EvaltoolsError(f"unknown format(s) {', '.join(unknown) or '(none)'}; expected {', '.join(FORMATS)}")


class _Inline:
    """An executor that runs each task at once, in this process."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future


@contextlib.contextmanager
def _helper(overlap: bool) -> Iterator:
    """A forked one-process pool for the side work, or :class:`_Inline` when not overlapping.

    Forking happens before any thread of this run exists. A daemonic process (a worker
    of someone else's pool) may not have children, and only POSIX can fork: both run inline.
    """
    if not overlap or mp.current_process().daemon or "fork" not in mp.get_all_start_methods():
        yield _Inline()
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"), initializer=helper_init) as pool:
        yield pool


def _side_work(review: Review, lang: str, notebook: Path, parameters: dict, skip_invalid: bool,
               stage: Path, target: Path) -> tuple[list[dict], dict, dict]:
    """Indicator tables and the data-quality page into ``stage``; input files, fingerprint, about."""
    from .context import indicators_csv, open_review
    from .export.xlsx import indicators_xlsx

    try:
        data = open_review(review.path, lang, skip_invalid)
        iorw.atomic_write(stage / "indicators.csv", indicators_csv(data))
        iorw.atomic_write(stage / "indicators.xlsx", indicators_xlsx(data, lang))
        quality = _execute(default_notebook("data_quality"), stage / ".data_quality.ipynb", review,
                           {"lang": lang}, target)
        _export_quality(quality, review, stage, lang)
        prints = manifest.fingerprint(review, data.values, data.catalog.units, notebook, parameters)
        return manifest.input_files(review), prints, manifest.about(review, data.catalog.units)
    except EvaltoolsError as exc:
        raise EvaltoolsError(str(exc)) from None      # plain, so it crosses the process boundary intact


def _warm_up() -> None:
    """Import nbconvert, its template and WeasyPrint while the kernel works."""
    from . import export

    export.warm_up()


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
