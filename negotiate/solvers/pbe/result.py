"""The result set of perfect Bayesian equilibria of a signalling game, and its certificate.

An assessment (sender strategy, receiver strategy, beliefs) is a perfect Bayesian equilibrium
when each sender type's messages are best replies to the receiver's strategy, the receiver's
action at every message is a best reply to its belief there, and beliefs follow Bayes' rule
wherever a message is sent with positive probability (Fudenberg & Tirole 1991, *Game
Theory*, sec. 8.2.1).  Off the path beliefs are free; an equilibrium carries the *set* of
off-path beliefs that support its receiver's response (:class:`OffPathBeliefs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.pbe.beliefs import OffPathBeliefs
from negotiate.solvers.pbe.check import evaluate_at, verify_symbolic
from negotiate.solvers.pbe.equilibrium import (
    KINDS,
    Choice,
    PerfectBayesianEquilibrium,
    build_equilibrium,
    clean,
    kind_of,
)
from negotiate.solvers.pbe.exact import residuals

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame

__all__ = [
    "KINDS",
    "PBEResult",
    "PerfectBayesianEquilibrium",
    "build_equilibrium",
    "clean",
    "kind_of",
]


def _total_payoff_error(game: SignalingGame, eq: PerfectBayesianEquilibrium) -> Fraction:
    """Largest error of the players' ex-ante payoffs, recomputed from the strategies: the
    sender's as the prior-weighted type payoffs, the receiver's as the expectation over
    types, messages and replies."""
    T, M, A, V = game.types, game.messages, game.actions, game.receiver_payoffs
    sender = sum(
        (Fraction(game.priors[i]) * Fraction(eq.type_payoffs[t]) for i, t in enumerate(T)),
        Fraction(0),
    )
    receiver = Fraction(0)
    for i, t in enumerate(T):
        for m, q in eq.sender_mixture(t).items():
            for a, r in eq.receiver_mixture(m).items():
                v = Fraction(V[i][M.index(m)][A.index(a)])
                receiver += Fraction(game.priors[i]) * Fraction(q) * Fraction(r) * v
    return max(
        abs(sender - Fraction(eq.payoffs[game.sender])),
        abs(receiver - Fraction(eq.payoffs[game.receiver])),
    )


@dataclass(frozen=True, repr=False)
class PBEResult(ResultMixin):
    """All perfect Bayesian equilibria found in the enumerated classes, and how.

    ``regions[kind]`` is where equilibria of that class exist: a sympy Boolean in the
    parameters for symbolic games, ``true``/``false`` for numeric ones.
    """

    game: SignalingGame
    equilibria: tuple[PerfectBayesianEquilibrium, ...]
    method: str
    regions: Mapping[str, sp.Basic]
    options: Mapping[str, Any]
    notes: tuple[str, ...] = ()

    @property
    def symbolic(self) -> bool:
        return self.method == "symbolic"

    def _describe(self) -> str:
        n = len(self.equilibria)
        kinds = ", ".join(self.kinds) or "none"
        return f"{n} perfect Bayesian equilibri{'um' if n == 1 else 'a'} ({kinds}; {self.method})"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The classes with at least one equilibrium (symbolic: possibly, somewhere)."""
        return tuple(k for k in KINDS if any(e.kind == k for e in self.equilibria))

    def of_kind(self, kind: str) -> tuple[PerfectBayesianEquilibrium, ...]:
        from negotiate.errors import ModelError

        if kind not in KINDS:
            raise ModelError("kind", kind, f"unknown class; classes: {list(KINDS)}")
        return tuple(e for e in self.equilibria if e.kind == kind)

    def evaluate(self, values: Mapping[str, Any]) -> tuple[PerfectBayesianEquilibrium, ...]:
        """The equilibria at one parameter point, as exact numeric records."""
        return evaluate_at(self, values)

    def verify(self) -> Certificate:
        """Exact checks: Bayes consistency and sequential rationality of every equilibrium.

        Symbolic results are checked at sample points of the parameter domain: each
        equilibrium where its condition holds, and agreement with the exact enumeration.
        """
        if self.symbolic:
            return verify_symbolic(self)
        worst: dict[str, Fraction] = {"sender_regret": Fraction(0), "receiver_regret": Fraction(0)}
        worst |= {"bayes_error": Fraction(0), "payoff_error": Fraction(0)}
        notes = []
        for n, eq in enumerate(self.equilibria):
            res = residuals(self.game, eq)
            res["payoff_error"] = max(res["payoff_error"], _total_payoff_error(self.game, eq))
            for name, value in res.items():
                worst[name] = max(worst[name], value)
                if value != 0:
                    notes.append(f"equilibrium {n}: {name} = {value}")
        worst["max_regret"] = max(worst["sender_regret"], worst["receiver_regret"])
        return Certificate(
            ok=not notes and bool(self.equilibria),
            quantities={**worst, "equilibria": len(self.equilibria)},
            exact=True,
            checks=(
                "sender: each type's messages are best replies (indifferent on its support)",
                "receiver: every on-path action is a best reply to the Bayes posterior",
                "receiver: every off-path action is a best reply at each vertex of its belief set",
                "beliefs: Bayes' rule on every message sent with positive probability",
                "payoffs: recomputed from the strategies",
            ),
            notes=tuple(notes),
        )

    def summary(self) -> Summary:
        rows = []
        for n, eq in enumerate(self.equilibria):
            off = "; ".join(
                b.describe() for b in eq.beliefs.values() if isinstance(b, OffPathBeliefs)
            )
            pays = ", ".join(f"{t}: {v}" for t, v in eq.type_payoffs.items())
            extra = str(eq.condition) if self.symbolic else _flag(eq.intuitive)
            rows.append(
                (
                    n,
                    eq.kind,
                    _strategy(eq.sender_strategy),
                    _strategy(eq.receiver_strategy),
                    off or "-",
                    pays,
                    extra,
                )
            )
        last = "condition" if self.symbolic else "intuitive criterion"
        table = Table(
            caption="Perfect Bayesian equilibria",
            headers=(
                "#",
                "class",
                "sender",
                "receiver",
                "off-path beliefs",
                "sender payoffs",
                last,
            ),
            rows=tuple(rows),
        )
        fields: list[tuple[str, Any]] = [
            ("game", repr(self.game)),
            ("method", self.method),
            ("equilibria", len(self.equilibria)),
            ("classes", ", ".join(self.kinds) or "none"),
        ]
        if self.symbolic:
            fields += [(f"region: {k}", str(v)) for k, v in self.regions.items()]
        return Summary(
            title="Perfect Bayesian equilibria",
            fields=tuple(fields),
            tables=(table,),
            notes=self.notes,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "game": self.game.to_dict(),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "regions": {k: str(v) for k, v in self.regions.items()},
            "options": to_jsonable(dict(self.options)),
            "notes": list(self.notes),
        }


def _flag(value: bool | None) -> str:
    return "not assessed" if value is None else ("passes" if value else "fails")


def _strategy(strategy: Mapping[str, Choice]) -> str:
    parts = []
    for k, v in strategy.items():
        shown = (
            v if isinstance(v, str) else "(" + ", ".join(f"{a}: {p}" for a, p in v.items()) + ")"
        )
        parts.append(f"{k} -> {shown}")
    return "; ".join(parts)
