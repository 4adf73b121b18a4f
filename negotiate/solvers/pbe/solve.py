"""Perfect Bayesian equilibria of small signalling games: ``perfect_bayesian(game)``.

Two methods, chosen with ``method=`` (``"auto"`` picks by the game):

* ``"exact"``: numeric games of any (small) size.  Enumerates pure sender strategies
  (separating, pooling, partially pooling) and semi-separating equilibria in which one type
  mixes between two messages with a probability pinned by the receiver's indifference, in
  exact rational arithmetic (:mod:`negotiate.solvers.pbe.exact`).  Each equilibrium carries
  its Bayes posteriors on the path, the exact set of off-path beliefs that support the
  receiver's response (a mixed one only where no pure response deters), and whether it
  survives the Intuitive Criterion (Cho & Kreps 1987).
* ``"symbolic"``: two-type games whose priors or payoffs are expressions.  The same classes
  with pure off-path responses, each with the condition on the parameters (a sympy Boolean)
  under which it is an equilibrium, and ``regions[kind]`` their union
  (:mod:`negotiate.solvers.pbe.symbolic`).

Not enumerated (a ``SolverError`` names them when nothing else exists): two or more types
mixing at once, the receiver mixing on the path of a pure sender strategy, and continua in
which a mixing probability is not pinned by an indifference.

A :class:`GameTree` (any tree with information sets and perfect recall) is solved by method
``"tree"`` (:mod:`negotiate.solvers.pbe.tree`): every pure assessment, plus for two players the
sequential equilibrium of the perturbed sequence form; the result is a
``BehaviorEquilibriumSet`` whose members carry ``.behavior`` and ``.beliefs``.

Sources: Fudenberg & Tirole (1991), *Game Theory*, ch. 8 (PBE, signalling games);
Cho & Kreps (1987), "Signaling games and stable equilibria", *QJE* 102(2): 179-221.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

import sympy as sp

from negotiate._registry import Registry
from negotiate.errors import ModelError, SolverError
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import GameTree
from negotiate.solvers.pbe.result import KINDS, PBEResult

if TYPE_CHECKING:
    from negotiate.solvers.nash.behavior import BehaviorEquilibriumSet

__all__ = ["DEFAULT_MAX_COST", "PBE_METHODS", "perfect_bayesian"]

#: Candidate assessments the enumeration may visit before raising ``TooLargeError``.
DEFAULT_MAX_COST = 2_000_000

PBE_METHODS: Registry[Callable[..., PBEResult | BehaviorEquilibriumSet]] = Registry(
    "perfect_bayesian"
)


def _accepts_numeric(game: Any) -> str | None:
    if not isinstance(game, SignalingGame):
        return "expected a SignalingGame"
    if game.is_symbolic:
        return "the game has symbolic parameters; bind() it or use method='symbolic'"
    return None


def _accepts_symbolic(game: Any) -> str | None:
    if not isinstance(game, SignalingGame):
        return "expected a SignalingGame"
    if len(game.types) != 2:
        return f"symbolic conditions are derived for two sender types, not {len(game.types)}"
    return None


@PBE_METHODS.register(
    "exact", "exact enumeration on a numeric game", _accepts_numeric, options={"max_cost"}
)
def _solve_exact(game: SignalingGame, *, max_cost: int = DEFAULT_MAX_COST) -> PBEResult:
    from negotiate.solvers.pbe.exact import solve_exact

    equilibria, notes = solve_exact(game, max_cost)
    if not equilibria:
        raise SolverError(
            "no perfect Bayesian equilibrium in the enumerated classes (pure sender strategies "
            "and one-type mixing); this game needs a more general mixed equilibrium"
            + "".join(f"; {n}" for n in notes),
            solver="pbe-exact",
            status="none found",
        )
    regions = {k: sp.true if any(e.kind == k for e in equilibria) else sp.false for k in KINDS}
    if game.float_input:
        notes.append("payoffs or priors were given as floats and read exactly")
    return PBEResult(
        game=game,
        equilibria=tuple(equilibria),
        method="exact",
        regions=MappingProxyType(regions),
        options=MappingProxyType({"max_cost": max_cost}),
        notes=tuple(notes),
    )


def _accepts_tree(game: Any) -> str | None:
    if not isinstance(game, GameTree):
        return "expected a GameTree"
    return "the tree has parameters: bind them first" if game.is_symbolic else None


@PBE_METHODS.register(
    "symbolic",
    "conditions on the parameters, two types",
    _accepts_symbolic,
    options={"max_cost"},
)
def _solve_symbolic(game: SignalingGame, *, max_cost: int = DEFAULT_MAX_COST) -> PBEResult:
    from negotiate.solvers.pbe.symbolic import solve_symbolic

    return solve_symbolic(game, max_cost)


@PBE_METHODS.register(
    "tree",
    "pure assessments and a sequential equilibrium of a game tree",
    _accepts_tree,
    options={"max_cost"},
)
def _solve_tree(game: GameTree, *, max_cost: int = DEFAULT_MAX_COST) -> BehaviorEquilibriumSet:
    from negotiate.solvers.pbe.tree import tree_pbe

    return tree_pbe(game, max_cost)


@overload
def perfect_bayesian(
    game: SignalingGame, *, method: str | Callable[..., Any] = ..., max_cost: int = ...
) -> PBEResult: ...


@overload
def perfect_bayesian(
    game: GameTree, *, method: str | Callable[..., Any] = ..., max_cost: int = ...
) -> BehaviorEquilibriumSet: ...


def perfect_bayesian(
    game: SignalingGame | GameTree,
    *,
    method: str | Callable[..., Any] = "auto",
    max_cost: int = DEFAULT_MAX_COST,
) -> PBEResult | BehaviorEquilibriumSet:
    """All perfect Bayesian equilibria of ``game`` in the enumerated classes.

    ``method`` is ``"auto"`` (the first method that fits: ``"exact"`` for a numeric signalling
    game, ``"symbolic"`` for one with parameters, ``"tree"`` for a ``GameTree``), one of those
    names, or a callable ``method(game, **options)``.  Returns a ``PBEResult`` for a signalling
    game and a ``BehaviorEquilibriumSet`` of assessments for a tree.  Raises ``SolverError``
    when a numeric game has no equilibrium in these classes, ``TooLargeError`` past
    ``max_cost`` candidates.
    """
    if not isinstance(game, SignalingGame | GameTree):
        raise ModelError("game", game, "expected a SignalingGame or a GameTree")
    if isinstance(max_cost, bool) or not isinstance(max_cost, int) or max_cost < 1:
        raise ModelError("max_cost", max_cost, "must be a positive integer")
    _, result = PBE_METHODS.run(method, game, max_cost=max_cost)
    return result
