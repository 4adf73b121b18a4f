"""From a game tree to its (reduced) normal form; playing a tree under a pure profile.

A pure strategy of player ``i`` assigns an action to each of ``i``'s information sets.  The
**reduced** normal form keeps only the assignments to information sets that ``i``'s own
choices do not rule out (plans), so strategies differing only where the player never lets
play arrive are merged (Kuhn 1953; Osborne & Rubinstein 1994, §6.1).  Chance moves enter as
expectations, exactly.  A reduced strategy is labelled by its actions at the player's
information sets in pre-order, joined by ``"/"``, with ``"*"`` where it is unspecified.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

from negotiate.errors import NotApplicableError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import Chance, Decision, GameTree, Node, Path, Terminal, labels

__all__ = [
    "InfosetKey",
    "Plan",
    "infoset_key",
    "infoset_table",
    "play",
    "reduced_normal_form",
    "reduced_plans",
]

#: An information set: its name, or the path of an unnamed (singleton) decision node.
InfosetKey: TypeAlias = str | Path
#: A (partial) pure strategy: an action for each information set it specifies.
Plan: TypeAlias = Mapping[InfosetKey, str]

DEFAULT_MAX_COST = 5_000_000


def infoset_key(node: Decision, path: Path) -> InfosetKey:
    return node.infoset if node.infoset is not None else path


@dataclass(frozen=True)
class InfosetInfo:
    key: InfosetKey
    player: str
    actions: tuple[str, ...]
    members: tuple[Path, ...]


def infoset_table(tree: GameTree, root: Path = ()) -> tuple[InfosetInfo, ...]:
    """The information sets with a member in the subtree at ``root``, in pre-order."""
    seen: dict[InfosetKey, InfosetInfo] = {}
    for path in tree.paths():
        if path[: len(root)] != root:
            continue
        node = tree.node(path)
        if isinstance(node, Decision):
            key = infoset_key(node, path)
            if key not in seen:
                members = tree.infoset_members(path)
                seen[key] = InfosetInfo(key, node.player, node.actions, members)
    return tuple(seen.values())


def play(
    tree: GameTree,
    choice: Mapping[InfosetKey, str],
    root: Path = (),
    leaf_values: Mapping[Path, tuple[Fraction, ...]] | None = None,
) -> tuple[tuple[Fraction, ...], dict[Path, Fraction]]:
    """Expected payoffs from ``root`` when every decision follows ``choice``, exactly.

    Returns the payoff vector and the probability of each leaf reached.  Nodes listed in
    ``leaf_values`` are treated as leaves with those payoffs (solved subgames).
    """
    n = len(tree.players)
    total = [Fraction(0)] * n
    reach: dict[Path, Fraction] = {}
    stack: list[tuple[Path, Node, Fraction]] = [(root, tree.node(root), Fraction(1))]
    while stack:
        path, node, prob = stack.pop()
        if prob == 0:
            continue
        if leaf_values is not None and path in leaf_values and path != root:
            vals: tuple[Fraction, ...] = leaf_values[path]
        elif isinstance(node, Terminal):
            vals = node.payoffs
        elif isinstance(node, Chance):
            for lab, p, ch in zip(node.outcomes, node.probabilities, node.children, strict=True):
                stack.append(((*path, lab), ch, prob * p))
            continue
        else:
            action = choice[infoset_key(node, path)]
            stack.append(((*path, action), node.child(action), prob))
            continue
        reach[path] = reach.get(path, Fraction(0)) + prob
        for i in range(n):
            total[i] += prob * vals[i]
    return tuple(total), reach


def _merge(plans: list[dict[InfosetKey, str]]) -> dict[InfosetKey, str] | None:
    out: dict[InfosetKey, str] = {}
    for p in plans:
        for k, a in p.items():
            if out.setdefault(k, a) != a:
                return None
    return out


def reduced_plans(
    tree: GameTree, player: str, root: Path = (), max_plans: int = 100_000
) -> list[dict[InfosetKey, str]]:
    """The reduced pure strategies of ``player`` in the subtree at ``root``."""

    def walk(path: Path, node: Node) -> list[dict[InfosetKey, str]]:
        if isinstance(node, Terminal):
            return [{}]
        kids = [walk((*path, lab), ch) for lab, ch in zip(labels(node), node.children, strict=True)]
        if isinstance(node, Decision) and node.player == player:
            key = infoset_key(node, path)
            out = []
            for action, sub in zip(node.actions, kids, strict=True):
                for plan in sub:
                    merged = _merge([plan, {key: action}])
                    if merged is not None:
                        out.append(merged)
        else:
            if math.prod(len(k) for k in kids) > max_plans:
                raise TooLargeError(
                    f"reduced strategies of {player!r}",
                    cost=math.prod(len(k) for k in kids),
                    budget=max_plans,
                    instead="Solve the tree by backward induction (subgame_perfect) instead.",
                )
            out = [
                m for combo in itertools.product(*kids) if (m := _merge(list(combo))) is not None
            ]
        if len(out) > max_plans:
            raise TooLargeError(
                f"reduced strategies of {player!r}",
                cost=len(out),
                budget=max_plans,
                instead="Solve the tree by backward induction (subgame_perfect) instead.",
            )
        unique = {tuple(sorted(p.items(), key=repr)): p for p in out}
        return list(unique.values())

    return walk(root, tree.node(root))


def plan_label(plan: Mapping[InfosetKey, str], keys: list[InfosetKey]) -> str:
    return "/".join(plan.get(k, "*") for k in keys) if keys else "(no move)"


def reduced_normal_form(
    tree: GameTree, root: Path = (), *, max_cost: int = DEFAULT_MAX_COST
) -> NormalFormGame:
    """The reduced normal form of a numeric tree (or of its subgame at ``root``), exactly.

    Strategy labels list the actions at the player's information sets in pre-order, joined
    by ``"/"`` (``"*"`` where the plan leaves a set unspecified).
    """
    if tree.is_symbolic:
        raise NotApplicableError(
            "the reduced normal form needs numbers: bind the parameters first",
            ["tree.bind(values)"],
        )
    table = infoset_table(tree, tuple(root))
    plans = []
    names = []
    for p in tree.players:
        keys = [info.key for info in table if info.player == p]
        ps = reduced_plans(tree, p, tuple(root))
        plans.append(ps)
        labs = [plan_label(pl, keys) for pl in ps]
        if len(set(labs)) != len(labs):  # labels that themselves contain "/" or "*"
            labs = [f"{lab} #{k + 1}" for k, lab in enumerate(labs)]
        names.append(labs)
    shape = tuple(len(ps) for ps in plans)
    cost = math.prod(shape) * tree.n_nodes
    if cost > max_cost:
        raise TooLargeError(
            f"reduced normal form with shape {shape}",
            cost=cost,
            budget=max_cost,
            instead="Use subgame_perfect (backward induction), or pass a larger max_cost.",
        )
    arrays = [_empty(shape) for _ in tree.players]
    for idx in itertools.product(*(range(k) for k in shape)):
        choice = _merge([plans[i][j] for i, j in enumerate(idx)])
        assert choice is not None  # plans of different players never share a set
        values, _ = play(tree, choice, tuple(root))
        for i, v in enumerate(values):
            _set(arrays[i], idx, v)
    title = f"reduced normal form of {tree.title or 'a game tree'}"
    if root:
        title += f" (subgame at {tuple(root)})"
    return NormalFormGame.from_arrays(
        *arrays, players=list(tree.players), strategies=names, title=title
    )


def _empty(shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return [Fraction(0)] * shape[0]
    return [_empty(shape[1:]) for _ in range(shape[0])]


def _set(arr: list, idx: tuple[int, ...], v: Fraction) -> None:
    for i in idx[:-1]:
        arr = arr[i]
    arr[idx[-1]] = v
