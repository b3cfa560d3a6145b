"""Where the CPU seconds of one ``evaltools run`` go, step by step.

    .venv/bin/python benchmarks/render_steps.py

Renders the default review (HTML and PDF) in this process with the steps one after the other
(``overlap=False``) on one kept kernel, as ``evaltools run`` shares one kernel between its two
notebooks, and prints the CPU seconds (user + system) of each step, the kernel's included. In
``evaltools run`` the indicator tables run in a forked helper and the data-quality notebook in a
thread, overlapped with the report and its PDF: the same CPU seconds in a shorter wall time.
"""

from __future__ import annotations

import functools
import os
import resource
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


def cpu() -> float:
    """CPU seconds of this process, of the children it waited for, and of its running children (the kernel)."""
    mine, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    running = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            running += (int(fields[11]) + int(fields[12])) / TICK
    return mine.ru_utime + mine.ru_stime + waited.ru_utime + waited.ru_stime + running


def main() -> None:
    os.chdir(ROOT)
    spent: dict[str, float] = defaultdict(float)
    start = cpu()
    from evaltools import export
    from evaltools.render import run
    from evaltools.render.kernel import WarmKernel
    spent["imports of the command"] = cpu() - start

    def timed(module, name: str, label: str) -> None:
        real = getattr(module, name)

        @functools.wraps(real)
        def wrapper(*args, **kwargs):
            before = cpu()
            try:
                return real(*args, **kwargs)
            finally:
                spent[label.format(getattr(args[0], "name", ""))] += cpu() - before
        setattr(module, name, wrapper)

    timed(run, "_prepare", "data read and checked (open_review, validate)")
    timed(run, "execute", "notebook {} (kernel start or reset, cells)")
    timed(run, "indicators_csv", "indicators.csv")
    timed(run, "indicators_xlsx", "indicators.xlsx")
    timed(run, "_write_facts", "facts.json and the consistency audit")
    timed(export, "to_html", "HTML pages (report, data-quality page)")
    timed(export, "to_pdf_from_html", "report.pdf (WeasyPrint)")
    kernel = WarmKernel()
    with tempfile.TemporaryDirectory() as out:
        begun = cpu()
        run.run_review("ct20-2012-2017", out=out, overlap=False, kernel=kernel)
        total = cpu() - begun
    kernel.close()
    steps = sum(v for k, v in spent.items() if k != "imports of the command")
    print(f"{'step':<60} CPU-s")
    for name, seconds in spent.items():
        print(f"{name:<60} {seconds:5.2f}")
    print(f"{'the rest (staging, snapshot, fingerprint, manifest)':<60} {total - steps:5.2f}")
    print(f"{'run_review in all (without the imports)':<60} {total:5.2f}")
    print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
