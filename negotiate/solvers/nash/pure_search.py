"""The pure-strategy equilibria of an n-player game by exhaustive search (exact).

A pure profile ``s`` is an equilibrium when ``u_i(s) = max_t u_i(t, s_-i)`` for every player
``i``.  For each player the maximum over its own axis of the payoff array is taken once, so
the search costs ``n * |S_1| * ... * |S_n|`` exact comparisons.  Used by the solver
(:mod:`negotiate.solvers.nash.pure`) and by every equilibrium set's certificate.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiate.games.normal import MixedProfile, NormalFormGame

__all__ = ["pure_profiles"]


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
