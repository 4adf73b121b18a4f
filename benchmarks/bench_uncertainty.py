"""Benchmark: 10^5 prior draws with Sobol' indices on the flagship, against a per-point loop.

``negotiate.uncertainty(models/us_iran_2025.toml, draws=10^5)`` runs, in one call: the Monte
Carlo draws (outcome probabilities, decile shares), SALib's Saltelli design for the Sobol'
indices (``N (d + 2)`` evaluations), Morris screening (the flagship has > 30 uncertain
parameters) and the tipping-point spread of every lever at 500 draws.  Measured in this one
process:

* **peer** -- ``Scenario.solve(draw, tipping_points=False)`` in a Python loop over the first
  ``--loop-points`` prior draws (exact arithmetic), extrapolated to the number of model
  evaluations the vectorised run made;
* **negotiate** -- the whole ``negotiate.uncertainty`` call (scenario compilation included),
  best of ``--repeats``.

The loop's outcomes are checked against the vectorised outcomes of the same draws.

    python benchmarks/bench_uncertainty.py                  # 10^5 draws vs a 200-point loop
    python benchmarks/bench_uncertainty.py --draws 1000000 --loop-points 50

Goal: 10^5 draws with Sobol' indices in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import negotiate as ng
from negotiate.scenario.result import OUTCOMES
from negotiate.uncertainty.evaluate import exact_outcome
from negotiate.uncertainty.priors import draw_rows
from negotiate.uncertainty.result import top_sobol

FLAGSHIP = Path(__file__).resolve().parents[1] / "models" / "us_iran_2025.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--loop-points", type=int, default=200, help="draws of the per-point loop")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()

    scenario = ng.load_scenario(FLAGSHIP)
    best = None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        result = ng.uncertainty(scenario, args.draws, args.seed)
        wall = time.perf_counter() - t0
        best = wall if best is None else min(best, wall)
    assert best is not None
    d = len(result.parameters)
    print(
        f"negotiate.uncertainty: {args.draws:,} draws of {d} parameters, Sobol' N = "
        f"{result.sobol_base} ({result.sobol_base * (d + 2):,} points), "
        f"{result.evaluations:,} evaluations in all: {best:.2f} s "
        f"({result.evaluations / best:,.0f} evaluations/s)"
    )

    names = result.parameters
    rows = draw_rows(scenario, names, args.seed, 0, args.loop_points)
    t0 = time.perf_counter()
    mismatches = 0
    for i in range(args.loop_points):
        exact = exact_outcome(scenario, names, rows[i])
        mismatches += exact != OUTCOMES[int(result.codes[i])]
    loop = (time.perf_counter() - t0) / args.loop_points
    extrapolated = loop * result.evaluations
    print(
        f"peer  Scenario.solve loop: {args.loop_points} draws, {loop * 1e3:.1f} ms/draw; "
        f"{result.evaluations:,} evaluations would take {extrapolated:,.0f} s"
    )
    print(f"outcome mismatches, loop vs vectorised: {mismatches} of {args.loop_points}")
    print(f"ratio (loop / negotiate): {extrapolated / best:,.0f}x")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print()
    for o in OUTCOMES:
        lo, hi = result.intervals[o]
        print(f"P({o}) = {result.probabilities[o]:.4f}  [{lo:.4f}, {hi:.4f}]")
    print(f"Sobol' indices of {result.sobol_output} (top 5 by total):")
    for name, v in top_sobol(result.sobol_detail[result.sobol_output], 5):
        print(
            f"  {name:24s} first {v['first']:.3f} +- {v['first_conf']:.3f}   "
            f"total {v['total']:.3f} +- {v['total_conf']:.3f}"
        )


if __name__ == "__main__":
    main()
