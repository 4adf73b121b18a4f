"""Exact regret of a behaviour profile on a tree: an independent certificate.

For player ``i`` and the others' behaviour fixed, each leaf ``z`` is reached with probability
``pi_{-i}(z)`` (chance and the other players) times ``i``'s own choices.  Grouping leaves by
``i``'s sequence ``s`` gives ``g(s) = sum pi_{-i}(z) u_i(z)``; with perfect recall ``i``'s best
reply is found by backward induction over its sequences,

    V(s) = g(s) + sum_{h : sigma(h) = s} max_a V(s a),

and ``V(())`` is the best-reply value (von Stengel 1996, Sect. 3).  The regret of ``i`` is
``V(()) - u_i(b)``, exact.  This walks the tree directly and shares no code with the solvers.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.games.tree import Chance, Decision, GameTree, Node, Path, Terminal
from negotiate.solvers.nash.reduced_normal import InfosetKey, infoset_key

__all__ = ["behavior_payoffs", "behavior_regrets"]

BehaviorLike = Mapping[tuple[str, InfosetKey], Mapping[str, Any]]


def _prob(behavior: BehaviorLike, node: Decision, path: Path, action: str) -> Fraction:
    key = (node.player, infoset_key(node, path))
    if key not in behavior:
        raise ModelError(f"behavior[{key!r}]", None, "the profile has no entry for this set")
    return Fraction(behavior[key].get(action, 0))


def behavior_payoffs(tree: GameTree, behavior: BehaviorLike) -> tuple[Fraction, ...]:
    """Expected payoffs of the behaviour profile, exactly."""
    n = len(tree.players)
    total = [Fraction(0)] * n
    stack: list[tuple[Path, Node, Fraction]] = [((), tree.root, Fraction(1))]
    while stack:
        path, node, prob = stack.pop()
        if prob == 0:
            continue
        if isinstance(node, Terminal):
            for i, v in enumerate(node.payoffs):
                total[i] += prob * v  # type: ignore[operator]
        elif isinstance(node, Chance):
            for lab, p, ch in zip(node.outcomes, node.probabilities, node.children, strict=True):
                stack.append(((*path, lab), ch, prob * p))  # type: ignore[operator]
        else:
            for a, ch in zip(node.actions, node.children, strict=True):
                stack.append(((*path, a), ch, prob * _prob(behavior, node, path, a)))
    return tuple(total)


def best_reply_value(tree: GameTree, behavior: BehaviorLike, player: int) -> Fraction:
    """Player ``player``'s best-reply value against the others' behaviour (perfect recall)."""
    name = tree.players[player]
    g: dict[tuple[Any, ...], Fraction] = {}
    sets: dict[InfosetKey, tuple[tuple[Any, ...], tuple[str, ...]]] = {}
    stack: list[tuple[Path, Node, Fraction, tuple[Any, ...]]] = [((), tree.root, Fraction(1), ())]
    while stack:
        path, node, prob, seq = stack.pop()
        if isinstance(node, Terminal):
            g[seq] = g.get(seq, Fraction(0)) + prob * node.payoffs[player]  # type: ignore[operator]
        elif isinstance(node, Chance):
            for lab, p, ch in zip(node.outcomes, node.probabilities, node.children, strict=True):
                stack.append(((*path, lab), ch, prob * p, seq))  # type: ignore[operator]
        elif node.player == name:
            key = infoset_key(node, path)
            if sets.setdefault(key, (seq, node.actions))[0] != seq:
                raise ModelError(f"infosets[{key!r}]", path, f"{name} lacks perfect recall")
            for a, ch in zip(node.actions, node.children, strict=True):
                stack.append(((*path, a), ch, prob, (*seq, (key, a))))
        else:
            for a, ch in zip(node.actions, node.children, strict=True):
                q = prob * _prob(behavior, node, path, a)
                stack.append(((*path, a), ch, q, seq))
    below: dict[tuple[Any, ...], list[InfosetKey]] = {}
    for key, (seq, _) in sets.items():
        below.setdefault(seq, []).append(key)
    memo: dict[tuple[Any, ...], Fraction] = {}

    def value(seq: tuple[Any, ...]) -> Fraction:
        if seq not in memo:
            v = g.get(seq, Fraction(0))
            for key in below.get(seq, []):
                v += max(value((*seq, (key, a))) for a in sets[key][1])
            memo[seq] = v
        return memo[seq]

    return value(())


def behavior_regrets(tree: GameTree, behavior: BehaviorLike) -> tuple[Fraction, ...]:
    """Each player's exact gain from a best reply (all zero at a Nash equilibrium)."""
    pay = behavior_payoffs(tree, behavior)
    return tuple(best_reply_value(tree, behavior, i) - pay[i] for i in range(len(tree.players)))
