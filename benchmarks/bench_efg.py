"""Benchmark: sequence-form Lemke (method "lcp") against the reduced-normal-form route.

Random two-player games with information sets grow by rounds: chance gives player 1 one of
two private types; then, each round, player 1 and player 2 each choose one of two actions,
player 2 seeing the actions but never the type.  Payoffs are random integers.  For each
size, ``nash_equilibria(tree, method="lcp")`` (the sequence form is linear in the tree) is
timed against the reduced normal form (``reduced_normal_form``, exponential in the tree)
solved by exact Lemke-Howson; both answers are checked exactly.  Then Kuhn poker and a
3-card Leduc-style poker are solved exactly by "lcp" (and Kuhn also by "enum").

    python benchmarks/bench_efg.py                  # rounds 1..3, 3 games each, poker
    python benchmarks/bench_efg.py --rounds 1 2 --games 2 --no-poker
    python benchmarks/bench_efg.py --leduc-suits 2  # the 6-card Leduc-style game (slow)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import negotiate as ng
from negotiate.errors import TooLargeError
from negotiate.games.tree import GameTree
from negotiate.solvers.nash.sequence_form import sequence_form


def growing_tree(rounds: int, seed: int) -> GameTree:
    rng = random.Random(seed)

    def node(t: str, hist: str, r: int) -> dict[str, Any]:
        if r == rounds:
            return {"payoffs": {"1": str(rng.randint(-9, 9)), "2": str(rng.randint(-9, 9))}}
        return {
            "player": "1",
            "infoset": f"1{t}{hist}",
            "actions": {
                a: {
                    "player": "2",
                    "infoset": f"2{hist}{a}",
                    "actions": {b: node(t, hist + a + b, r + 1) for b in ("x", "y")},
                }
                for a in ("a", "b")
            },
        }

    root = {"chance": {t: {"probability": "1/2", "then": node(t, "", 0)} for t in ("s", "w")}}
    return GameTree.from_dict({"players": ["1", "2"], "root": root})


def timed(fn: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench_random(rounds: list[int], games: int) -> None:
    print("| rounds | nodes | sequences | reduced normal form | lcp (s) | RNF + L-H (s) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for r in rounds:
        for g in range(games):
            tree = growing_tree(r, 1000 * r + g)
            sizes = sequence_form(tree).sizes
            res, t_lcp = timed(lambda tree=tree: ng.nash_equilibria(tree, method="lcp"))
            assert res.verify().ok
            try:
                rnf, t_rnf = timed(
                    lambda tree=tree: ng.nash_equilibria(
                        ng.reduced_normal_form(tree), method="lemke_howson"
                    )
                )
                assert rnf.verify().ok
                shape = "x".join(map(str, rnf.game.shape))
                peer, ratio = f"{t_rnf:.3f}", f"{t_rnf / t_lcp:.1f}"
            except TooLargeError as err:
                shape, peer, ratio = f"over budget ({err.cost:.2g})", "-", "-"
            print(
                f"| {r} | {tree.n_nodes} | {sizes[0]}+{sizes[1]} | {shape} | {t_lcp:.3f} "
                f"| {peer} | {ratio} |"
            )


def bench_poker(suits: int) -> None:
    from imperfect_games import kuhn_poker, leduc_like

    kuhn = GameTree.from_dict(kuhn_poker())
    for method in ("lcp", "enum"):
        res, t = timed(lambda method=method: ng.nash_equilibria(kuhn, method=method))
        assert res.verify().ok
        print(
            f"Kuhn poker, {method}: {t:.3f} s, {len(res)} equilibria, value of player 1 "
            f"{res[0].payoffs[0]} (exact), sequences {sequence_form(kuhn).sizes}"
        )
    leduc = GameTree.from_dict(leduc_like(suits=suits))
    res, t = timed(lambda: ng.nash_equilibria(leduc, method="lcp"))
    cert, t_cert = timed(res.verify)
    assert cert.ok
    print(
        f"Leduc-style poker ({3 * suits} cards): lcp {t:.1f} s, {leduc.n_nodes} nodes, "
        f"sequences {sequence_form(leduc).sizes}, value of player 1 {res[0].payoffs[0]} "
        f"= {float(res[0].payoffs[0]):.6f}; exact certificate {t_cert:.2f} s; {res.notes[-1]}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--games", type=int, default=3)
    ap.add_argument("--no-poker", action="store_true")
    ap.add_argument("--leduc-suits", type=int, default=1)
    args = ap.parse_args()
    bench_random(args.rounds, args.games)
    if not args.no_poker:
        bench_poker(args.leduc_suits)


if __name__ == "__main__":
    main()
