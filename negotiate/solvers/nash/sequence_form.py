"""The sequence form of an extensive game with perfect recall (exact).

A *sequence* of player ``i`` is the list of ``(information set, action)`` pairs of ``i`` on the
path to a node; the empty sequence ``()`` is the root's.  With perfect recall every node of an
information set ``h`` has the same sequence ``sigma(h)`` of its player (Kuhn 1953), and a mixed
strategy is represented by its *realization plan* ``x >= 0`` over sequences with

    x[()] = 1,      x[sigma(h)] = sum_a x[sigma(h) a]      for every information set h,

written ``E x = e``.  Expected payoffs are multilinear in the plans: for two players
``x^T A y`` and ``x^T B y`` with ``A[s, t]`` the sum over leaves reached by the sequence pair
``(s, t)`` of chance probability times payoff (Koller, Megiddo and von Stengel 1996, "Efficient
computation of equilibria for extensive two-person games", Games Econ. Behav. 14; von Stengel
1996, Games Econ. Behav. 14).  The size is linear in the tree, unlike the reduced normal form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import Chance, GameTree, Node, Path, Terminal
from negotiate.solvers.nash.reduced_normal import InfosetKey, infoset_key

__all__ = [
    "Behavior",
    "InfosetKey",
    "PlayerSequences",
    "SequenceForm",
    "behavior_from_plan",
    "sequence_form",
]

#: A sequence: the player's (information set, action) pairs from the root.
Sequence_: TypeAlias = tuple[tuple[InfosetKey, str], ...]
#: A behaviour profile: ``(player, information set) -> {action: probability}``.
Behavior: TypeAlias = Mapping[tuple[str, InfosetKey], Mapping[str, Fraction]]


@dataclass(frozen=True)
class PlayerSequences:
    """One player's sequences (``sequences[0] == ()``) and information sets.

    ``infosets[k] = (key, parent, actions, children)``: the set's key, the index of its
    sequence ``sigma(h)``, its actions, and the indices of the sequences ``sigma(h) a``.
    """

    player: str
    sequences: tuple[Sequence_, ...]
    infosets: tuple[tuple[InfosetKey, int, tuple[str, ...], tuple[int, ...]], ...]

    @property
    def n(self) -> int:
        return len(self.sequences)

    def constraints(self) -> list[list[int]]:
        """The rows of ``E`` (root row first, then one per information set); ``e = (1,0,..)``."""
        rows = [[0] * self.n]
        rows[0][0] = 1
        for _, parent, _, children in self.infosets:
            row = [0] * self.n
            row[parent] = -1
            for c in children:
                row[c] = 1
            rows.append(row)
        return rows


@dataclass(frozen=True)
class SequenceForm:
    """The sequence form of a numeric tree: sequences per player and the sparse payoffs.

    ``payoffs[(s_1, ..., s_n)]`` is the vector, over players, of the sums of chance probability
    times payoff over the leaves whose sequences are ``(s_1, ..., s_n)`` (indices);
    ``chance[...]`` the sum of their chance probabilities.
    """

    tree: GameTree
    players: tuple[PlayerSequences, ...]
    payoffs: Mapping[tuple[int, ...], tuple[Fraction, ...]]
    #: the total chance probability of the leaves of each sequence tuple
    chance: Mapping[tuple[int, ...], Fraction]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(p.n for p in self.players)

    def matrix(self, player: int) -> list[list[Fraction]]:
        """Two players: the dense payoff matrix of ``player`` (rows: player 0's sequences)."""
        m, n = self.sizes
        out = [[Fraction(0)] * n for _ in range(m)]
        for (s, t), vals in self.payoffs.items():
            out[s][t] = vals[player]
        return out


def sequence_form(tree: GameTree) -> SequenceForm:
    """The sequence form of a numeric tree; :class:`ModelError` without perfect recall."""
    if tree.is_symbolic:
        raise NotApplicableError(
            "the sequence form needs numbers: bind the parameters first", ["tree.bind(values)"]
        )
    n = len(tree.players)
    seqs: list[dict[Sequence_, int]] = [{(): 0} for _ in range(n)]
    sets: list[dict[InfosetKey, tuple[int, tuple[str, ...], list[int]]]] = [{} for _ in range(n)]
    first_path: dict[tuple[int, InfosetKey], Path] = {}
    payoffs: dict[tuple[int, ...], list[Fraction]] = {}
    chance: dict[tuple[int, ...], Fraction] = {}
    # depth-first, children in declared order: sequence indices follow the tree's pre-order
    stack: list[tuple[Path, Node, tuple[Sequence_, ...], Fraction]] = [
        ((), tree.root, tuple(() for _ in range(n)), Fraction(1))
    ]
    while stack:
        path, node, own, prob = stack.pop()
        if isinstance(node, Terminal):
            key = tuple(seqs[i][own[i]] for i in range(n))
            acc = payoffs.setdefault(key, [Fraction(0)] * n)
            chance[key] = chance.get(key, Fraction(0)) + prob
            for i, v in enumerate(node.payoffs):
                acc[i] += prob * v
            continue
        if isinstance(node, Chance):
            for lab, p, ch in reversed(
                list(zip(node.outcomes, node.probabilities, node.children, strict=True))
            ):
                stack.append(((*path, lab), ch, own, prob * p))
            continue
        i = tree.players.index(node.player)
        key_h = infoset_key(node, path)
        parent = seqs[i][own[i]]
        if key_h in sets[i]:
            if sets[i][key_h][0] != parent:
                raise ModelError(
                    f"infosets[{key_h!r}]",
                    [first_path[(i, key_h)], path],
                    f"{node.player} does not have perfect recall: these nodes of one "
                    "information set follow different own histories (information sets and "
                    "actions); the sequence form and behaviour strategies need perfect recall",
                )
            children = sets[i][key_h][2]
        else:
            children = []
            for a in node.actions:
                s = (*own[i], (key_h, a))
                if s in seqs[i]:  # the same information set twice on a path
                    raise ModelError(
                        f"infosets[{key_h!r}]", path, "is met twice on one path (absent-minded)"
                    )
                seqs[i][s] = len(seqs[i])
                children.append(seqs[i][s])
            sets[i][key_h] = (parent, node.actions, children)
            first_path[(i, key_h)] = path
        for a, ch in reversed(list(zip(node.actions, node.children, strict=True))):
            new = list(own)
            new[i] = (*own[i], (key_h, a))
            stack.append(((*path, a), ch, tuple(new), prob))
    players = tuple(
        PlayerSequences(
            tree.players[i],
            tuple(seqs[i]),
            tuple((k, par, acts, tuple(ch)) for k, (par, acts, ch) in sets[i].items()),
        )
        for i in range(n)
    )
    return SequenceForm(tree, players, {k: tuple(v) for k, v in payoffs.items()}, chance)


def behavior_from_plan(
    ps: PlayerSequences, plan: list[Fraction] | tuple[Fraction, ...]
) -> dict[tuple[str, InfosetKey], dict[str, Fraction]]:
    """Behaviour strategy of a realization plan: ``b(h)(a) = x[sigma(h) a] / x[sigma(h)]``.

    Where the player's own earlier choices rule ``h`` out (``x[sigma(h)] = 0``) any behaviour
    is realization-equivalent; the first action is then chosen, so the profile is complete.
    """
    out: dict[tuple[str, InfosetKey], dict[str, Fraction]] = {}
    for key, parent, actions, children in ps.infosets:
        total = plan[parent]
        if total > 0:
            out[(ps.player, key)] = {
                a: Fraction(plan[c]) / total for a, c in zip(actions, children, strict=True)
            }
        else:
            out[(ps.player, key)] = {a: Fraction(int(k == 0)) for k, a in enumerate(actions)}
    return out


def plan_from_behavior(ps: PlayerSequences, behavior: Behavior) -> list[Fraction]:
    """The realization plan of a behaviour strategy (products along sequences)."""
    plan = [Fraction(0)] * ps.n
    plan[0] = Fraction(1)
    for key, parent, actions, children in ps.infosets:  # parents precede (pre-order)
        probs = behavior[(ps.player, key)]
        for a, c in zip(actions, children, strict=True):
            plan[c] = plan[parent] * Fraction(probs[a])
    return plan
