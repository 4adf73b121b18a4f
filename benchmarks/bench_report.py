"""Benchmark: the flagship report end to end, against its own analysis in the same run.

Times ``negotiate.report(models/us_iran_2025.toml)`` (solve with tipping points,
counterfactuals, regime map, findings with certificates, figures) and then renders and writes
it, against the peer measured in the same process: ``Scenario.solve()`` alone, the analysis
the report rests on.  The ratio is the report's overhead; the goal (issue #8) is under 30 s
for the whole report on these machines.

    python benchmarks/bench_report.py                  # flagship, 1 run
    python benchmarks/bench_report.py --repeats 3 --resolution 31
    python benchmarks/bench_report.py --scenario models/chicken_crisis.toml
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from negotiate.reports import report
from negotiate.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(ROOT / "models" / "us_iran_2025.toml"))
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--resolution", type=int, default=21, help="regime-map points per axis")
    args = ap.parse_args()

    model = load_scenario(args.scenario)
    solve_times, report_times, render_times = [], [], []
    stages: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.solve()
        solve_times.append(time.perf_counter() - start)

        start = time.perf_counter()
        rep = report(model, resolution=args.resolution)
        report_times.append(time.perf_counter() - start)
        for stage, seconds in rep.timings.items():
            stages.setdefault(stage, []).append(seconds)

        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            rep.write(out)
        render_times.append(time.perf_counter() - start)

    solve = statistics.median(solve_times)
    build = statistics.median(report_times)
    render = statistics.median(render_times)
    total = build + render
    print(f"scenario: {model.title} ({Path(args.scenario).name}), repeats {args.repeats}")
    print(f"{'stage':<18}{'seconds':>10}")
    for stage, values in stages.items():
        print(f"{stage:<18}{statistics.median(values):>10.2f}")
    print(f"{'render + write':<18}{render:>10.2f}")
    print(f"{'report total':<18}{total:>10.2f}   (goal < 30 s)")
    print(f"{'peer: solve()':<18}{solve:>10.2f}")
    print(f"ratio report / solve: {total / solve:.2f}x")
    print(
        f"findings: {len(rep.findings)}, figures: {', '.join(sorted(rep.figures))}, "
        f"certified: {rep.verify().ok}"
    )


if __name__ == "__main__":
    main()
