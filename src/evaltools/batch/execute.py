"""Running render tasks: a local pool of worker processes, or a Dask distributed cluster.

Each task is one :func:`evaltools.render.run.run_review` in its own worker: its own staging
folder and its own kernel (which talks over IPC sockets in a private folder, so kernels
never race for ports). Workers share nothing but the outputs folder, where each writes
only ``<out>/<its id>/`` through a staging folder swapped in when complete.

A local worker keeps one warm kernel (:class:`evaltools.render.kernel.WarmKernel`) for all its
reviews' notebooks: the report stack is imported once, and each notebook starts on a reset
namespace; a kernel that died, timed out or was interrupted is replaced. ``EVALTOOLS_COLD_KERNELS=1``
starts a kernel for every notebook instead (as Dask workers, which run tasks on threads, always do).

Ctrl-C: the main process sets an event that every local worker watches; a worker
then interrupts its own main thread, which unwinds :func:`run_review` (the staging folder
is removed, earlier outputs stay) and reports the task as interrupted. Tasks not yet
started are cancelled. On a Dask cluster, tasks not yet started are cancelled; running
ones cannot be stopped from here and finish whole (their outputs appear complete or not
at all).
"""

from __future__ import annotations

import logging
import multiprocessing.util
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from evaltools.core import faults, interrupts
from evaltools.core.errors import EvaltoolsError
from evaltools.render.kernel import WarmKernel
from evaltools.store.publish import LAST
from evaltools.batch.summary import Outcome
from evaltools.core.failures import quiet_unraisable
from evaltools.render.run import run_review

Report = Callable[[Outcome], None]
COLD = "EVALTOOLS_COLD_KERNELS"        # set (to anything but "" or "0"): a fresh kernel for every notebook


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to render one review (plain, picklable values)."""

    review_id: str
    config: Path
    formats: tuple[str, ...]
    lang: str | None
    out: Path
    notebook: Path | None              # None: each review's own (config or programme)
    allow_invalid: bool = False
    final: bool = False
    parameters: tuple[tuple[str, str], ...] = ()      # -p KEY VALUE, as typed
    timeout: float | None = None                      # --execution-timeout


class Interrupted(KeyboardInterrupt):
    """Raised in a worker's main thread when the batch is stopped."""


_state: dict = {"running": False, "stopped": False, "kernel": None}


def _on_stop(signum, frame) -> None:
    _state["stopped"] = True
    if _state["running"]:
        _state["running"] = False          # raise once: the unwinding must not be interrupted again
        # raised here, and again at the run's next step if it landed where Python swallows it
        interrupts.request(Interrupted)


def init_worker(stop) -> None:
    """Set up a local worker: Ctrl-C is the main process's to handle; ``stop`` interrupts the task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_stop)
    faults.adopt()
    # a stop landing in a callback from native code (nh3's attribute filter) is "ignored" with a traceback
    sys.unraisablehook = quiet_unraisable
    # a stop while a kernel shuts down leaves asyncio tasks (nbclient's kernel poller) whose exceptions it would
    # print as "Task exception was never retrieved"; the batch reports the review as interrupted instead
    logging.getLogger().addHandler(logging.NullHandler())
    main = threading.main_thread().ident

    def watch() -> None:
        stop.wait()
        signal.pthread_kill(main, signal.SIGTERM)

    threading.Thread(target=watch, name="evaltools-stop", daemon=True).start()
    if os.environ.get(COLD, "") in ("", "0"):
        _state["kernel"] = WarmKernel()           # started by the first notebook, shut down when the worker ends
        multiprocessing.util.Finalize(None, _state["kernel"].close, exitpriority=10)


def render(task: Task) -> Outcome:
    """Render one review; never raises for the review's own problems (they become a failed outcome)."""
    if _state["stopped"]:
        return Outcome(task.review_id, "interrupted")
    clock, started = time.perf_counter(), time.time()
    _state["running"] = True
    try:
        # One core per review: the pool already keeps every core busy.
        run_review(task.config, task.formats, task.lang, task.out, task.notebook, task.allow_invalid, overlap=False,
                   final=task.final, parameters=dict(task.parameters), timeout=task.timeout, kernel=_state["kernel"])
        return Outcome(task.review_id, "done", time.perf_counter() - clock)
    except Interrupted:
        # a stop that arrives while the outputs are published is held until they are: it then lands
        # after a complete review, which must be reported done (its manifest goes in last)
        status = "done" if _published_since(task, started) else "interrupted"
        return Outcome(task.review_id, status, time.perf_counter() - clock)
    except EvaltoolsError as exc:
        message = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        return Outcome(task.review_id, "failed", time.perf_counter() - clock, message)
    except Exception as exc:  # noqa: BLE001 - a bug in one review must not stop the others
        return Outcome(task.review_id, "failed", time.perf_counter() - clock, f"{type(exc).__name__}: {exc}")
    finally:
        _state["running"] = False


def _published_since(task: Task, started: float) -> bool:
    try:
        return (task.out / task.review_id / LAST).stat().st_mtime >= started
    except OSError:
        return False


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _collect(futures: dict[Future, Task], report: Report) -> list[Outcome]:
    outcomes = []
    for future in as_completed(futures):
        interrupts.checkpoint()
        outcomes.append(_outcome(future, futures[future]))
        report(outcomes[-1])
    return outcomes


def _outcome(future: Future, task: Task) -> Outcome:
    if future.cancelled():
        return Outcome(task.review_id, "interrupted")
    try:
        return future.result()
    except KeyboardInterrupt:
        return Outcome(task.review_id, "interrupted")
    except Exception as exc:  # noqa: BLE001 - a worker that died, a lost connection
        return Outcome(task.review_id, "failed", 0.0, f"worker lost: {type(exc).__name__}: {exc}")


def run_local(tasks: Sequence[Task], workers: int, report: Report) -> tuple[list[Outcome], bool]:
    """Render on a pool of ``workers`` fresh processes; returns the outcomes and whether stopped."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")      # fresh interpreters: no state shared with this one
    stop = context.Event()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker, initargs=(stop,))
    futures = {pool.submit(render, task): task for task in tasks}
    try:
        return _collect(futures, report), False
    except KeyboardInterrupt:
        with _no_second_interrupt():
            stop.set()
            for future in futures:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            return _settle(futures), True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _settle(futures: dict[Future, Task]) -> list[Outcome]:
    """Outcomes of every task after a stop; unfinished ones leave no staging folder behind."""
    outcomes = []
    for future, task in futures.items():
        outcome = _outcome(future, task)
        if outcome.status == "interrupted":
            for stale in task.out.glob(f".{task.review_id}.*.tmp"):
                shutil.rmtree(stale, ignore_errors=True)
        outcomes.append(outcome)
    return outcomes


class _no_second_interrupt:
    """Ignore further Ctrl-C while the batch stops cleanly (main thread only)."""

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def run_dask(tasks: Sequence[Task], scheduler: str, report: Report) -> tuple[list[Outcome], bool]:
    """Render on the Dask distributed cluster at ``scheduler`` (its workers must see the same paths)."""
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise EvaltoolsError("--scheduler needs Dask: pip install 'evaltools[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise EvaltoolsError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from None
    with client:
        futures = {client.submit(render_on_dask, task, key=f"evaltools-{task.review_id}-{os.getpid()}-{time.time_ns()}",
                                 pure=False): task for task in tasks}
        outcomes = []
        try:
            for future in dask_completed(list(futures)):
                outcomes.append(_outcome(future, futures[future]))
                report(outcomes[-1])
            return outcomes, False
        except KeyboardInterrupt:
            with _no_second_interrupt():
                client.cancel(list(futures))
                done = {o.review_id for o in outcomes}
                return outcomes + [Outcome(t.review_id, "interrupted") for t in tasks if t.review_id not in done], True


def render_on_dask(task: Task) -> Outcome:
    """:func:`render` on a Dask worker, the outcome naming that worker (``dask worker --name``, else its address)
    for the summary's time per worker and ``run_results.json``."""
    from distributed import get_worker      # the optional dependency (evaltools[dask]); only runs on a Dask worker

    return replace(render(task), worker=str(get_worker().name))
