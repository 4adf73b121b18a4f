"""Pure equilibria of n-player games, and 'auto' refusing to pass them off as the whole set."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate import NormalFormGame, NotApplicableError, SolverError
from negotiate.solvers.nash.solve import nash_equilibria


def three_player(payoff) -> NormalFormGame:
    shape = (2, 2, 2)
    arrays = [
        [[[payoff(i, (a, b, c)) for c in range(2)] for b in range(2)] for a in range(2)]
        for i in range(3)
    ]
    assert all(len(arr) == shape[0] for arr in arrays)
    return NormalFormGame.from_arrays(*arrays, players=["P1", "P2", "P3"])


def test_three_player_coordination() -> None:
    game = three_player(lambda i, s: int(len(set(s)) == 1))
    result = nash_equilibria(game, method="pure")
    pure = {tuple(eq.support) for eq in result}
    assert pure == {(("s1",), ("s1",), ("s1",)), (("s2",), ("s2",), ("s2",))}
    assert result.complete is False and result.method == "pure"
    assert result.components is None
    cert = result.verify()
    assert cert.ok and cert.max_regret == 0
    assert any("mixed equilibria not searched" in n for n in result.notes)
    assert all(eq.payoffs == (1, 1, 1) for eq in result)


def test_three_player_minority_game_has_six_pure_equilibria() -> None:
    # a player earns 1 when in the strict minority; the equilibria are the 2-1 splits
    def payoff(i: int, s: tuple[int, ...]) -> int:
        return int(sum(1 for t in s if t == s[i]) == 1)

    result = nash_equilibria(three_player(payoff), method="pure")
    profiles = {tuple(p.index(1) for p in eq.probabilities) for eq in result}
    assert profiles == {s for s in itertools.product(range(2), repeat=3) if len(set(s)) == 2}


def test_auto_refuses_three_players_and_names_pure() -> None:
    game = three_player(lambda i, s: 0)
    with pytest.raises(NotApplicableError) as info:
        nash_equilibria(game)
    assert "pure" in info.value.applicable
    assert "pure" in str(info.value)
    with pytest.raises(NotApplicableError):
        nash_equilibria(game, "enummixed")


def test_no_pure_equilibrium_is_an_error_not_an_empty_result() -> None:
    pennies = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    with pytest.raises(SolverError, match="no pure-strategy equilibrium"):
        nash_equilibria(pennies, "pure")


@st.composite
def n_player_games(draw: st.DrawFn) -> NormalFormGame:
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(n))
    cells = list(itertools.product(*(range(k) for k in shape)))
    values = {(i, c): draw(st.integers(0, 2)) for i in range(n) for c in cells}

    def build(i: int, prefix: tuple[int, ...]):
        if len(prefix) == n:
            return values[i, prefix]
        return [build(i, (*prefix, j)) for j in range(shape[len(prefix)])]

    return NormalFormGame.from_arrays(*(build(i, ()) for i in range(n)))


@settings(max_examples=200)
@given(n_player_games())
def test_pure_matches_a_naive_deviation_check(game: NormalFormGame) -> None:
    naive = set()
    for cell in itertools.product(*(range(k) for k in game.shape)):
        stable = all(
            game.payoff(i, cell) >= game.payoff(i, (*cell[:i], d, *cell[i + 1 :]))
            for i in range(game.n_players)
            for d in range(game.shape[i])
        )
        if stable:
            naive.add(cell)
    if not naive:
        with pytest.raises(SolverError):
            nash_equilibria(game, "pure")
        return
    result = nash_equilibria(game, "pure")
    found = {tuple(p.index(Fraction(1)) for p in eq.probabilities) for eq in result}
    assert found == naive
    assert result.verify().ok
