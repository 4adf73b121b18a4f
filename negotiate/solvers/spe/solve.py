"""Subgame-perfect equilibria of game trees: the method registry and :func:`subgame_perfect`.

Numeric trees are solved by exact backward induction (Kuhn 1953; Selten 1965, 1975;
:mod:`negotiate.solvers.spe.numeric`); trees with parameters symbolically, as regions of the
parameter space (:mod:`negotiate.solvers.spe.symbolic`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

from negotiate._registry import Registry
from negotiate.errors import ModelError
from negotiate.games.tree import GameTree
from negotiate.solvers.spe.numeric import (
    MAX_EQUILIBRIA,
    SPEProfile,
    SPEResult,
    equilibrium_path,
    solve_numeric,
)
from negotiate.solvers.spe.regions import SymbolicSPEResult
from negotiate.solvers.spe.symbolic import solve_symbolic

__all__ = [
    "SPE_METHODS",
    "SPEProfile",
    "SPEResult",
    "equilibrium_path",
    "solve_numeric",
    "subgame_perfect",
]


#: The methods of :func:`subgame_perfect`, in the order ``"auto"`` tries them.
SPE_METHODS: Registry[Callable[..., Any]] = Registry("subgame_perfect")


def _accepts_numeric(tree: Any) -> str | None:
    if not isinstance(tree, GameTree):
        return "expected a GameTree"
    return "the tree has parameters; bind() it or use 'symbolic'" if tree.is_symbolic else None


def _accepts_tree(tree: Any) -> str | None:
    return None if isinstance(tree, GameTree) else "expected a GameTree"


@SPE_METHODS.register(
    "exact",
    "all pure SPE of a numeric tree by exact backward induction",
    _accepts_numeric,
    options={"max_equilibria"},
)
def _exact(tree: GameTree, *, max_equilibria: int = MAX_EQUILIBRIA) -> SPEResult:
    return solve_numeric(tree, max_equilibria)


@SPE_METHODS.register(
    "symbolic",
    "SPE as regions of the parameter space, decided exactly",
    _accepts_tree,
    options={"max_equilibria"},
)
def _symbolic(tree: GameTree, *, max_equilibria: int = MAX_EQUILIBRIA) -> SymbolicSPEResult:
    return solve_symbolic(tree, max_pieces=max_equilibria)


@overload
def subgame_perfect(
    tree: GameTree, *, method: Literal["exact"], max_equilibria: int = ...
) -> SPEResult: ...


@overload
def subgame_perfect(
    tree: GameTree, *, method: Literal["symbolic"], max_equilibria: int = ...
) -> SymbolicSPEResult: ...


@overload
def subgame_perfect(
    tree: GameTree,
    *,
    method: str | Callable[..., Any] = "auto",
    max_equilibria: int = ...,
) -> SPEResult | SymbolicSPEResult: ...


def subgame_perfect(
    tree: GameTree,
    *,
    method: str | Callable[..., Any] = "auto",
    max_equilibria: int = MAX_EQUILIBRIA,
) -> SPEResult | SymbolicSPEResult:
    """Subgame-perfect equilibria of ``tree``.

    ``method="auto"`` takes the first method that fits (the rule of
    :mod:`negotiate._registry`): ``"exact"`` for a numeric tree gives an :class:`SPEResult`
    (all pure SPE, exact); ``"symbolic"`` for a tree whose payoffs or probabilities contain
    parameters gives a :class:`~negotiate.solvers.spe.regions.SymbolicSPEResult` whose
    ``regions`` partition the parameter domain.  A callable ``method(tree, **options)`` also
    works.
    """
    if not isinstance(tree, GameTree):
        raise ModelError("tree", tree, "expected a GameTree (build one with GameTree.from_dict)")
    _, result = SPE_METHODS.run(method, tree, max_equilibria=max_equilibria)
    return result
