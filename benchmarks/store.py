"""Benchmark: one district's ``evaltools indicators`` and ``evaltools run`` as the store grows from 1 to ~700 districts.

    .venv/bin/python benchmarks/store.py [--provinces 29 --districts 24] [--first 2016 --last 2022]
                                         [--repeat 3] [--work /tmp/evaltools-store-bench]

A synthetic country (data/province.py: ``provinces`` × ``districts`` districts of 8–12
communes, one values file per province and year) is written once into ``--work`` and kept
for later runs. Three data roots share its catalog and the same review of district 0101;
only the store differs: the district's own rows, its province's files, the whole country.
For each, side by side in this process, fresh commands (new processes, as a user runs them):

- baseline: ``EVALTOOLS_COLUMNAR=off``, every CSV file read whole (the store before issue 15);
- columnar: the Parquet copy, first the command that builds it (cold), then warm (best of ``--repeat``).

Prints wall times, peak memory of each command, and the ratio of the largest store to the
smallest (target for the columnar read: <= 1.2 x).
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


def measured(command: list[str], cwd: Path, columnar: bool) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command, in a new process."""
    env = {**os.environ, "EVALTOOLS_COLUMNAR": "on" if columnar else "off"}
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    out, err = child.communicate()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def timings(root: Path, config: str, repeat: int) -> dict:
    """Best-of-``repeat`` wall time (and peak MB) of indicators and run, baseline and columnar."""
    shutil.rmtree(root / "data" / ".columnar", ignore_errors=True)
    commands = {"indicators": EVALTOOLS + ["indicators", config, "--out", "out"],
                "run": EVALTOOLS + ["run", config, "--to", "html", "--out", "out"]}
    out = {"cold": measured(commands["indicators"], root, True)}        # builds the columnar copy
    for what, command in commands.items():
        for columnar in (False, True):
            runs = [measured(command, root, columnar) for _ in range(repeat if what == "indicators" else 1)]
            out[what, columnar] = (min(w for w, _ in runs), max(m for _, m in runs))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=29)
    parser.add_argument("--districts", type=int, default=24)
    parser.add_argument("--first", type=int, default=2016)
    parser.add_argument("--last", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/evaltools-store-bench"))
    args = parser.parse_args()
    whole = country(args.work, args.provinces, args.districts, args.first, args.last)
    from evaltools.catalog import load_catalog

    units = load_catalog(whole / "data" / "catalog").units
    district = units[units["parent"] == "0101"]["code"].astype(str)
    stores = [("1 district", variant(args.work, whole, "one", lambda u: u.isin(set(district) | {"0101"}))),
              (f"{args.districts} districts", variant(args.work, whole, "province", lambda u: u.str[:2] == "01")),
              (f"{args.provinces * args.districts} districts", whole)]
    config = f"data/reviews/ct20-{args.first}-{args.last}.yaml"
    print(f"review of district 0101, {args.first}-{args.last}; best of {args.repeat} (run: 1); wall s (peak MB)")
    print(f"{'store':<14} {'values':>9} {'build':>7} {'indicators csv':>16} {'indicators col':>16} "
          f"{'run csv':>14} {'run col':>14}")
    results = []
    for name, root in stores:
        rows = sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in (root / "data" / "values").glob("*.csv"))
        t = timings(root, config, args.repeat)
        results.append(t)
        cell = lambda key: f"{t[key][0]:7.2f} ({t[key][1]:4.0f})"       # noqa: E731
        print(f"{name:<14} {rows:>9,} {t['cold'][0]:7.2f} {cell(('indicators', False)):>16} "
              f"{cell(('indicators', True)):>16} {cell(('run', False)):>14} {cell(('run', True)):>14}", flush=True)
    for what in ("indicators", "run"):
        for columnar, label in ((False, "baseline (CSV)"), (True, "columnar")):
            ratio = results[-1][what, columnar][0] / results[0][what, columnar][0]
            target = "   (target <= 1.2)" if columnar else ""
            print(f"{what:<10} {label:<15} largest / smallest store {ratio:5.2f} x{target}")


if __name__ == "__main__":
    main()
