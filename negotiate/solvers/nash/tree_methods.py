"""Nash equilibria of game trees with information sets, in behaviour strategies.

``"lcp"``
    One equilibrium of a two-player tree with perfect recall: the sequence-form LCP and
    Lemke's algorithm, exact (:mod:`negotiate.solvers.nash.sequence_lcp`); ``n_covering``
    covering vectors may give a few more.
``"enum"``
    All extreme equilibria of the sequence form of a small two-player tree (vertex
    enumeration, :mod:`negotiate.solvers.nash.sequence_enum`); over ``max_cost``,
    :class:`TooLargeError` suggests ``"lcp"``.
``"pure"``
    All pure equilibria of an n-player tree: every profile of reduced pure strategies
    (plans) is checked exactly.

Realization plans become behaviour strategies by ``b(h)(a) = x[sigma(h) a] / x[sigma(h)]``
(Kuhn 1953); at information sets the player's own moves exclude, the first action is chosen.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError, SolverError, TooLargeError
from negotiate.games.tree import Decision, GameTree
from negotiate.solvers.nash.behavior import BehaviorEquilibriumSet
from negotiate.solvers.nash.behavior_check import behavior_regrets
from negotiate.solvers.nash.reduced_normal import infoset_key, reduced_plans
from negotiate.solvers.nash.sequence_enum import check_sequence_budget, sequence_enum
from negotiate.solvers.nash.sequence_form import SequenceForm, behavior_from_plan, sequence_form
from negotiate.solvers.nash.sequence_lcp import sequence_lcp

__all__ = [
    "PURE_TREE_BUDGET",
    "tree_accepts",
    "tree_enum",
    "tree_lcp",
    "tree_pure",
    "two_player_tree",
]

#: Default budget of ``"pure"`` on trees: profiles of plans times nodes.
PURE_TREE_BUDGET = 5_000_000


def tree_accepts(obj: Any) -> str | None:
    if not isinstance(obj, GameTree):
        return "expected a GameTree"
    if obj.is_symbolic:
        return "the tree has parameters: bind them first (tree.bind(values))"
    return None


def two_player_tree(obj: Any) -> str | None:
    reason = tree_accepts(obj)
    if reason is None and len(obj.players) != 2:
        return f"the sequence-form methods need two players, not {len(obj.players)}"
    return reason


def _profiles(
    sf: SequenceForm, pairs: list[tuple[Any, Any]]
) -> list[dict[tuple[str, Any], dict[str, Fraction]]]:
    return [
        {**behavior_from_plan(sf.players[0], x), **behavior_from_plan(sf.players[1], y)}
        for x, y in pairs
    ]


#: The refinements of method ``"lcp"``.
REFINEMENTS = ("quasi_perfect", "sequential")


def tree_lcp(
    tree: GameTree, *, n_covering: object = None, refine: object = None
) -> BehaviorEquilibriumSet:
    """One equilibrium (or a few, with ``n_covering`` covering vectors) by Lemke on the LCP.

    ``refine="quasi_perfect"`` gives a quasi-perfect equilibrium (symbolically perturbed
    sequence form); ``refine="sequential"`` the same with its consistent beliefs (an
    assessment) (:mod:`negotiate.solvers.nash.refine`).
    """
    if refine is not None:
        if refine not in REFINEMENTS:
            raise ModelError("refine", refine, f"unknown refinement; valid: {list(REFINEMENTS)}")
        if n_covering is not None:
            raise ModelError("n_covering", n_covering, "is not used with refine=")
        from negotiate.solvers.nash.refine import quasi_perfect

        eq = quasi_perfect(tree, beliefs=refine == "sequential")
        note = (
            "quasi-perfect equilibrium: Lemke on the sequence form perturbed by eps^|s| "
            "(Miltersen and Sorensen 2010); off-path behaviour and beliefs are the limits"
        )
        return BehaviorEquilibriumSet.build(
            tree, [eq], method="lcp", options={"refine": refine}, complete=False, notes=(note,)
        )
    count = 1 if n_covering is None else n_covering
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ModelError("n_covering", n_covering, "must be a positive integer")
    sf = sequence_form(tree)
    pairs, notes = sequence_lcp(sf, count)
    options = {} if n_covering is None else {"n_covering": count}
    sizes = f"sequence form with {sf.sizes[0]} + {sf.sizes[1]} sequences"
    return BehaviorEquilibriumSet.build(
        tree,
        _profiles(sf, pairs),
        method="lcp",
        options=options,
        complete=False,
        notes=(sizes, *dict.fromkeys(notes)),
    )


def tree_enum(tree: GameTree, *, max_cost: object = None) -> BehaviorEquilibriumSet:
    """All extreme equilibria of the sequence form (as behaviour profiles)."""
    sf = sequence_form(tree)
    check_sequence_budget(sf, max_cost)
    pairs = sequence_enum(sf)
    if not pairs:
        raise SolverError("vertex enumeration found no equilibrium", solver="enum", status="empty")
    options = {} if max_cost is None else {"max_cost": max_cost}
    note = (
        f"sequence form with {sf.sizes[0]} + {sf.sizes[1]} sequences; "
        f"{len(pairs)} extreme equilibria (realization plans)"
    )
    return BehaviorEquilibriumSet.build(
        tree, _profiles(sf, pairs), method="enum", options=options, complete=True, notes=(note,)
    )


def tree_pure(tree: GameTree, *, max_cost: object = None) -> BehaviorEquilibriumSet:
    """All pure equilibria of an n-player tree, by checking every profile of plans exactly.

    Plans leave unspecified the sets a player's own moves exclude; those take the first action.
    Raises :class:`SolverError` if there is none (possible with imperfect information).
    """
    sequence_form(tree)  # perfect recall, numbers
    budget = PURE_TREE_BUDGET if max_cost is None else max_cost
    if not isinstance(budget, int | float | Fraction) or isinstance(budget, bool) or budget <= 0:
        raise ModelError("max_cost", max_cost, "must be a positive number")
    plans = [reduced_plans(tree, p) for p in tree.players]
    cost = math.prod(len(p) for p in plans) * tree.n_nodes
    if cost > budget:
        raise TooLargeError(
            f"checking {math.prod(len(p) for p in plans)} pure profiles",
            cost=cost,
            budget=float(budget),
            instead="Use method='lcp' for two players, or raise max_cost=.",
        )
    sets: dict[tuple[str, Any], tuple[str, ...]] = {}
    for path in tree.decision_paths():
        node = tree.node(path)
        assert isinstance(node, Decision)
        sets.setdefault((node.player, infoset_key(node, path)), node.actions)
    found = []
    for combo in itertools.product(*plans):
        chosen = {k: a for plan in combo for k, a in plan.items()}
        beh = {
            (pl, h): {a: Fraction(int(a == chosen.get(h, acts[0]))) for a in acts}
            for (pl, h), acts in sets.items()
        }
        if all(r == 0 for r in behavior_regrets(tree, beh)):
            found.append(beh)
    if not found:
        raise SolverError("the tree has no pure equilibrium", solver="pure", status="empty")
    options = {} if max_cost is None else {"max_cost": max_cost}
    return BehaviorEquilibriumSet.build(
        tree,
        found,
        method="pure",
        options=options,
        complete=True,
        notes=("all pure equilibria (reduced strategies); mixed ones are not searched",),
    )
