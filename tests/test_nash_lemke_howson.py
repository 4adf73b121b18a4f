"""Exact lexicographic Lemke–Howson: verified, terminating, every label usable."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from negotiate import ModelError, NormalFormGame
from negotiate.solvers.nash.lemke_howson import lemke_howson
from negotiate.solvers.nash.solve import nash_equilibria
from tests.test_nash_regressions import CASES


@pytest.mark.parametrize("name", list(CASES))
def test_every_label_gives_a_verified_extreme_equilibrium(name: str) -> None:
    a, b, expected, *_ = CASES[name]
    game = NormalFormGame.from_arrays(a, b)
    for label in range(sum(game.shape)):
        result = nash_equilibria(game, "lemke_howson", initial_label=label)
        (eq,) = result.equilibria
        assert eq.probabilities in expected
        assert result.verify().max_regret == 0
        assert result.complete is False and result.degenerate is None
        assert result.maximal_subsets is None and result.components is None
        assert result.options["initial_label"] == label


def test_label_by_player_and_strategy() -> None:
    game = NormalFormGame.from_arrays(
        [[3, 0], [0, 2]], [[2, 0], [0, 3]], players=["A", "B"], strategies=[["x", "y"], ["u", "v"]]
    )
    by_pair = lemke_howson(game, initial_label=("B", "v")).equilibria[0]
    by_number = lemke_howson(game, initial_label=3).equilibria[0]
    assert by_pair == by_number


@pytest.mark.parametrize("bad", [-1, 4, 1.5, True, "x", ("A", "nope")])
def test_bad_labels_are_model_errors(bad: object) -> None:
    game = NormalFormGame.from_arrays(
        [[3, 0], [0, 2]], [[2, 0], [0, 3]], players=["A", "B"], strategies=[["x", "y"], ["u", "v"]]
    )
    with pytest.raises(ModelError):
        lemke_howson(game, initial_label=bad)


def test_one_strategy_players_terminate() -> None:
    for a, b in [([[5]], [[3]]), ([[1, 2, 3]], [[0, 0, 0]]), ([[1], [1], [0]], [[2], [2], [2]])]:
        game = NormalFormGame.from_arrays(a, b)
        for label in range(sum(game.shape)):
            assert lemke_howson(game, initial_label=label).equilibria[0].max_regret() == 0


def test_large_game_is_fast_and_exact() -> None:
    rnd = random.Random(7)
    n = 30
    a = [[Fraction(rnd.randint(-999, 999), 1000) for _ in range(n)] for _ in range(n)]
    b = [[Fraction(rnd.randint(-999, 999), 1000) for _ in range(n)] for _ in range(n)]
    game = NormalFormGame.from_arrays(a, b)
    eq = lemke_howson(game, initial_label=17).equilibria[0]
    assert eq.max_regret() == 0


def test_degenerate_cyclic_game_all_labels() -> None:
    # identity-like payoffs with many ties: every pure profile on the diagonal is an equilibrium
    n = 5
    eye = [[int(i == j) for j in range(n)] for i in range(n)]
    game = NormalFormGame.from_arrays(eye, eye)
    found = {eq.probabilities for eq in nash_equilibria(game).equilibria}
    for label in range(2 * n):
        assert lemke_howson(game, initial_label=label).equilibria[0].probabilities in found
