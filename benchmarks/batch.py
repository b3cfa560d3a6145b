"""Benchmark: ``evaltools batch`` over a province's 24 districts, side by side with the alternatives.

    .venv/bin/python benchmarks/batch.py [--districts 24] [--to html,pdf] [--first 2018 --last 2022] [--no-hand-chain]

In one run, on a synthetic province (data/province.py's write_province), each batch on fresh outputs:

1. ``evaltools batch`` of the district reviews with 2 workers, warm kernels (the default);
2. the same with cold kernels (``EVALTOOLS_COLD_KERNELS=1``: a new kernel for every notebook);
3. (1) with 1 worker, then (2) with 1 worker: target 2 workers >= 1.9 x faster than 1;
4. the hand chain a user would loop over for the same reviews, one after another:
   ``papermill`` CLI, ``jupyter nbconvert --to html --no-input``, ``jupyter nbconvert
   --to evaltools_pdf`` (as benchmarks/render.py): the ratio is reported;
5. an unchanged re-run of (1): target <= 3 % of the first run.

Reviews per core-minute: reviews / (wall minutes x the workers' cores), the throughput a ministry buys;
per CPU-minute: reviews / (CPU minutes of every process involved).

Besides wall time each line reports the CPU time of all processes involved (workers and
kernels included) and so the cores kept busy on average, which bounds the speed-up, and
the cores that processes not ours kept busy meanwhile (other users of the machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "programmes" / "ct20" / "review.ipynb"      # the synthetic province's programme


OTHERS = [0.0]          # CPU seconds used by processes not ours while we measured (other users)


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all processes), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of every descendant, stdout."""
    before, busy = resource.getrusage(resource.RUSAGE_CHILDREN), machine_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    OTHERS[0] += max(0.0, machine_cpu() - busy - ours)
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def others() -> float:
    """CPU seconds used by other processes since the last call."""
    seconds, OTHERS[0] = OTHERS[0], 0.0
    return seconds


def batch(template: Path, out: Path, workers: int, formats: str, cold: bool = False) -> tuple[float, float, str]:
    env = {"EVALTOOLS_COLD_KERNELS": "1" if cold else "0"}
    return measured([str(BIN / "evaltools"), "batch", str(template), "--areas", "all-districts", "--to", formats,
                     "--workers", str(workers), "--out", str(out)], env)


def hand_chain(configs: list[Path], work: Path, formats: str) -> tuple[float, float]:
    wall = cpu = 0.0
    for config in configs:
        executed = work / f"{config.stem}.ipynb"
        steps = [[str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-k", "python3", "-p", "review", str(config),
                  "--no-progress-bar", "--cwd", str(config.parent)]]
        if "html" in formats:
            steps.append([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
        if "pdf" in formats:
            steps.append([str(BIN / "jupyter"), "nbconvert", "--to", "evaltools_pdf", str(executed)])
        for step in steps:
            w, c, _ = measured(step)
            wall, cpu = wall + w, cpu + c
    return wall, cpu


def line(name: str, wall: float, cpu: float, count: int, cores: int | None = None) -> str:
    per_core = f"  {count / (wall / 60 * cores):5.2f} reviews/core-min" if cores else ""
    return (f"{name:<32} {wall:7.1f} s  {wall / count:5.2f} s/review  CPU {cpu:7.1f} s  "
            f"{count / (cpu / 60):5.2f} reviews/CPU-min{per_core}  cores busy {cpu / wall:4.2f}  "
            f"(others {others() / wall:4.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=24)
    parser.add_argument("--first", type=int, default=2018)
    parser.add_argument("--last", type=int, default=2022)
    parser.add_argument("--to", default="html,pdf")
    parser.add_argument("--no-hand-chain", action="store_true", help="skip the hand chain (the slowest part)")
    args = parser.parse_args()
    from evaltools.batch.plan import plan
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
    from province import write_province

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = write_province(tmp / "province", districts=args.districts, first_year=args.first,
                                  last_year=args.last, seed=1)
        n = args.districts
        print(f"{n} district reviews {args.first}-{args.last} ({args.to}) of a synthetic province, "
              f"{sum(1 for _ in (tmp / 'province' / 'values').glob('*.csv'))} value files; load average "
              f"(1, 5, 15 min) at the start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        runs = {}
        for workers, cold in ((2, False), (2, True), (1, False), (1, True)):    # interleaved: drift hits both
            name = f"{'cold' if cold else 'warm'}, {workers} worker{'s' if workers > 1 else ''}"
            runs[workers, cold] = batch(template, tmp / f"{workers}-{cold}", workers, args.to, cold)
            print(line(f"evaltools batch, {name}", *runs[workers, cold][:2], n, workers), flush=True)
        two, one = runs[2, False], runs[1, False]
        hand = None
        if not args.no_hand_chain:
            configs = [job.config for job in plan([template], tmp / "hand", areas="all-districts")]
            (tmp / "hand" / "nb").mkdir(parents=True)
            hand = hand_chain(configs, tmp / "hand" / "nb", args.to)
            print(line("hand chain, sequential loop", hand[0], hand[1], n, 1), flush=True)
        again = batch(template, tmp / "2-False", 2, args.to)
        assert f"{n} reviews: 0 done, {n} skipped, 0 failed" in again[2], again[2]
        print(line("unchanged re-run (2 workers)", again[0], again[1], n))
        print(f"warm / cold, 2 workers       {runs[2, True][0] / two[0]:6.2f} x reviews per core-minute")
        print(f"warm / cold, 1 worker        {runs[1, True][0] / one[0]:6.2f} x reviews per core-minute")
        print(f"1 worker / 2 workers, warm   {one[0] / two[0]:6.2f} x   (target >= 1.9)")
        print(f"1 worker / 2 workers, cold   {runs[1, True][0] / runs[2, True][0]:6.2f} x")
        if hand:
            print(f"hand chain / batch 2 workers {hand[0] / two[0]:6.2f} x")
            print(f"hand chain / batch 1 worker  {hand[0] / one[0]:6.2f} x")
        print(f"re-run / first run           {100 * again[0] / two[0]:6.2f} %   (target <= 3 %)")
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
