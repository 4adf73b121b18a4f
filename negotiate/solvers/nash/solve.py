"""Nash equilibria of normal-form games: one entry point, several methods.

``nash_equilibria(game, method="auto")`` dispatches through :data:`NASH_METHODS`:

``"auto"``
    ``"enummixed"`` for two-player games.  For other games there is no complete method here:
    ``"auto"`` raises :class:`NotApplicableError` naming ``"pure"`` rather than passing pure
    equilibria off as the whole set.
``"enummixed"``
    All extreme equilibria of a two-player game, exact and complete, also for degenerate
    games, with maximal Nash subsets and connected components
    (:mod:`negotiate.solvers.nash.enummixed`).
``"lemke_howson"``
    One equilibrium of a two-player game by exact lexicographic Lemke–Howson; option
    ``initial_label`` (:mod:`negotiate.solvers.nash.lemke_howson`).
``"pure"``
    All pure equilibria of an n-player game by exhaustive search
    (:mod:`negotiate.solvers.nash.pure`).
``"nashpy_support"``, ``"nashpy_vertex"``
    nashpy's enumerations, each profile rebuilt and checked exactly; never claimed complete
    (:mod:`negotiate.solvers.nash.nashpy_backends`).

A :class:`GameTree` (with or without information sets) is solved in behaviour strategies
(:mod:`negotiate.solvers.nash.tree_methods`): ``"lcp"`` (one equilibrium, sequence-form
Lemke), ``"enum"`` (all extreme equilibria of the sequence form), ``"pure"``; ``"auto"`` runs
``"enum"`` within its budget and ``"lcp"`` beyond it for two players, ``"pure"`` for more.
The result is a :class:`BehaviorEquilibriumSet` whose members carry ``.behavior``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, overload

from negotiate._registry import Registry
from negotiate.errors import ModelError, NotApplicableError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import GameTree
from negotiate.solvers.nash._bimatrix import bimatrix_accepts
from negotiate.solvers.nash.behavior import BehaviorEquilibriumSet
from negotiate.solvers.nash.enummixed import check_budget, enummixed
from negotiate.solvers.nash.equilibria import EquilibriumSet
from negotiate.solvers.nash.lemke_howson import lemke_howson
from negotiate.solvers.nash.nashpy_backends import nashpy_equilibria
from negotiate.solvers.nash.pure import pure_equilibria
from negotiate.solvers.nash.sequence_enum import check_sequence_budget
from negotiate.solvers.nash.sequence_form import sequence_form
from negotiate.solvers.nash.tree_methods import (
    tree_accepts,
    tree_enum,
    tree_lcp,
    tree_pure,
    two_player_tree,
)

__all__ = ["NASH_METHODS", "nash_equilibria"]

Solver = Callable[..., EquilibriumSet | BehaviorEquilibriumSet]

#: The methods of :func:`nash_equilibria`, by name.
NASH_METHODS: Registry[Solver] = Registry("nash_equilibria")

#: The options each method takes.
_OPTIONS: dict[str, frozenset[str]] = {
    "auto": frozenset({"max_cost", "refine"}),
    "enummixed": frozenset({"max_cost"}),
    "lemke_howson": frozenset({"initial_label"}),
    "pure": frozenset({"max_cost"}),
    "lcp": frozenset({"n_covering", "refine"}),
    "enum": frozenset({"max_cost"}),
    "nashpy_support": frozenset({"max_cost"}),
    "nashpy_vertex": frozenset({"max_cost"}),
}


def _is_game(obj: Any) -> str | None:
    if isinstance(obj, GameTree):
        return tree_accepts(obj)
    return None if isinstance(obj, NormalFormGame) else "expected a NormalFormGame or GameTree"


def _auto_accepts(obj: Any) -> str | None:
    if isinstance(obj, GameTree):
        return tree_accepts(obj)
    reason = bimatrix_accepts(obj)
    if reason is None:
        return None
    return (
        f"{reason}: no method here enumerates all equilibria of games with more than two "
        "players; 'pure' finds all pure equilibria (not the mixed ones)"
    )


@NASH_METHODS.register(
    "auto", "all extreme equilibria of a two-player game (enummixed)", _auto_accepts
)
def _auto(
    game: NormalFormGame | GameTree, **options: Any
) -> EquilibriumSet | BehaviorEquilibriumSet:
    if isinstance(game, GameTree):
        return _auto_tree(game, **options)
    if "refine" in options:
        raise ModelError("refine", options["refine"], "is an option for game trees")
    result = enummixed(game, **options)
    return dataclasses.replace(
        result, method="auto", notes=(*result.notes, "method 'auto' ran 'enummixed'")
    )


def _auto_tree(
    tree: GameTree, *, max_cost: object = None, refine: object = None
) -> BehaviorEquilibriumSet:
    if refine is not None:
        if len(tree.players) != 2:
            raise NotApplicableError(
                "refinements are computed for two-player trees (sequence form)", ["pure"]
            )
        result, ran = tree_lcp(tree, refine=refine), "lcp"
    elif len(tree.players) != 2:
        result, ran = tree_pure(tree), "pure"
    else:
        try:
            check_sequence_budget(sequence_form(tree), max_cost)
            result, ran = tree_enum(tree, max_cost=max_cost), "enum"
        except TooLargeError:
            result, ran = tree_lcp(tree), "lcp"
    return dataclasses.replace(
        result, method="auto", notes=(*result.notes, f"method 'auto' ran {ran!r}")
    )


NASH_METHODS.register(
    "enummixed",
    "all extreme equilibria of a two-player game: exact vertex enumeration (cdd, GMP)",
    bimatrix_accepts,
)(enummixed)
NASH_METHODS.register(
    "lemke_howson",
    "one equilibrium of a two-player game: exact lexicographic Lemke–Howson",
    bimatrix_accepts,
)(lemke_howson)


@NASH_METHODS.register(
    "pure", "all pure-strategy equilibria of an n-player game or tree: exhaustive search", _is_game
)
def _pure(
    game: NormalFormGame | GameTree, *, max_cost: object = None
) -> EquilibriumSet | BehaviorEquilibriumSet:
    if isinstance(game, GameTree):
        return tree_pure(game, max_cost=max_cost)
    if max_cost is not None:
        raise ModelError("max_cost", max_cost, "is an option of 'pure' for game trees only")
    return pure_equilibria(game)


NASH_METHODS.register(
    "lcp",
    "one equilibrium of a two-player tree: sequence-form LCP, exact Lemke (KMvS 1996)",
    two_player_tree,
)(tree_lcp)
NASH_METHODS.register(
    "enum",
    "all extreme equilibria of a small two-player tree: sequence-form vertex enumeration",
    two_player_tree,
)(tree_enum)


@NASH_METHODS.register(
    "nashpy_support",
    "nashpy support enumeration, each profile checked exactly (may miss equilibria)",
    bimatrix_accepts,
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
)
def _nashpy_vertex(game: NormalFormGame, *, max_cost: object = None) -> EquilibriumSet:
    check_budget(game, max_cost, "nashpy_vertex")
    return nashpy_equilibria(game, "vertex")


@overload
def nash_equilibria(
    game: NormalFormGame,
    method: str = ...,
    *,
    max_cost: Any = ...,
    initial_label: Any = ...,
    n_covering: Any = ...,
    refine: Any = ...,
) -> EquilibriumSet: ...


@overload
def nash_equilibria(
    game: GameTree,
    method: str = ...,
    *,
    max_cost: Any = ...,
    initial_label: Any = ...,
    n_covering: Any = ...,
    refine: Any = ...,
) -> BehaviorEquilibriumSet: ...


def nash_equilibria(
    game: NormalFormGame | GameTree,
    method: str = "auto",
    *,
    max_cost: Any = None,
    initial_label: Any = None,
    n_covering: Any = None,
    refine: Any = None,
) -> EquilibriumSet | BehaviorEquilibriumSet:
    """Nash equilibria of ``game`` by ``method`` (see the module docstring for the methods).

    Parameters
    ----------
    game : NormalFormGame or GameTree
    method : str
        A name in :data:`NASH_METHODS`; an unknown name raises :class:`ModelError` listing the
        valid ones, and a method that does not fit the game raises
        :class:`NotApplicableError` listing those that do.
    max_cost : number, optional
        Budget for the enumerating methods (default: admits 12 x 12); over it,
        :class:`TooLargeError` says to use ``method='lemke_howson'``.
    initial_label : int or (player, strategy), optional
        The label Lemke–Howson drops first (default 0).
    n_covering : int, optional
        Method ``"lcp"``: how many covering vectors Lemke's algorithm starts from (default 1).
    refine : {"quasi_perfect", "sequential"}, optional
        Methods ``"lcp"`` and ``"auto"`` on two-player trees: a quasi-perfect equilibrium, or
        a sequential equilibrium (the assessment: ``.beliefs`` at every information set).

    Returns
    -------
    EquilibriumSet, or BehaviorEquilibriumSet for a GameTree
        Never empty: a method that finds no equilibrium raises :class:`SolverError`.
    """
    if not isinstance(game, NormalFormGame | GameTree):
        raise ModelError("game", game, "expected a NormalFormGame or a GameTree")
    chosen = NASH_METHODS.get(method, game)
    given = {
        "max_cost": max_cost,
        "initial_label": initial_label,
        "n_covering": n_covering,
        "refine": refine,
    }
    options = {k: v for k, v in given.items() if v is not None}
    for name, value in options.items():
        if name not in _OPTIONS[chosen.name]:
            users = sorted(m for m, opts in _OPTIONS.items() if name in opts)
            raise ModelError(
                name, value, f"is not an option of method {chosen.name!r}; used by {users}"
            )
    return chosen.solve(game, **options)
