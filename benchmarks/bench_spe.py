"""Benchmark: compiled SPE region classification against per-point backward induction.

For each tree with parameters, ``subgame_perfect(tree)`` is solved once symbolically; its
compiled classifier (``result.classify``) then labels 10^6 random parameter points.  The peer
is what one does without regions: bind the parameters at each point and run exact backward
induction (``subgame_perfect(tree.bind(point))``), timed on ``--points`` points and
extrapolated to 10^6.  When pygambit is importable, its per-point Nash solve of the same bound
tree (``enummixed`` on the reduced normal form it builds from our .efg) is a second peer
(pygambit has no SPE solver).  Agreement of the classifier with the exact regions is checked
on the timed points.

    python benchmarks/bench_spe.py                      # 10^6 points, 1000 per-point solves
    python benchmarks/bench_spe.py --points 300 --million 1
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from negotiate.games.tree import GameTree
from negotiate.solvers.spe.solve import subgame_perfect
from negotiate.solvers.spe.symbolic import SymbolicSPEResult

ROOT = Path(__file__).resolve().parents[1]


def trees() -> dict[str, GameTree]:
    import sys

    sys.path.insert(0, str(ROOT))
    from tests.trees import IRAN, rubinstein3

    unit_box = rubinstein3()
    unit_box["parameters"] = {"d1": {"domain": [0, 1]}, "d2": {"domain": [0, 1]}}
    return {
        "iran (issue #3 example)": GameTree.from_dict(IRAN),
        "strike and retaliation menu": GameTree.from_dict(RETALIATION),
        "rubinstein 3 periods, d in [0, 1]^2": GameTree.from_dict(unit_box),
    }


#: A stylised strike/retaliation tree (after docs/models/deterrence.md): the US strikes or not; Iran
#: absorbs, retaliates in a limited way, or escalates, which spreads with probability 1/2.
RETALIATION: dict[str, Any] = {
    "players": ["Iran", "US"],
    "parameters": {
        "g": {"domain": [0, 1], "meaning": "US gain from a strike"},
        "k": {"domain": [0, 1], "meaning": "US cost of striking"},
        "d": {"domain": [0, 2], "meaning": "damage to the US from severe retaliation"},
        "v": {"domain": [0, 1], "meaning": "Iran's resolve (value of retaliating)"},
    },
    "root": {
        "player": "US",
        "actions": {
            "hold": {"payoffs": {"Iran": "0", "US": "0"}},
            "strike": {
                "player": "Iran",
                "actions": {
                    "absorb": {"payoffs": {"Iran": "-1", "US": "g - k"}},
                    "limited": {"payoffs": {"Iran": "-1 + v/2", "US": "g - k - 1/4"}},
                    "severe": {
                        "chance": {
                            "spreads": {
                                "probability": "1/2",
                                "then": {"payoffs": {"Iran": "-2 + 3*v/2", "US": "g - k - d"}},
                            },
                            "contained": {
                                "probability": "1/2",
                                "then": {"payoffs": {"Iran": "-1 + v", "US": "g - k - d/2"}},
                            },
                        }
                    },
                },
            },
        },
    },
}


def random_points(
    tree: GameTree, names: tuple[str, ...], n: int, seed: int
) -> list[dict[str, Fraction]]:
    rnd = random.Random(seed)
    pts = []
    for _ in range(n):
        point = {}
        for name in names:
            lo, hi = tree.parameters[name].domain  # type: ignore[misc]
            point[name] = lo + (hi - lo) * Fraction(rnd.randint(0, 10**6), 10**6)
        pts.append(point)
    return pts


def time_gambit(tree: GameTree, points: list[dict[str, Fraction]]) -> float | None:
    try:
        import pygambit  # type: ignore[import-not-found]
    except ImportError:
        return None
    from negotiate.interop.gambit_efg import to_efg

    start = time.perf_counter()
    for point in points:
        game = pygambit.read_efg(_as_file(to_efg(tree.bind(point))))
        pygambit.nash.enummixed_solve(game, rational=True)
    return (time.perf_counter() - start) / len(points)


def _as_file(text: str) -> Any:
    import io

    return io.StringIO(text)


def bench(name: str, tree: GameTree, million: int, n_points: int, repeats: int, seed: int) -> None:
    start = time.perf_counter()
    result = subgame_perfect(tree)
    solve_s = time.perf_counter() - start
    assert isinstance(result, SymbolicSPEResult)
    names = result.parameters
    rng = np.random.default_rng(seed)
    arrays = {}
    for n in names:
        lo, hi = tree.parameters[n].domain  # type: ignore[misc]
        arrays[n] = rng.uniform(float(lo), float(hi), million * 10**6)
    start = time.perf_counter()
    result.classify(**{n: a[:10] for n, a in arrays.items()})  # compile once
    compile_s = time.perf_counter() - start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        labels = result.classify(**arrays)
        times.append(time.perf_counter() - start)
    classify_s = min(times)

    points = random_points(tree, names, n_points, seed)
    start = time.perf_counter()
    fresh = [subgame_perfect(tree.bind(p)) for p in points]
    per_point = (time.perf_counter() - start) / n_points
    extrapolated = per_point * million * 10**6

    exact = [result.region_at(p).index for p in points]
    floats = result.classify(**{n: np.array([float(p[n]) for p in points]) for n in names})
    agree = sum(int(a == b) for a, b in zip(exact, floats, strict=True))
    paths_agree = sum(
        int(result.regions[k].path in {eq.path for eq in f.equilibria})
        for k, f in zip(exact, fresh, strict=True)
    )

    print(f"\n{name}: {len(result.regions)} regions over {', '.join(names)}")
    print(f"  symbolic solve once        {solve_s:8.3f} s   (compile classifier {compile_s:.3f} s)")
    print(f"  classify {million}e6 points       {classify_s:8.3f} s   (best of {repeats})")
    print(
        f"  backward induction / point {per_point * 1e3:8.3f} ms"
        f"  -> {million}e6 points ~ {extrapolated:,.0f} s"
    )
    print(f"  ratio per-point / compiled {extrapolated / classify_s:10,.0f}x")
    print(
        f"  ratio incl. symbolic solve {extrapolated / (classify_s + solve_s + compile_s):10,.0f}x"
    )
    print(
        f"  classifier = exact region at {agree}/{n_points} points; "
        f"region path = fresh SPE path at {paths_agree}/{n_points}"
    )
    region_counts = np.bincount(labels, minlength=len(result.regions))
    print(f"  points per region          {region_counts.tolist()}")
    g = time_gambit(tree, points[: max(10, n_points // 10)])
    if g is None:
        print("  pygambit                   not installed: second peer skipped")
    else:
        ratio = g * million * 10**6 / classify_s
        print(f"  pygambit enummixed / point {g * 1e3:8.3f} ms  -> ratio {ratio:,.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", type=int, default=1, help="points to classify, in millions")
    parser.add_argument("--points", type=int, default=1000, help="per-point solves to time")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    for name, tree in trees().items():
        bench(name, tree, args.million, args.points, args.repeats, args.seed)
    print(f"\n(classifier: best of {args.repeats} runs; peers: one timed pass each)")


if __name__ == "__main__":
    main()
