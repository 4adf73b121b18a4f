"""Benchmark: all equilibria of random generic n x n games, against peers in the same run.

Times ``negotiate.solvers.nash.nash_equilibria(game)`` ("auto": exact and complete) against
nashpy's ``support_enumeration`` (floats; run in a child process with a time limit, reported as
``>T`` when cut off) and pygambit's ``enummixed_solve(rational=True)`` when pygambit is
importable (optional).  Payoffs are random 3-decimal numbers in [-1, 1], exact for negotiate
and gambit, floats for nashpy.  Every size runs in this one process (nashpy in a child).

    python benchmarks/bench_nash.py                 # n = 4 6 8 10, 3 games each
    python benchmarks/bench_nash.py --sizes 8 10 --games 5 --nashpy-limit 120

Goal: >= 100x faster than nashpy at 8x8, under 0.5 s at 10x10, exact.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import time
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate import NormalFormGame
from negotiate.solvers.nash.solve import nash_equilibria


def random_game(n: int, seed: int) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    rnd = random.Random(seed)

    def matrix() -> list[list[Fraction]]:
        return [[Fraction(rnd.randint(-1000, 1000), 1000) for _ in range(n)] for _ in range(n)]

    return matrix(), matrix()


def _nashpy_child(a: np.ndarray, b: np.ndarray, out: Any) -> None:
    import warnings

    import nashpy

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    found = list(nashpy.Game(a, b).support_enumeration())
    out.put((time.perf_counter() - start, len(found)))


def time_nashpy(a: list, b: list, limit: float) -> tuple[float | None, int | None]:
    """Seconds and number of profiles of nashpy's support enumeration; None when cut off."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    fa = np.array(a, dtype=float)
    fb = np.array(b, dtype=float)
    proc = ctx.Process(target=_nashpy_child, args=(fa, fb, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    seconds, count = queue.get()
    return seconds, count


def time_gambit(a: list, b: list) -> tuple[float, int] | None:
    try:
        import pygambit
    except ImportError:
        return None
    game = pygambit.Game.from_arrays(
        [[Fraction(v) for v in row] for row in a], [[Fraction(v) for v in row] for row in b]
    )
    start = time.perf_counter()
    result = pygambit.nash.enummixed_solve(game, rational=True)
    return time.perf_counter() - start, len(result.equilibria)


def time_ours(a: list, b: list, repeats: int) -> tuple[float, int, bool]:
    game = NormalFormGame.from_arrays(a, b)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = nash_equilibria(game)
        best = min(best, time.perf_counter() - start)
    return best, len(result), result.verify().max_regret == 0


def fmt(seconds: float | None, limit: float) -> str:
    return f">{limit:.0f} s" if seconds is None else f"{seconds:.4f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 6, 8, 10])
    parser.add_argument("--games", type=int, default=3, help="random games per size")
    parser.add_argument("--repeats", type=int, default=3, help="timing repeats of ours (best)")
    parser.add_argument("--nashpy-limit", type=float, default=30.0, help="seconds per game")
    parser.add_argument("--nashpy-max", type=int, default=10, help="largest n run in nashpy")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    has_gambit = time_gambit([[0]], [[0]]) is not None
    print(f"pygambit: {'present' if has_gambit else 'not installed (skipped)'}")
    header = f"{'n':>3} {'game':>4} {'ours':>10} {'eq':>3} {'exact':>5}  {'nashpy':>10} {'eq':>4}"
    header += f" {'ratio':>8}" + (f"  {'gambit':>10} {'ratio':>7}" if has_gambit else "")
    print(header)
    for n in args.sizes:
        ours_all, ratios = [], []
        for k in range(args.games):
            a, b = random_game(n, args.seed * 1000 + n * 10 + k)
            ours, count, exact = time_ours(a, b, args.repeats)
            ours_all.append(ours)
            if n <= args.nashpy_max:
                nash_t, nash_n = time_nashpy(a, b, args.nashpy_limit)
                shown_n = "-" if nash_n is None else str(nash_n)
                bound = args.nashpy_limit if nash_t is None else nash_t
                ratio = f"{'>' if nash_t is None else ''}{bound / ours:.0f}x"
                ratios.append(bound / ours)
            else:
                nash_t, shown_n, ratio = None, "skip", "-"
            line = f"{n:>3} {k:>4} {ours:>8.4f} s {count:>3} {exact!s:>5}  "
            line += f"{fmt(nash_t, args.nashpy_limit) if shown_n != 'skip' else 'skipped':>10}"
            line += f" {shown_n:>4} {ratio:>8}"
            if has_gambit:
                g = time_gambit(a, b)
                assert g is not None
                line += f"  {g[0]:>8.4f} s {g[0] / ours:>6.1f}x"
            print(line, flush=True)
        summary = f"    n={n}: ours median {statistics.median(ours_all):.4f} s"
        if ratios:
            summary += f", nashpy/ours median ratio {statistics.median(ratios):.0f}x"
        print(summary, flush=True)


if __name__ == "__main__":
    main()
