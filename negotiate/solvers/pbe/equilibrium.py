"""One perfect Bayesian equilibrium of a signalling game: the assessment and its class.

An assessment (sender strategy, receiver strategy, beliefs) is a perfect Bayesian equilibrium
when each sender type's messages are best replies to the receiver's strategy, the receiver's
action at every message is a best reply to its belief there, and beliefs follow Bayes' rule
wherever a message is sent with positive probability (Fudenberg & Tirole 1991, *Game
Theory*, sec. 8.2.1).  Off the path beliefs are free; an equilibrium carries the *set* of
off-path beliefs that support its receiver's response (:class:`OffPathBeliefs`).  The result
set of a solve is :class:`negotiate.solvers.pbe.result.PBEResult`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.results import to_jsonable
from negotiate.solvers.pbe.beliefs import OffPathBeliefs

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame

__all__ = [
    "KINDS",
    "Choice",
    "PerfectBayesianEquilibrium",
    "build_equilibrium",
    "clean",
    "kind_of",
]

#: Equilibrium classes, by the sender's strategy: every type its own message (separating),
#: one message for all (pooling), pure but neither (partially pooling: three or more types),
#: and one type mixing between two messages (semi-separating, or hybrid).
KINDS = ("separating", "pooling", "partially pooling", "semi-separating")

Mixture = Mapping[str, Any]
Choice = str | Mixture


def clean(v: Any) -> Any:
    """A sympy rational becomes a ``Fraction``; other values are returned as they are."""
    if isinstance(v, sp.Basic) and v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return v


def kind_of(sender_mix: Sequence[Mapping[int, Any]]) -> str:
    """The class of a sender strategy given as one ``{message: probability}`` per type."""
    if any(len(mix) > 1 for mix in sender_mix):
        return "semi-separating"
    sent = [next(iter(mix)) for mix in sender_mix]
    if len(set(sent)) == 1:
        return "pooling"
    return "separating" if len(set(sent)) == len(sent) else "partially pooling"


def _choice(labels: Sequence[str], mix: Mapping[int, Any], ref: Mapping[sp.Symbol, Any]) -> Choice:
    if len(mix) == 1:
        return labels[next(iter(mix))]
    return MappingProxyType({labels[i]: _simplify(p, ref) for i, p in sorted(mix.items())})


def build_equilibrium(
    game: SignalingGame,
    sender_mix: Sequence[Mapping[int, Any]],
    receiver_mix: Sequence[Mapping[int, Any]],
    off_path: Mapping[int, OffPathBeliefs],
    *,
    condition: sp.Basic | None = None,
    intuitive: bool | None = None,
    notes: tuple[str, ...] = (),
) -> PerfectBayesianEquilibrium:
    """Assemble a record from strategies (index-based), computing beliefs and payoffs.

    Works on exact numbers and on sympy expressions alike; every message not in
    ``off_path`` is taken to be on the path and gets its Bayes posterior.
    """
    T, M = game.types, game.messages
    U, V, p = game.sender_payoffs, game.receiver_payoffs, game.priors
    ref = _reference(game)
    beliefs: dict[str, Any] = {}
    for j, m in enumerate(M):
        if j in off_path:
            beliefs[m] = off_path[j]
            continue
        weights = [p[i] * sender_mix[i].get(j, 0) for i in range(len(T))]
        total = sum(weights, Fraction(0))
        beliefs[m] = MappingProxyType(
            {t: _simplify(w / total, ref) for t, w in zip(T, weights, strict=True)}
        )
    type_pay = []
    receiver_total: Any = Fraction(0)
    for i in range(len(T)):
        value: Any = Fraction(0)
        for j, q in sender_mix[i].items():
            for k, r in receiver_mix[j].items():
                value += q * r * U[i][j][k]
                receiver_total += p[i] * q * r * V[i][j][k]
        type_pay.append(value)
    sender_total = sum((p[i] * type_pay[i] for i in range(len(T))), Fraction(0))
    return PerfectBayesianEquilibrium(
        kind=kind_of(sender_mix),
        sender_strategy=MappingProxyType(
            {t: _choice(M, sender_mix[i], ref) for i, t in enumerate(T)}
        ),
        receiver_strategy=MappingProxyType(
            {m: _choice(game.actions, receiver_mix[j], ref) for j, m in enumerate(M)}
        ),
        beliefs=MappingProxyType(beliefs),
        payoffs=MappingProxyType(
            {
                game.sender: _simplify(sender_total, ref),
                game.receiver: _simplify(receiver_total, ref),
            }
        ),
        type_payoffs=MappingProxyType(
            {t: _simplify(v, ref) for t, v in zip(T, type_pay, strict=True)}
        ),
        condition=condition,
        intuitive=intuitive,
        notes=notes,
    )


def _reference(game: SignalingGame) -> dict[sp.Symbol, sp.Rational]:
    """A point of the parameter space (values, else domain midpoints) to orient signs."""
    out = {}
    for par in game.parameters:
        x = par.value
        if x is None and par.domain is not None:
            x = (par.domain[0] + par.domain[1]) / 2
        if x is not None:
            out[par.symbol] = sp.Rational(x.numerator, x.denominator)
    return out


def _simplify(v: Any, ref: Mapping[sp.Symbol, sp.Rational]) -> Any:
    """Cancel and factor; the denominator is signed to be positive at ``ref``."""
    if not isinstance(v, sp.Basic):
        return v
    num, den = sp.fraction(sp.cancel(sp.together(v)))
    if not den.is_number:
        at = den.xreplace(ref)
        if at.is_number and at < 0:
            num, den = -num, -den
    return clean(sp.factor(num) / sp.factor(den))


@dataclass(frozen=True)
class PerfectBayesianEquilibrium:
    """One perfect Bayesian equilibrium (an assessment) of a signalling game.

    ``sender_strategy[type]`` and ``receiver_strategy[message]`` are a label (pure) or a
    mapping label -> probability (mixed).  ``beliefs[message]`` is the Bayes posterior
    ``{type: probability}`` on the path, or the :class:`OffPathBeliefs` supporting the
    receiver's response off it.  ``payoffs`` are ex ante expected payoffs by player label,
    ``type_payoffs`` the sender's expected payoff by type.  In symbolic results values are
    sympy expressions and ``condition`` (a sympy Boolean in the parameters) says where the
    equilibrium exists.  ``intuitive`` says whether it survives the Intuitive Criterion (Cho
    & Kreps 1987); ``None`` when not assessed (symbolic results).
    """

    kind: str
    sender_strategy: Mapping[str, Choice]
    receiver_strategy: Mapping[str, Choice]
    beliefs: Mapping[str, Mapping[str, Any] | OffPathBeliefs]
    payoffs: Mapping[str, Any]
    type_payoffs: Mapping[str, Any]
    condition: sp.Basic | None = None
    intuitive: bool | None = None
    notes: tuple[str, ...] = ()

    def sender_mixture(self, t: str) -> dict[str, Any]:
        """Type ``t``'s strategy as ``{message: probability}``."""
        return _mixture(self.sender_strategy[t])

    def receiver_mixture(self, m: str) -> dict[str, Any]:
        """The receiver's strategy at ``m`` as ``{action: probability}``."""
        return _mixture(self.receiver_strategy[m])

    @property
    def off_path(self) -> tuple[str, ...]:
        """Messages no type sends."""
        return tuple(m for m, b in self.beliefs.items() if isinstance(b, OffPathBeliefs))

    def key(self) -> tuple[Any, ...]:
        """Hashable identity of a numeric equilibrium: both strategies, zero weights dropped."""

        def canon(strategy: Mapping[str, Choice]) -> tuple[Any, ...]:
            return tuple(
                (k, tuple(sorted((x, p) for x, p in _mixture(v).items() if p != 0)))
                for k, v in sorted(strategy.items())
            )

        return (canon(self.sender_strategy), canon(self.receiver_strategy))

    def describe(self) -> str:
        """One line: the strategies and the supporting off-path beliefs."""

        def show(v: Choice) -> str:
            if isinstance(v, str):
                return v
            return "(" + ", ".join(f"{k}: {p}" for k, p in v.items()) + ")"

        s = "; ".join(f"{t} -> {show(v)}" for t, v in self.sender_strategy.items())
        r = "; ".join(f"{m} -> {show(v)}" for m, v in self.receiver_strategy.items())
        off = "; ".join(
            b.describe() for b in self.beliefs.values() if isinstance(b, OffPathBeliefs)
        )
        return f"{self.kind}: sender [{s}], receiver [{r}]" + (f", off path: {off}" if off else "")

    def to_dict(self) -> dict[str, Any]:
        def plain(strategy: Mapping[str, Choice]) -> dict[str, Any]:
            return {
                k: v if isinstance(v, str) else to_jsonable(dict(v)) for k, v in strategy.items()
            }

        return {
            "kind": self.kind,
            "sender_strategy": plain(self.sender_strategy),
            "receiver_strategy": plain(self.receiver_strategy),
            "beliefs": {
                m: b.to_dict() if isinstance(b, OffPathBeliefs) else to_jsonable(dict(b))
                for m, b in self.beliefs.items()
            },
            "payoffs": to_jsonable(dict(self.payoffs)),
            "type_payoffs": to_jsonable(dict(self.type_payoffs)),
            "condition": None if self.condition is None else str(self.condition),
            "intuitive": self.intuitive,
            "notes": list(self.notes),
        }


def _mixture(choice: Choice) -> dict[str, Any]:
    return {choice: Fraction(1)} if isinstance(choice, str) else dict(choice)
