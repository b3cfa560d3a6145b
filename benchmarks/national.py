"""Benchmark: a sample of a national batch, and the hours ~700 district reviews would take on N workers.

    .venv/bin/python benchmarks/national.py [--reviews 10] [--workers 2] [--to html,pdf]
                                            [--work /tmp/evaltools-store-bench]

Uses the synthetic country of benchmarks/store.py (written there first, or here when
missing). Renders ``--reviews`` district reviews spread over the provinces with
``evaltools batch --areas CODES`` on ``--workers`` local workers, reading the country's
columnar copy (built first, timed apart), and prints the throughput, the time per review
on one worker, the peak memory of every process of the batch apart (the batch itself, which
plans and fingerprints every review, each worker, each kernel: benchmarks/peaks.py) and of the
``validate`` that built the copy, and the projected hours for every district of the country
on 2, 8, 32 and 128 workers.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peaks import report, run_tree  # noqa: E402
from store import country, country_options  # noqa: E402

EVALTOOLS = [sys.executable, "-m", "evaltools"]


def main() -> None:
    parser = country_options(__doc__)
    parser.add_argument("--reviews", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--to", default="html,pdf")
    args = parser.parse_args()
    root = country(args.work, args.provinces, args.districts, args.first, args.last)
    from evaltools.batch.plan import EVERY_DISTRICT, area_codes
    from evaltools.model.catalog import load_catalog
    from evaltools.project.review import load_review

    config = root / "data" / "reviews" / f"ct20-{args.first}-{args.last}.yaml"
    units = load_catalog(root / "data" / "catalog").units
    every = area_codes(EVERY_DISTRICT, load_review(config), units, args.last)
    sample = every[:: max(1, len(every) // args.reviews)][: args.reviews]
    started = time.perf_counter()
    checked, checks = run_tree(EVALTOOLS + ["validate", str(config)], root)    # builds the copy
    build = time.perf_counter() - started
    out = root / f"national-{time.time_ns()}"
    started = time.perf_counter()
    done, peaks = run_tree(EVALTOOLS + ["batch", str(config), "--areas", ",".join(sample), "--to", args.to,
                                        "--workers", str(args.workers), "--out", str(out)], root)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
    per_review = wall * args.workers / len(sample)
    print(f"{len(every)} districts in the country; sample of {len(sample)} ({', '.join(sample)}), {args.to}")
    print(f"columnar copy built (validate of the whole store)  {build:7.1f} s")
    print(f"batch on {args.workers} local workers             {wall:7.1f} s  "
          f"{len(sample) / wall * 3600:6.0f} reviews/hour")
    print(f"per review on one worker                          {per_review:7.1f} s")
    print("peak memory of each process of the batch (target < 1024 MB each):")
    print("\n".join(report(peaks)))
    print(f"peak memory of the validate that built the copy (exit {checked.returncode}):")
    print("\n".join(report(checks)))
    for n in (2, 8, 32, 128):
        print(f"projected: {len(every)} reviews on {n:>3} workers        {len(every) * per_review / n / 3600:7.2f} h")
    print(f"(machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
