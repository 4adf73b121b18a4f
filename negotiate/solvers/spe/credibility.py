"""Nash equilibria that rest on non-credible threats (Selten 1965, 1975).

A tree's Nash equilibria are those of its reduced normal form.  Some are not subgame perfect:
they prescribe, at a node that equilibrium play never reaches, an action the mover would not
take if the node were reached -- a threat (or promise) that is not credible.  The classic case
is entry deterrence: "stay out, or I fight" is a Nash equilibrium, but once entry has happened
fighting is worse than accommodating.

For each equilibrium the mixed reduced strategies are turned into behaviour strategies (Kuhn
1953: at each information set, the conditional distribution over the actions of the plans
that reach it); where a player's own play never lets a node be reached, the behaviour is
completed by sequentially rational choices.  Then, bottom-up, every decision node where the
equilibrium puts positive probability on a worse action is reported as a :class:`Threat`, and
every proper subgame with imperfect information is checked for a profitable deviation.

Equilibria come from :func:`negotiate.solvers.nash.nash_equilibria` for two players (all
extreme equilibria, exact) and from exhaustive pure search otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.errors import NotApplicableError
from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.nash.reduced_normal import (
    InfosetKey,
    infoset_key,
    infoset_table,
    plan_label,
    reduced_normal_form,
    reduced_plans,
)
from negotiate.solvers.spe.solve import solve_numeric

__all__ = [
    "CheckedEquilibrium",
    "CredibilityResult",
    "SubgameEquilibria",
    "Threat",
    "non_credible_equilibria",
]

Profile = tuple[tuple[Fraction, ...], ...]
Behaviour = dict[InfosetKey, dict[str, Fraction]]


@dataclass(frozen=True)
class Threat:
    """At ``path``, ``player`` plays ``action`` (with ``probability``) although ``better``
    gives it ``loss`` more there: the threat or promise is not credible.  For a subgame with
    imperfect information, ``action`` is the equilibrium's play and ``better`` a deviation."""

    path: Path
    player: str
    action: str
    better: str
    loss: Fraction
    probability: Fraction

    def describe(self) -> str:
        where = "/".join(self.path) or "the root"
        return (
            f"{self.player}'s threat to play {self.action!r} at {where} is not credible: "
            f"{self.better!r} gives {self.player} {self.loss} more there"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": list(self.path),
            "player": self.player,
            "action": self.action,
            "better": self.better,
            "loss": to_jsonable(self.loss),
            "probability": to_jsonable(self.probability),
        }


@dataclass(frozen=True)
class CheckedEquilibrium:
    """A Nash equilibrium of the reduced normal form and the threats it rests on."""

    strategies: Mapping[str, Mapping[str, Fraction]]
    payoffs: Mapping[str, Fraction]
    probabilities: Profile
    threats: tuple[Threat, ...]

    @property
    def pure(self) -> bool:
        return all(len([p for p in s.values() if p > 0]) == 1 for s in self.strategies.values())

    @property
    def subgame_perfect(self) -> bool:
        return not self.threats

    def describe(self) -> str:
        parts = []
        for player, mix in self.strategies.items():
            used = [f"{s}" if p == 1 else f"{s} {p}" for s, p in mix.items() if p > 0]
            parts.append(f"{player}: " + ", ".join(used))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategies": to_jsonable({p: dict(m) for p, m in self.strategies.items()}),
            "payoffs": to_jsonable(dict(self.payoffs)),
            "subgame_perfect": self.subgame_perfect,
            "threats": [t.to_dict() for t in self.threats],
        }


@dataclass(frozen=True)
class SubgameEquilibria:
    """The Nash equilibria of the proper subgame at ``root`` (its reduced normal form)."""

    root: Path
    game: NormalFormGame
    equilibria: tuple[Profile, ...]
    complete: bool


@dataclass(frozen=True, repr=False)
class CredibilityResult(ResultMixin):
    """Nash equilibria of a tree, each checked for subgame perfection.

    ``equilibria`` are all extreme equilibria when ``complete`` (two players), else the pure
    ones; ``non_credible`` are those resting on a threat; ``subgames`` lists the equilibria of
    every proper subgame with imperfect information.
    """

    tree: GameTree
    game: NormalFormGame
    equilibria: tuple[CheckedEquilibrium, ...]
    method: str
    complete: bool
    subgames: tuple[SubgameEquilibria, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def non_credible(self) -> tuple[CheckedEquilibrium, ...]:
        return tuple(eq for eq in self.equilibria if eq.threats)

    def verify(self) -> Certificate:
        """Each equilibrium has zero regret in the reduced normal form; each threat's loss
        recomputes as positive; every pure subgame-perfect equilibrium found by backward
        induction is among the credible ones."""
        worst = max(
            (self.game.max_regret(eq.probabilities) for eq in self.equilibria), default=Fraction(0)
        )
        failures = []
        for k, eq in enumerate(self.equilibria):
            expected = self.game.expected_payoffs(eq.probabilities)
            if dict(zip(self.tree.players, expected, strict=True)) != dict(eq.payoffs):
                failures.append(f"equilibrium {k}: payoffs recompute as {expected}")
            for t in eq.threats:
                if t.loss <= 0 or t.probability <= 0:
                    failures.append(f"equilibrium {k}: threat at {t.path} has no loss")
        credible = {eq.probabilities for eq in self.equilibria if eq.subgame_perfect}
        if not self.tree.has_imperfect_information:
            for spe in solve_numeric(self.tree).equilibria:
                profile = _reduce(self.tree, self.game, spe.strategy)
                if profile not in credible:
                    failures.append(
                        f"the SPE with path {spe.path} is missing from the credible equilibria"
                    )
        return Certificate(
            ok=worst == 0 and not failures,
            quantities={
                "max_regret": worst,
                "equilibria": len(self.equilibria),
                "non_credible": len(self.non_credible),
            },
            exact=True,
            checks=tuple(failures) or ("regrets 0; threats recomputed; backward induction agrees",),
            notes=self.notes,
        )

    def summary(self) -> Summary:
        rows = tuple(
            (
                k,
                eq.describe(),
                ", ".join(f"{p}={v}" for p, v in eq.payoffs.items()),
                "subgame perfect"
                if eq.subgame_perfect
                else "; ".join(t.describe() for t in eq.threats),
            )
            for k, eq in enumerate(self.equilibria)
        )
        tables = [
            Table(
                "Nash equilibria and their credibility",
                ("#", "strategies", "payoffs", "credibility"),
                rows,
            )
        ]
        for sub in self.subgames:
            srows = tuple((k, str(p)) for k, p in enumerate(sub.equilibria))
            tables.append(
                Table(f"Equilibria of the subgame at {sub.root}", ("#", "profile"), srows)
            )
        return Summary(
            title="Credibility of threats" + (f": {self.tree.title}" if self.tree.title else ""),
            fields=(
                ("method", self.method),
                ("equilibria", len(self.equilibria)),
                ("non-credible", len(self.non_credible)),
                ("complete", self.complete),
            ),
            tables=tuple(tables),
            notes=(*self.notes, "Selten (1965, 1975); behaviour strategies after Kuhn (1953)"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "complete": self.complete,
            "equilibria": [eq.to_dict() for eq in self.equilibria],
            "subgames": [
                {
                    "root": list(s.root),
                    "equilibria": to_jsonable(list(s.equilibria)),
                    "complete": s.complete,
                }
                for s in self.subgames
            ],
            "notes": list(self.notes),
        }


# --- equilibria of a normal form ----------------------------------------------------------
def _pure_equilibria(game: NormalFormGame) -> list[Profile]:
    out = []
    for idx in itertools.product(*(range(k) for k in game.shape)):
        profile = tuple(
            tuple(Fraction(int(j == s)) for j in range(k))
            for s, k in zip(idx, game.shape, strict=True)
        )
        if game.max_regret(profile) == 0:
            out.append(profile)
    return out


def _equilibria(game: NormalFormGame) -> tuple[list[Profile], bool, str]:
    if game.n_players == 2:
        try:
            from negotiate.solvers.nash.solve import nash_equilibria
        except ImportError:  # pragma: no cover - the Nash layer is part of the package
            pass
        else:
            found = nash_equilibria(game)
            return [eq.probabilities for eq in found.equilibria], found.complete, found.method
    return _pure_equilibria(game), False, "pure"


# --- behaviour strategies and threats -------------------------------------------------------
def _behaviour(
    tree: GameTree, game: NormalFormGame, profile: Profile, root: Path = ()
) -> Behaviour:
    """Kuhn's behaviour strategies of a mixed reduced profile (undefined sets left out)."""
    out: Behaviour = {}
    for i, player in enumerate(tree.players):
        plans = reduced_plans(tree, player, root)
        for info in infoset_table(tree, root):
            if info.player != player:
                continue
            weights: dict[str, Fraction] = {}
            for plan, prob in zip(plans, profile[i], strict=True):
                if prob > 0 and info.key in plan:
                    weights[plan[info.key]] = weights.get(plan[info.key], Fraction(0)) + prob
            total = sum(weights.values(), Fraction(0))
            if total > 0:
                out[info.key] = {a: w / total for a, w in weights.items()}
    return out


def _values(
    tree: GameTree,
    beh: Behaviour,
    root: Path,
    player: str | None = None,
    plan: Mapping[InfosetKey, str] | None = None,
) -> tuple[Fraction, ...]:
    """Expected payoffs from ``root`` under behaviour ``beh`` (``player`` following ``plan``)."""
    node = tree.node(root)
    if isinstance(node, Terminal):
        return node.payoffs
    n = len(tree.players)
    if isinstance(node, Chance):
        parts = [
            (p, _values(tree, beh, (*root, o), player, plan))
            for p, o in zip(node.probabilities, node.outcomes, strict=True)
        ]
    else:
        key = infoset_key(node, root)
        own = plan is not None and node.player == player
        mix = {plan[key]: Fraction(1)} if own and plan is not None else beh[key]
        parts = [(q, _values(tree, beh, (*root, a), player, plan)) for a, q in mix.items() if q]
    return tuple(sum((q * v[i] for q, v in parts), Fraction(0)) for i in range(n))


def _threats(tree: GameTree, beh: Behaviour) -> tuple[Behaviour, list[Threat]]:
    """Complete ``beh`` off its support and list the nodes where it plays a worse action."""
    full: Behaviour = {k: dict(v) for k, v in beh.items()}
    threats: list[Threat] = []
    for path in reversed(list(tree.paths())):  # children before parents
        node = tree.node(path)
        if not isinstance(node, Decision):
            continue
        key = infoset_key(node, path)
        singleton = len(tree.infoset_members(path)) == 1
        i = tree.player_index(node.player)
        if key not in full:
            if singleton:
                utility = {a: _values(tree, full, (*path, a))[i] for a in node.actions}
                best = max(utility.values())
                choice = min((a for a in node.actions if utility[a] == best), key=node.rank)
            else:
                choice = node.actions[0]
            full[key] = {choice: Fraction(1)}
            continue
        if not singleton:
            continue
        utility = {a: _values(tree, full, (*path, a))[i] for a in node.actions}
        best = max(utility.values())
        better = next(a for a in node.actions if utility[a] == best)
        for a, q in full[key].items():
            if q > 0 and utility[a] < best:
                threats.append(Threat(path, node.player, a, better, best - utility[a], q))
    for path in tree.paths():
        if not path or not tree.is_subgame_root(path):
            continue
        if not any(len(info.members) > 1 for info in infoset_table(tree, path)):
            continue
        current = _values(tree, full, path)
        keys = [info.key for info in infoset_table(tree, path)]
        for player in tree.players:
            i = tree.player_index(player)
            for plan in reduced_plans(tree, player, path):
                gain = _values(tree, full, path, player, plan)[i] - current[i]
                if gain > 0:
                    mine = [k for k in keys if k in plan]
                    threats.append(
                        Threat(
                            path,
                            player,
                            "(equilibrium play)",
                            plan_label(plan, mine),
                            gain,
                            Fraction(1),
                        )
                    )
                    break
    return full, threats


def _reduce(tree: GameTree, game: NormalFormGame, strategy: Mapping[Path, str]) -> Profile:
    """The reduced pure profile of a full pure strategy (as a degenerate mixed profile)."""
    choice: dict[InfosetKey, str] = {}
    for path, action in strategy.items():
        node = tree.node(path)
        assert isinstance(node, Decision)
        choice[infoset_key(node, path)] = action
    out = []
    for player in tree.players:
        plans = reduced_plans(tree, player)
        hit = next(
            k for k, plan in enumerate(plans) if all(choice[key] == a for key, a in plan.items())
        )
        out.append(tuple(Fraction(int(k == hit)) for k in range(len(plans))))
    return tuple(out)


def _check(tree: GameTree, game: NormalFormGame, profile: Profile) -> CheckedEquilibrium:
    _, threats = _threats(tree, _behaviour(tree, game, profile))
    strategies = {
        player: dict(zip(game.strategies[i], profile[i], strict=True))
        for i, player in enumerate(tree.players)
    }
    payoffs = dict(zip(tree.players, game.expected_payoffs(profile), strict=True))
    return CheckedEquilibrium(strategies, payoffs, profile, tuple(threats))


def non_credible_equilibria(tree: GameTree) -> CredibilityResult:
    """Every Nash equilibrium of a numeric tree, each checked for subgame perfection.

    ``result.non_credible`` lists the equilibria that rest on a non-credible threat, each
    naming the node, the threatened action and the better one.
    """
    if tree.is_symbolic:
        raise NotApplicableError(
            "Nash equilibria of the normal form need numbers: bind the parameters first "
            "(for credibility as a condition on the parameters use subgame_perfect(tree))",
            ["non_credible_equilibria(tree.bind(values))", "subgame_perfect(tree).credible"],
        )
    game = reduced_normal_form(tree)
    profiles, complete, method = _equilibria(game)
    checked = tuple(_check(tree, game, p) for p in profiles)
    notes = []
    if not complete:
        notes.append("pure equilibria only: mixed equilibria were not enumerated for this game")
    subgames = []
    for path in tree.paths():
        if (
            path
            and tree.is_subgame_root(path)
            and any(len(i.members) > 1 for i in infoset_table(tree, path))
        ):
            sub = reduced_normal_form(tree, path)
            eqs, sub_complete, _ = _equilibria(sub)
            subgames.append(SubgameEquilibria(path, sub, tuple(eqs), sub_complete))
    return CredibilityResult(
        tree=tree,
        game=game,
        equilibria=checked,
        method=method,
        complete=complete,
        subgames=tuple(subgames),
        notes=tuple(notes),
    )


def behaviour_of(tree: GameTree, profile: Sequence[Sequence[Fraction]]) -> Behaviour:
    """Behaviour strategies (completed off the equilibrium path) of a reduced mixed profile."""
    game = reduced_normal_form(tree)
    prof = tuple(tuple(Fraction(x) for x in row) for row in profile)
    full, _ = _threats(tree, _behaviour(tree, game, prof))
    return full
