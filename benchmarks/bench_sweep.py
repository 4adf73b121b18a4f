"""Benchmark: a 10^6-point flagship sweep against a per-point ``Scenario.solve`` loop, in one run.

The grid is guarantee x reneging_hazard (``--side`` points each, 1000 by default: 10^6
points) on ``models/us_iran_2025.toml``.  Measured in this one process:

* **peer** -- ``Scenario.solve({guarantee, reneging_hazard}, tipping_points=False)`` in a
  Python loop over ``--loop-points`` points spread over the same grid (exact arithmetic, the
  reference the sweep is tested against);
* **computation** -- the compiled vectorised kernel over every chunk of the grid (point
  generation included, compilation and storage excluded), on one core;
* **end to end, in memory** -- ``negotiate.sweep(...)`` returning the SweepResult (its Dataset)
  (compilation, every chunk, Arrow tables, dataset assembly);
* **end to end, to Parquet** -- the same into a directory, with the time spent writing Parquet
  files reported apart.

The sweep's outcome at each loop point is checked against the loop's.  ``--big N`` also runs
an N-point sweep to a directory and reports the peak memory, which chunking keeps bounded.

    python benchmarks/bench_sweep.py                     # 10^6 points vs a 1,000-point loop
    python benchmarks/bench_sweep.py --side 300 --loop-points 200
    python benchmarks/bench_sweep.py --big 10000000      # memory stays bounded

Goals (issue #7): >= 10^6 points/s for the computation on one core, and >= 1000x the
per-point loop end to end.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from negotiate.scenario import load_scenario
from negotiate.sweeps import plan_sweep, run_sweep, sweep

FLAGSHIP = Path(__file__).resolve().parents[1] / "models" / "us_iran_2025.toml"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--side", type=int, default=1000, help="grid points per axis")
    ap.add_argument("--loop-points", type=int, default=1000, help="points of the per-point loop")
    ap.add_argument("--chunk-size", type=int, default=65_536)
    ap.add_argument("--repeats", type=int, default=3, help="best of N for the computation")
    ap.add_argument("--big", type=int, default=0, help="also run a sweep of this many points")
    args = ap.parse_args()

    scenario = load_scenario(FLAGSHIP)
    grid = [f"guarantee=0:1:{args.side}", f"reneging_hazard=0:0.5:{args.side}"]
    n = args.side**2
    print(f"flagship grid {args.side} x {args.side} = {n:,} points; chunks of {args.chunk_size:,}")

    # ---- peer: the exact per-point loop
    rng = np.random.default_rng(0)
    picks = np.sort(rng.choice(n, size=min(args.loop_points, n), replace=False))
    gv = np.linspace(0, 1, args.side)
    hv = np.linspace(0, 0.5, args.side)
    t0 = time.perf_counter()
    loop_outcomes = []
    for i in picks:
        g, h = float(gv[i // args.side]), float(hv[i % args.side])
        r = scenario.solve({"guarantee": repr(g), "reneging_hazard": repr(h)}, tipping_points=False)
        loop_outcomes.append(r.outcome)
    loop = (time.perf_counter() - t0) / len(picks)
    print(f"peer  Scenario.solve loop: {len(picks):,} points, {loop * 1e3:.2f} ms/point")

    # ---- computation only: compiled kernel over every chunk, one core
    t0 = time.perf_counter()
    plan = plan_sweep(scenario, grid, chunk_size=args.chunk_size)
    compile_s = time.perf_counter() - t0
    kernel = plan.evaluator()
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for c in range(plan.n_chunks):
            kernel.evaluate(plan.columns(c))
        best = min(best, time.perf_counter() - t0)
    rate = n / best
    print(f"ours  compile once: {compile_s:.2f} s")
    print(
        f"ours  computation: {best:.3f} s = {rate:,.0f} points/s on one core "
        f"(best of {args.repeats})"
    )

    # ---- end to end, in memory
    t0 = time.perf_counter()
    ds = sweep(scenario, grid, chunk_size=args.chunk_size).data
    e2e = time.perf_counter() - t0
    flat = ds.outcome.values.ravel()
    agree = sum(flat[i] == o for i, o in zip(picks, loop_outcomes, strict=True))
    print(f"ours  sweep() in memory, end to end: {e2e:.2f} s = {n / e2e:,.0f} points/s")
    print(f"      outcome agrees with the loop at {agree} of {len(picks)} points")

    # ---- end to end, to Parquet (writing measured apart)
    out = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    try:
        t0 = time.perf_counter()
        run = run_sweep(plan, out=out / "grid")
        disk = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in (out / "grid").iterdir()) / 2**20
        print(
            f"ours  sweep to Parquet: {disk:.2f} s (compute {run.compute_seconds:.2f} s, "
            f"tables + Parquet writing {run.write_seconds:.2f} s, {size:.1f} MiB)"
        )
        print(f"ratio per point, loop / sweep in memory: {loop * n / e2e:,.0f}x")
        print(f"ratio per point, loop / sweep to Parquet: {loop * n / disk:,.0f}x")
        print(f"goal >= 10^6 points/s computation: {'met' if rate >= 1e6 else 'NOT met'}")
        print(f"goal >= 1000x end to end: {'met' if loop * n / e2e >= 1000 else 'NOT met'}")
        print(f"peak memory so far: {peak_rss_mb():.0f} MiB")
        if args.big:
            side = round(args.big**0.5)
            big = [f"guarantee=0:1:{side}", f"reneging_hazard=0:0.5:{side}"]
            bplan = plan_sweep(scenario, big, chunk_size=args.chunk_size)
            t0 = time.perf_counter()
            brun = run_sweep(bplan, out=out / "big")
            bt = time.perf_counter() - t0
            print(
                f"big   {bplan.n_points:,} points to Parquet: {bt:.1f} s "
                f"({bplan.n_points / bt:,.0f} points/s, writing {brun.write_seconds:.1f} s), "
                f"peak memory {peak_rss_mb():.0f} MiB"
            )
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
