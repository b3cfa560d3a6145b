"""Benchmark: a district review on the national store against the same review on a one-district store, the
peak memory of every process, and the hours all the country's district reviews would take.

    .venv/bin/python benchmarks/national.py [--provinces 29 --districts 24] [--first 2016 --last 2022]
                                            [--repeat 3] [--reviews 4] [--workers 2] [--to html]
                                            [--work /tmp/evaltools-store-bench]

Uses the synthetic country of benchmarks/store.py (written there first, or here when missing: a
root unit VN, ``provinces`` × ``districts`` districts) and, beside it, a data root with the same
catalog and reviews but only district 0101's rows (its communes and itself). In one run, side by side:

1. the columnar copy and the parsed-catalog cache built in both roots (``evaltools validate REVIEW``),
   then the whole-store check of the country (``evaltools validate REVIEW --store``), timed apart;
2. ``evaltools run`` of the review of district 0101 (fresh processes, as a user runs it), interleaved:
   one-district store, national store, ``--repeat`` times. Printed: wall and CPU seconds (CPU: the
   command and every process it waited for, kernels included; steadier than wall time on a shared
   machine), best and median, and the ratio national / one district (target <= 1.1 x);
3. ``evaltools batch`` of ``--reviews`` district reviews spread over the provinces on ``--workers``
   local workers (the same copy), with the peak memory of every process apart (the batch, each
   worker, each kernel: benchmarks/peaks.py);
4. the projected wall time of every district review of the country: on 2 cores from the batch's
   measured throughput on ``--workers`` workers (scaled when that is not 2), and on 16 workers
   from the per-review time on one worker (a batch's wall × workers / reviews), assuming the
   workers scale linearly (each has its own core; the store read is per review, not shared);
   and the same from the batch's CPU seconds per review, what cores nobody else uses would take
   (on a shared, loaded machine the wall times above include the other users' work).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peaks import Peak, report, run_tree  # noqa: E402
from store import country, country_options, variant  # noqa: E402

EVALTOOLS = [sys.executable, "-m", "evaltools"]
DISTRICT = "0101"


def timed(command: list[str], cwd: Path) -> tuple[float, float, list[Peak]]:
    """Wall and CPU seconds (the command and the processes it waited for) and every process's peak."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done, peaks = run_tree(command, cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0,) and command[3] != "validate":
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peaks


def side_by_side(stores: dict[str, Path], config: str, repeat: int, to: str) -> dict[str, list]:
    """``evaltools run`` of the review on each store, interleaved ``repeat`` times: [(wall, cpu, peaks)]."""
    out: dict[str, list] = {name: [] for name in stores}
    for i in range(repeat):
        for name, root in stores.items():
            target = root / f"bench-out-{time.time_ns()}"
            out[name].append(timed(EVALTOOLS + ["run", config, "--to", to, "--out", str(target), "-q"], root))
            print(f"  run {i + 1}/{repeat} {name:<16} wall {out[name][-1][0]:6.1f} s  CPU {out[name][-1][1]:6.1f} s",
                  flush=True)
    return out


def shown(peaks: list[Peak], floor: float = 20.0) -> str:
    """The processes of at least ``floor`` MB, one line each, and how many smaller helpers there were
    (WeasyPrint's library look-ups start a compiler and a linker for a moment)."""
    small = [p for p in peaks if p.mb < floor]
    lines = report([p for p in peaks if p.mb >= floor])
    return "\n".join(lines + ([f"  (and {len(small)} helper processes under {floor:.0f} MB)"] if small else []))


def batch(root: Path, config: str, sample: list[str], workers: int, to: str) -> tuple[float, float, list[Peak]]:
    """Wall and CPU seconds of ``evaltools batch`` over ``sample`` on ``workers`` local workers, and its
    processes' peaks."""
    out = root / f"national-{time.time_ns()}"
    wall, cpu, peaks = timed(EVALTOOLS + ["batch", config, "--areas", ",".join(sample), "--to", to,
                                        "--workers", str(workers), "--out", str(out), "-q"], root)
    return wall, cpu, peaks


def main() -> None:
    parser = country_options(__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reviews", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--to", default="html")
    args = parser.parse_args()
    whole = country(args.work, args.provinces, args.districts, args.first, args.last)
    from evaltools.batch.plan import EVERY_DISTRICT, area_codes
    from evaltools.project.review import load_review
    from evaltools.store.catalogcache import load_cached

    config = f"data/reviews/ct20-{args.first}-{args.last}.yaml"
    units = load_cached(whole / "data" / "catalog").units
    mine = set(units.loc[units["parent"] == DISTRICT, "code"].astype(str)) | {DISTRICT}
    one = variant(args.work, whole, f"one-{whole.name}", lambda u: u.isin(mine))
    stores = {"one district": one, "national": whole}
    every = area_codes(EVERY_DISTRICT, load_review(whole / config), units, args.last)
    sample = every[:: max(1, len(every) // args.reviews)][: args.reviews]
    print(f"{len(every)} districts, {len(units)} unit rows in the catalog; review of district {DISTRICT}, "
          f"{args.first}-{args.last}, --to {args.to}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, root in stores.items():
        wall, _, _ = timed(EVALTOOLS + ["validate", config], root)          # builds the copy and the catalog cache
        print(f"  first validate (builds the columnar copy, catalog cache) {name:<13} {wall:7.1f} s", flush=True)
    check_wall, check_cpu, check_peaks = timed(EVALTOOLS + ["validate", config, "--store"], whole)
    print(f"  validate --store (whole-store check) national              {check_wall:7.1f} s (CPU {check_cpu:.1f} s)")
    runs = side_by_side(stores, config, args.repeat, args.to)
    measured = batch(whole, config, sample, args.workers, args.to)
    summary(args, runs, every, sample, measured, check_peaks)


def summary(args, runs: dict[str, list], every: list[str], sample: list[str], measured: tuple,
            check_peaks: list[Peak]) -> None:
    """Print the side-by-side table, the ratio, peaks and the projections."""
    wall_sample, cpu_sample, batch_peaks = measured
    print(f"\n`evaltools run` of district {DISTRICT}, {args.repeat} interleaved repeats (fresh processes):")
    print(f"{'store':<16} {'wall best':>10} {'wall median':>12} {'CPU best':>9} {'CPU median':>11} {'peak MB':>8}")
    stats = {}
    for name, found in runs.items():
        walls, cpus = [r[0] for r in found], [r[1] for r in found]
        peak = max(p.mb for r in found for p in r[2])
        stats[name] = (min(walls), statistics.median(walls), min(cpus), statistics.median(cpus))
        print(f"{name:<16} {min(walls):9.1f}s {statistics.median(walls):11.1f}s {min(cpus):8.1f}s "
              f"{statistics.median(cpus):10.1f}s {peak:8.0f}")
    ratio = [stats["national"][i] / stats["one district"][i] for i in range(4)]
    print(f"national / one district: wall best {ratio[0]:.2f} x, median {ratio[1]:.2f} x; "
          f"CPU best {ratio[2]:.2f} x, median {ratio[3]:.2f} x   (target <= 1.1 x)")
    print("peak memory of each process of one `evaltools run` on the national store:")
    print(shown(runs["national"][-1][2]))
    print(f"peak memory of each process of the batch of {len(sample)} reviews on {args.workers} workers "
          f"({', '.join(sample)}):")
    print(shown(batch_peaks))
    print("peak memory of `validate --store` on the national store:")
    print(shown(check_peaks))
    per_review = wall_sample * args.workers / len(sample)          # one worker's seconds per review
    two_cores = len(every) * per_review / 2
    print(f"batch of {len(sample)} on {args.workers} workers: {wall_sample:.1f} s, "
          f"{len(sample) / wall_sample * 3600:.0f} reviews/hour; per review on one worker {per_review:.1f} s; "
          f"a lone `run` (best) {stats['national'][0]:.1f} s")
    print(f"projected: {len(every)} district reviews on  2 cores   {two_cores / 60:8.1f} min "
          f"({two_cores / 3600:.2f} h; target <= 60 min)")
    print(f"projected: {len(every)} district reviews on 16 workers {len(every) * per_review / 16 / 60:8.1f} min "
          "(one core each, linear scaling assumed)")
    # A review is CPU-bound: on cores nobody else uses, its wall time is its CPU time.
    cpu_review = cpu_sample / len(sample)
    print(f"CPU per review in the batch (worker, kernel, export): {cpu_review:.1f} s; from it, on cores of their own:")
    for n in (2, 16):
        print(f"projected from CPU: {len(every)} district reviews on {n:>2} cores  "
              f"{len(every) * cpu_review / n / 60:8.1f} min")
    print(f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; a shared machine "
          "inflates wall times, CPU times less)")


if __name__ == "__main__":
    main()
