"""Records of perfect Bayesian equilibria of signalling games and their result set.

An assessment (sender strategy, receiver strategy, beliefs) is a perfect Bayesian equilibrium
when each sender type's messages are best replies to the receiver's strategy, the receiver's
action at every message is a best reply to its belief there, and beliefs follow Bayes' rule
wherever a message is sent with positive probability (Fudenberg & Tirole 1991, *Game
Theory*, sec. 8.2.1).  Off the path beliefs are free; an equilibrium carries the *set* of
off-path beliefs that support its receiver's response (:class:`OffPathBeliefs`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.pbe.beliefs import OffPathBeliefs

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
        from negotiate.solvers.pbe.check import evaluate_at

        return evaluate_at(self, values)

    def verify(self) -> Certificate:
        """Exact checks: Bayes consistency and sequential rationality of every equilibrium.

        Symbolic results are checked at sample points of the parameter domain: each
        equilibrium where its condition holds, and agreement with the exact enumeration.
        """
        if self.symbolic:
            from negotiate.solvers.pbe.check import verify_symbolic

            return verify_symbolic(self)
        from negotiate.solvers.pbe.exact import residuals

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
