"""Benchmark: one district's ``evaltools indicators`` and ``evaltools run`` as the store grows from 1 to ~700 districts.

    .venv/bin/python benchmarks/store.py [--provinces 29 --districts 24] [--first 2016 --last 2022]
                                         [--repeat 3] [--work /tmp/evaltools-store-bench] [--read-only]

A synthetic country (data/province.py: ``provinces`` × ``districts`` districts of 8–12
communes, one values file per province and year) is written once into ``--work`` and kept
for later runs. Three data roots share its catalog and the same review of district 0101;
only the store differs: the district's own rows, its province's files, the whole country.
For each, side by side in this process, fresh commands (new processes, as a user runs them):

- baseline: ``EVALTOOLS_COLUMNAR=off``, every CSV file read whole (the store before issue 15);
- columnar: the Parquet copy, first the command that builds it (cold), then warm (best of ``--repeat``).

Prints wall and CPU times (CPU: the command and the processes it waited for; steadier than
wall time on a shared machine), peak memory of each command, and the ratio of the largest
store to the smallest (target for the columnar read: <= 1.2 x). ``--read-only`` times the
store's read alone (checked rows of the review) in this process, without the commands' fixed costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVALTOOLS = [sys.executable, "-m", "evaltools"]


def country(work: Path, provinces: int, districts: int, first: int, last: int) -> Path:
    """The whole country's data root (written once, then reused)."""
    root = work / f"country-{provinces}x{districts}-{first}-{last}"
    if not (root / "done").exists():
        sys.path.insert(0, str(ROOT / "data"))
        from province import write_province

        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        write_province(root / "data", districts=districts, first_year=first, last_year=last, seed=3,
                       provinces=provinces)
        (root / "done").write_text("")
        print(f"wrote the country in {time.perf_counter() - started:.0f} s", flush=True)
    return root


def variant(work: Path, whole: Path, name: str, keep) -> Path:
    """A data root with the country's catalog and reviews, and the rows of its store that ``keep`` keeps."""
    import pandas as pd

    root = work / name
    if (root / "done").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("catalog", "reviews"):
        shutil.copytree(whole / "data" / folder, root / "data" / folder)
    (root / "data" / "values").mkdir(parents=True)
    for path in sorted((whole / "data" / "values").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        kept = frame[keep(frame["unit"])]
        if len(kept):
            kept.to_csv(root / "data" / "values" / path.name, index=False, lineterminator="\n")
    (root / "done").write_text("")
    return root


def measured(command: list[str], cwd: Path, columnar: bool) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the command and every process it waited for: kernels, helpers) and peak
    memory (MB, its largest process) of one command, in a new process."""
    env = {**os.environ, "EVALTOOLS_COLUMNAR": "on" if columnar else "off"}
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{child.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def timings(root: Path, config: str, repeat: int) -> dict:
    """Best-of-``repeat`` wall and CPU time (and peak MB) of indicators and run, baseline and columnar."""
    shutil.rmtree(root / "data" / ".columnar", ignore_errors=True)
    commands = {"indicators": EVALTOOLS + ["indicators", config, "--out", "out"],
                "run": EVALTOOLS + ["run", config, "--to", "html", "--out", "out"]}
    out = {"cold": measured(commands["indicators"], root, True)}        # builds the columnar copy
    for what, command in commands.items():
        for columnar in (False, True):
            runs = [measured(command, root, columnar) for _ in range(repeat if what == "indicators" else 1)]
            out[what, columnar] = (min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs))
    return out


def reads(stores: list[tuple[str, Path]], config: str, repeat: int) -> None:
    """The store's read alone, in this process: a review's checked rows from the columnar copy (warm) against
    every CSV file read and checked whole (what each review did before the copy)."""
    from evaltools.store import columnar
    from evaltools.model.catalog import load_catalog
    from evaltools.project.review import load_review
    from evaltools.store.storescope import review_scope
    from evaltools.validation.schema_checks import check_store

    print(f"\nthe read alone (check_store), best of {repeat}: wall s (rows returned)")
    first = {}
    for name, root in stores:
        review = load_review(root / config)
        catalog = load_catalog(root / "data" / "catalog")
        scope = review_scope(review, catalog.units)
        out = {}
        for label, setting, cut in (("CSV whole", "off", None), ("columnar scoped", "on", scope)):
            os.environ[columnar.SETTING] = setting
            check_store(review.values_dir, catalog, cut)                  # warm: the copy exists, files cached
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                rows = len(check_store(review.values_dir, catalog, cut)[0])
                times.append(time.perf_counter() - started)
            out[label] = min(times)
            print(f"  {name:<14} {label:<16} {min(times):7.3f} s ({rows:,} rows)", flush=True)
        first.setdefault("csv", out["CSV whole"]), first.setdefault("col", out["columnar scoped"])
        last = out
    print(f"  largest / smallest store: CSV whole {last['CSV whole'] / first['csv']:6.2f} x, "
          f"columnar scoped {last['columnar scoped'] / first['col']:5.2f} x")


def country_options(doc: str) -> argparse.ArgumentParser:
    """The options that name the synthetic country (shared with benchmarks/national.py)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=29)
    parser.add_argument("--districts", type=int, default=24)
    parser.add_argument("--first", type=int, default=2016)
    parser.add_argument("--last", type=int, default=2022)
    parser.add_argument("--work", type=Path, default=Path("/tmp/evaltools-store-bench"))
    return parser


def main() -> None:
    parser = country_options(__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--read-only", action="store_true", help="measure the read alone (in this process)")
    args = parser.parse_args()
    whole = country(args.work, args.provinces, args.districts, args.first, args.last)
    from evaltools.model.catalog import load_catalog

    units = load_catalog(whole / "data" / "catalog").units
    district = units[units["parent"] == "0101"]["code"].astype(str)
    stores = [("1 district", variant(args.work, whole, "one", lambda u: u.isin(set(district) | {"0101"}))),
              (f"{args.districts} districts", variant(args.work, whole, "province", lambda u: u.str[:2] == "01")),
              (f"{args.provinces * args.districts} districts", whole)]
    config = f"data/reviews/ct20-{args.first}-{args.last}.yaml"
    if args.read_only:
        return reads(stores, config, args.repeat)
    print(f"review of district 0101, {args.first}-{args.last}; best of {args.repeat} (run: 1): "
          "wall s / CPU s (peak MB); load average now {:.1f} on {} cores".format(os.getloadavg()[0], os.cpu_count()))
    heads = ("indicators csv", "indicators col", "run csv", "run col")
    print(f"{'store':<14} {'values':>9} {'build':>6} " + " ".join(f"{h:>22}" for h in heads))
    results = []
    for name, root in stores:
        rows = sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in (root / "data" / "values").glob("*.csv"))
        t = timings(root, config, args.repeat)
        results.append(t)
        cells = [f"{t[k][0]:6.2f} / {t[k][1]:6.2f} ({t[k][2]:4.0f})"
                 for k in (("indicators", False), ("indicators", True), ("run", False), ("run", True))]
        print(f"{name:<14} {rows:>9,} {t['cold'][0]:6.2f} " + " ".join(f"{c:>22}" for c in cells), flush=True)
    for what in ("indicators", "run"):
        for columnar, label in ((False, "baseline (CSV)"), (True, "columnar")):
            wall, cpu = (results[-1][what, columnar][i] / results[0][what, columnar][i] for i in (0, 1))
            target = "   (target <= 1.2)" if columnar else ""
            print(f"{what:<10} {label:<15} largest / smallest store: wall {wall:5.2f} x, CPU {cpu:5.2f} x{target}")


if __name__ == "__main__":
    main()
