"""Benchmark: a scenario's tipping points (scan, bisection, exact threshold, certificate).

Times ``Scenario.solve()`` with its lever scans against the peer measured in the same run,
``Scenario.solve(tipping_points=False)`` (one evaluation of the point), and then
``ScenarioResult.verify()``, whose tipping-point checks re-evaluate the outcome around each
threshold and on the scan grid.  CPU time (``time.process_time``) is reported beside wall time,
since the machines are shared.  Prints each lever's method and exact threshold.

    python benchmarks/bench_tipping.py                  # flagship, 3 runs
    python benchmarks/bench_tipping.py --repeats 5 --scenario models/prisoners_dilemma.toml
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from negotiate.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(ROOT / "models" / "us_iran_2025.toml"))
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    model = load_scenario(args.scenario)
    model.solve(tipping_points=False)  # warm the imports
    rows: dict[str, list[tuple[float, float]]] = {"point": [], "solve": [], "verify": []}
    result = None
    for _ in range(args.repeats):
        _, wall, cpu = timed(lambda: model.solve(tipping_points=False))
        rows["point"].append((wall, cpu))
        result, wall, cpu = timed(model.solve)
        rows["solve"].append((wall, cpu))
        cert, wall, cpu = timed(result.verify)
        rows["verify"].append((wall, cpu))
        assert cert.ok, cert.notes
    assert result is not None
    print(f"{model.title}: {len(model.levers)} levers, {args.repeats} runs (median)")
    for name, times in rows.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(f"  {name:<7} wall {wall:7.3f} s   cpu {cpu:7.3f} s")
    point = statistics.median(t[1] for t in rows["point"])
    solve = statistics.median(t[1] for t in rows["solve"])
    print(f"  solve / point (cpu): {solve / point:.0f}x")
    for lever, tp in result.tipping_points.items():
        print(f"  {lever:<16} {tp.method:<9} {tp.threshold_exact:<24} {tp.binding}")


if __name__ == "__main__":
    main()
