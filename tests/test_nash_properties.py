"""Invariants of the complete equilibrium set on generated games (hypothesis).

Small integer payoffs provoke degeneracy (ties, continua); wide integer payoffs give generic
games.  The set must be unchanged by positive affine maps of a player's payoffs, permutations
of strategies and swapping the players, and it must equal a brute-force enumeration of the
best-response polytopes' vertices written independently here.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate import NormalFormGame
from negotiate.solvers.nash._bimatrix import integer_payoffs, solve_exact
from negotiate.solvers.nash.enummixed import extreme_equilibria
from negotiate.solvers.nash.lemke_howson import lemke_howson
from negotiate.solvers.nash.pure import pure_profiles
from negotiate.solvers.nash.solve import nash_equilibria

Profile = tuple[tuple[Fraction, ...], ...]


@st.composite
def games(draw: st.DrawFn, max_size: int = 4) -> NormalFormGame:
    m = draw(st.integers(1, max_size))
    n = draw(st.integers(1, max_size))
    low, high = draw(st.sampled_from([(0, 1), (0, 2), (-2, 3), (-1000, 1000)]))
    entry = st.integers(low, high)
    a = draw(st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m))
    b = draw(st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m))
    return NormalFormGame.from_arrays(a, b)


def extremes(game: NormalFormGame) -> set[Profile]:
    return {eq.probabilities for eq in nash_equilibria(game).equilibria}


SCALES = st.sampled_from(
    [Fraction(1, 10**9), Fraction(10**9), Fraction(3, 7), Fraction(2**31), Fraction(1)]
)
SHIFTS = st.sampled_from([Fraction(0), Fraction(-(10**12)), Fraction(5, 3), Fraction(2**40)])


@settings(max_examples=300)
@given(games())
def test_every_profile_is_an_exact_equilibrium(game: NormalFormGame) -> None:
    result = nash_equilibria(game)
    assert len(result) >= 1
    for eq in result:
        assert eq.max_regret() == 0
        for probs in eq.probabilities:
            assert all(p >= 0 for p in probs) and sum(probs) == 1
    cert = result.verify()
    assert cert.ok, cert.notes


@settings(max_examples=200)
@given(games(), st.integers(0, 1), SCALES, SHIFTS)
def test_invariant_under_positive_affine_maps(
    game: NormalFormGame, player: int, scale: Fraction, shift: Fraction
) -> None:
    base = nash_equilibria(game)
    moved = nash_equilibria(game.affine(player, scale, shift))
    assert {e.probabilities for e in moved} == {e.probabilities for e in base}
    assert moved.degenerate == base.degenerate
    assert len(moved.components or ()) == len(base.components or ())


@settings(max_examples=200)
@given(games(), st.randoms(use_true_random=False))
def test_invariant_under_strategy_permutations(game: NormalFormGame, rnd) -> None:
    perms = [rnd.sample(range(k), k) for k in game.shape]
    moved = game.reorder(strategies={p: perm for p, perm in zip(game.players, perms, strict=True)})
    expected = {
        tuple(tuple(x[j] for j in perm) for x, perm in zip(prof, perms, strict=True))
        for prof in extremes(game)
    }
    assert extremes(moved) == expected


@settings(max_examples=200)
@given(games())
def test_invariant_under_swapping_players(game: NormalFormGame) -> None:
    swapped = game.reorder(players=[1, 0])
    assert extremes(swapped) == {(y, x) for x, y in extremes(game)}
    assert nash_equilibria(swapped).degenerate == nash_equilibria(game).degenerate


@settings(max_examples=200)
@given(games())
def test_pure_equilibria_are_a_subset(game: NormalFormGame) -> None:
    assert set(pure_profiles(game)) <= extremes(game)


@settings(max_examples=150)
@given(games())
def test_lemke_howson_reaches_an_extreme_equilibrium_from_every_label(
    game: NormalFormGame,
) -> None:
    found = extremes(game)
    for label in range(sum(game.shape)):
        result = lemke_howson(game, initial_label=label)
        (eq,) = result.equilibria
        assert eq.max_regret() == 0
        assert eq.probabilities in found


# --------------------------------------------------------------- independent oracle
def _brute_vertices(rows: list[list[int]], dim: int) -> dict[tuple[Fraction, ...], frozenset]:
    """Vertices of {z >= 0, M z <= 1} by solving every choice of ``dim`` tight constraints.

    Constraint ``k < dim`` is ``z_k >= 0``; constraint ``dim + r`` is ``(M z)_r <= 1``.  Returns
    each vertex with the set of constraints tight at it (computed exactly).
    """
    normals = [[int(i == k) for i in range(dim)] for k in range(dim)] + rows
    rhs = [0] * dim + [1] * len(rows)
    out: dict[tuple[Fraction, ...], frozenset] = {}

    def value(k: int, z: list[Fraction]) -> Fraction:
        return sum((a * v for a, v in zip(normals[k], z, strict=True)), Fraction(0))

    for choice in itertools.combinations(range(len(normals)), dim):
        try:
            z = solve_exact([normals[c] for c in choice], [rhs[c] for c in choice])
        except ZeroDivisionError:
            continue
        if min(z) < 0 or any(value(k, z) > 1 for k in range(dim, len(normals))):
            continue
        tight = frozenset(k for k in range(len(normals)) if value(k, z) == rhs[k])
        out[tuple(z)] = tight
    return out


def brute_force_extremes(game: NormalFormGame) -> set[Profile]:
    a, b = integer_payoffs(game)
    m, n = game.shape
    p = _brute_vertices([[b[i][j] for i in range(m)] for j in range(n)], m)
    q = _brute_vertices([list(r) for r in a], n)
    found = set()
    for x, tx in p.items():
        labels_x = {k for k in tx if k < m} | {m + (k - m) for k in tx if k >= m}
        for y, ty in q.items():
            labels_y = {m + k for k in ty if k < n} | {k - n for k in ty if k >= n}
            if any(x) and any(y) and labels_x | labels_y == set(range(m + n)):
                sx, sy = sum(x), sum(y)
                found.add((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return found


@settings(max_examples=200)
@given(games(max_size=3))
def test_complete_against_brute_force_vertex_enumeration(game: NormalFormGame) -> None:
    assert extremes(game) == brute_force_extremes(game)


@settings(max_examples=150)
@given(games(max_size=3))
def test_cdd_engine_complete_against_brute_force(game: NormalFormGame) -> None:
    """The cdd engine (the default) gives the brute-force set too."""
    a, b = integer_payoffs(game)
    found, _ = extreme_equilibria(a, b, "cdd")
    assert len(found) == len(set(found))
    assert set(found) == brute_force_extremes(game)
