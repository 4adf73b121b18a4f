"""Correlated equilibria: the polytope, welfare-maximising equilibria, exact certificates."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError, NotApplicableError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.lp import exact_lp as _exact_lp
from negotiate.solvers.lp.correlated import correlated_equilibrium, correlated_polytope

F = Fraction
FB = ["firm", "back down"]


@pytest.fixture
def crisis() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[0, 3], [1, 2]], [[0, 1], [3, 2]], players=["US", "Iran"], strategies=[FB, FB]
    )


def aumann_chicken() -> NormalFormGame:
    """Aumann's (1974) example: dare/chicken with payoffs 0, 7, 2, 6."""
    return NormalFormGame.from_arrays(
        [[0, 7], [2, 6]], [[0, 2], [7, 6]], strategies=[["dare", "chicken"]] * 2
    )


def test_aumann_chicken_best_correlated_equilibrium() -> None:
    ce = correlated_equilibrium(aumann_chicken())
    assert ce.distribution == {
        ("dare", "chicken"): F(1, 4),
        ("chicken", "dare"): F(1, 4),
        ("chicken", "chicken"): F(1, 2),
    }
    assert ce.payoffs == (F(21, 4), F(21, 4))
    assert ce.welfare == F(21, 2)  # better than any Nash equilibrium (best: 9 at a pure one)
    cert = ce.verify()
    assert cert.ok and cert.exact
    assert cert.max_incentive_violation == 0 and cert.duality_gap == 0


def test_crisis_polytope_vertices(crisis: NormalFormGame) -> None:
    poly = correlated_polytope(crisis)
    assert len(poly.profiles) == 4 and len(poly.constraints) == 4
    assert poly.matrix().shape == (4, 4)
    first = poly.constraints[0]
    assert (first.player, first.recommended, first.deviation) == ("US", "firm", "back down")
    verts = poly.vertices()
    expected = [
        {("firm", "back down"): F(1)},
        {("back down", "firm"): F(1)},
        {p: F(1, 4) for p in poly.profiles},  # the mixed Nash equilibrium, as a product
        {("firm", "firm"): F(1, 3), ("firm", "back down"): F(1, 3), ("back down", "firm"): F(1, 3)},
        {
            ("firm", "back down"): F(1, 3),
            ("back down", "firm"): F(1, 3),
            ("back down", "back down"): F(1, 3),
        },
    ]
    assert len(verts) == len(expected)
    for v in expected:
        assert v in verts
        assert poly.contains(v)
    assert not poly.contains({("back down", "back down"): 1})
    assert poly.max_violation({("back down", "back down"): 1}) == 1


def test_welfare_objectives(crisis: NormalFormGame) -> None:
    best = correlated_equilibrium(crisis)
    assert best.welfare == 4 and sum(best.payoffs) == 4
    us = correlated_equilibrium(crisis, {"US": 1})
    assert us.welfare == 3 and us.distribution == {("firm", "back down"): 1}
    iran = correlated_equilibrium(crisis, {"Iran": "1/2", "US": 0})
    assert iran.welfare == F(3, 2) and iran.payoff("Iran") == 3
    anyone = correlated_equilibrium(crisis, None)
    assert anyone.welfare is None and correlated_polytope(crisis).contains(anyone.distribution)
    assert anyone.verify().ok


@pytest.mark.parametrize(
    "a, b, unique",
    [
        ([[3, 0], [5, 1]], [[3, 5], [0, 1]], {("s2", "s2"): F(1)}),  # prisoners' dilemma
        ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], None),  # matching pennies: uniform product
    ],
)
def test_games_with_a_unique_correlated_equilibrium(a: Any, b: Any, unique: Any) -> None:
    g = NormalFormGame.from_arrays(a, b)
    poly = correlated_polytope(g)
    verts = poly.vertices()
    assert len(verts) == 1
    expected = unique or {p: F(1, 4) for p in poly.profiles}
    assert verts[0] == expected
    for objective in ("utilitarian", None, {"Player 1": -1}):
        assert correlated_equilibrium(g, objective).distribution == expected


def test_three_player_game() -> None:
    # each player wants to match player 1; player 1 wants to be matched by exactly one other
    shape = (2, 2, 2)
    u = [np.zeros(shape, dtype=int) for _ in range(3)]
    for s in itertools.product(range(2), repeat=3):
        u[0][s] = int((s[1] == s[0]) != (s[2] == s[0])) * 4
        u[1][s] = 2 * int(s[1] == s[0])
        u[2][s] = 3 * int(s[2] == s[0]) - int(s[1] == s[2])
    g = NormalFormGame.from_arrays(*u, players=["a", "b", "c"])
    ce = correlated_equilibrium(g)
    assert ce.verify().ok
    welfare_of = {
        s: sum(int(u[i][s]) for i in range(3)) for s in itertools.product(range(2), repeat=3)
    }
    pure_ne = [
        s
        for s in welfare_of
        if all(u[i][s] >= u[i][(*s[:i], 1 - s[i], *s[i + 1 :])] for i in range(3))
    ]
    assert ce.welfare >= max((welfare_of[s] for s in pure_ne), default=-(10**9))
    assert ce.welfare <= max(welfare_of.values())
    # brute force over the polytope's vertices agrees with the LP
    poly = correlated_polytope(g)
    best = max(
        sum(sum(x * g.payoff(i, p) for i in range(3)) for p, x in v.items())
        for v in poly.vertices()
    )
    assert ce.welfare == best


def test_huge_and_tiny_payoffs_stay_exact() -> None:
    big = 10**18
    g = NormalFormGame.from_arrays(
        [[0, 7 * big], [2 * big, 6 * big]], [["0", "2e-18"], ["7e-18", "6e-18"]]
    )
    ce = correlated_equilibrium(g, {"Player 1": 1, "Player 2": big * big})
    assert ce.distribution == {("s1", "s2"): F(1, 4), ("s2", "s1"): F(1, 4), ("s2", "s2"): F(1, 2)}
    assert ce.payoffs == (F(21, 4) * big, F(21, 4) / big)
    assert ce.verify().ok


def test_exact_fallback_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = correlated_equilibrium(aumann_chicken())
    monkeypatch.setattr(_exact_lp, "_via_highs", lambda lp: "disabled")
    slow = correlated_equilibrium(aumann_chicken())
    assert slow.method.startswith("cddlib")
    assert slow.welfare == fast.welfare and slow.verify().ok


def test_bad_objectives(crisis: NormalFormGame) -> None:
    with pytest.raises(ModelError, match=r"^objective = 'egalitarian'"):
        correlated_equilibrium(crisis, "egalitarian")
    with pytest.raises(ModelError, match=r"^objective\['Israel'\] = 1: unknown player"):
        correlated_equilibrium(crisis, {"Israel": 1})
    with pytest.raises(ModelError, match=r"^objective\['US'\] = 'nan'"):
        correlated_equilibrium(crisis, {"US": "nan"})
    with pytest.raises(ModelError, match=r"^objective = 3"):
        correlated_equilibrium(crisis, 3)  # type: ignore[arg-type]
    with pytest.raises(NotApplicableError):
        correlated_polytope([[1]])  # type: ignore[arg-type]


def test_bad_distributions(crisis: NormalFormGame) -> None:
    poly = correlated_polytope(crisis)
    with pytest.raises(ModelError, match=r"distribution\[\('firm', 'firm'\)\] = -1"):
        poly.slacks({("firm", "firm"): -1, ("back down", "firm"): 2})
    with pytest.raises(ModelError, match="sum to 1/2, not 1"):
        poly.slacks({("firm", "firm"): "1/2"})
    with pytest.raises(ModelError, match="unknown pure profile"):
        poly.slacks({("firm", "maybe"): 1})
    with pytest.raises(ModelError, match="expected a mapping or 4 probabilities"):
        poly.slacks([1, 0])
    assert poly.slacks([0, 1, 0, 0]) == (1, 0, 0, 1)


def test_budgets(crisis: NormalFormGame) -> None:
    with pytest.raises(TooLargeError) as info:
        correlated_equilibrium(crisis, max_cost=10)
    assert info.value.cost == 4 * (4 + 4)
    big = NormalFormGame.from_arrays(np.zeros((6, 6), dtype=int), np.zeros((6, 6), dtype=int))
    with pytest.raises(TooLargeError, match="max_profiles"):
        correlated_polytope(big).vertices()


def test_summary_and_json(crisis: NormalFormGame) -> None:
    ce = correlated_equilibrium(crisis, {"US": 1})
    text = ce.summary().to_text()
    assert "firm / back down" in text and "welfare" in text
    data = json.loads(json.dumps(ce.to_dict()))
    assert data["distribution"] == [
        {"profile": {"US": "firm", "Iran": "back down"}, "probability": 1}
    ]
    assert data["payoffs"] == {"US": 3, "Iran": 1}
    assert json.loads(json.dumps(correlated_polytope(crisis).to_dict()))["profiles"][1] == FB
    assert "incentive constraints" in correlated_polytope(crisis).summary().to_text()


# ---------------------------------------------------------------- properties
@st.composite
def games(draw: Any) -> NormalFormGame:
    n = draw(st.integers(2, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    if n == 3:
        shape = tuple(min(k, 2) for k in shape)
    size = int(np.prod(shape))
    arrays = [
        np.array(draw(st.lists(st.integers(-5, 5), min_size=size, max_size=size))).reshape(shape)
        for _ in range(n)
    ]
    return NormalFormGame.from_arrays(*arrays)


@settings(max_examples=100, deadline=None)
@given(games(), st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_optimum_is_certified_and_matches_the_best_vertex(g: NormalFormGame, w: list[int]) -> None:
    weights = dict(zip(g.players, w, strict=False))
    ce = correlated_equilibrium(g, weights)
    assert ce.verify().ok
    poly = correlated_polytope(g)
    best = max(
        sum(x * sum(weights[p] * g.payoff(p, prof) for p in g.players) for prof, x in v.items())
        for v in poly.vertices()
    )
    assert ce.welfare == best


@settings(max_examples=60, deadline=None)
@given(games(), st.sampled_from([F(10**9), F(1, 10**9), F(5, 3)]), st.integers(-100, 100))
def test_welfare_transforms_with_an_affine_map(g: NormalFormGame, a: Fraction, b: int) -> None:
    base = correlated_equilibrium(g)
    h = g.affine(0, a, b)
    # weight 1/a on the rescaled player keeps the same objective up to the constant b/a
    moved = correlated_equilibrium(h, {g.players[0]: 1 / a, **{p: 1 for p in g.players[1:]}})
    assert moved.welfare == base.welfare + b / a


@settings(max_examples=60, deadline=None)
@given(games().filter(lambda g: g.n_players == 2))
def test_nash_equilibria_lie_in_the_polytope(g: NormalFormGame) -> None:
    """Every Nash equilibrium, as a product distribution, is a correlated equilibrium, so the
    best correlated welfare is at least that of every Nash equilibrium."""
    from negotiate.solvers.nash.solve import nash_equilibria

    poly = correlated_polytope(g)
    best = correlated_equilibrium(g).welfare
    assert best is not None
    for eq in nash_equilibria(g).equilibria:
        p, q = eq.probabilities
        product = {
            (g.strategies[0][i], g.strategies[1][j]): p[i] * q[j]
            for i in range(len(p))
            for j in range(len(q))
        }
        assert poly.max_violation(product) == 0
        assert best >= sum(eq.payoffs)
