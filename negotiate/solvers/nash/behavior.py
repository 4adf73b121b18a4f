"""Result records for equilibria of game trees in behaviour strategies.

A behaviour profile maps ``(player, information set)`` to ``{action: probability}``; the
information set is its name, or the path of an unnamed singleton decision node.  Probabilities
are exact ``Fraction`` values.  :meth:`BehaviorEquilibriumSet.verify` checks every profile on
the tree with :mod:`negotiate.solvers.nash.behavior_check`, which shares no code with the
solvers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from negotiate.games.tree import Decision, GameTree
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.nash.behavior_check import (
    behavior_payoffs,
    behavior_regrets,
    sequential_failures,
)
from negotiate.solvers.nash.reduced_normal import InfosetKey, infoset_key

__all__ = ["BehaviorEquilibrium", "BehaviorEquilibriumSet", "BehaviorProfile", "freeze_behavior"]

BehaviorProfile = Mapping[tuple[str, InfosetKey], Mapping[str, Fraction]]
Beliefs = Mapping[tuple[str, InfosetKey], Mapping[tuple[str, ...], Fraction]]


def freeze_behavior(behavior: Mapping[Any, Mapping[str, Any]]) -> BehaviorProfile:
    """A read-only copy of a behaviour profile with ``Fraction`` probabilities."""
    return MappingProxyType(
        {k: MappingProxyType({a: Fraction(p) for a, p in v.items()}) for k, v in behavior.items()}
    )


def _key_text(key: tuple[str, InfosetKey]) -> str:
    player, h = key
    return f"{player}@{h if isinstance(h, str) else '/'.join(h) or 'root'}"


@dataclass(frozen=True, eq=False, repr=False)
class BehaviorEquilibrium(ResultMixin):
    """An equilibrium of a tree in behaviour strategies, with its exact expected payoffs.

    ``beliefs`` (for assessments) maps each information set to the probability of each of its
    nodes (paths); ``None`` for plain Nash equilibria.  Equality and hashing use the behaviour.
    """

    tree: GameTree = field(repr=False)
    behavior: BehaviorProfile
    payoffs: tuple[Fraction, ...]
    beliefs: Beliefs | None = None

    @classmethod
    def of(
        cls, tree: GameTree, behavior: Mapping[Any, Mapping[str, Any]], beliefs: Any = None
    ) -> BehaviorEquilibrium:
        frozen = freeze_behavior(behavior)
        if beliefs is not None:
            beliefs = MappingProxyType(
                {
                    k: MappingProxyType({p: Fraction(b) for p, b in v.items()})
                    for k, v in beliefs.items()
                }
            )
        return cls(tree, frozen, behavior_payoffs(tree, frozen), beliefs)

    def _key(self) -> tuple[Any, ...]:
        return tuple(sorted((repr(k), tuple(sorted(v.items()))) for k, v in self.behavior.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BehaviorEquilibrium) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def regrets(self) -> tuple[Fraction, ...]:
        """Each player's exact gain from a best reply (all zero at an equilibrium)."""
        return behavior_regrets(self.tree, self.behavior)

    def max_regret(self) -> Fraction:
        return max(self.regrets())

    @property
    def is_pure(self) -> bool:
        return all(p in (0, 1) for v in self.behavior.values() for p in v.values())

    def describe(self) -> tuple[str, ...]:
        """One text cell per player: its mixed information sets and actions used."""
        cells = []
        for player in self.tree.players:
            parts = []
            for key, probs in self.behavior.items():
                if key[0] == player:
                    used = ", ".join(f"{a} {p}" for a, p in probs.items() if p > 0)
                    parts.append(f"{_key_text(key)}: {used}")
            cells.append("; ".join(parts))
        return tuple(cells)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "behavior": {_key_text(k): to_jsonable(dict(v)) for k, v in self.behavior.items()},
            "payoffs": to_jsonable(dict(zip(self.tree.players, self.payoffs, strict=True))),
        }
        if self.beliefs is not None:
            out["beliefs"] = {
                _key_text(k): {"/".join(p): str(b) for p, b in v.items()}
                for k, v in self.beliefs.items()
            }
        return out

    def _shape_failures(self) -> list[str]:
        """Information sets without a probability distribution over their actions."""
        out = []
        for key, actions in _information_sets(self.tree).items():
            probs = self.behavior.get(key)
            if probs is None or set(probs) - set(actions):
                out.append(f"no valid entry for {_key_text(key)}")
            elif any(p < 0 for p in probs.values()) or sum(probs.values()) != 1:
                out.append(f"{_key_text(key)} is not a distribution")
        return out

    def _failures(self) -> list[str]:
        """Why this is not an equilibrium of its tree (empty when it is): a missing or invalid
        distribution at an information set, payoffs other than the profile's, a player with
        positive regret, or (for assessments) beliefs or actions that are not sequential."""
        out = self._shape_failures()
        if out:
            return out
        payoffs = behavior_payoffs(self.tree, self.behavior)
        if tuple(self.payoffs) != payoffs:
            shown = ", ".join(str(v) for v in payoffs)
            out.append(f"payoffs {', '.join(map(str, self.payoffs))}; the profile gives {shown}")
        r = self.max_regret()
        if r != 0:
            out.append(f"regret {r}")
        if self.beliefs is not None:
            out += sequential_failures(self.tree, self.behavior, self.beliefs)
        return out

    def verify(self) -> Certificate:
        """Exact: a distribution at every information set, the payoffs the profile gives, and
        zero regret for every player (best replies by backward induction over the player's
        sequences, independent of the solvers); for assessments, sequential rationality and
        Bayes-consistent beliefs."""
        failures = self._failures()
        valid = not self._shape_failures()
        return Certificate(
            ok=not failures,
            quantities={"max_regret": self.max_regret() if valid else None},
            exact=True,
            checks=_checks(self.beliefs is not None),
            notes=tuple(failures),
        )

    def summary(self) -> Summary:
        title = "Behaviour-strategy equilibrium" + (
            f" of {self.tree.title}" if self.tree.title else ""
        )
        fields: tuple[tuple[str, Any], ...] = (
            ("players", ", ".join(self.tree.players)),
            ("payoffs", tuple(self.payoffs)),
            ("pure", "yes" if self.is_pure else "no"),
        )
        rows = tuple(
            (key[0], _key_text(key)[len(key[0]) + 1 :], a, p)
            for key, probs in self.behavior.items()
            for a, p in probs.items()
        )
        table = Table("Behaviour", ("player", "information set", "action", "probability"), rows)
        return Summary(title, fields, (table,))

    def _describe(self) -> str:
        pays = ", ".join(f"{p}: {v}" for p, v in zip(self.tree.players, self.payoffs, strict=True))
        kind = "pure" if self.is_pure else "mixed"
        return f"{kind}, payoffs ({pays})" + (f" in {self.tree.title!r}" if self.tree.title else "")


def _information_sets(tree: GameTree) -> dict[tuple[str, InfosetKey], tuple[str, ...]]:
    sets: dict[tuple[str, InfosetKey], tuple[str, ...]] = {}
    for path in tree.decision_paths():
        node = tree.node(path)
        assert isinstance(node, Decision)
        sets[(node.player, infoset_key(node, path))] = node.actions
    return sets


def _checks(assessments: bool) -> tuple[str, ...]:
    return (
        "every information set carries a probability distribution",
        "the payoffs are the profile's expected payoffs",
        "every profile is a best reply for every player (exact regret 0, backward "
        "induction over each player's sequences)",
        *(
            (
                "assessments: beliefs follow Bayes' rule on the path and every action "
                "played is a best reply given the beliefs at every information set",
            )
            if assessments
            else ()
        ),
    )


@dataclass(frozen=True, eq=False, repr=False)
class BehaviorEquilibriumSet(ResultMixin):
    """Equilibria of a game tree in behaviour strategies, with how they were found.

    ``complete`` is True when ``equilibria`` are all extreme equilibria of the sequence form
    (method ``"enum"``) or all pure equilibria (method ``"pure"``, of the reduced strategies).
    """

    tree: GameTree
    equilibria: tuple[BehaviorEquilibrium, ...]
    method: str
    options: Mapping[str, Any]
    complete: bool
    notes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        tree: GameTree,
        profiles: Sequence[Mapping[Any, Mapping[str, Any]] | BehaviorEquilibrium],
        *,
        method: str,
        options: Mapping[str, Any],
        complete: bool,
        notes: Sequence[str] = (),
    ) -> BehaviorEquilibriumSet:
        eqs = [
            p if isinstance(p, BehaviorEquilibrium) else BehaviorEquilibrium.of(tree, p)
            for p in profiles
        ]
        unique = list(dict.fromkeys(eqs))
        unique.sort(
            key=lambda e: tuple(
                -p
                for _, v in sorted(e.behavior.items(), key=lambda kv: repr(kv[0]))
                for p in v.values()
            )
        )
        extra = ["payoffs were given as floats and read as their decimal values"] * tree.float_input
        return cls(
            tree,
            tuple(unique),
            method,
            MappingProxyType(dict(options)),
            complete,
            (*notes, *extra),
        )

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[BehaviorEquilibrium]:
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> BehaviorEquilibrium:
        return self.equilibria[index]

    def verify(self) -> Certificate:
        """Check each profile on the tree, exactly (as :meth:`BehaviorEquilibrium.verify`): a
        distribution at every information set of its player, the profile's payoffs, and zero
        regret for every player (best replies by backward induction over the player's
        sequences, independent of the solver); assessments also sequentially rational."""
        failures: list[str] = []
        worst: Fraction | None = None
        for k, eq in enumerate(self.equilibria):
            failures += [f"equilibrium {k}: {f}" for f in eq._failures()]
            if not eq._shape_failures():
                r = eq.max_regret()
                worst = r if worst is None else max(worst, r)
        if not self.equilibria:
            failures.append("no equilibrium listed")
        return Certificate(
            ok=not failures,
            quantities={"max_regret": worst, "n_equilibria": len(self.equilibria)},
            exact=True,
            tolerance=0.0,
            checks=_checks(any(eq.beliefs is not None for eq in self.equilibria)),
            notes=tuple(failures),
        )

    def summary(self) -> Summary:
        title = "Behaviour-strategy equilibria" + (
            f" of {self.tree.title}" if self.tree.title else ""
        )
        fields: tuple[tuple[str, Any], ...] = (
            ("players", ", ".join(self.tree.players)),
            ("method", self.method),
            ("equilibria", len(self.equilibria)),
            ("complete", "yes" if self.complete else "no"),
        )
        headers = ("#", *self.tree.players, *(f"payoff {p}" for p in self.tree.players))
        rows = tuple((k, *eq.describe(), *eq.payoffs) for k, eq in enumerate(self.equilibria))
        return Summary(title, fields, (Table("Equilibria", headers, rows),), self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tree": self.tree.to_dict(),
            "method": self.method,
            "options": to_jsonable(dict(self.options)),
            "complete": self.complete,
            "equilibria": [eq.to_dict() for eq in self.equilibria],
            "notes": list(self.notes),
        }

    def _describe(self) -> str:
        n = len(self.equilibria)
        text = f"{n} equilibri{'um' if n == 1 else 'a'}"
        if self.tree.title:
            text += f" of {self.tree.title!r}"
        return text + f" ({self.method}, exact{', complete' if self.complete else ''})"
