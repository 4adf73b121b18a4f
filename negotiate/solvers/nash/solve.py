"""Nash equilibria of normal-form games and game trees: one entry point, several methods.

``nash_equilibria(game, method="auto")`` dispatches through :data:`NASH_METHODS` by the rule of
:mod:`negotiate._registry`: ``"auto"`` is the first method, in the order below, that is
eligible for auto, accepts the input and takes the options given.

Normal-form games
``"enummixed"`` (auto)
    All extreme equilibria of a two-player game, exact and complete, also for degenerate
    games, with maximal Nash subsets and connected components
    (:mod:`negotiate.solvers.nash.enummixed`).  For games of more players there is no complete
    method here: ``"auto"`` raises :class:`NotApplicableError` naming ``"pure"`` rather than
    passing pure equilibria off as the whole set.
``"lemke_howson"``
    One equilibrium of a two-player game by exact lexicographic Lemke–Howson; option
    ``initial_label`` (:mod:`negotiate.solvers.nash.lemke_howson`).
``"nashpy_support"``, ``"nashpy_vertex"``
    nashpy's enumerations, each profile rebuilt and checked exactly; never claimed complete
    (:mod:`negotiate.solvers.nash.nashpy_backends`).

Game trees (with or without information sets), in behaviour strategies
(:mod:`negotiate.solvers.nash.tree_methods`); the result is a
:class:`BehaviorEquilibriumSet` whose members carry ``.behavior``:

``"enum"`` (auto, within its budget)
    All extreme equilibria of the sequence form of a two-player tree.
``"lcp"`` (auto beyond the budget, or with ``refine=``)
    One equilibrium of a two-player tree by the sequence-form LCP (exact Lemke); options
    ``n_covering`` and ``refine`` (``"quasi_perfect"``, ``"sequential"``).

Both
``"pure"``
    All pure equilibria of an n-player game or tree by exhaustive search
    (:mod:`negotiate.solvers.nash.pure`); never chosen by ``"auto"``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, overload

from negotiate._registry import Registry
from negotiate.errors import ModelError, TooLargeError
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

#: The methods of :func:`nash_equilibria`, in the order ``"auto"`` tries them.
NASH_METHODS: Registry[Solver] = Registry("nash_equilibria")


def _is_game(obj: Any) -> str | None:
    if isinstance(obj, GameTree):
        return tree_accepts(obj)
    return None if isinstance(obj, NormalFormGame) else "expected a NormalFormGame or GameTree"


def _enum_accepts(obj: Any) -> str | None:
    """A two-player tree whose sequence form is within the default enumeration budget."""
    reason = two_player_tree(obj)
    if reason is not None:
        return reason
    try:
        check_sequence_budget(sequence_form(obj), None)
    except TooLargeError as exc:
        return f"over the enumeration budget ({exc}); 'lcp' finds one equilibrium"
    return None


NASH_METHODS.register(
    "enummixed",
    "all extreme equilibria of a two-player game: exact vertex enumeration (cdd, GMP)",
    bimatrix_accepts,
    options={"max_cost", "engine"},
)(enummixed)
NASH_METHODS.register(
    "enum",
    "all extreme equilibria of a small two-player tree: sequence-form vertex enumeration",
    _enum_accepts,
    options={"max_cost"},
)(tree_enum)
NASH_METHODS.register(
    "lcp",
    "one equilibrium of a two-player tree: sequence-form LCP, exact Lemke (KMvS 1996)",
    two_player_tree,
    options={"n_covering", "refine"},
)(tree_lcp)
NASH_METHODS.register(
    "lemke_howson",
    "one equilibrium of a two-player game: exact lexicographic Lemke–Howson",
    bimatrix_accepts,
    options={"initial_label"},
    auto=False,
)(lemke_howson)


@NASH_METHODS.register(
    "pure",
    "all pure-strategy equilibria of an n-player game or tree: exhaustive search",
    _is_game,
    options={"max_cost"},
    auto=False,
)
def _pure(
    game: NormalFormGame | GameTree, *, max_cost: object = None
) -> EquilibriumSet | BehaviorEquilibriumSet:
    if isinstance(game, GameTree):
        return tree_pure(game, max_cost=max_cost)
    if max_cost is not None:
        raise ModelError("max_cost", max_cost, "is an option of 'pure' for game trees only")
    return pure_equilibria(game)


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
    check_budget(game, max_cost, "nashpy_vertex")
    return nashpy_equilibria(game, "vertex")


@overload
def nash_equilibria(
    game: NormalFormGame,
    method: str | Callable[..., Any] = ...,
    *,
    max_cost: Any = ...,
    initial_label: Any = ...,
    engine: str | None = ...,
    n_covering: Any = ...,
    refine: Any = ...,
) -> EquilibriumSet: ...


@overload
def nash_equilibria(
    game: GameTree,
    method: str | Callable[..., Any] = ...,
    *,
    max_cost: Any = ...,
    initial_label: Any = ...,
    engine: str | None = ...,
    n_covering: Any = ...,
    refine: Any = ...,
) -> BehaviorEquilibriumSet: ...


def nash_equilibria(
    game: NormalFormGame | GameTree,
    method: str | Callable[..., Any] = "auto",
    *,
    max_cost: Any = None,
    initial_label: Any = None,
    engine: str | None = None,
    n_covering: Any = None,
    refine: Any = None,
) -> EquilibriumSet | BehaviorEquilibriumSet:
    """Nash equilibria of ``game`` by ``method`` (see the module docstring for the methods).

    Parameters
    ----------
    game : NormalFormGame or GameTree
    method : str or callable
        ``"auto"`` (the first of the preferred methods that fits the game and takes the
        options given: ``"enummixed"`` for a two-player game, ``"enum"`` or ``"lcp"`` for a
        two-player tree), a name in :data:`NASH_METHODS`, or a callable
        ``method(game, **options)`` (see :mod:`negotiate._registry` for the rule).  An unknown
        name raises :class:`ModelError` listing the valid ones, and a method that does not fit
        the game raises :class:`NotApplicableError` listing those that do.
    max_cost : number, optional
        Budget for the enumerating methods (default: admits 14 x 14); over it,
        :class:`TooLargeError` says which method to use instead.
    initial_label : int or (player, strategy), optional
        The label Lemke–Howson drops first (default 0).
    engine : {"auto", "lrs", "cdd", "lrsnash"}, optional
        The vertex enumeration of ``enummixed`` (same exact set whichever runs; the result's
        notes name it).  ``"auto"`` (default): lrslib's ``lrs`` program when installed (it is
        not a dependency) and the game is larger than 6 x 6, else cdd; ``"lrsnash"`` hands
        the whole enumeration to lrslib's ``lrsnash``.
    n_covering : int, optional
        How many covering vectors the sequence-form LCP tries (more equilibria of a tree).
    refine : {"quasi_perfect", "sequential"}, optional
        A refinement of the tree's equilibrium (two-player trees, method ``"lcp"``).

    Returns
    -------
    EquilibriumSet or BehaviorEquilibriumSet
        Never empty: a method that finds no equilibrium raises :class:`SolverError`.
    """
    if not isinstance(game, NormalFormGame | GameTree):
        raise ModelError("game", game, "expected a NormalFormGame or a GameTree")
    picked: str | Callable[..., Any] = method
    budgeted = max_cost is not None and refine is None
    if method == "auto" and isinstance(game, GameTree) and budgeted and not two_player_tree(game):
        # "enum" fits within the budget the caller gave, else the tree needs "lcp"
        try:
            check_sequence_budget(sequence_form(game), max_cost)
            picked = "enum"
        except TooLargeError:
            picked, max_cost = "lcp", None
    chosen, result = NASH_METHODS.run(
        picked,
        game,
        max_cost=max_cost,
        initial_label=initial_label,
        engine=engine,
        n_covering=n_covering,
        refine=refine,
    )
    if method == "auto":
        result = dataclasses.replace(
            result, method="auto", notes=(*result.notes, f"method 'auto' ran {chosen.name!r}")
        )
    return result
