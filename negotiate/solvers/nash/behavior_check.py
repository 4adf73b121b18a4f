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

__all__ = ["behavior_payoffs", "behavior_regrets", "sequential_failures"]

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
                total[i] += prob * v
        elif isinstance(node, Chance):
            for lab, p, ch in zip(node.outcomes, node.probabilities, node.children, strict=True):
                stack.append(((*path, lab), ch, prob * p))
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
            g[seq] = g.get(seq, Fraction(0)) + prob * node.payoffs[player]
        elif isinstance(node, Chance):
            for lab, p, ch in zip(node.outcomes, node.probabilities, node.children, strict=True):
                stack.append(((*path, lab), ch, prob * p, seq))
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


def _node_values(tree: GameTree, behavior: BehaviorLike) -> dict[Path, tuple[Fraction, ...]]:
    """Every node's expected payoff vector when play continues by ``behavior``."""
    vals: dict[Path, tuple[Fraction, ...]] = {}
    n = len(tree.players)
    for path in reversed(list(tree.paths())):  # children before parents
        node = tree.node(path)
        if isinstance(node, Terminal):
            vals[path] = tuple(Fraction(v) for v in node.payoffs)
            continue
        if isinstance(node, Chance):
            weights = [Fraction(p) for p in node.probabilities]
        else:
            weights = [_prob(behavior, node, path, a) for a in node.actions]
        kids = [
            vals[(*path, lab)]
            for lab in (node.outcomes if isinstance(node, Chance) else node.actions)
        ]
        vals[path] = tuple(
            sum((w * k[i] for w, k in zip(weights, kids, strict=True)), Fraction(0))
            for i in range(n)
        )
    return vals


def sequential_failures(
    tree: GameTree,
    behavior: BehaviorLike,
    beliefs: Mapping[tuple[str, InfosetKey], Mapping[Path, Any]],
) -> list[str]:
    """Why ``(behavior, beliefs)`` is not a sequential equilibrium candidate (empty if none).

    Checks, exactly: beliefs are distributions over each information set's nodes and follow
    Bayes' rule wherever the set is reached with positive probability; and at every
    information set each action played is a best reply given the beliefs and the
    continuation (one-shot deviations, which suffice for consistent assessments with perfect
    recall: Hendon, Jacobsen and Sloth 1996).
    """
    failures: list[str] = []
    vals = _node_values(tree, behavior)
    reach: dict[Path, Fraction] = {(): Fraction(1)}
    for path in tree.paths():  # parents before children
        node = tree.node(path)
        if isinstance(node, Chance):
            for lab, p in zip(node.outcomes, node.probabilities, strict=True):
                reach[(*path, lab)] = reach[path] * p
        elif isinstance(node, Decision):
            for a in node.actions:
                reach[(*path, a)] = reach[path] * _prob(behavior, node, path, a)
    done: set[tuple[str, InfosetKey]] = set()
    for path in tree.decision_paths():
        node = tree.node(path)
        assert isinstance(node, Decision)
        key = (node.player, infoset_key(node, path))
        if key in done:
            continue
        done.add(key)
        members = tree.infoset_members(path)
        mu = {m: Fraction(beliefs.get(key, {}).get(m, -1)) for m in members}
        if any(v < 0 for v in mu.values()) or sum(mu.values()) != 1:
            failures.append(f"beliefs at {key!r} are not a distribution over its nodes")
            continue
        total = sum((reach[m] for m in members), Fraction(0))
        if total > 0 and any(mu[m] != reach[m] / total for m in members):
            failures.append(f"beliefs at {key!r} do not follow Bayes' rule on the path")
        i = tree.players.index(node.player)
        value = {
            a: sum((mu[m] * vals[(*m, a)][i] for m in members), Fraction(0)) for a in node.actions
        }
        best = max(value.values())
        for a in node.actions:
            if _prob(behavior, node, path, a) > 0 and value[a] < best:
                failures.append(
                    f"at {key!r} action {a!r} is played but loses {best - value[a]} "
                    "given the beliefs"
                )
    return failures
