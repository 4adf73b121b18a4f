"""Pure-strategy Nash equilibria of n-player games by exhaustive search (exact).

A pure profile ``s`` is an equilibrium when ``u_i(s) = max_t u_i(t, s_-i)`` for every player
``i``.  For each player the maximum over its own axis of the payoff array is taken once, so
the search costs ``n * |S_1| * ... * |S_n|`` exact comparisons.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiate.errors import SolverError
from negotiate.games.normal import MixedProfile, NormalFormGame
from negotiate.solvers.nash.equilibria import EquilibriumSet

__all__ = ["pure_equilibria", "pure_profiles"]


def pure_profiles(game: NormalFormGame) -> list[MixedProfile]:
    """Every pure equilibrium of ``game`` as a degenerate mixed profile (exact, brute force)."""
    best = np.ones(game.shape, dtype=bool)
    for i in range(game.n_players):
        arr = game.payoff_array(i)
        top = np.max(arr, axis=i, keepdims=True)
        best &= np.asarray(arr == top, dtype=bool)
    profiles = []
    for idx in zip(*np.nonzero(best), strict=True):
        profiles.append(
            tuple(
                tuple(Fraction(int(j == s)) for j in range(k))
                for s, k in zip(idx, game.shape, strict=True)
            )
        )
    return profiles


def pure_equilibria(game: NormalFormGame) -> EquilibriumSet:
    """All pure-strategy equilibria of a game with any number of players.

    This is not the whole equilibrium set: mixed equilibria are not searched.  A game without
    a pure equilibrium raises :class:`SolverError` (a result never lists zero equilibria).
    """
    profiles = pure_profiles(game)
    if not profiles:
        raise SolverError(
            "the game has no pure-strategy equilibrium; its equilibria are mixed "
            "(for two players use method='enummixed')",
            solver="pure",
            status="no_pure_equilibrium",
        )
    return EquilibriumSet.build(
        game,
        profiles,
        method="pure",
        options={},
        complete=False,
        degenerate=None,
        notes=(f"pure equilibria only ({len(profiles)} found); mixed equilibria not searched",),
    )
