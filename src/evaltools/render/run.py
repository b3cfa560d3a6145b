"""``evaltools run``: execute a review's notebooks with Papermill, export them, and write the outputs.

One function, :func:`run_review`, reads top to bottom: load the review and its
programme, read and check the store and compute the indicators once, refuse data
with high-importance findings, hand the notebooks that snapshot, execute the report
notebook in the project's kernel, export it in this process, add the manifest, and
move the finished folder into place.

The side work is overlapped with the report. The indicator tables (CSV, workbook) and the inputs'
fingerprint are made in a forked helper process on the other core while the report kernel works. The
data-quality page (the programme's second notebook) runs after the report on the report's own kernel,
put back as new (:class:`~evaltools.render.kernel.WarmKernel`): it does not pay a second kernel's start
and imports, and runs (in that kernel, driven from a thread) while this process prints the PDF.
``overlap=False`` (batch workers, which already keep every core busy) does it all in-process, one step
after the other.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from evaltools.core import interrupts, iorw
from evaltools.store import manifest, publish, storetx
from evaltools.dataset.context import ReviewData, open_review, review_programme
from evaltools.core.errors import DataQualityError, EvaltoolsError, UsageError, display_path
from evaltools.core.lifeline import helper_init
from evaltools.render.final import final_problems
from evaltools.render.nbexec import execute
from evaltools.project.params import check_overrides, fingerprint_parameters
from evaltools.render.progress import Reporter, Watch
from evaltools.project.programme import Programme
from evaltools.project.review import Review
from evaltools.dataset.snapshot import read_snapshot, write_snapshot
from evaltools.project.headings import lone_headings
from evaltools.dataset.context import indicators_csv
from evaltools.export.xlsx import indicators_xlsx
from evaltools import export
from evaltools.project.register import register_problem
from evaltools.render.audit import FACTS_FILE, audit
from evaltools.report.facts import read_facts
from evaltools.model.texts import load_texts
from evaltools.render.kernel import WarmKernel, project_kernel_spec

FORMATS = ("html", "pdf", "docx")      # every export --to knows
DEFAULT_FORMATS = ("html", "pdf")
SNAPSHOT = ".snapshot.pkl"             # in the staging folder; never part of the outputs


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
               allow_invalid: bool = False, overlap: bool = True, final: bool = False, *,
               parameters: dict | None = None, timeout: float | None = None,
               reporter: Reporter | None = None, kernel: WarmKernel | None = None) -> RunResult:
    """Render a review into ``<out>/<review id>/``.

    Parameters
    ----------
    config : str or path
        The review config (YAML), or its id in the project's ``data/reviews/``.
    formats : sequence of {"html", "pdf", "docx"}
        Exports to write besides the executed notebook, indicators.csv, indicators.xlsx,
        data_quality.html and manifest.json.
    lang : {"vi", "en"}, optional
        Report language; defaults to the review's.
    out : path
        The outputs folder.
    notebook : path, optional
        The report notebook; defaults to the config's ``notebook:``, else its programme's.
    allow_invalid : bool
        Render even when validation finds high-importance problems; the report's first
        page then says so. The data-quality page (``data_quality.html``) is always written.
    overlap : bool
        Run the data-quality notebook on the second core while the PDF is printed (fastest
        for one review); a batch that keeps every core busy already passes False.
    final : bool
        Render the final report (also when the config says ``status: final``): refused when a
        narrative part is still to be written, a heading has nothing under it, the narrative
        repeats the previous review's, or the data have high-importance findings. A draft
        renders whatever is there, marked "DỰ THẢO"; so does ``allow_invalid``.
    parameters : dict, optional
        Values for the report notebook's own parameters (``-p KEY VALUE``), checked against
        the notebook's parameters cell; recorded in the manifest.
    timeout : float, optional
        Seconds a cell may run (``--execution-timeout``); default: no limit.
    reporter : Reporter, optional
        Where progress goes (one line per section of the report); default: none.
    kernel : WarmKernel, optional
        A kept kernel to run the notebooks on (a batch worker's), each after a reset; default: with
        ``overlap``, one kernel kept for this run's two notebooks, else a new kernel for each notebook.

    Raises
    ------
    DataQualityError
        When the data have high-importance findings and ``allow_invalid`` is false.
    EvaltoolsError
        For a bad config, or a failing cell (naming the cell, its line and the exception;
        the failed notebook is kept in ``<out>/<id>/failed/<notebook name>``). Earlier outputs stay as they were.
    """
    started, clock = manifest.now(), time.perf_counter()
    interrupts.begin()
    data, final, store_state = _prepare(config, formats, lang, allow_invalid, final)
    review, lang = data.review, data.lang
    notebooks = notebooks_of(review, data.programme or review_programme(review), notebook)
    overrides = check_overrides(notebooks["review"], parameters or {})
    check_headings(notebooks["review"], lang)
    checked = _refuse_invalid(data, allow_invalid)
    target = Path(out).resolve() / review.id
    prints_of = fingerprint_parameters(lang, formats, overrides)
    watch = Watch(notebooks["review"], lang, review.id, reporter) if notebooks["review"].is_file() else None
    with publish.staged_outputs(target) as staged, _helper(overlap) as helper, \
            _kept_kernel(kernel, overlap) as kernel, _background(overlap) as background:
        stage = staged.path
        snapshot = write_snapshot(data, stage / SNAPSHOT)
        side = helper.submit(_side_work, snapshot, notebooks, prints_of, stage)
        threading.Thread(target=_warm_up, args=("pdf" in formats,), daemon=True).start()
        if watch:
            watch.begin(f"data read ({checked['high']} high-, {checked['medium']} medium-importance findings)")
        nb = execute(notebooks["review"], stage / "review.ipynb", {
            "review": str(review.path), "lang": lang, "snapshot": str(snapshot),
            "high_findings": checked["high"], **overrides}, target, watch, timeout, kernel)
        quality = background.submit(_quality_page, data, snapshot, notebooks, stage, target, timeout, kernel)
        contradictions = _write_facts(nb, stage)
        if final and (problems := final_problems(nb, lang) + contradictions):
            raise EvaltoolsError(f"{review.id}: not a final report: {'; '.join(problems)}; write them, or render "
                                 "a draft (status: draft, without --final)")
        interrupts.checkpoint()
        _export(nb, data, stage, formats, reporter)
        interrupts.checkpoint()
        prints = side.result()
        quality.result()
        snapshot.unlink()
        files = sorted(p.name for p in stage.iterdir() if not p.name.startswith("."))
        record = _manifest(data, notebooks, formats, stage, files, started)
        record["parameters"]["overrides"] = overrides
        record.update(fingerprint=prints, validation={**checked, "allow_invalid": allow_invalid})
        record["store"] = store_state   # which state of the data this run rendered
        record["stale"] = stale_outputs(target, files)
        iorw.atomic_write(stage / "manifest.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return RunResult(review.id, target, tuple(files + ["manifest.json"]), time.perf_counter() - clock,
                     tuple(staged.kept), tuple(staged.removed))


def _prepare(config: str | Path, formats: Sequence[str], lang: str | None, allow_invalid: bool,
             final: bool) -> tuple[ReviewData, bool, dict]:
    """The review read once (with its store's state), as a final report or a draft."""
    check_formats(formats)
    if final and allow_invalid:
        raise UsageError("--final and --allow-invalid exclude each other: a final report needs valid data")
    with storetx.snapshot_of(config) as store_state:      # one state of the store, read once: an import waits
        data = open_review(config, lang, skip_invalid=allow_invalid, validate=True)
    if final or (data.review.status == "final" and not allow_invalid):
        return _final(data), True, store_state
    # --allow-invalid renders a draft, whatever the config says
    return replace(data, review=replace(data.review, status="draft")), False, store_state


def check_formats(formats: Sequence[str]) -> None:
    """Refuse an unknown export format before any work is done."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise UsageError(f"unknown format(s) {', '.join(unknown) or '(none)'}; expected {', '.join(FORMATS)}")


def check_headings(notebook: Path, lang: str) -> None:
    """Refuse a notebook whose heading in the other language has no twin in ``lang`` (this copy would miss
    its section); warn, one line each, of a heading ``lang`` has whose twin the other copy misses."""
    if not notebook.is_file():
        return
    import nbformat

    lone = lone_headings(nbformat.read(notebook, as_version=4))
    where = display_path(notebook)
    if refused := [h for h in lone if h.missing == lang]:
        raise EvaltoolsError(f"{where}, {refused[0]}")
    for heading in lone:
        print(f"evaltools: warning: {where}, {heading}", file=sys.stderr)


def notebooks_of(review: Review, programme: Programme, notebook: str | Path | None = None) -> dict[str, Path]:
    """The notebooks a run of ``review`` executes, by role: the report (``--notebook``, else the config's
    ``notebook:``, else the programme's) and the data-quality page (the programme's, or evaltools' shared one)."""
    report = Path(notebook).resolve() if notebook else review.notebook or programme.notebook
    return {"review": report, "data_quality": programme.data_quality}


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

    A daemonic process (a worker of someone else's pool) may not have children, and only
    POSIX can fork: both run inline.
    """
    if not overlap or mp.current_process().daemon or "fork" not in mp.get_all_start_methods():
        yield _Inline()
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"), initializer=helper_init) as pool:
        try:
            yield pool
        except BaseException:
            # the run failed or was interrupted: its side work is not wanted; stop it rather than wait for
            # its notebook to finish (its kernel dies with it). The executor has no public way (before 3.14).
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            raise


@contextlib.contextmanager
def _kept_kernel(kernel: WarmKernel | None, overlap: bool) -> Iterator[WarmKernel | None]:
    """The kernel both notebooks of the run use: the caller's (a batch worker's), else, when overlapping, one
    kept for this run (the data-quality page reuses the report's kernel instead of starting and importing
    again), shut down when the run ends; else none (each notebook its own kernel)."""
    if kernel is not None or not overlap:
        yield kernel
        return
    own = WarmKernel()
    try:
        yield own
    finally:
        own.close()


class _Background:
    """Runs one task in a daemon thread (a stuck task never holds up the process' exit)."""

    def __init__(self):
        self.threads: list[threading.Thread] = []

    def submit(self, fn, *args) -> Future:
        future: Future = Future()

        def work() -> None:
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
                future.set_exception(exc)
        self.threads.append(threading.Thread(target=work, daemon=True))
        self.threads[-1].start()
        return future


@contextlib.contextmanager
def _background(overlap: bool) -> Iterator[_Background | _Inline]:
    """A thread for the data-quality page, which runs on the report's kernel while this process prints (not
    overlapping: :class:`_Inline`). On a failed run the thread is waited for (its notebook ends, or stops at
    its next cell on a Ctrl-C) before the kernel is shut down and the stage removed, so it writes nothing
    once they are gone."""
    if not overlap:
        yield _Inline()
        return
    background = _Background()
    try:
        yield background
    finally:
        for thread in background.threads:
            thread.join(_JOIN_SECONDS)


_JOIN_SECONDS = 120       # past this, a stuck data-quality notebook is left to the kernel's shutdown


def _side_work(snapshot: Path, notebooks: dict[str, Path], parameters: dict, stage: Path) -> dict:
    """Indicator tables into ``stage``; returns the inputs' fingerprint."""
    try:
        data = read_snapshot(snapshot)
        iorw.atomic_write(stage / "indicators.csv", indicators_csv(data))
        iorw.atomic_write(stage / "indicators.xlsx", indicators_xlsx(data))
        return manifest.fingerprint(data.review, data.programme, data.values, data.catalog.units, notebooks,
                                    parameters)
    except EvaltoolsError as exc:
        raise EvaltoolsError(str(exc)) from None      # plain, so it crosses the process boundary intact


def _quality_page(data: ReviewData, snapshot: Path, notebooks: dict[str, Path], stage: Path, target: Path,
                  timeout: float | None = None, kernel: WarmKernel | None = None) -> None:
    """The data-quality page into ``stage``, its notebook run on ``kernel`` (reset) or a kernel of its own."""
    quality = execute(notebooks["data_quality"], stage / ".data_quality.ipynb",
                      {"review": str(data.review.path), "lang": data.lang, "snapshot": str(snapshot)}, target,
                      timeout=timeout, kernel=kernel)
    _export_quality(quality, data, stage)


def _warm_up(pdf: bool) -> None:
    """Import nbconvert, its template and (for a PDF) WeasyPrint while the kernel works."""
    export.warm_up(pdf)


def _final(data: ReviewData) -> ReviewData:
    """The review as a final report: refused before anything runs when it cannot be one."""
    if problem := register_problem(data.review):
        raise EvaltoolsError(f"not a final report: {problem}")
    findings = data.validation.findings
    copied = findings[(findings["kind"] == "narrative") & (findings["importance"] != "low")]
    if len(copied):
        first = copied.iloc[0]
        raise EvaltoolsError(f"{data.review.id}: not a final report: {first['file']}: {first['message']} "
                             f"({len(copied)} narrative finding(s); see `evaltools validate`)")
    return replace(data, review=replace(data.review, status="final"))


def _refuse_invalid(data: ReviewData, allow_invalid: bool) -> dict[str, int]:
    """Counts of findings by importance; refuse high-importance ones unless allowed."""
    findings = data.validation.findings
    counts = {level: int((findings["importance"] == level).sum()) for level in ("high", "medium", "low")}
    if counts["high"] and not allow_invalid:
        first = findings[findings["importance"] == "high"].iloc[0]
        where = f"{first['file']}:{int(first['line'])}: " if first["file"] and first["line"] == first["line"] else ""
        raise DataQualityError(
            f"{data.review.id}: {counts['high']} high-importance problem(s), e.g. {where}"
            f"{first['message']}; see `evaltools validate {display_path(data.review.path)}`, "
            "or render anyway with --allow-invalid")
    return counts


def programme_css(data: ReviewData) -> str:
    """The programme's CSS (``style: css:``), or nothing."""
    path = data.programme.style_file("css")
    return path.read_text(encoding="utf-8") if path else ""


def _write_facts(nb, stage: Path) -> list[str]:
    """``facts.json``: every figure the report wrote with its fact (its method appendix's ledger); what
    the consistency audit finds in it (a final report may have none)."""
    ledger = read_facts(nb)
    if ledger is None:
        return []
    iorw.atomic_write(stage / FACTS_FILE, json.dumps(ledger, ensure_ascii=False, indent=1) + "\n")
    return [f"contradiction: {line}" for line in audit(ledger)]


def _export(nb, data: ReviewData, stage: Path, formats: Sequence[str], reporter: Reporter | None = None) -> None:
    lang, title = data.lang, data.review.title[data.lang]
    nb.metadata.setdefault("evaltools", {}).update(title=title, lang=lang)
    makers = {"html": lambda page: page, "pdf": export.to_pdf_from_html,
              "docx": lambda page: export.to_docx_from_html(page, lang, title, nb)}
    clock = time.perf_counter()
    page = export.to_html(nb, lang, programme_css(data))
    for fmt in (f for f in FORMATS if f in formats):
        if reporter:
            reporter.status(f"{data.review.id}: writing report.{fmt}")
        iorw.atomic_write(stage / f"report.{fmt}", makers[fmt](page))
        if reporter:
            reporter.line(f"{data.review.id}: report.{fmt} written ({time.perf_counter() - clock:.1f} s)")
        clock = time.perf_counter()


def _export_quality(nb, data: ReviewData, stage: Path) -> None:
    """The data-quality page: HTML only; its executed notebook is not kept."""
    texts = load_texts(data.lang, data.programme.texts)
    title = f"{texts.label('quality.title').capitalize()}: {data.review.title[data.lang]}"
    nb.metadata.setdefault("evaltools", {}).update(title=title, lang=data.lang)
    iorw.atomic_write(stage / "data_quality.html", export.to_html(nb, data.lang, programme_css(data)))
    (stage / ".data_quality.ipynb").unlink(missing_ok=True)


def stale_outputs(target: Path, files: Sequence[str]) -> list[dict]:
    """Outputs of an earlier run that this one does not render (``run --to html,pdf`` beside an older
    report.docx): kept, as a run keeps what it does not render, but marked stale with the run and the data
    they came from, in the manifest and the index. A file the earlier manifests never listed (put there by
    hand) is not evaltools' to mark."""
    try:
        before = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(before, dict):
        return []
    made = {o.get("file"): {"rendered": before.get("finished"), "store": (before.get("store") or {}).get("sha256")}
            for o in before.get("outputs") or [] if isinstance(o, dict)}
    made.update({s.get("file"): {k: s.get(k) for k in ("rendered", "store")}
                 for s in before.get("stale") or [] if isinstance(s, dict)})     # still stale from further back
    return [{"file": name, **made[name]} for name in sorted(n for n in made if isinstance(n, str))
            if name not in files and name != "manifest.json" and (target / name).is_file()]


def _manifest(data: ReviewData, notebooks: dict[str, Path], formats: Sequence[str], stage: Path,
              files: list[str], started) -> dict:
    review, root = data.review, data.review.data.parent
    outputs = [{"file": f, "bytes": (stage / f).stat().st_size, "sha256": iorw.sha256(stage / f)} for f in files]
    ran = [{"role": "notebook", "path": manifest.relative(path, root), "sha256": iorw.sha256(path)}
           for path in notebooks.values()]
    return {
        "review": review.id,
        "programme": data.programme.id,
        "parameters": {"config": display_path(review.path), "lang": data.lang, "formats": list(formats)},
        "inputs": list(data.inputs) + ran,
        "outputs": outputs,
        "versions": manifest.versions(),
        "kernel": project_kernel_spec().argv[0],
        "started": started.isoformat(timespec="seconds"),
        "finished": manifest.now().isoformat(timespec="seconds"),
        "about": manifest.about(review, data.catalog.units),     # title, area, period: for the index of outputs
    }
