"""Game trees with information sets shared by the tests and benchmarks (dict form)."""

from __future__ import annotations

import itertools
import random
from typing import Any

CARDS = ("J", "Q", "K")


def _leaf(p1: Any, p2: Any) -> dict[str, Any]:
    return {"payoffs": {"1": str(p1), "2": str(p2)}}


def kuhn_poker() -> dict[str, Any]:
    """Kuhn (1950) poker: three cards, ante 1, one bet of 1.  Player 1's value is -1/18."""

    def show(c1: str, c2: str, stake: int) -> dict[str, Any]:
        win = stake if CARDS.index(c1) > CARDS.index(c2) else -stake
        return _leaf(win, -win)

    deals: dict[str, Any] = {}
    for c1, c2 in itertools.permutations(CARDS, 2):
        p2_after_bet = {
            "player": "2",
            "infoset": f"2{c2}:b",
            "actions": {"fold": _leaf(1, -1), "call": show(c1, c2, 2)},
        }
        p2_after_check = {
            "player": "2",
            "infoset": f"2{c2}:c",
            "actions": {
                "check": show(c1, c2, 1),
                "bet": {
                    "player": "1",
                    "infoset": f"1{c1}:cb",
                    "actions": {"fold": _leaf(-1, 1), "call": show(c1, c2, 2)},
                },
            },
        }
        deals[c1 + c2] = {
            "probability": "1/6",
            "then": {
                "player": "1",
                "infoset": f"1{c1}",
                "actions": {"check": p2_after_check, "bet": p2_after_bet},
            },
        }
    return {"players": ["1", "2"], "title": "Kuhn poker", "root": {"chance": deals}}


def leduc_like(ranks: tuple[str, ...] = ("J", "Q", "K"), suits: int = 2) -> dict[str, Any]:
    """Leduc hold'em (Southey et al. 2005) in small: ``suits`` cards of each of ``ranks``.

    Ante 1.  Each player holds a private card; round 1 as in Kuhn poker with bets of 2
    (check/bet, call/fold); if no one folds, a public card from the rest is revealed and a
    second round with bets of 4 follows.  A pair with the public card wins, else the higher
    rank; equal ranks split.  Players see ranks only.
    """
    deck = [(r, k) for r in ranks for k in range(suits)]

    def winner(c1: str, c2: str, pub: str) -> int:
        if c1 == c2:
            return 0
        if c1 == pub:
            return 1
        if c2 == pub:
            return -1
        return 1 if ranks.index(c1) > ranks.index(c2) else -1

    def round2(d1: tuple[str, int], d2: tuple[str, int], hist: str, pot: int) -> dict[str, Any]:
        rest = [c for c in deck if c not in (d1, d2)]
        out: dict[str, Any] = {}
        for pub in rest:
            w = winner(d1[0], d2[0], pub[0])
            h = f"{hist}|{pub[0]}"
            out[f"{pub[0]}{pub[1]}"] = {
                "probability": f"1/{len(rest)}",
                "then": betting(d1[0], d2[0], h, pot, 4, lambda s, _h, w=w: _leaf(w * s, -w * s)),
            }
        return {"chance": out}

    def betting(c1: str, c2: str, hist: str, pot: int, bet: int, show: Any) -> dict[str, Any]:
        return {
            "player": "1",
            "infoset": f"1{c1}{hist}",
            "actions": {
                "check": {
                    "player": "2",
                    "infoset": f"2{c2}{hist}c",
                    "actions": {
                        "check": show(pot, hist + "cc"),
                        "bet": {
                            "player": "1",
                            "infoset": f"1{c1}{hist}cb",
                            "actions": {
                                "fold": _leaf(-pot, pot),
                                "call": show(pot + bet, hist + "cbc"),
                            },
                        },
                    },
                },
                "bet": {
                    "player": "2",
                    "infoset": f"2{c2}{hist}b",
                    "actions": {"fold": _leaf(pot, -pot), "call": show(pot + bet, hist + "bc")},
                },
            },
        }

    deals: dict[str, Any] = {}
    n = len(deck)
    for d1, d2 in itertools.permutations(deck, 2):
        deals[f"{d1[0]}{d1[1]}{d2[0]}{d2[1]}"] = {
            "probability": f"1/{n * (n - 1)}",
            "then": betting(
                d1[0], d2[0], "", 1, 2, lambda s, h, d1=d1, d2=d2: round2(d1, d2, h, s)
            ),
        }
    return {"players": ["1", "2"], "title": "Leduc-style poker", "root": {"chance": deals}}


def selten_horse() -> dict[str, Any]:
    """Selten's (1975) horse: three players; player 3 does not know who moved down."""

    def leaf(a: int, b: int, c: int) -> dict[str, Any]:
        return {"payoffs": {"1": str(a), "2": str(b), "3": str(c)}}

    return {
        "players": ["1", "2", "3"],
        "title": "Selten's horse",
        "root": {
            "player": "1",
            "actions": {
                "C": {
                    "player": "2",
                    "actions": {
                        "c": leaf(1, 1, 1),
                        "d": {
                            "player": "3",
                            "infoset": "3",
                            "actions": {"L": leaf(4, 4, 0), "R": leaf(1, 1, 1)},
                        },
                    },
                },
                "D": {
                    "player": "3",
                    "infoset": "3",
                    "actions": {"L": leaf(3, 3, 2), "R": leaf(0, 0, 0)},
                },
            },
        },
    }


def matching_pennies_tree() -> dict[str, Any]:
    """Matching pennies as a tree: player 2 does not see player 1's coin."""

    def p2(sign: int) -> dict[str, Any]:
        return {
            "player": "2",
            "infoset": "2",
            "actions": {"h": _leaf(sign, -sign), "t": _leaf(-sign, sign)},
        }

    return {"players": ["1", "2"], "root": {"player": "1", "actions": {"H": p2(1), "T": p2(-1)}}}


def random_tree(seed: int, *, big: int = 5, chance: bool | None = None) -> dict[str, Any]:
    """A random two-player tree with perfect recall and information sets.

    Stages: an optional chance move (seen by player 1 or not), player 1, player 2 (sees
    player 1's move or not), then player 1 again on some branches (sees player 2's move or
    not).  Payoffs are integers in ``[-big, big]``; some branches end early.
    """
    rng = random.Random(seed)
    use_chance = rng.random() < 0.4 if chance is None else chance
    p1_sees_chance = rng.random() < 0.5
    p2_sees_p1 = rng.random() < 0.4
    p1_sees_p2 = rng.random() < 0.5
    acts1 = ["a", "b", "c"][: rng.choice([2, 2, 3])]
    acts2 = ["x", "y", "z"][: rng.choice([2, 2, 3])]
    acts3 = ["l", "r"]

    def leaf() -> dict[str, Any]:
        return _leaf(rng.randint(-big, big), rng.randint(-big, big))

    def stage3(obs1: str, a1: str, a2: str) -> dict[str, Any]:
        if rng.random() < 0.5:
            return leaf()
        seen = f"{obs1}{a1}" + (a2 if p1_sees_p2 else "")
        return {
            "player": "1",
            "infoset": f"1:{seen}",
            "actions": {a: leaf() for a in acts3},
        }

    def stage2(obs1: str, a1: str) -> dict[str, Any]:
        seen = a1 if p2_sees_p1 else ""
        return {
            "player": "2",
            "infoset": f"2:{seen}",
            "actions": {a2: stage3(obs1, a1, a2) for a2 in acts2},
        }

    def stage1(outcome: str) -> dict[str, Any]:
        obs1 = outcome if p1_sees_chance else ""
        actions: dict[str, Any] = {}
        for k, a1 in enumerate(acts1):
            actions[a1] = leaf() if k == len(acts1) - 1 and rng.random() < 0.3 else stage2(obs1, a1)
        return {"player": "1", "infoset": f"1:{obs1}", "actions": actions}

    if not use_chance:
        root = stage1("")
    else:
        p = rng.choice(["1/2", "1/3", "2/5"])
        root = {
            "chance": {
                "u": {"probability": p, "then": stage1("u")},
                "v": {"probability": f"1 - {p}", "then": stage1("v")},
            }
        }
    return {"players": ["1", "2"], "root": root}
