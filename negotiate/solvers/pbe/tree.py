"""Perfect Bayesian equilibria of general game trees with information sets, exactly.

An *assessment* is a behaviour profile and, at every information set, a belief over its nodes.
It is a (weak) perfect Bayesian equilibrium when beliefs follow Bayes' rule wherever the set
is reached with positive probability and every action played is optimal given the beliefs and
the continuation (Fudenberg and Tirole 1991, ch. 8; Mas-Colell, Whinston and Green 1995,
Def. 9.C.3).  For signalling games this is the usual perfect Bayesian equilibrium.

Found here, exactly:

* every **pure** assessment: each pure behaviour profile that is a Nash equilibrium is kept if
  each information set off the path admits a belief under which its action is optimal (a
  linear feasibility problem over the simplex, solved with cdd in rational arithmetic; the
  belief reported is a vertex of the feasible set);
* for two-player trees, the **sequential equilibrium** of the perturbed sequence form
  (:mod:`negotiate.solvers.nash.refine`), which may be mixed (e.g. semi-separating).

Mixed assessments other than that one are not enumerated; the result says so.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import cdd
import cdd.gmp

from negotiate.errors import SolverError, TooLargeError
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal
from negotiate.solvers.nash.behavior import BehaviorEquilibrium, BehaviorEquilibriumSet
from negotiate.solvers.nash.behavior_check import behavior_regrets, sequential_failures
from negotiate.solvers.nash.reduced_normal import infoset_key
from negotiate.solvers.nash.sequence_form import sequence_form

__all__ = ["signaling_tree", "tree_pbe"]

Key = tuple[str, Any]


def signaling_tree(game: SignalingGame) -> GameTree:
    """The tree of a numeric signalling game: chance draws the type, the sender (one
    information set per type) sends a message, the receiver (one information set per message,
    named ``"<receiver>|<message>"``) answers."""
    game = game.bind() if game.is_symbolic else game

    def reply(i: int, j: int) -> dict[str, Any]:
        return {
            "player": game.receiver,
            "infoset": f"{game.receiver}|{game.messages[j]}",
            "actions": {
                a: {
                    "payoffs": {
                        game.sender: str(game.sender_payoffs[i][j][k]),
                        game.receiver: str(game.receiver_payoffs[i][j][k]),
                    }
                }
                for k, a in enumerate(game.actions)
            },
        }

    root = {
        "chance": {
            t: {
                "probability": str(game.priors[i]),
                "then": {
                    "player": game.sender,
                    "infoset": f"{game.sender}|{t}",
                    "actions": {m: reply(i, j) for j, m in enumerate(game.messages)},
                },
            }
            for i, t in enumerate(game.types)
        }
    }
    return GameTree.from_dict(
        {"players": [game.sender, game.receiver], "root": root, "title": game.title}
    )


def _sets(tree: GameTree) -> dict[Key, tuple[tuple[str, ...], tuple[Path, ...]]]:
    out: dict[Key, tuple[tuple[str, ...], tuple[Path, ...]]] = {}
    for path in tree.decision_paths():
        node = tree.node(path)
        assert isinstance(node, Decision)
        key = (node.player, infoset_key(node, path))
        if key not in out:
            out[key] = (node.actions, tree.infoset_members(path))
    return out


def _values_and_reach(
    tree: GameTree, behavior: dict[Key, dict[str, Fraction]]
) -> tuple[dict[Path, tuple[Fraction, ...]], dict[Path, Fraction]]:
    vals: dict[Path, tuple[Fraction, ...]] = {}
    for path in reversed(list(tree.paths())):
        node = tree.node(path)
        if isinstance(node, Terminal):
            vals[path] = tuple(Fraction(v) for v in node.payoffs)
        elif isinstance(node, Chance):
            kids = [
                (Fraction(p), vals[(*path, o)])
                for o, p in zip(node.outcomes, node.probabilities, strict=True)
            ]
            vals[path] = tuple(
                sum((p * v[i] for p, v in kids), Fraction(0)) for i in range(len(tree.players))
            )
        else:
            probs = behavior[(node.player, infoset_key(node, path))]
            vals[path] = tuple(
                sum((probs[a] * vals[(*path, a)][i] for a in node.actions), Fraction(0))
                for i in range(len(tree.players))
            )
    reach: dict[Path, Fraction] = {(): Fraction(1)}
    for path in tree.paths():
        node = tree.node(path)
        if isinstance(node, Chance):
            for o, p in zip(node.outcomes, node.probabilities, strict=True):
                reach[(*path, o)] = reach[path] * p
        elif isinstance(node, Decision):
            probs = behavior[(node.player, infoset_key(node, path))]
            for a in node.actions:
                reach[(*path, a)] = reach[path] * probs[a]
    return vals, reach


def _supporting_belief(
    members: tuple[Path, ...], gains: list[list[Fraction]]
) -> dict[Path, Fraction] | None:
    """A vertex of ``{mu in simplex : sum_n mu_n gains[a][n] >= 0 for all a}``, or None."""
    k = len(members)
    rows: list[list[Fraction]] = [
        [Fraction(0)] + [Fraction(int(i == j)) for j in range(k)] for i in range(k)
    ]
    rows += [[Fraction(0), *g] for g in gains]
    lin = [len(rows)]
    rows.append([Fraction(-1)] + [Fraction(1)] * k)
    mat = cdd.gmp.matrix_from_array(rows, lin_set=lin, rep_type=cdd.RepType.INEQUALITY)
    gens = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(mat))
    for g in gens.array:
        if g[0] == 1:
            return {m: Fraction(v) for m, v in zip(members, g[1:], strict=True)}
    return None


def _assessment(
    tree: GameTree, sets: dict[Key, Any], behavior: dict[Key, dict[str, Fraction]]
) -> dict[Key, dict[Path, Fraction]] | None:
    """Beliefs that make the pure Nash profile ``behavior`` a weak PBE, or None."""
    vals, reach = _values_and_reach(tree, behavior)
    beliefs: dict[Key, dict[Path, Fraction]] = {}
    for key, (actions, members) in sets.items():
        i = tree.players.index(key[0])
        total = sum((reach[m] for m in members), Fraction(0))
        played = next(a for a in actions if behavior[key][a] == 1)
        if total > 0:
            mu = {m: reach[m] / total for m in members}
            best = max(sum(mu[m] * vals[(*m, a)][i] for m in members) for a in actions)
            if sum(mu[m] * vals[(*m, played)][i] for m in members) < best:
                return None
        else:
            gains = [
                [vals[(*m, played)][i] - vals[(*m, a)][i] for m in members]
                for a in actions
                if a != played
            ]
            found = _supporting_belief(members, gains)
            if found is None:
                return None
            mu = found
        beliefs[key] = mu
    return beliefs


def tree_pbe(tree: GameTree, max_cost: int) -> BehaviorEquilibriumSet:
    """Perfect Bayesian equilibria (assessments) of a numeric tree; see the module docstring."""
    if tree.is_symbolic:
        from negotiate.errors import NotApplicableError

        raise NotApplicableError(
            "perfect_bayesian on a tree needs numbers: bind the parameters first",
            ["tree.bind(values)"],
        )
    sequence_form(tree)  # perfect recall
    sets = _sets(tree)
    count = math.prod(len(acts) for acts, _ in sets.values())
    if count * tree.n_nodes > max_cost:
        raise TooLargeError(
            f"checking {count} pure assessments of a tree",
            cost=count * tree.n_nodes,
            budget=max_cost,
            instead="Use nash_equilibria(tree, method='lcp', refine='sequential') for one "
            "sequential equilibrium, or raise max_cost=.",
        )
    keys = list(sets)
    found: list[BehaviorEquilibrium] = []
    for combo in itertools.product(*(sets[k][0] for k in keys)):
        behavior = {
            k: {a: Fraction(int(a == c)) for a in sets[k][0]}
            for k, c in zip(keys, combo, strict=True)
        }
        if any(r != 0 for r in behavior_regrets(tree, behavior)):
            continue
        beliefs = _assessment(tree, sets, behavior)
        if beliefs is not None:
            found.append(BehaviorEquilibrium.of(tree, behavior, beliefs))
    notes = ["all pure assessments (weak perfect Bayesian equilibria) are listed"]
    if len(tree.players) == 2:
        from negotiate.solvers.nash.refine import quasi_perfect

        seq = quasi_perfect(tree, beliefs=True)
        assert seq.beliefs is not None
        if sequential_failures(tree, seq.behavior, seq.beliefs):
            # chance outcomes of probability 0 are not perturbed: play after them may be
            # arbitrary in the limit, so the candidate is kept only when it checks
            notes.append("the perturbed sequence form gave no valid assessment here")
        elif seq not in found:
            found.append(seq)
            notes.append("plus the sequential equilibrium of the perturbed sequence form")
    if not found:
        raise SolverError(
            "no pure perfect Bayesian equilibrium (mixed ones are not enumerated for trees "
            "with more than two players)",
            solver="pbe-tree",
            status="none found",
        )
    notes.append("mixed assessments are not enumerated beyond the sequential one")
    return BehaviorEquilibriumSet.build(
        tree, found, method="tree", options={"max_cost": max_cost}, complete=False, notes=notes
    )
