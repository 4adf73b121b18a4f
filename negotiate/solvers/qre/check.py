"""Independent checks of logit QRE points (floats), sharing no code with the tracer.

For a normal-form game, player ``i``'s expected payoff per pure strategy against the others'
mixtures is contracted directly from the exact payoff array ``game.payoff_array(i)`` (taken
to floats) with ``numpy.tensordot``.  For a tree, the agent-form action values come from a walk
of the tree of its own: the reach probability of every node under the behaviour profile (chance
and every decision multiply in), the value of every subtree, and, at each information set, the
value of each action weighted by the reach of the set's nodes (conditional on reaching the set,
beliefs by Bayes' rule).  An information set that is reached with probability 0 weighs its
nodes equally.  The logit response of an agent is ``softmax(lam * U)`` (McKelvey and Palfrey
1995, 1998).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import Chance, Decision, GameTree, Terminal

__all__ = ["logit_response", "normal_form_values", "tree_action_values"]


def logit_response(lam: float, values: ArrayLike) -> np.ndarray:
    """``softmax(lam * values)``: each action's probability proportional to
    ``exp(lam * U_a)`` (computed from the largest exponent down, so it cannot overflow)."""
    x = lam * np.asarray(values, dtype=float)
    w = np.exp(x - np.max(x))
    return np.asarray(w / w.sum())


def normal_form_values(
    game: NormalFormGame, probabilities: Sequence[ArrayLike]
) -> list[np.ndarray]:
    """Each player's expected payoff per pure strategy, the others playing ``probabilities``:
    ``U_i[s] = sum over the others' pure strategies of u_i(s, t) prod_j p_j(t_j)``."""
    mixed = [np.asarray(p, dtype=float) for p in probabilities]
    out = []
    for i in range(game.n_players):
        table = np.moveaxis(np.asarray(game.payoff_array(i), dtype=float), i, 0)
        others = [mixed[j] for j in range(game.n_players) if j != i]
        for p in reversed(others):  # contract the last axis each time
            table = np.tensordot(table, p, axes=([table.ndim - 1], [0]))
        out.append(np.asarray(table, dtype=float))
    return out


def _infoset(node: Decision, path: tuple[str, ...]) -> Any:
    return node.infoset if node.infoset is not None else path


def tree_action_values(
    tree: GameTree, behavior: Mapping[tuple[str, Any], Mapping[str, float]]
) -> dict[tuple[str, Any], dict[str, float]]:
    """Agent-form action values at every information set ``(player, key)`` under
    ``behavior``: ``U(a) = sum_h reach(h) v_i(h.a) / sum_h reach(h)`` over the set's nodes
    ``h`` (uniform weights when the set is unreached), ``v_i`` the owner's expected payoff of
    the subtree.  ``behavior`` must name every information set of the tree."""
    order: list[tuple[tuple[str, ...], Any, float]] = []  # pre-order: path, node, reach
    stack: list[tuple[tuple[str, ...], Any, float]] = [((), tree.root, 1.0)]
    while stack:
        path, node, reach = stack.pop()
        order.append((path, node, reach))
        if isinstance(node, Chance):
            weights = [float(p) for p in node.probabilities]
            labels = node.outcomes
        elif isinstance(node, Decision):
            probs = behavior[(node.player, _infoset(node, path))]
            weights = [float(probs[a]) for a in node.actions]
            labels = node.actions
        else:
            continue
        for label, child, w in zip(labels, node.children, weights, strict=True):
            stack.append(((*path, label), child, reach * w))
    value: dict[tuple[str, ...], np.ndarray] = {}
    for path, node, _ in reversed(order):  # children before parents
        if isinstance(node, Terminal):
            value[path] = np.array([float(v) for v in node.payoffs])
            continue
        labels = node.outcomes if isinstance(node, Chance) else node.actions
        if isinstance(node, Chance):
            weights = [float(p) for p in node.probabilities]
        else:
            probs = behavior[(node.player, _infoset(node, path))]
            weights = [float(probs[a]) for a in node.actions]
        value[path] = sum(
            (w * value[(*path, lab)] for lab, w in zip(labels, weights, strict=True)),
            np.zeros(len(tree.players)),
        )
    weighted: dict[tuple[str, Any], dict[str, float]] = {}
    plain: dict[tuple[str, Any], dict[str, float]] = {}
    mass: dict[tuple[str, Any], float] = {}
    count: dict[tuple[str, Any], int] = {}
    for path, node, reach in order:
        if not isinstance(node, Decision):
            continue
        key = (node.player, _infoset(node, path))
        owner = tree.players.index(node.player)
        mass[key] = mass.get(key, 0.0) + reach
        count[key] = count.get(key, 0) + 1
        for a in node.actions:
            v = float(value[(*path, a)][owner])
            weighted.setdefault(key, {}).setdefault(a, 0.0)
            plain.setdefault(key, {}).setdefault(a, 0.0)
            weighted[key][a] += reach * v
            plain[key][a] += v
    return {
        key: {
            a: (weighted[key][a] / mass[key]) if mass[key] > 0 else plain[key][a] / count[key]
            for a in weighted[key]
        }
        for key in weighted
    }
