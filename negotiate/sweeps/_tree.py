"""Backward induction on float arrays: one game tree, many parameter points at once.

The kernel reproduces the equilibrium that a scenario reads from the exact solver,
``subgame_perfect(tree).equilibria[0]`` (:mod:`negotiate.solvers.spe.solve`): equilibria are
listed in the order of ``itertools.product`` over the children's equilibria, so the first
one takes every child's first equilibrium, and at a decision node the first action, in the
declared order, among the maximisers of the mover's payoff that rank best under the node's
``tie_break``.  Chance nodes average their children in the declared order of outcomes.

Floats cannot see exact ties.  Here actions whose payoffs lie within ``1e-12 * max(1, |best|)``
of the best are treated as tied and settled like exact ties (``tie_break``, then declared
order); such points are flagged ``boundary``: the exact answer may differ there.  A chance
probability in ``(0, 1e-12]`` is flagged too (the exact path plays that branch, floats may not).

Perfect information only: trees with information sets are solved per point by the exact
path (see :mod:`negotiate.sweeps.compile`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal, Value

__all__ = ["TIE_TOLERANCE", "TreeKernel", "TreeValues"]

#: Relative distance under which two payoffs count as tied (a boundary point).
TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class _Node:
    path: Path
    kind: str  # "terminal", "chance" or "decision"
    children: tuple[int, ...] = ()
    exprs: tuple[int, ...] = ()  # payoff (terminal) or probability (chance) expression indices
    mover: int = -1
    order: tuple[int, ...] = ()  # action positions by (tie_break rank, declared position)
    war: tuple[bool, ...] = ()
    agree: tuple[bool, ...] = ()


@dataclass(frozen=True)
class TreeValues:
    """Per point: each player's no-deal value, war probability, agreement, boundary flag."""

    values: tuple[np.ndarray, ...]
    war_probability: np.ndarray
    agreed: np.ndarray
    boundary: np.ndarray


class TreeKernel:
    """A numeric-or-symbolic tree prepared for vectorised backward induction.

    ``exprs`` lists the payoffs and probabilities (exact numbers or sympy expressions) the
    caller evaluates; :meth:`solve` takes their values, in that order, as arrays or scalars.
    """

    def __init__(
        self, tree: GameTree, war_actions: Sequence[str], agreement_actions: Sequence[str]
    ) -> None:
        if tree.has_imperfect_information:
            raise NotApplicableError(
                "vectorised backward induction needs perfect information", ("exact",)
            )
        self.players = tree.players
        self.exprs: list[Value] = []
        self.nodes: list[_Node] = []
        war, agree = set(war_actions), set(agreement_actions)
        self._build(tree, (), war, agree)

    def _build(self, tree: GameTree, path: Path, war: set[str], agree: set[str]) -> int:
        node = tree.node(path)
        if isinstance(node, Terminal):
            idx = tuple(self._expr(v) for v in node.payoffs)
            self.nodes.append(_Node(path, "terminal", exprs=idx))
            return len(self.nodes) - 1
        if isinstance(node, Chance):
            kids = tuple(self._build(tree, (*path, lab), war, agree) for lab in node.outcomes)
            idx = tuple(self._expr(q) for q in node.probabilities)
            self.nodes.append(_Node(path, "chance", kids, idx))
            return len(self.nodes) - 1
        assert isinstance(node, Decision)
        kids = tuple(self._build(tree, (*path, a), war, agree) for a in node.actions)
        order = tuple(
            sorted(range(len(node.actions)), key=lambda k: (node.rank(node.actions[k]), k))
        )
        self.nodes.append(
            _Node(
                path,
                "decision",
                kids,
                mover=tree.player_index(node.player),
                order=order,
                war=tuple(a in war for a in node.actions),
                agree=tuple(a in agree for a in node.actions),
            )
        )
        return len(self.nodes) - 1

    def _expr(self, value: Value) -> int:
        self.exprs.append(value)
        return len(self.exprs) - 1

    def solve(self, values: Sequence[Any], point: Any = None) -> TreeValues:
        """Backward induction at every point; ``values[k]`` is the value of ``exprs[k]``.

        ``point`` (a callable ``index -> dict``) describes a point in error messages.
        """
        n = len(self.nodes)
        val: list[tuple[Any, ...]] = [()] * n
        choice: list[Any] = [None] * n
        boundary: Any = np.False_
        for i, node in enumerate(self.nodes):
            if node.kind == "terminal":
                val[i] = tuple(values[e] for e in node.exprs)
            elif node.kind == "chance":
                qs = [values[e] for e in node.exprs]
                self._check_probabilities(node, qs, point)
                for q in qs:
                    boundary = boundary | ((q > 0) & (q <= TIE_TOLERANCE))
                out = []
                for p in range(len(self.players)):
                    total: Any = 0.0
                    for q, c in zip(qs, node.children, strict=True):
                        total = total + q * val[c][p]
                    out.append(total)
                val[i] = tuple(out)
            else:
                utils = [val[c][node.mover] for c in node.children]
                best = utils[0]
                for u in utils[1:]:
                    best = np.maximum(best, u)
                tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
                tied = [u >= best - tol for u in utils]
                chosen: Any = np.full(np.shape(best), -1, dtype=np.int64)
                for pos in node.order:
                    chosen = np.where((chosen < 0) & tied[pos], pos, chosen)
                count: Any = sum(t.astype(np.int64) for t in tied)
                boundary = boundary | (count > 1)
                choice[i] = chosen
                out = []
                for p in range(len(self.players)):
                    v = val[node.children[0]][p]
                    for pos in range(1, len(node.children)):
                        v = np.where(chosen == pos, val[node.children[pos]][p], v)
                    out.append(v)
                val[i] = tuple(out)
        war_p, agreed = self._reach(choice, values)
        return TreeValues(
            tuple(np.asarray(v, dtype=float) for v in val[-1]),
            np.asarray(war_p, dtype=float),
            np.asarray(agreed, dtype=bool),
            np.asarray(boundary, dtype=bool),
        )

    def _reach(self, choice: list[Any], values: Sequence[Any]) -> tuple[Any, Any]:
        """Probability of each reached action on the equilibrium path (top-down)."""
        reach: list[Any] = [None] * len(self.nodes)
        reach[-1] = np.float64(1.0)
        war_p: Any = np.float64(0.0)
        agreed: Any = np.False_
        for i in range(len(self.nodes) - 1, -1, -1):
            node = self.nodes[i]
            r = reach[i]
            if node.kind == "chance":
                for c, e in zip(node.children, node.exprs, strict=True):
                    reach[c] = r * values[e]
            elif node.kind == "decision":
                for pos, c in enumerate(node.children):
                    rc = np.where(choice[i] == pos, r, 0.0)
                    reach[c] = rc
                    if node.war[pos]:
                        war_p = war_p + rc
                    if node.agree[pos]:
                        agreed = agreed | (rc > 0)
        return war_p, agreed

    def _check_probabilities(self, node: _Node, qs: list[Any], point: Any) -> None:
        total: Any = 0.0
        bad: Any = np.False_
        for q in qs:
            bad = bad | (q < -TIE_TOLERANCE) | (q > 1 + TIE_TOLERANCE)
            total = total + q
        bad = bad | (np.abs(total - 1.0) > 1e-9)
        if np.any(bad):
            k = int(np.argmax(np.broadcast_to(bad, np.shape(bad)))) if np.ndim(bad) else 0
            at = point(k) if point is not None else k
            where = "/".join(node.path) or "(root)"
            shown = [float(np.asarray(q).reshape(-1)[k] if np.ndim(q) else q) for q in qs]
            raise ModelError(
                f"deterrence: chance node {where}",
                shown,
                f"probabilities must lie in [0, 1] and sum to 1 (at {at})",
            )
