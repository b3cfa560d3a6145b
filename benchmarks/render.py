"""Benchmark: ``evaltools run`` against the hand chain and against bare execution.

    .venv/bin/python benchmarks/render.py [--repeat 3] [--baseline DIR]

Side by side, interleaved, for the default review (HTML and PDF):

- ``evaltools run``: the command a user types (one process);
- the hand chain a user would type for the same notebook: ``papermill`` CLI, then
  ``jupyter nbconvert --to html --no-input``, then ``jupyter nbconvert --to evaltools_pdf``;
- the floor: executing the same notebook in this process with Papermill's Python API
  and nothing else (it loads the review itself; no export, no outputs);
- with ``--baseline DIR`` (a checkout of an earlier commit, e.g. ``git archive <commit> src | tar -x -C DIR``,
  then ``python -m compileall -q DIR/src``): its ``evaltools run`` too, its ``src/`` first on ``PYTHONPATH`` (in
  the kernels as well), so before and after are measured in one run, interleaved, at the same load.

Prints the median of each and the ratios (targets: run <= 0.5 x hand chain,
run <= 1.3 x floor), in wall-clock seconds and in CPU seconds (user + system of this process and
every process it waited for: the kernel, the helper, the hand chain's commands). On a shared,
loaded machine the wall clock measures the neighbours as much as the review; the CPU seconds much
less so, and the load average (printed before and after) says which to believe.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "data" / "reviews" / "ct20-2012-2017.yaml"
NOTEBOOK = ROOT / "programmes" / "ct20" / "review.ipynb"
BIN = Path(sys.executable).parent


def timed(func) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``func()`` (CPU: this process and the children it waited for)."""
    def cpu() -> float:
        mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime

    start, used = time.perf_counter(), cpu()
    func()
    return time.perf_counter() - start, cpu() - used


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def evaltools_run(work: Path, src: Path | None = None) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    subprocess.run([str(BIN / "evaltools"), "run", "ct20-2012-2017", "--out", str(work / "outputs")],
                   check=True, capture_output=True, cwd=ROOT, env=env)


def hand_chain(work: Path) -> None:
    executed = work / "review.ipynb"
    steps = [
        [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-k", "python3", "-p", "review", str(REVIEW),
         "--no-progress-bar", "--cwd", str(NOTEBOOK.parent)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "evaltools_pdf", str(executed)],
    ]
    for step in steps:
        subprocess.run(step, check=True, capture_output=True, cwd=ROOT)


def floor(work: Path) -> None:
    import papermill

    from evaltools.render.kernel import KERNEL_NAME, ProjectKernelManager
    papermill.execute_notebook(str(NOTEBOOK), str(work / "floor.ipynb"), parameters={"review": str(REVIEW)},
                               kernel_name=KERNEL_NAME, language="python", progress_bar=False,
                               request_save_on_cell_execute=False,
                               kernel_manager_class=ProjectKernelManager)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code before: its evaltools run is timed too")
    args = parser.parse_args()
    runs = {"evaltools run": evaltools_run, "hand chain": hand_chain, "floor (in-process)": floor}
    if args.baseline:
        runs["run (baseline)"] = lambda work: evaltools_run(work, args.baseline.resolve() / "src")
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    print(f"before: {load()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        floor(Path(tmp))                      # warm caches (matplotlib fonts, page cache) once for all
        for _ in range(args.repeat):
            for name, func in runs.items():
                with tempfile.TemporaryDirectory() as work:
                    wall, cpu = timed(lambda: func(Path(work)))
                    times[name].append(wall)
                    cpus[name].append(cpu)
    print(f"after:  {load()}")
    for label, measured in (("wall", times), ("CPU", cpus)):
        median = {name: statistics.median(t) for name, t in measured.items()}
        for name, value in median.items():
            print(f"{name:<20} {value:6.2f} s {label:<4}  (runs: {', '.join(f'{t:.2f}' for t in measured[name])})")
        print(f"run / hand chain     {median['evaltools run'] / median['hand chain']:6.2f}   {label:<4}  (target <= 0.5)")
        print(f"run / floor          {median['evaltools run'] / median['floor (in-process)']:6.2f}   {label:<4}  "
              "(target <= 1.3)")
        if args.baseline:
            for name in ("hand chain", "floor (in-process)"):
                print(f"baseline / {name:<10.10} {median['run (baseline)'] / median[name]:6.2f}   {label:<4}")


if __name__ == "__main__":
    main()
