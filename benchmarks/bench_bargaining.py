"""Benchmark: Nash bargaining over many disagreement points (run on demand).

    python benchmarks/bench_bargaining.py [--points 10000] [--dpp 300] [--rebuild 100]

Problem: the five-issue linear space of docs/models/axiomatic-bargaining.md (M1-T5), and
``--points`` disagreement points drawn uniformly from [-0.2, 0.9]^2 (seeded).  Paths compared, all
in the same run:

* batched float path -- ``nash_bargaining_batch`` (numpy, all points at once); goal <= 1 us
  per point;
* DPP path -- ``CompiledNash``: the cvxpy model compiled once, re-solved per point (also
  timed with cvxpy's standard per-solve parameter re-application, ``fast=False``);
* rebuild path -- ``nash_bargaining(..., method="cvxpy")``: a new cvxpy model per point (the
  peer); goal: DPP >= 5x faster;
* exact path -- ``nash_bargaining`` (rational frontier walk), per point.

The cvxpy paths are timed on a prefix of the points (``--dpp``, ``--rebuild``) and
extrapolated to ``--points``; all answers are checked against the exact path.
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

import numpy as np

from negotiate.games.issues import IssueSpace
from negotiate.solvers.bargaining.batch import CompiledNash, nash_bargaining_batch
from negotiate.solvers.bargaining.solutions import nash_bargaining

WEIGHTS = {
    "sanctions relief": ("0.40", "0.15"),
    "frozen assets": ("0.15", "0.05"),
    "guarantees": ("0.20", "0.10"),
    "enrichment": ("0.15", "0.40"),
    "verification": ("0.10", "0.30"),
}


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--dpp", type=int, default=300)
    ap.add_argument("--rebuild", type=int, default=100)
    ap.add_argument("--exact", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()

    space = IssueSpace.linear(("Iran", "US"), WEIGHTS)
    base = space.problem((0, 0))
    rng = np.random.default_rng(args.seed)
    d = rng.uniform(-0.2, 0.9, size=(args.points, 2))
    exact_d = [(Fraction(float(a)), Fraction(float(b))) for a, b in d]

    nash_bargaining_batch(base, d[:10])  # warm-up (chain cache)
    t_batch, batch = _timed(lambda: nash_bargaining_batch(base, d), repeat=5)
    per_batch = t_batch / args.points

    n_exact = min(args.exact, args.points)
    t_exact, exact = _timed(
        lambda: [nash_bargaining(base.with_disagreement(x)) for x in exact_d[:n_exact]]
    )
    per_exact = t_exact / n_exact

    compiled = CompiledNash(base)
    compiled.solve(exact_d[0])  # compile once, outside the timing
    n_dpp = min(args.dpp, args.points)
    t_dpp, dpp = _timed(lambda: [compiled.solve(x) for x in exact_d[:n_dpp]])
    per_dpp = t_dpp / n_dpp

    standard = CompiledNash(base, fast=False)
    standard.solve(exact_d[0])
    t_std, std = _timed(lambda: [standard.solve(x) for x in exact_d[:n_dpp]])
    per_std = t_std / n_dpp

    n_reb = min(args.rebuild, args.points)
    t_reb, reb = _timed(
        lambda: [
            nash_bargaining(base.with_disagreement(x), method="cvxpy") for x in exact_d[:n_reb]
        ]
    )
    per_reb = t_reb / n_reb

    # agreement with the exact path
    ref = np.array([[float(u) for u in s.utilities] for s in exact])
    gap_batch = float(np.abs(batch.utilities[:n_exact] - ref).max())
    gap_dpp = max(
        abs(float(a) - float(b))
        for s, e in zip(dpp, exact, strict=False)
        for a, b in zip(s.utilities, e.utilities, strict=True)
    )
    gap_std = max(
        abs(float(a) - float(b))
        for s, e in zip(std, exact, strict=False)
        for a, b in zip(s.utilities, e.utilities, strict=True)
    )
    gap_reb = max(
        abs(float(a) - float(b))
        for s, e in zip(reb, exact, strict=False)
        for a, b in zip(s.utilities, e.utilities, strict=True)
    )
    flags = all(s.agreement == e.agreement for s, e in zip(dpp, exact, strict=False)) and bool(
        (batch.agreement[:n_exact] == np.array([e.agreement for e in exact])).all()
    )

    n = args.points
    print(
        f"Nash bargaining, 5-issue space, {n} disagreement points "
        f"({int(batch.agreement.sum())} with agreement)"
    )
    print(f"{'path':<28}{'per point':>14}{'for all points':>16}{'max |diff| vs exact':>22}")
    rows = [
        ("batched float (numpy)", per_batch, gap_batch),
        ("exact (rational walk)", per_exact, 0.0),
        (f"cvxpy DPP (timed {n_dpp})", per_dpp, gap_dpp),
        ("  same, cvxpy re-apply", per_std, gap_std),
        (f"cvxpy rebuild (timed {n_reb})", per_reb, gap_reb),
    ]
    for name, per, gap in rows:
        print(f"{name:<28}{per * 1e6:>11.2f} us{per * n:>14.3f} s{gap:>22.1e}")
    print(f"agreement flags identical: {flags}")
    print(f"batched float: {per_batch * 1e6:.3f} us/point (goal <= 1 us)")
    print(
        f"DPP vs rebuild: {per_reb / per_dpp:.1f}x faster (goal >= 5x); with cvxpy's own "
        f"parameter re-application {per_reb / per_std:.1f}x"
    )
    print(
        f"batched float vs DPP: {per_dpp / per_batch:.0f}x; exact vs batched: "
        f"{per_exact / per_batch:.0f}x slower"
    )


if __name__ == "__main__":
    main()
