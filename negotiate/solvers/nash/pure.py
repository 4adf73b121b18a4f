"""Pure-strategy Nash equilibria of n-player games by exhaustive search (exact).

A pure profile ``s`` is an equilibrium when ``u_i(s) = max_t u_i(t, s_-i)`` for every player
``i``.  For each player the maximum over its own axis of the payoff array is taken once, so
the search costs ``n * |S_1| * ... * |S_n|`` exact comparisons.
"""

from __future__ import annotations

from negotiate.errors import SolverError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash.equilibria import EquilibriumSet
from negotiate.solvers.nash.pure_search import pure_profiles

__all__ = ["pure_equilibria", "pure_profiles"]


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
