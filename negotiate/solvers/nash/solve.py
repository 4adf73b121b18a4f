"""Nash equilibria of normal-form games: one entry point, several methods.

``nash_equilibria(game, method="auto")`` dispatches through :data:`NASH_METHODS`:

``"auto"``
    ``"enummixed"`` for two-player games.  For other games there is no complete method here:
    ``"auto"`` raises :class:`NotApplicableError` naming ``"pure"`` rather than passing pure
    equilibria off as the whole set.
``"enummixed"``
    All extreme equilibria of a two-player game, exact and complete, also for degenerate
    games, with maximal Nash subsets and connected components; lrslib's ``lrsnash`` when it
    is installed, else cdd (:mod:`negotiate.solvers.nash.enummixed`).
``"lemke_howson"``
    One equilibrium of a two-player game by lexicographic Lemke–Howson (float pivoting,
    rebuilt and verified exactly, exact integer pivoting as the fallback); option
    ``initial_label`` (:mod:`negotiate.solvers.nash.lemke_howson`).
``"pure"``
    All pure equilibria of an n-player game by exhaustive search
    (:mod:`negotiate.solvers.nash.pure`).
``"nashpy_support"``, ``"nashpy_vertex"``
    nashpy's enumerations, each profile rebuilt and checked exactly; never claimed complete
    (:mod:`negotiate.solvers.nash.nashpy_backends`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from negotiate._registry import Registry
from negotiate.errors import ModelError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import bimatrix_accepts, vertex_bound
from negotiate.solvers.nash.enummixed import check_budget, enummixed
from negotiate.solvers.nash.equilibria import EquilibriumSet
from negotiate.solvers.nash.lemke_howson import lemke_howson
from negotiate.solvers.nash.nashpy_backends import nashpy_equilibria
from negotiate.solvers.nash.pure import pure_equilibria

__all__ = ["NASH_METHODS", "nash_equilibria"]

Solver = Callable[..., EquilibriumSet]

#: The methods of :func:`nash_equilibria`, by name.
NASH_METHODS: Registry[Solver] = Registry("nash_equilibria")


def _is_game(obj: Any) -> str | None:
    return None if isinstance(obj, NormalFormGame) else "expected a NormalFormGame"


NASH_METHODS.register(
    "enummixed",
    "all extreme equilibria of a two-player game: exact vertex enumeration (lrsnash or cdd)",
    bimatrix_accepts,
    options={"max_cost", "engine"},
)(enummixed)
NASH_METHODS.register(
    "lemke_howson",
    "one equilibrium of a two-player game: lexicographic Lemke–Howson, verified exactly",
    bimatrix_accepts,
    options={"initial_label"},
    auto=False,
)(lemke_howson)
NASH_METHODS.register(
    "pure",
    "all pure-strategy equilibria of an n-player game: exhaustive search",
    _is_game,
    auto=False,
)(pure_equilibria)


@NASH_METHODS.register(
    "nashpy_support",
    "nashpy support enumeration, each profile checked exactly (may miss equilibria)",
    bimatrix_accepts,
    options={"max_cost"},
    auto=False,
)
def _nashpy_support(game: NormalFormGame, *, max_cost: object = None) -> EquilibriumSet:
    m, n = game.shape
    # nashpy tries every pair of supports: about 100 s at 10 x 10, four times more per size
    support_pairs = (2**m - 1) * (2**n - 1)
    check_budget(game, max_cost, "nashpy_support", cost=support_pairs, default=2**20)
    return nashpy_equilibria(game, "support")


@NASH_METHODS.register(
    "nashpy_vertex",
    "nashpy vertex enumeration, each profile checked exactly (may miss equilibria)",
    bimatrix_accepts,
    options={"max_cost"},
    auto=False,
)
def _nashpy_vertex(game: NormalFormGame, *, max_cost: object = None) -> EquilibriumSet:
    m, n = game.shape
    # nashpy enumerates both polytopes and tries every pair of vertices
    pairs = vertex_bound(m, m + n) * vertex_bound(n, m + n)
    check_budget(game, max_cost, "nashpy_vertex", cost=pairs, default=10**9)
    return nashpy_equilibria(game, "vertex")


def nash_equilibria(
    game: NormalFormGame,
    method: str | Callable[..., EquilibriumSet] = "auto",
    *,
    max_cost: Any = None,
    initial_label: Any = None,
    engine: str | None = None,
) -> EquilibriumSet:
    """Nash equilibria of ``game`` by ``method`` (see the module docstring for the methods).

    Parameters
    ----------
    game : NormalFormGame
    method : str or callable
        ``"auto"`` (the first of the preferred methods that fits the game: ``"enummixed"``
        for two players), a name in :data:`NASH_METHODS`, or a callable
        ``method(game, **options) -> EquilibriumSet`` (see :mod:`negotiate._registry` for the
        rule).  An unknown name raises :class:`ModelError` listing the valid ones, and a
        method that does not fit the game raises :class:`NotApplicableError` listing those
        that do.
    max_cost : number, optional
        Budget for the enumerating methods (default: admits 14 x 14); over it,
        :class:`TooLargeError` says to use ``method='lemke_howson'``.
    engine : {"cdd", "lrsnash"}, optional
        The vertex enumeration of ``enummixed``: cdd (default) or lrslib's ``lrsnash``
        program, used only when asked for and installed (it is not a dependency).
    initial_label : int or (player, strategy), optional
        The label Lemke–Howson drops first (default 0).

    Returns
    -------
    EquilibriumSet
        Never empty: a method that finds no equilibrium raises :class:`SolverError`.
    """
    if not isinstance(game, NormalFormGame):
        raise ModelError("game", game, "expected a NormalFormGame")
    chosen, result = NASH_METHODS.run(method, game, max_cost=max_cost, initial_label=initial_label)
    if method == "auto":
        result = dataclasses.replace(
            result, method="auto", notes=(*result.notes, f"method 'auto' ran {chosen.name!r}")
        )
    return result
