"""perfect_bayesian on general trees: agreement with the signalling-game solver, Selten's horse."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest
from imperfect_games import selten_horse

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import GameTree
from negotiate.solvers.pbe.solve import perfect_bayesian
from negotiate.solvers.pbe.tree import signaling_tree
from tests.test_pbe import beer_quiche, job_market

Profile = tuple[tuple[Any, ...], tuple[Any, ...]]


def _canon(mix: Any) -> tuple[Any, ...]:
    return tuple(sorted((k, Fraction(v)) for k, v in mix.items() if v))


def _three_types() -> SignalingGame:
    data = job_market().to_dict()
    data["types"] = {"high": {"prior": "1/3"}, "mid": {"prior": "1/3"}, "low": {"prior": "1/3"}}
    data["payoffs"]["mid"] = copy.deepcopy(data["payoffs"]["high"])
    for a in ("manager", "clerk"):
        data["payoffs"]["mid"]["educate"][a]["Worker"] -= 1
    return SignalingGame.from_dict(data)


def _small(n_types: int, n_messages: int, n_actions: int) -> SignalingGame:
    types = [f"t{i}" for i in range(n_types)]
    actions = [f"a{k}" for k in range(n_actions)]
    return SignalingGame.from_dict(
        {
            "sender": "S",
            "receiver": "R",
            "types": {t: {"prior": Fraction(1, n_types)} for t in types},
            "messages": [f"m{j}" for j in range(n_messages)],
            "actions": actions,
            "payoffs": {
                t: {
                    f"m{j}": {a: {"S": i + k, "R": i - k} for k, a in enumerate(actions)}
                    for j in range(n_messages)
                }
                for i, t in enumerate(types)
            },
        }
    )


GAMES = {
    "beer-quiche 9/10": lambda: beer_quiche(),
    "beer-quiche 1/3 (semi-separating)": lambda: beer_quiche("1/3"),
    "beer-quiche 1/2": lambda: beer_quiche("1/2"),
    "beer-quiche 1 (zero prior)": lambda: beer_quiche(1),
    "beer-quiche 0 (zero prior)": lambda: beer_quiche(0),
    "Spence job market 1/3": lambda: job_market(),
    "Spence job market 1/2": lambda: job_market("1/2"),
    "three types": _three_types,
    "one type": lambda: _small(1, 2, 2),
    "one message": lambda: _small(2, 1, 2),
    "one action": lambda: _small(2, 2, 1),
}


@pytest.mark.parametrize("name", list(GAMES))
def test_trees_agree_with_the_signalling_solver(name: str) -> None:
    game = GAMES[name]()
    ours = perfect_bayesian(signaling_tree(game))
    assert ours.method == "tree" and ours.verify().ok
    theirs = perfect_bayesian(game)

    def sig(e: Any) -> Profile:
        return (
            tuple(_canon(e.sender_mixture(t)) for t in game.types),
            tuple(_canon(e.receiver_mixture(m)) for m in game.messages),
        )

    def tree(e: Any) -> Profile:
        return (
            tuple(_canon(e.behavior[(game.sender, f"{game.sender}|{t}")]) for t in game.types),
            tuple(
                _canon(e.behavior[(game.receiver, f"{game.receiver}|{m}")]) for m in game.messages
            ),
        )

    def pure(p: Profile) -> bool:
        return all(len(x) == 1 for part in p for x in part)

    s = {sig(e) for e in theirs.equilibria}
    t = {tree(e) for e in ours}
    assert s <= t  # every equilibrium of the signalling solver is found on the tree
    assert {p for p in s if pure(p)} == {p for p in t if pure(p)}
    # the only extra ones differ by off-path mixing of the receiver in a listed sender class
    assert {p[0] for p in t} == {p[0] for p in s}


def test_beer_quiche_tree_beliefs() -> None:
    result = perfect_bayesian(signaling_tree(beer_quiche()))
    beer = next(
        e
        for e in result
        if e.behavior[("Sender", "Sender|weak")]["beer"] == 1
        and e.behavior[("Receiver", "Receiver|quiche")]["fight"] == 1
    )
    assert beer.beliefs is not None
    on = beer.beliefs[("Receiver", "Receiver|beer")]
    assert on == {("strong", "beer"): Fraction(9, 10), ("weak", "beer"): Fraction(1, 10)}
    off = beer.beliefs[("Receiver", "Receiver|quiche")]
    assert off[("weak", "quiche")] >= Fraction(1, 2)  # a vertex of mu(weak|quiche) >= 1/2


def test_selten_horse_pbe() -> None:
    result = perfect_bayesian(GameTree.from_dict(selten_horse()))
    assert result.verify().ok
    found = {
        tuple(
            next(a for a, p in e.behavior[key].items() if p == 1)
            for key in (("1", ()), ("2", ("C",)), ("3", "3"))
        )
        for e in result
    }
    # (D, c, L) is Nash but player 2's c is not optimal once reached
    assert found == {("C", "c", "R"), ("C", "d", "R")}
    belief = next(e for e in result if e.behavior[("2", ("C",))]["c"] == 1).beliefs
    assert belief is not None and belief[("3", "3")][("D",)] <= Fraction(1, 3)


def test_tree_errors() -> None:
    symbolic = GameTree.from_dict(
        {
            "players": ["1"],
            "parameters": {"c": {"domain": [0, 1]}},
            "root": {"player": "1", "actions": {"a": {"payoffs": {"1": "c"}}}},
        }
    )
    with pytest.raises(NotApplicableError):
        perfect_bayesian(symbolic)
    with pytest.raises(NotApplicableError):
        perfect_bayesian(GameTree.from_dict(selten_horse()), method="exact")
    with pytest.raises(ModelError):
        perfect_bayesian([1, 2])  # type: ignore[arg-type]
