"""Result records of the Nash solvers: :class:`Equilibrium` and :class:`EquilibriumSet`.

A complete two-player set also carries its maximal Nash subsets and connected components
(:mod:`negotiate.solvers.nash.subsets`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from negotiate.games.normal import MixedProfile, NormalFormGame
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.nash.pure_search import pure_profiles
from negotiate.solvers.nash.subsets import Component, NashSubset, maximal_subsets

__all__ = ["Component", "Equilibrium", "EquilibriumSet", "NashSubset"]


@dataclass(frozen=True)
class Equilibrium:
    """A Nash equilibrium: one exact mixed strategy per player and the expected payoffs.

    Equality and hashing use the probabilities and payoffs only, so equilibria of the same
    game can be collected in sets.
    """

    game: NormalFormGame = field(compare=False, repr=False)
    probabilities: MixedProfile
    payoffs: tuple[Fraction, ...]

    @classmethod
    def of(cls, game: NormalFormGame, probabilities: Sequence[Sequence[Any]]) -> Equilibrium:
        """The profile ``probabilities`` of ``game`` with its exact expected payoffs.

        The profile is validated but not checked for equilibrium: ``verify()`` of the set does.
        """
        profile = game.mixed_profile(probabilities)
        return cls(game, profile, game.expected_payoffs(profile))

    @property
    def players(self) -> tuple[str, ...]:
        return self.game.players

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        return self.game.strategies

    @property
    def support(self) -> tuple[tuple[str, ...], ...]:
        """Labels of the strategies each player uses with positive probability."""
        return tuple(
            tuple(s for s, p in zip(labels, probs, strict=True) if p > 0)
            for labels, probs in zip(self.game.strategies, self.probabilities, strict=True)
        )

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    def regrets(self) -> tuple[Fraction, ...]:
        """Each player's gain from its best pure deviation (exact; all 0 at an equilibrium)."""
        return self.game.regrets(self.probabilities)

    def max_regret(self) -> Fraction:
        """The largest regret over players: exactly 0 at a Nash equilibrium."""
        return max(self.regrets())

    def as_dict(self) -> dict[str, dict[str, Fraction]]:
        """``{player: {strategy: probability}}``."""
        return {
            player: dict(zip(labels, probs, strict=True))
            for player, labels, probs in zip(
                self.game.players, self.game.strategies, self.probabilities, strict=True
            )
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: probabilities and payoffs by player label, exact numbers as strings."""
        return {
            "probabilities": to_jsonable(self.as_dict()),
            "payoffs": to_jsonable(dict(zip(self.game.players, self.payoffs, strict=True))),
        }

    def describe(self) -> tuple[str, ...]:
        """One text cell per player: its support with probabilities (``"firm 1/3, back 2/3"``)."""
        return tuple(
            ", ".join(f"{s} {p}" for s, p in zip(labels, probs, strict=True) if p > 0)
            for labels, probs in zip(self.game.strategies, self.probabilities, strict=True)
        )


@dataclass(frozen=True, eq=False, repr=False)
class EquilibriumSet(ResultMixin):
    """Nash equilibria of a game, with how they were found.

    Attributes
    ----------
    game : NormalFormGame
    equilibria : tuple of Equilibrium
        The extreme equilibria when ``complete``; otherwise those the method found.  Sorted
        (descending lexicographic order of the probabilities), so the order is deterministic.
    method, options : the method that ran and its options.
    complete : bool
        True when ``equilibria`` are *all* extreme equilibria (the whole set is then the union of
        ``maximal_subsets``).
    degenerate : bool or None
        Whether an extreme equilibrium is degenerate (one of its strategies has more pure best
        replies than its support size; only then can equilibria form continua); ``None`` when
        the method does not determine it.
    maximal_subsets, components : tuple or None
        For complete two-player sets (see the module docstring); ``None`` when not enumerated.
    notes : tuple of str
    """

    game: NormalFormGame
    equilibria: tuple[Equilibrium, ...]
    method: str
    options: Mapping[str, Any]
    complete: bool
    degenerate: bool | None
    maximal_subsets: tuple[NashSubset, ...] | None
    components: tuple[Component, ...] | None
    notes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        game: NormalFormGame,
        profiles: Sequence[Sequence[Sequence[Fraction]] | Equilibrium],
        *,
        method: str,
        options: Mapping[str, Any],
        complete: bool,
        degenerate: bool | None,
        notes: Sequence[str] = (),
    ) -> EquilibriumSet:
        """Sort and deduplicate ``profiles`` and derive subsets, components and notes.

        A profile may be given as an :class:`Equilibrium` record already (its payoffs computed
        by the solver); the others become records by :meth:`Equilibrium.of`.
        """
        unique = {p if isinstance(p, Equilibrium) else Equilibrium.of(game, p) for p in profiles}
        equilibria = tuple(sorted(unique, key=_order))
        subsets: tuple[NashSubset, ...] | None = None
        components: tuple[Component, ...] | None = None
        auto_notes: list[str] = []
        if complete and game.n_players == 2:
            subsets, components = maximal_subsets([eq.probabilities for eq in equilibria])
            auto_notes.append(_set_note(len(equilibria), len(components), degenerate))
        if game.float_input:
            auto_notes.append("payoffs were given as floats and read as their decimal values")
        return cls(
            game,
            equilibria,
            method,
            MappingProxyType(dict(options)),
            complete,
            degenerate,
            subsets,
            components,
            (*auto_notes, *notes),
        )

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Equilibrium:
        return self.equilibria[index]

    @property
    def unique(self) -> bool:
        """True when the game is proved to have exactly one equilibrium."""
        return self.complete and len(self.equilibria) == 1

    # ------------------------------------------------------------------ checks
    def verify(self) -> Certificate:
        """Check every profile exactly, and the structure of subsets and components.

        Checks: each equilibrium has regret exactly 0; the set is non-empty and without
        duplicates; every pair of a maximal subset is a listed equilibrium and its barycentre
        is an equilibrium; components partition the equilibria and join overlapping subsets;
        for a complete set, every pure equilibrium (found by brute force) is listed.
        """
        checks: list[str] = []
        failures: list[str] = []
        regrets = [eq.max_regret() for eq in self.equilibria]
        worst = max(regrets) if regrets else None
        checks.append("every profile is a best reply for every player (exact regret 0)")
        for k, r in enumerate(regrets):
            if r != 0:
                failures.append(f"equilibrium {k} has regret {r}")
        if not self.equilibria:
            failures.append("no equilibrium listed")
        if len(set(self.equilibria)) != len(self.equilibria):
            failures.append("duplicate equilibria")
        if self.maximal_subsets is not None and self.components is not None:
            checks.append("maximal Nash subsets: every pair and the barycentre are equilibria")
            failures += self._check_subsets()
            checks.append("components partition the equilibria and join overlapping subsets")
            failures += self._check_components()
        if self.complete:
            checks.append("every pure equilibrium (brute force) is listed")
            listed = set(self.equilibria)
            for prof in pure_profiles(self.game):
                if Equilibrium.of(self.game, prof) not in listed:
                    failures.append(f"pure equilibrium {prof} is missing")
        quantities: dict[str, Any] = {
            "max_regret": worst,
            "n_equilibria": len(self.equilibria),
        }
        if self.components is not None and self.maximal_subsets is not None:
            quantities["n_components"] = len(self.components)
            quantities["n_maximal_subsets"] = len(self.maximal_subsets)
        return Certificate(
            ok=not failures,
            quantities=quantities,
            exact=True,
            tolerance=0.0,
            checks=tuple(checks),
            notes=tuple(failures),
        )

    def _check_subsets(self) -> list[str]:
        out = []
        index = {(eq.probabilities[0], eq.probabilities[1]): k for k, eq in enumerate(self)}
        for n, s in enumerate(self.maximal_subsets or ()):
            pairs = [index.get((x, y)) for x in s.rows for y in s.columns]
            if None in pairs or sorted(p for p in pairs if p is not None) != list(s.equilibria):
                out.append(f"maximal subset {n} contains a pair that is not a listed equilibrium")
            if self.game.max_regret(s.barycentre()) != 0:
                out.append(f"the barycentre of maximal subset {n} is not an equilibrium")
        return out

    def _check_components(self) -> list[str]:
        out = []
        comps = self.components or ()
        subsets = self.maximal_subsets or ()
        seen = sorted(k for c in comps for k in c.equilibria)
        if seen != list(range(len(self.equilibria))):
            out.append("components do not partition the equilibria")
        for n, c in enumerate(comps):
            members = set(c.equilibria)
            covered: set[int] = set()
            for s in c.subsets:
                if not set(subsets[s].equilibria) <= members:
                    out.append(f"component {n} holds only part of maximal subset {s}")
                covered |= set(subsets[s].equilibria)
            if covered != members:
                out.append(f"component {n} is not the union of its maximal subsets")
            reached = set(subsets[c.subsets[0]].equilibria) if c.subsets else set()
            grew = True
            while grew:
                grew = False
                for s in c.subsets:
                    eqs = set(subsets[s].equilibria)
                    if eqs & reached and not eqs <= reached:
                        reached |= eqs
                        grew = True
            if reached != members:
                out.append(f"component {n} is not connected")
        return out

    # ------------------------------------------------------------------ rendering
    def summary(self) -> Summary:
        game = self.game
        title = "Nash equilibria" + (f" of {game.title}" if game.title else "")
        degenerate = {True: "yes", False: "no", None: "not determined"}[self.degenerate]
        fields: list[tuple[str, Any]] = [
            (
                "players",
                ", ".join(
                    f"{p} ({len(s)})" for p, s in zip(game.players, game.strategies, strict=True)
                ),
            ),
            ("method", self.method),
            ("equilibria", len(self.equilibria)),
            ("complete", "yes (all extreme equilibria)" if self.complete else "no"),
            ("degenerate", degenerate),
        ]
        if self.components is not None:
            fields.append(("components", len(self.components)))
        comp_of = {k: n for n, c in enumerate(self.components or ()) for k in c.equilibria}
        headers = ("#", *game.players, *(f"payoff {p}" for p in game.players))
        rows = [
            (k, *eq.describe(), *eq.payoffs) + ((comp_of[k],) if comp_of else ())
            for k, eq in enumerate(self.equilibria)
        ]
        caption = "Extreme equilibria" if self.complete else "Equilibria found"
        tables = [Table(caption, headers + (("component",) if comp_of else ()), tuple(rows))]
        if self.maximal_subsets is not None and len(self.maximal_subsets) < len(self.equilibria):
            tables.append(
                Table(
                    "Maximal Nash subsets (convex hulls of these extreme equilibria)",
                    ("subset", "extreme equilibria"),
                    tuple(
                        (n, ", ".join(map(str, s.equilibria)))
                        for n, s in enumerate(self.maximal_subsets)
                    ),
                )
            )
        return Summary(title, tuple(fields), tuple(tables), self.notes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the game, the method, the equilibria and the set's structure."""
        out: dict[str, Any] = {
            "game": self.game.to_dict(),
            "method": self.method,
            "options": to_jsonable(dict(self.options)),
            "complete": self.complete,
            "degenerate": self.degenerate,
            "equilibria": [eq.to_dict() for eq in self.equilibria],
            "notes": list(self.notes),
        }
        if self.maximal_subsets is not None and self.components is not None:
            out["maximal_subsets"] = [list(s.equilibria) for s in self.maximal_subsets]
            out["components"] = [list(c.equilibria) for c in self.components]
        return out

    def _describe(self) -> str:
        n = len(self.equilibria)
        kind = "extreme equilibri" if self.complete else "equilibri"
        text = f"{n} {kind}{'um' if n == 1 else 'a'}"
        if self.game.title:
            text += f" of {self.game.title!r}"
        text += f" ({self.method}, exact)"
        if self.components is not None:
            k = len(self.components)
            text += f", {k} component{'s' if k != 1 else ''}"
        return text


def _order(eq: Equilibrium) -> tuple[Fraction, ...]:
    return tuple(-p for probs in eq.probabilities for p in probs)


def _set_note(n: int, n_components: int, degenerate: bool | None) -> str:
    if n == 1:
        return "unique equilibrium" + (" (the game is degenerate)" if degenerate else "")
    comps = f"{n_components} component" + ("s" if n_components != 1 else "")
    if degenerate:
        return f"degenerate game: {n} extreme equilibria in {comps}"
    return f"nondegenerate game: {n} isolated equilibria"
