"""Benchmark: exact bimatrix equilibria against lrsnash, QuantEcon and nashpy in the same run.

Part 1, all extreme equilibria of random n x n games: ``nash_equilibria(game)`` (exact and
complete; the default engine, named per size: lrslib's ``lrs`` when installed, cdd on small
games) against lrslib's ``lrsnash`` (exact; skipped with a message when the program is not
installed), QuantEcon's ``vertex_enumeration`` (floats) and, for small n, nashpy's
``support_enumeration`` (floats, in a child process with a time limit).  The cdd engine (what
runs where lrslib is not installed) is timed up to ``--cdd-max``; its exact set is compared
with lrsnash's.

Part 2, one equilibrium by Lemke–Howson: ``lemke_howson(game)`` (float pivoting, rebuilt and
verified exactly) against QuantEcon's ``lemke_howson`` (floats, numba), both from label 0.
"cold" is the first call on a new game (it converts the exact payoffs to integers), "warm" a
second call on the same game.

Payoffs are random 3-decimal numbers in [-1, 1]: exact for negotiate and lrsnash, floats for
the others.  Each enumeration time is the best of ``--repeats`` runs (ours and lrsnash
alternate, so load changes hit both); medians over ``--seeds`` games per size, with the
ratios ours / peer.  Garbage is collected before every timed call.

    pip install -e ".[bench]"                      # quantecon and numba
    python benchmarks/bench_nash.py                # n = 6 8 10 12 14; LH n = 50 100 200
    python benchmarks/bench_nash.py --sizes 8 10 --lh-sizes 100 --seeds 3
    python benchmarks/bench_nash.py --sizes --lh-sizes 100 200   # Lemke–Howson only
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate import NormalFormGame
from negotiate.solvers.nash import _lh_float
from negotiate.solvers.nash._bimatrix import integer_payoffs
from negotiate.solvers.nash.enummixed import extreme_equilibria, resolve_engine
from negotiate.solvers.nash.lemke_howson import lemke_howson
from negotiate.solvers.nash.solve import nash_equilibria

Matrix = list[list[Fraction]]
Profile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def random_game(n: int, seed: int) -> tuple[Matrix, Matrix]:
    rnd = random.Random(seed)

    def matrix() -> Matrix:
        return [[Fraction(rnd.randint(-1000, 1000), 1000) for _ in range(n)] for _ in range(n)]

    return matrix(), matrix()


def _quantecon() -> Any:
    try:
        import quantecon.game_theory as gt
    except ImportError:
        return None
    return gt


def _qe_game(gt: Any, a: Matrix, b: Matrix) -> Any:
    fa = np.array(a, dtype=float)
    fb = np.array(b, dtype=float)
    return gt.NormalFormGame((gt.Player(fa), gt.Player(fb.T)))


def timed(call: Any) -> tuple[float, Any]:
    """Seconds of one call (after a garbage collection) and its result."""
    gc.collect()
    start = time.perf_counter()
    out = call()
    return time.perf_counter() - start, out


def time_lrsnash(exe: str, a: Matrix, b: Matrix) -> tuple[float, set[Profile]]:
    """Wall time of lrsnash on the game's integer payoffs, and its set of equilibria."""
    ia, ib = integer_payoffs(NormalFormGame.from_arrays(a, b))
    m, n = len(ia), len(ia[0])
    text = f"{m} {n}\n\n" + "\n".join(" ".join(map(str, r)) for r in ia)
    text += "\n\n" + "\n".join(" ".join(map(str, r)) for r in ib) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "game.txt")
        with open(path, "w", encoding="ascii") as fh:
            fh.write(text)
        seconds, run = timed(
            lambda: subprocess.run([exe, path], capture_output=True, text=True, check=True)
        )
        out = run.stdout
    found: set[Profile] = set()
    xs: list[tuple[Fraction, ...]] = []
    ys: list[tuple[Fraction, ...]] = []
    for line in [*out.splitlines(), ""]:
        words = line.split()
        if words and words[0] == "1":
            xs.append(tuple(Fraction(w) for w in words[1 : m + 1]))
        elif words and words[0] == "2":
            ys.append(tuple(Fraction(w) for w in words[1 : n + 1]))
        elif not words:
            found |= {(x, y) for x in xs for y in ys}
            xs, ys = [], []
    return seconds, found


def _nashpy_child(a: np.ndarray, b: np.ndarray, out: Any) -> None:
    import warnings

    import nashpy

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    found = list(nashpy.Game(a, b).support_enumeration())
    out.put((time.perf_counter() - start, len(found)))


def time_nashpy(a: Matrix, b: Matrix, limit: float) -> float | None:
    """Seconds of nashpy's support enumeration in a child process; None when cut off."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    fa, fb = np.array(a, dtype=float), np.array(b, dtype=float)
    proc = ctx.Process(target=_nashpy_child, args=(fa, fb, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return float(queue.get()[0])


def med(values: list[float]) -> str:
    return f"{statistics.median(values) * 1e3:9.2f} ms" if values else "        -   "


def ratio(ours: list[float], peer: list[float]) -> str:
    if not ours or not peer:
        return "-"
    return f"{statistics.median(ours) / statistics.median(peer):.2f}x"


def enumeration(args: argparse.Namespace, exe: str | None, gt: Any) -> None:
    print("\n== all extreme equilibria (times per game; medians and ratios per size) ==")
    if gt is not None:
        gt.vertex_enumeration(_qe_game(gt, *random_game(3, 1)))  # numba compilation
    print(
        f"{'n':>3} {'seed':>4} {'ours':>9} {'eq':>4} {'lrsnash':>9} {'same':>5} "
        f"{'cdd':>9} {'qe':>9} {'qe eq':>5} {'nashpy':>9}"
    )
    for n in args.sizes:
        cols: dict[str, list[float]] = {"ours": [], "lrsnash": [], "cdd": [], "qe": [], "np": []}
        for k in range(args.seeds):
            a, b = random_game(n, args.seed * 1000 + n * 10 + k)
            best_ours, best_lrs = float("inf"), float("inf")
            reference = None
            for _ in range(args.repeats):
                game = NormalFormGame.from_arrays(a, b)  # a new game: nothing cached
                seconds, result = timed(lambda game=game: nash_equilibria(game))
                best_ours = min(best_ours, seconds)
                if exe:
                    seconds, reference = time_lrsnash(exe, a, b)
                    best_lrs = min(best_lrs, seconds)
            cols["ours"].append(best_ours)
            ours = {eq.probabilities for eq in result.equilibria}
            line = f"{n:>3} {k:>4} {best_ours * 1e3:7.1f}ms {len(ours):>4} "
            if exe:
                cols["lrsnash"].append(best_lrs)
                line += f"{best_lrs * 1e3:7.1f}ms {reference == ours!s:>5} "
            else:
                line += f"{'-':>9} {'-':>5} "
            if n <= args.cdd_max:
                ia, ib = integer_payoffs(NormalFormGame.from_arrays(a, b))
                seconds, (pairs, _) = timed(lambda ia=ia, ib=ib: extreme_equilibria(ia, ib, "cdd"))
                cols["cdd"].append(seconds)
                assert set(pairs) == ours, "the cdd engine disagrees"
                assert reference is None or set(pairs) == reference, "cdd disagrees with lrsnash"
                line += f"{cols['cdd'][-1] * 1e3:7.1f}ms "
            else:
                line += f"{'-':>9} "
            if gt is not None:
                qg = _qe_game(gt, a, b)
                seconds, qe_found = timed(lambda qg=qg: gt.vertex_enumeration(qg))
                cols["qe"].append(seconds)
                line += f"{cols['qe'][-1] * 1e3:7.2f}ms {len(qe_found):>5} "
            if n <= args.nashpy_max:
                seconds_np = time_nashpy(a, b, args.nashpy_limit)
                cols["np"].append(args.nashpy_limit if seconds_np is None else seconds_np)
                shown = f">{args.nashpy_limit:.0f}s" if seconds_np is None else f"{seconds_np:.2f}s"
                line += f"{shown:>9}"
            print(line, flush=True)
        print(
            f"    n={n} (engine {resolve_engine(None, (n, n))}): ours {med(cols['ours'])} | "
            f"lrsnash {med(cols['lrsnash'])} "
            f"ours/lrsnash {ratio(cols['ours'], cols['lrsnash'])} | cdd engine {med(cols['cdd'])} "
            f"cdd/lrsnash {ratio(cols['cdd'], cols['lrsnash'])} | QuantEcon {med(cols['qe'])} "
            f"ours/qe {ratio(cols['ours'], cols['qe'])}"
            + (f" | nashpy {med(cols['np'])}" if cols["np"] else ""),
            flush=True,
        )


def lemke(args: argparse.Namespace, gt: Any) -> None:
    print("\n== Lemke–Howson from label 0 (cold = first call on a new game) ==")
    if args.lh_numpy:  # as without numba: the vectorised numpy kernel only
        _lh_float._COMPILED[:] = [None]
    warm_up = NormalFormGame.from_arrays(*random_game(40, 1))
    _lh_float.numba_kernel()  # loads the compiled float kernel once (cached on disk by numba)
    lemke_howson(warm_up)
    if gt is not None:
        gt.lemke_howson(_qe_game(gt, *random_game(40, 1)))
    print(f"{'n':>4} {'seed':>4} {'cold':>9} {'warm':>9} {'pivots':>6} {'qe':>9} {'path':>6}")
    worst = 0.0
    for n in args.lh_sizes:
        cold, warm, qe = [], [], []
        for k in range(args.seeds):
            a, b = random_game(n, args.seed * 1000 + n * 10 + k)
            game = NormalFormGame.from_arrays(a, b)
            seconds, result = timed(lambda game=game: lemke_howson(game))
            cold.append(seconds)
            warm.append(timed(lambda game=game: lemke_howson(game))[0])
            worst = max(worst, cold[-1])
            note = result.notes[-1]
            pivots = note.split(" after ")[1].split(" ")[0]
            path = "float" if "float pivoting" in note else "exact"
            line = f"{n:>4} {k:>4} {cold[-1] * 1e3:7.1f}ms {warm[-1] * 1e3:7.1f}ms {pivots:>6} "
            if gt is not None:
                qg = _qe_game(gt, a, b)
                qe.append(timed(lambda qg=qg: gt.lemke_howson(qg, init_pivot=0))[0])
                line += f"{qe[-1] * 1e3:7.2f}ms "
            print(line + f"{path:>6}", flush=True)
        print(
            f"    n={n}: cold {med(cold)} warm {med(warm)} QuantEcon {med(qe)} | "
            f"cold/qe {ratio(cold, qe)} warm/qe {ratio(warm, qe)}",
            flush=True,
        )
    print(f"slowest Lemke–Howson game (cold): {worst:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[6, 8, 10, 12, 14])
    parser.add_argument("--lh-sizes", type=int, nargs="*", default=[50, 100, 200])
    parser.add_argument("--lh-numpy", action="store_true", help="Lemke–Howson without numba")
    parser.add_argument("--seeds", type=int, default=5, help="random games per size")
    parser.add_argument("--repeats", type=int, default=2, help="enumeration runs (best)")
    parser.add_argument("--cdd-max", type=int, default=10, help="largest n for the cdd engine")
    parser.add_argument("--nashpy-max", type=int, default=6, help="largest n run in nashpy")
    parser.add_argument("--nashpy-limit", type=float, default=30.0, help="seconds per game")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    exe = shutil.which("lrsnash")
    gt = _quantecon()
    print(f"lrsnash: {exe or 'not installed (skipped; apt-get install lrslib)'}")
    print(f"lrs (default engine when installed): {shutil.which('lrs') or 'not installed'}")
    print(f"quantecon: {'present' if gt else 'not installed (skipped; pip install quantecon)'}")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    enumeration(args, exe, gt)
    lemke(args, gt)


if __name__ == "__main__":
    main()
