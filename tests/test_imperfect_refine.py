"""Quasi-perfect and sequential equilibria of two-player trees (perturbed sequence form)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from imperfect_games import kuhn_poker, random_tree
from signaling_games import beer_quiche_dict

import negotiate as ng
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import GameTree
from negotiate.solvers.nash.behavior import BehaviorEquilibrium, BehaviorEquilibriumSet

ENTRY = GameTree.from_dict(
    {
        "players": ["E", "I"],
        "root": {
            "player": "E",
            "actions": {
                "out": {"payoffs": {"E": "0", "I": "2"}},
                "in": {
                    "player": "I",
                    "actions": {
                        "fight": {"payoffs": {"E": "-1", "I": "-1"}},
                        "accommodate": {"payoffs": {"E": "1", "I": "1"}},
                    },
                },
            },
        },
    }
)


def signaling_tree(d: dict[str, Any]) -> GameTree:
    """A signalling game in dict form as a tree: chance, sender per type, receiver per message."""
    s, r = d["sender"], d["receiver"]

    def reply(t: str, m: str) -> dict[str, Any]:
        return {
            "player": r,
            "infoset": f"R:{m}",
            "actions": {
                a: {"payoffs": {k: str(v) for k, v in d["payoffs"][t][m][a].items()}}
                for a in d["actions"]
            },
        }

    root = {
        "chance": {
            t: {
                "probability": str(spec["prior"]),
                "then": {
                    "player": s,
                    "infoset": f"S:{t}",
                    "actions": {m: reply(t, m) for m in d["messages"]},
                },
            }
            for t, spec in d["types"].items()
        }
    }
    return GameTree.from_dict({"players": [s, r], "root": root})


def test_quasi_perfect_drops_the_incredible_threat() -> None:
    nash = ng.nash_equilibria(ENTRY, method="enum")
    assert any(eq.behavior[("I", ("in",))]["fight"] == 1 for eq in nash)  # Nash allows it
    qp = ng.nash_equilibria(ENTRY, method="lcp", refine="quasi_perfect")
    (eq,) = qp.equilibria
    assert eq.behavior[("E", ())]["in"] == 1
    assert eq.behavior[("I", ("in",))]["accommodate"] == 1
    assert qp.verify().ok and qp.options["refine"] == "quasi_perfect"


def test_quasi_perfect_avoids_weakly_dominated_strategies() -> None:
    # player 2 does not see player 1; (B, R) is Nash but uses weakly dominated strategies
    def leaf(u: int) -> dict[str, Any]:
        return {"payoffs": {"1": str(u), "2": str(u)}}

    tree = GameTree.from_dict(
        {
            "players": ["1", "2"],
            "root": {
                "player": "1",
                "actions": {
                    "B": {"player": "2", "infoset": "2", "actions": {"L": leaf(0), "R": leaf(0)}},
                    "T": {"player": "2", "infoset": "2", "actions": {"L": leaf(1), "R": leaf(0)}},
                },
            },
        }
    )
    assert len(ng.nash_equilibria(tree, method="enum")) > 1
    (eq,) = ng.nash_equilibria(tree, method="lcp", refine="quasi_perfect").equilibria
    assert eq.behavior[("1", ())]["T"] == 1 and eq.behavior[("2", "2")]["L"] == 1


def test_sequential_beer_quiche_assessment() -> None:
    tree = signaling_tree(beer_quiche_dict())
    result = ng.nash_equilibria(tree, method="lcp", refine="sequential")
    cert = result.verify()
    assert cert.ok and any("Bayes" in c for c in cert.checks)
    (eq,) = result.equilibria
    assert eq.beliefs is not None
    # both types pool on beer (prior 9/10 strong): on-path belief is the prior
    assert eq.behavior[("Sender", "S:strong")]["beer"] == 1
    assert eq.behavior[("Sender", "S:weak")]["beer"] == 1
    assert eq.beliefs[("Receiver", "R:beer")][("strong", "beer")] == Fraction(9, 10)
    off = eq.beliefs[("Receiver", "R:quiche")]
    assert sum(off.values()) == 1
    # off the path the receiver must deter quiche: it fights with a belief in weak >= 1/2
    assert off[("weak", "quiche")] >= Fraction(1, 2)
    assert eq.behavior[("Receiver", "R:quiche")]["fight"] >= Fraction(1, 2)


def test_sequential_check_rejects_bad_beliefs() -> None:
    tree = signaling_tree(beer_quiche_dict())
    (eq,) = ng.nash_equilibria(tree, method="lcp", refine="sequential").equilibria
    assert eq.beliefs is not None
    beliefs = {k: dict(v) for k, v in eq.beliefs.items()}
    beliefs[("Receiver", "R:quiche")] = {("strong", "quiche"): Fraction(1), ("weak", "quiche"): 0}
    bad = BehaviorEquilibrium.of(tree, eq.behavior, beliefs)
    cert = BehaviorEquilibriumSet.build(
        tree, [bad], method="test", options={}, complete=False
    ).verify()
    assert not cert.ok and any("loses" in n for n in cert.notes)
    beliefs = {k: dict(v) for k, v in eq.beliefs.items()}
    beliefs[("Receiver", "R:beer")] = {("strong", "beer"): Fraction(1, 2), ("weak", "beer"): 0.5}
    bayes = BehaviorEquilibrium.of(tree, eq.behavior, beliefs)
    cert = BehaviorEquilibriumSet.build(
        tree, [bayes], method="test", options={}, complete=False
    ).verify()
    assert not cert.ok and any("Bayes" in n for n in cert.notes)


def test_kuhn_sequential_value() -> None:
    result = ng.nash_equilibria(GameTree.from_dict(kuhn_poker()), refine="sequential")
    assert result.verify().ok and result[0].payoffs[0] == Fraction(-1, 18)


@pytest.mark.parametrize("seed", range(12))
def test_sequential_on_random_trees(seed: int) -> None:
    tree = GameTree.from_dict(random_tree(seed))
    assert ng.nash_equilibria(tree, method="lcp", refine="sequential").verify().ok


def test_refine_errors() -> None:
    with pytest.raises(ModelError, match="refine"):
        ng.nash_equilibria(ENTRY, method="lcp", refine="proper")
    with pytest.raises(ModelError, match="refine"):
        ng.nash_equilibria(ENTRY, method="enum", refine="sequential")
    horse = GameTree.from_dict(
        {
            "players": ["1", "2", "3"],
            "root": {"player": "1", "actions": {"a": {"payoffs": {"1": "0", "2": "0", "3": "0"}}}},
        }
    )
    with pytest.raises(NotApplicableError):
        ng.nash_equilibria(horse, refine="sequential")
