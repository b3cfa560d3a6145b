"""Benchmark: the indicator engine at national scale against one pandas groupby-sum.

    .venv/bin/python benchmarks/indicators.py [--scale 1.0] [--repeat 3]

Generates ~10,500 communes in ~700 districts and 63 provinces, 11 years and 40
elements (10 of them split three ways): about 7 million data values. Times, side
by side in this process, (a) the floor: one ``groupby(...).sum()`` over the same
values, and (b) the full computation: every indicator for every commune, district
and province, per year and for the whole period. Prints the ratio b / a and the
peak memory of each, measured in fresh child processes.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time

from evaltools.model import engine
from evaltools.model.synthetic import Scale, make_area


def floor(values):
    return values.groupby(["element", "unit", "category", "period"], observed=True)["value"].sum()


def full(catalog, values, scale):
    periods = engine.periods_for(scale.first_year, scale.last_year)
    facts = engine.aggregate(values, catalog, None, periods)
    return engine.evaluate(facts, catalog.indicators)


def best_of(repeat, func, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def _peak(which, scale, queue):
    catalog, values = make_area(scale)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    floor(values) if which == "floor" else full(catalog, values, scale)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((before / 1024, after / 1024))


def peak_mb(which, scale):
    queue = mp.get_context("fork").Queue()
    child = mp.get_context("fork").Process(target=_peak, args=(which, scale, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scale = Scale(districts=max(1, round(11 * args.scale)))
    start = time.perf_counter()
    catalog, values = make_area(scale)
    n_units = len(catalog.units)
    print(f"data: {len(values):,} values, {n_units:,} units, {len(catalog.elements)} elements, "
          f"{len(catalog.indicators)} indicators (generated in {time.perf_counter() - start:.1f} s)")
    t_floor, _ = best_of(args.repeat, floor, values)
    t_full, table = best_of(args.repeat, full, catalog, values, scale)
    print(f"floor  groupby-sum         {t_floor:7.3f} s")
    print(f"engine every indicator     {t_full:7.3f} s   ({len(table):,} rows)")
    print(f"ratio engine / floor       {t_full / t_floor:7.2f}   (target <= 3)")
    for which in ("floor", "engine"):
        base, peak = peak_mb(which, scale)
        print(f"peak RSS {which:<7} {peak:8.0f} MB (data alone {base:.0f} MB)   (target < 4096 MB)")


if __name__ == "__main__":
    main()
