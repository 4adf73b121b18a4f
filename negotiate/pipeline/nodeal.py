"""Stage 3, the no-deal game: what happens if the talks fail.

The no-deal game is a game tree (``[deterrence]``); its subgame-perfect equilibrium (Selten
1965, by backward induction) gives each side's no-deal value, the probability with which a
war action is played on the equilibrium path, and whether the path reaches an agreement
action.  The equilibrium read is ``subgame_perfect(tree).equilibria[0]``
(:mod:`negotiate.solvers.spe.solve`): at a decision node the first action, in declared order, among
the mover's maximisers that rank best under the node's ``tie_break``.

**Array implementation** (:class:`TreeKernel`).  Equilibria are listed in the order of
``itertools.product`` over the children's equilibria, so the first one takes every child's
first equilibrium; the kernel reproduces it on float arrays.  Chance nodes average their
children in the declared order of outcomes.  Floats cannot see exact ties: actions whose
payoffs lie within ``1e-12 * max(1, |best|)`` of the best are treated as tied and settled
like exact ties (``tie_break``, then declared order); such points are flagged ``boundary``.
A chance probability in ``(0, 1e-12]`` is flagged too (the exact path plays that branch,
floats may not).  Perfect information only: trees with information sets are solved per point
by the exact path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal, Value
from negotiate.pipeline._arrays import TIE_TOLERANCE
from negotiate.pipeline._spec import Spec, Stage, no_fields

__all__ = [
    "STAGE",
    "NoDeal",
    "TreeKernel",
    "TreeValues",
    "no_deal_exact",
    "reached_actions",
    "read_no_deal",
]


@dataclass(frozen=True)
class NoDeal:
    """What happens if the talks fail: the no-deal game's subgame-perfect equilibrium."""

    values: Mapping[str, Fraction]
    path: tuple[str, ...]
    war: bool
    agreed: bool
    war_probability: Fraction
    actions_played: Mapping[str, Fraction]
    strategy: Mapping[tuple[str, ...], str]
    n_equilibria: int


def no_deal_exact(
    tree: GameTree,
    players: Sequence[str],
    war_actions: Sequence[str],
    agreement_actions: Sequence[str],
) -> NoDeal:
    """The subgame-perfect equilibrium of a numeric ``tree`` read as a :class:`NoDeal`."""
    from negotiate.solvers.spe.solve import SPEResult, subgame_perfect

    result = subgame_perfect(tree)
    if not isinstance(result, SPEResult):  # pragma: no cover - a bound tree is numeric
        raise ModelError("deterrence", None, "the bound tree still has free parameters")
    return read_no_deal(tree, result, players, war_actions, agreement_actions)


def read_no_deal(
    tree: GameTree,
    result: Any,
    players: Sequence[str],
    war_actions: Sequence[str],
    agreement_actions: Sequence[str],
) -> NoDeal:
    """The :class:`NoDeal` read from ``result``, the subgame-perfect equilibria of ``tree``:
    its first equilibrium's values, path, war probability and agreement."""
    eq = result.equilibria[0]
    reached = reached_actions(tree, eq.strategy)
    war_p = sum((q for a, q in reached.items() if a in set(war_actions)), Fraction(0))
    return NoDeal(
        values={p: eq.payoffs[p] for p in players},
        path=tuple(eq.path),
        war=war_p > 0,
        agreed=any(a in set(agreement_actions) for a in reached),
        war_probability=war_p,
        actions_played=reached,
        strategy=dict(eq.strategy),
        n_equilibria=len(result.equilibria),
    )


def reached_actions(tree: Any, strategy: Mapping[tuple[str, ...], str]) -> dict[str, Fraction]:
    """Probability with which each action label is played on the equilibrium path."""
    out: dict[str, Fraction] = {}
    stack: list[tuple[tuple[str, ...], Any, Fraction]] = [((), tree.node(()), Fraction(1))]
    while stack:
        path, node, prob = stack.pop()
        if isinstance(node, Decision):
            action = strategy[path]
            out[action] = out.get(action, Fraction(0)) + prob
            stack.append(((*path, action), node.child(action), prob))
        elif isinstance(node, Chance):
            for label, q, child in zip(
                node.outcomes, node.probabilities, node.children, strict=True
            ):
                if q:
                    stack.append(((*path, label), child, prob * Fraction(q)))
    return out


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """Bind the tree family at the point and solve it; ``frame["cache"]`` (a dict or None)
    memoises the result on the values of the tree's own parameters."""
    if spec.tree is None:
        return {"no_deal": None}
    values, cache = frame["in"].env, frame.get("cache")
    key = tuple(values[n] for n in spec.tree_names)
    if cache is not None and key in cache:
        return {"no_deal": cache[key]}
    tree = spec.tree.bind({n: values[n] for n in spec.tree_names})
    out = no_deal_exact(tree, tree.players, spec.war_actions, spec.agreement_actions)
    if cache is not None:
        cache[key] = out
    return {"no_deal": out}


def kernel(spec: Spec) -> TreeKernel:
    """The array kernel of ``spec``'s tree (built once per spec)."""
    if "tree_kernel" not in spec.cache:
        spec.cache["tree_kernel"] = TreeKernel(spec.tree, spec.war_actions, spec.agreement_actions)
    out = spec.cache["tree_kernel"]
    assert isinstance(out, TreeKernel)
    return out


def _array_fields(spec: Spec) -> list[tuple[str, Any]]:
    if spec.tree is None:
        return []
    return [(f"tree[{k}]", e) for k, e in enumerate(kernel(spec).exprs)]


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """The :class:`TreeValues` at every point; ``frame["fixed_no_deal"]`` may hold them
    already (a tree the points do not move, solved once)."""
    if spec.tree is None:
        return {"no_deal": None}
    if frame.get("fixed_no_deal") is not None:
        return {"no_deal": frame["fixed_no_deal"]}
    inp = frame["in"]
    k = kernel(spec)
    return {"no_deal": k.solve([inp[f"tree[{j}]"] for j in range(len(k.exprs))], frame["point"])}


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


STAGE = Stage(
    name="no_deal",
    meaning="the no-deal game's subgame-perfect equilibrium: values, war, agreement",
    writes=("no_deal",),
    fields=no_fields,
    exact=_exact,
    array=_array,
    array_fields=_array_fields,
)
