"""Executing one notebook with Papermill in the project's kernel, and saying where it failed.

A failing cell, one that runs longer than ``--execution-timeout`` (Papermill's
``execution_timeout``, per cell), or one whose kernel dies ends the run with one line naming the notebook, the cell
as numbered in the committed notebook and its section; the executed notebook is kept in
``<out>/<id>/failed/``. Progress comes from nbclient's cell hooks (:mod:`evaltools.render.progress`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from evaltools.core import faults, interrupts, iorw
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.project.outpaths import review_folder
from evaltools.render.progress import Watch
from evaltools.render.kernel import KERNEL_NAME, ProjectKernelManager

if TYPE_CHECKING:
    from evaltools.render.kernel import WarmKernel

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def execute(notebook: Path, output: Path, parameters: dict, target: Path, watch: Watch | None = None,
            timeout: float | None = None, kernel: WarmKernel | None = None):
    """Execute ``notebook`` into ``output`` with ``parameters``; return the executed notebook.

    Parameters
    ----------
    notebook, output : path
        The notebook to run and where Papermill writes the executed copy.
    parameters : dict
        Papermill's parameters (injected after the cell tagged ``parameters``).
    target : path
        The review's outputs folder: a failed notebook is kept in its ``failed/``.
    watch : Watch, optional
        Follows the cells (progress lines, the cell a timeout stopped).
    timeout : float, optional
        Seconds a cell may run (default: no limit).
    kernel : WarmKernel, optional
        Run on this kept kernel (reset first; replaced next time if the notebook did not end cleanly)
        instead of a kernel started for this notebook alone.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if not notebook.is_file():
        raise EvaltoolsError(f"{display_path(notebook)}: notebook not found")
    hooks = _stepped(watch.hooks() if watch else {}, output)
    clean = False                         # the kept kernel is fine afterwards: the notebook ended, or a cell raised
    try:
        if kernel:
            hooks["km"] = kernel.acquire()
        nb = papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=KERNEL_NAME, language="python",
            progress_bar=False, request_save_on_cell_execute=False, kernel_manager_class=ProjectKernelManager,
            execution_timeout=timeout, engine_name=_engine(), **hooks)
        # No ``cwd=``: Papermill would chdir the whole process, and two notebooks run at once.
        clean = True
    except PapermillExecutionError as exc:
        clean = True
        failed = _keep(output, target, notebook)
        raise EvaltoolsError(describe_failure(exc, notebook, failed, watch)) from None
    except (CellTimeoutError, DeadKernelError) as exc:
        import nbformat

        # Papermill writes no notebook then: the engine handed over the cells run so far.
        failed = iorw.atomic_write(review_folder(target, "failed") / notebook.name, nbformat.writes(exc.notebook))
        number, section = watch.where() if watch else (None, None)
        where = f"cell {number} (section {section})" if number else "a cell"
        happened = ("the kernel died (the cell ended its process: a crash, os._exit, out of memory)"
                    if isinstance(exc, DeadKernelError) else
                    f"still running after {timeout:g} s (--execution-timeout {timeout:g}); stopped")
        raise EvaltoolsError(f"{display_path(notebook)}, {where}: {happened}; executed notebook kept in "
                             f"{display_path(failed)}") from None
    finally:
        if kernel:
            kernel.release(clean)
    if watch:
        watch.finish()
    return nb


def _stepped(hooks: dict, output: Path) -> dict:
    """nbclient's cell hooks, each cell also a step of the run: reported (:mod:`evaltools.core.faults`) and a point
    where a Ctrl-C that was swallowed elsewhere stops the run (:mod:`evaltools.core.interrupts`)."""
    def step(name: str, hook):
        def reached(cell, cell_index: int, **kwargs) -> None:
            faults.point(name, output)
            interrupts.checkpoint()
            if hook:
                hook(cell=cell, cell_index=cell_index, **kwargs)
        return reached
    return {"on_cell_start": step("cell", hooks.get("on_cell_start")),
            "on_cell_executed": step("cell.done", hooks.get("on_cell_executed"))}


ENGINE = "evaltools"


@functools.cache
def _engine() -> str:
    """Papermill's nbclient engine, registered under :data:`ENGINE`, that hands a timeout or a dead kernel its
    notebook."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.engines import NBClientEngine, papermill_engines

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except (CellTimeoutError, DeadKernelError) as exc:
                exc.notebook = nb_man.nb          # the cells run so far, for failed/
                raise

    papermill_engines.register(ENGINE, Engine)
    return ENGINE


def _keep(output: Path, target: Path, notebook: Path) -> Path:
    """The executed notebook, kept in ``<target>/failed/`` for the user to open."""
    return iorw.atomic_write(review_folder(target, "failed") / notebook.name, output.read_bytes())


def describe_failure(exc, notebook: Path, failed: Path, watch: Watch | None = None) -> str:
    """One line: the cell (as numbered in the committed notebook), its section, its line and the exception."""
    import nbformat

    cells = nbformat.read(failed, as_version=4).cells
    markers = [i for i, c in enumerate(cells) if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])]
    index = exc.cell_index - (1 if injected and exc.cell_index > injected[0] - len(markers[:1]) else 0)
    found = _CELL_LINE.findall(_ANSI.sub("", "\n".join(exc.traceback)))
    line = int(found[0]) if found else 1
    source = exc.source.splitlines()[line - 1].strip() if exc.source.strip() else ""
    section = f"section {watch.where()[1]}; " if watch and watch.current else ""
    return (f"{display_path(notebook)}, cell {index + 1}, line {line} `{source}`: "
            f"{exc.ename}: {exc.evalue} ({section}executed notebook kept in {display_path(failed)})")
