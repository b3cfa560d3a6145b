"""``run_batch``: plan the reviews, skip those already rendered from the same inputs, render the rest."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from evaltools.core.errors import EvaltoolsError, UsageError
from evaltools.render.run import DEFAULT_FORMATS, check_formats
from evaltools.batch import execute
from evaltools.batch.fingerprints import DataCache, job_fingerprint, up_to_date
from evaltools.batch.index import write_index
from evaltools.batch.plan import Job, plan
from evaltools.batch.progress import Progress
from evaltools.batch.summary import Outcome, counts


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: one outcome per review, the index page, whether it was stopped."""

    jobs: tuple[Job, ...]
    outcomes: tuple[Outcome, ...]
    seconds: float
    index: Path
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """130 when stopped by Ctrl-C, 1 when any review failed, else 0."""
        return 130 if self.interrupted else 1 if counts(self.outcomes)["failed"] else 0

    def by_status(self, status: str) -> list[str]:
        """Ids of the reviews with ``status``, sorted."""
        return sorted(o.review_id for o in self.outcomes if o.status == status)


def run_batch(configs: Sequence[str | Path], *, areas: str | None = None, years: str | None = None,
              window: int | None = None, formats: Sequence[str] = DEFAULT_FORMATS, lang: str | None = None,
              out: str | Path = "outputs", notebook: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, force: bool = False, allow_invalid: bool = False,
              final: bool = False, stream: TextIO | None = None, parameters: dict[str, str] | None = None,
              timeout: float | None = None, select: Sequence[str] = ()) -> BatchResult:
    """Render many reviews, each in its own worker and kernel, skipping those already up to date.

    Parameters
    ----------
    configs : paths
        Review configs (YAML).
    areas : str, optional
        Expand each config over areas: ``all-districts`` (of the config's province), ``every-district`` (of the catalog) or codes
        ``"901,902"``.
    years, window : optional
        Expand over periods: ``"2013-2022"`` gives one annual review per year; with ``window=5``
        every 5-year span ending in 2017…2022 instead.
    formats, lang, out, notebook
        As for :func:`evaltools.render.run.run_review`.
    workers : int, optional
        Local worker processes (default: the CPUs available, at most one per review).
    scheduler : str, optional
        Address of a Dask distributed scheduler to render on instead (``tcp://host:8786``).
    force : bool
        Render even the reviews whose inputs did not change.
    allow_invalid, final : bool
        As for :func:`evaltools.render.run.run_review`.
    stream : text stream, optional
        Where progress goes (default: stderr).
    parameters : dict, optional
        ``-p`` values for every review's notebook (texts), checked against each notebook.
    timeout : float, optional
        Seconds a cell may run (``--execution-timeout``).
    select : patterns, optional
        Render only the reviews these globs match (id, area code or name; ``--select``); one that
        matches none is refused.

    Raises
    ------
    EvaltoolsError
        Before anything is rendered: a bad config, area, period or format, duplicate ids, a
        ``select`` pattern that matches no review.
    """
    clock = time.perf_counter()
    check_formats(formats)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers: expected 1 or more, found {workers}")
    out, cache = Path(out).resolve(), DataCache()
    notebook = Path(notebook).resolve() if notebook else None
    jobs = plan(configs, out, areas, years, window, cache, select)
    given = dict(parameters or {})
    skipped, tasks = _split(jobs, formats, lang, out, notebook, force, cache, given)
    tasks = [replace(t, allow_invalid=allow_invalid, final=final, parameters=tuple(given.items()), timeout=timeout)
             for t in tasks]
    progress = Progress(len(jobs), stream)
    progress.start()
    for outcome in skipped:
        progress.update(outcome)
    try:
        if not tasks:
            rendered, stopped = [], False
        elif scheduler:
            rendered, stopped = execute.run_dask(tasks, scheduler, progress.update)
        else:
            size = min(workers or execute.default_workers(), len(tasks))
            rendered, stopped = execute.run_local(tasks, size, progress.update)
    finally:
        progress.close()
    index = write_index(out)
    return BatchResult(tuple(jobs), tuple(skipped + rendered), time.perf_counter() - clock, index, stopped)


def _split(jobs: Sequence[Job], formats: Sequence[str], lang: str | None, out: Path, notebook: Path | None, force: bool,
           cache: DataCache, given: dict[str, str]) -> tuple[list[Outcome], list[execute.Task]]:
    """Skipped outcomes for the jobs whose last good outputs match their inputs; tasks for the rest."""
    skipped, tasks = [], []
    for job in jobs:
        if not force and _current(job, formats, lang, out, notebook, cache, given):
            skipped.append(Outcome(job.review_id, "skipped", message="unchanged"))
        else:
            tasks.append(execute.Task(job.review_id, job.config, tuple(formats), lang, out, notebook))
    return skipped, tasks


def _current(job: Job, formats, lang, out: Path, notebook: Path | None, cache: DataCache,
             given: dict[str, str]) -> bool:
    try:
        return up_to_date(out / job.review_id, job_fingerprint(job.config, lang, formats, notebook, cache, given))
    except UsageError:
        raise                 # a -p key the notebook does not have: refused before anything renders
    except EvaltoolsError:
        return False          # bad data: render it, and the run names the problem
