"""An independent check of subgame perfection: the one-shot deviation principle.

A pure profile of a finite tree with perfect information is subgame perfect if and only if no
player gains by changing its action at a single decision node while every other choice stays
as the profile says (the one-shot deviation principle; Hendon, Jacobsen and Sloth 1996).  This
module checks that directly on the tree, sharing no code with the backward-induction solver:

* the continuation payoff of every node under the profile is computed by one walk of the
  tree (chance nodes average exactly);
* at every decision node alone in its information set, the chosen action's continuation
  payoff to the mover must be the largest of its actions' (regret zero), and among the tied
  best actions none may stand earlier in the node's ``tie_break`` list;
* at an information set with several members, inside every proper subgame containing it, the
  mover must not gain by switching its action at the whole set (the one-set necessary part
  of Nash equilibrium in the subgame);
* the reported payoffs, equilibrium path and outcome distribution are recomputed.

For small trees with perfect information, :func:`brute_force_spe` enumerates every pure
profile and keeps those passing the check: the oracle against which a solver's list of
equilibria is compared (none missing, none extra).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate.games.tree import Chance, Decision, GameTree, Node, Path, Terminal

__all__ = [
    "BRUTE_FORCE_LIMIT",
    "brute_force_spe",
    "check_profile",
    "continuation_values",
    "deviation_failures",
]

#: Largest number of pure profiles the brute-force oracle enumerates.
BRUTE_FORCE_LIMIT = 1024

Values = tuple[Fraction, ...]


def _continuations(
    tree: GameTree, strategy: Mapping[Path, str]
) -> tuple[dict[Path, Values], dict[Path, dict[Path, Fraction]]]:
    """Payoffs and leaf distribution from every node when play follows ``strategy``."""
    values: dict[Path, Values] = {}
    reach: dict[Path, dict[Path, Fraction]] = {}
    n = len(tree.players)

    def walk(path: Path, node: Node) -> None:
        if isinstance(node, Terminal):
            values[path] = tuple(Fraction(v) for v in node.payoffs)
            reach[path] = {path: Fraction(1)}
            return
        labels = node.actions if isinstance(node, Decision) else node.outcomes
        for label, child in zip(labels, node.children, strict=True):
            walk((*path, label), child)
        if isinstance(node, Decision):
            chosen = (*path, strategy[path])
            values[path] = values[chosen]
            reach[path] = reach[chosen]
            return
        assert isinstance(node, Chance)
        total = [Fraction(0)] * n
        dist: dict[Path, Fraction] = {}
        for label, q in zip(node.outcomes, node.probabilities, strict=True):
            q = Fraction(q)
            kid = (*path, label)
            for i in range(n):
                total[i] += q * values[kid][i]
            for leaf, r in reach[kid].items():
                if q * r:
                    dist[leaf] = dist.get(leaf, Fraction(0)) + q * r
        values[path] = tuple(total)
        reach[path] = dist

    walk((), tree.root)
    return values, reach


def _preferred(node: Decision, b: str, a: str) -> bool:
    """True when ``tie_break`` lists ``b`` before ``a`` (unlisted actions come last)."""
    order = list(node.tie_break)
    if b not in order:
        return False
    return a not in order or order.index(b) < order.index(a)


def _path_of(tree: GameTree, strategy: Mapping[Path, str]) -> Path:
    path: Path = ()
    node = tree.root
    while isinstance(node, Decision):
        action = strategy[path]
        node = node.children[node.actions.index(action)]
        path = (*path, action)
    return path


def _set_deviation(
    tree: GameTree, strategy: Mapping[Path, str], root: Path, members: list[Path], action: str
) -> Values:
    changed = dict(strategy)
    for m in members:
        changed[m] = action
    return _continuations(tree, changed)[0][root]


def _structure(tree: GameTree, strategy: Mapping[Path, str]) -> list[str]:
    msgs = []
    seen: dict[Any, str] = {}
    for p in tree.decision_paths():
        node = tree.node(p)
        assert isinstance(node, Decision)
        if p not in strategy:
            msgs.append(f"no action at decision node {p}")
            continue
        if strategy[p] not in node.actions:
            msgs.append(f"{strategy[p]!r} is not an action at {p}")
            continue
        if node.infoset is not None and seen.setdefault(node.infoset, strategy[p]) != strategy[p]:
            msgs.append(f"different actions inside information set {node.infoset!r}")
    return msgs


def _node_checks(
    tree: GameTree, strategy: Mapping[Path, str], values: Mapping[Path, Values]
) -> tuple[Fraction, list[str]]:
    worst = Fraction(0)
    msgs: list[str] = []
    groups: dict[str, list[Path]] = {}
    for p in tree.decision_paths():
        node = tree.node(p)
        assert isinstance(node, Decision)
        if node.infoset is not None:
            groups.setdefault(node.infoset, []).append(p)
    for p in tree.decision_paths():
        node = tree.node(p)
        assert isinstance(node, Decision)
        if node.infoset is not None and len(groups[node.infoset]) > 1:
            continue
        i = tree.players.index(node.player)
        a = strategy[p]
        own = values[(*p, a)][i]
        for b in node.actions:
            alt = values[(*p, b)][i]
            worst = max(worst, alt - own)
            if alt > own:
                msgs.append(
                    f"action {a!r} at {p} is not optimal: {node.player} gains {alt - own} by {b!r}"
                )
            elif alt == own and b != a and _preferred(node, b, a):
                msgs.append(f"at {p}, tie_break prefers {b!r} to the tied {a!r}")
    for key, members in groups.items():
        if len(members) < 2:
            continue
        node = tree.node(members[0])
        assert isinstance(node, Decision)
        i = tree.players.index(node.player)
        for root in tree.paths():
            if not tree.is_subgame_root(root) or not all(m[: len(root)] == root for m in members):
                continue
            base = values[root][i]
            for b in node.actions:
                alt = _set_deviation(tree, strategy, root, members, b)[i]
                worst = max(worst, alt - base)
                if alt > base:
                    msgs.append(
                        f"in the subgame at {root}, {node.player} gains by {b!r} at {key!r}"
                    )
    return worst, msgs


def check_profile(tree: GameTree, eq: Any) -> tuple[Fraction, bool, list[str]]:
    """Check one pure profile (``strategy``, ``payoffs``, ``path``, ``outcomes``) of a
    numeric tree: (largest gain from a one-shot deviation, ok, failure messages)."""
    strategy = dict(eq.strategy)
    msgs = _structure(tree, strategy)
    if msgs:
        return Fraction(0), False, msgs
    values, reach = _continuations(tree, strategy)
    worst, msgs = _node_checks(tree, strategy, values)
    root = dict(zip(tree.players, values[()], strict=True))
    if root != dict(eq.payoffs):
        msgs.append(f"payoffs recomputed as {root}, reported {dict(eq.payoffs)}")
    if reach[()] != dict(eq.outcomes):
        msgs.append("outcome distribution differs on recomputation")
    if _path_of(tree, strategy) != tuple(eq.path):
        msgs.append(f"equilibrium path recomputed as {_path_of(tree, strategy)}")
    return worst, not msgs, msgs


def deviation_failures(tree: GameTree, strategy: Mapping[Path, str]) -> list[str]:
    """Why the pure ``strategy`` (decision path -> action) is not subgame perfect on the
    numeric ``tree`` (an empty list when it is), by the checks of :func:`check_profile`."""
    msgs = _structure(tree, strategy)
    if msgs:
        return msgs
    values, _ = _continuations(tree, strategy)
    return _node_checks(tree, strategy, values)[1]


def continuation_values(tree: GameTree, strategy: Mapping[Path, str]) -> tuple[Values, set[str]]:
    """The payoffs at the root under ``strategy`` and the action labels played with positive
    probability."""
    values, reach = _continuations(tree, strategy)
    played: set[str] = set()
    for leaf in reach[()]:
        node: Node = tree.root
        for label in leaf:
            if isinstance(node, Decision):
                played.add(label)
                node = node.children[node.actions.index(label)]
            else:
                assert isinstance(node, Chance)
                node = node.children[node.outcomes.index(label)]
    return values[()], played


def brute_force_spe(
    tree: GameTree, limit: int = BRUTE_FORCE_LIMIT
) -> frozenset[tuple[tuple[Path, str], ...]] | None:
    """Every pure profile of a perfect-information tree passing the one-shot deviation check
    (with ``tie_break``), as sorted ``(path, action)`` tuples; None when the tree has a
    non-singleton information set or more than ``limit`` pure profiles."""
    paths = tree.decision_paths()
    menus: list[tuple[str, ...]] = []
    for p in paths:
        node = tree.node(p)
        assert isinstance(node, Decision)
        menus.append(node.actions)
    if any(len(tree.infoset_members(p)) > 1 for p in paths):
        return None
    if math.prod(len(m) for m in menus) > limit:
        return None
    found = set()
    for combo in itertools.product(*menus):
        strategy = dict(zip(paths, combo, strict=True))
        values, _ = _continuations(tree, strategy)
        _, msgs = _node_checks(tree, strategy, values)
        if not msgs:
            found.add(tuple(sorted(strategy.items())))
    return frozenset(found)
