"""Costly signals: tying hands against sinking costs, Fearon (1997), stylised.

*Stylised*: this reproduces Fearon's two headline results (leaders never bluff; tying hands
does better on average but carries more ex-ante risk of war than sinking costs), not the
paper's exact games.  docs/models/costly-signals.md.

The defender D values the issue at ``v ~ U[0, 1]`` (private) and pays ``c`` in war
(``0 <= c <= 1``).  The challenger is hard with probability ``h`` (always challenges) and soft
otherwise (challenges only if D will back down).  Unchallenged, D keeps ``v``; in war it gets
``v - c``; backing down gives 0.

* Tying hands: D sets an audience cost it pays only if it backs down.  Committing makes
  fighting credible, deters the soft challenger and pays ``v - h c``, so D commits iff
  ``v >= v_hat = h c``::

      P(war) = h (1 - h c),   E[U_D] = (1 - h c)^2 / 2

* Sinking costs: D pays ``m`` up front; it does not change whether D fights (iff ``v >= c``).
  Types below ``c`` must not mimic: ``(1 - h) v - m <= 0``, so the least separating signal is
  ``m* = (1 - h) c``, sent by ``v >= c`` (indifferent resolved types signal)::

      P(war) = h (1 - c),   E[U_D] = (1 - c)^2 / 2

No bluffing: every type that signals carries out the threat.  Hence
``E[U]_tie - E[U]_sink = [(1 - h c)^2 - (1 - c)^2]/2 >= 0`` and
``P(war)_tie - P(war)_sink = h c (1 - h) >= 0``.

Source: Fearon (1997) "Signaling foreign policy interests: tying hands versus sinking costs",
Journal of Conflict Resolution 41(1).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary, Table
from negotiate.theory._base import Param, Spec, check_interval, param
from negotiate.theory._commitment import (
    ModelBase,
    ParamLike,
    build_tree,
    sample_certificate,
)

__all__ = ["CostlySignals", "CostlySignalsResult", "SignalOutcome"]

STYLISED = "stylised Fearon (1997) model: headline results, not the paper's exact games"
_UNIT = (0, 1, False, False)


class CostlySignals(ModelBase):
    """Fearon's tying hands versus sinking costs (stylised).

    Parameters: ``hard_prob`` h in [0, 1], the probability the challenger is hard;
    ``war_cost`` c in [0, 1], the defender's cost of war.
    """

    hard_prob = Spec("h, the probability that the challenger is hard", _UNIT)
    war_cost = Spec("c, the defender's cost of war", _UNIT)
    _KEY = "at least half the defender types tie hands"

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        """Under tying hands every type ``v >= h c`` signals: at least half of them iff
        ``h c <= 1/2``."""
        return sp.Rational(1, 2), values["hard_prob"] * values["war_cost"]

    def as_tree(self, value: ParamLike) -> GameTree:
        """Tying hands for one defender type ``value`` (= v), with perfect information.

        The defender ties its hands (audience cost ``c``, enough to make fighting credible
        for every type; ties tie) or stays free; nature draws a hard challenger (``h``), who
        challenges, or a soft one, who challenges or stays; a challenged defender fights
        (``v - c``; ties fight) or backs down (0, minus the audience cost if tied).  The soft
        challenger gets 1 if the defender backs down, -1 if it fights, 0 if it stays.  Its
        SPE gives the type's choice and payoff; integrating over ``v ~ U[0, 1]`` gives the
        tying-hands row of :meth:`solve`.
        """
        v = param(value, "value")
        check_interval(v, "value", 0, 1)
        h, c = self.hard_prob, self.war_cost

        def challenged(audience: Param) -> dict[str, Any]:
            return {
                "player": "defender",
                "actions": {
                    "fight": {"payoffs": {"defender": v - c, "challenger": -1}},
                    "back down": {"payoffs": {"defender": -audience, "challenger": 1}},
                },
                "tie_break": ["fight"],
            }

        def world(audience: Param) -> dict[str, Any]:
            soft = {
                "player": "challenger",
                "actions": {
                    "challenge": challenged(audience),
                    "stay": {"payoffs": {"defender": v, "challenger": 0}},
                },
            }
            return {
                "chance": {
                    "hard": {"probability": h, "then": challenged(audience)},
                    "soft": {"probability": 1 - h, "then": soft},
                }
            }

        root = {
            "player": "defender",
            "actions": {"tie hands": world(c), "stay free": world(0 * c)},
            "tie_break": ["tie hands"],
        }
        return build_tree(self, ["defender", "challenger"], root, "Tying hands (stylised)")

    def as_signaling_game(self, types: int = 10, signal: ParamLike | None = None) -> SignalingGame:
        """Sinking costs as a signalling game with ``types`` equally likely defender types.

        Types are the midpoints ``v_i = (2i + 1)/(2 types)``; the defender sends "sink"
        (paying ``signal``, default ``m* = (1 - h) c``) or "none"; the soft challenger
        (receiver) challenges or stays.  A hard challenger (probability ``h``) always
        challenges, so the defender's payoff is ``(1 - h) v + h f(v)`` if the soft one stays
        and ``f(v)`` if it challenges, with ``f(v) = max(v - c, 0)`` (fight iff ``v >= c``),
        less the signal.  The receiver gets 1 if the defender backs down, -1 if it fights, 0
        if it stays.  With ``c * types`` an integer, the separating equilibrium reproduces
        the sinking-costs row of :meth:`solve` exactly.
        """
        if self.symbolic:
            raise NotApplicableError("as_signaling_game needs numeric parameters", ("solve",))
        if isinstance(types, bool) or not isinstance(types, int) or not 2 <= types <= 200:
            raise ModelError("types", types, "must be an integer in [2, 200]")
        h, c = Fraction(self.hard_prob), Fraction(self.war_cost)
        m = (1 - h) * c if signal is None else as_fraction(signal, "signal")
        if m < 0:
            raise ModelError("signal", m, "must be non-negative")
        labels = [f"v={Fraction(2 * i + 1, 2 * types)}" for i in range(types)]
        payoffs: dict[str, Any] = {}
        for i, label in enumerate(labels):
            v = Fraction(2 * i + 1, 2 * types)
            f = max(v - c, Fraction(0))
            fights = v >= c
            cells = {}
            for msg, cost in (("sink", m), ("none", Fraction(0))):
                cells[msg] = {
                    "challenge": {"defender": f - cost, "challenger": -1 if fights else 1},
                    "stay": {"defender": (1 - h) * v + h * f - cost, "challenger": 0},
                }
            payoffs[label] = cells
        return SignalingGame.from_dict(
            {
                "sender": "defender",
                "receiver": "challenger",
                "types": {label: {"prior": Fraction(1, types)} for label in labels},
                "messages": ["sink", "none"],
                "actions": ["challenge", "stay"],
                "payoffs": payoffs,
                "title": "Sinking costs (Fearon 1997, stylised)",
            }
        )

    def solve(self) -> CostlySignalsResult:
        h, c = self.hard_prob, self.war_cost
        tie = SignalOutcome(
            threshold=h * c,
            signal=(1 - h) * c,
            war_probability=h * (1 - h * c),
            expected_payoff=(1 - h * c) ** 2 / 2,
        )
        sink = SignalOutcome(
            threshold=c,
            signal=(1 - h) * c,
            war_probability=h * (1 - c),
            expected_payoff=(1 - c) ** 2 / 2,
        )
        return CostlySignalsResult(
            model=self,
            tying_hands=tie,
            sinking_costs=sink,
            payoff_advantage=_simplify(tie.expected_payoff - sink.expected_payoff),
            extra_war_risk=_simplify(tie.war_probability - sink.war_probability),
        )


def _simplify(x: Param) -> Param:
    return sp.factor(x) if isinstance(x, sp.Basic) else x


@dataclass(frozen=True)
class SignalOutcome:
    """One signalling technology: ``threshold`` (least defender type that signals),
    ``signal`` (its size: the audience cost ``c - v_hat`` that makes the threshold type fight,
    or the sunk cost ``m*``), ``war_probability`` and ``expected_payoff`` (ex ante, for the
    defender)."""

    threshold: Param
    signal: Param
    war_probability: Param
    expected_payoff: Param


@dataclass(frozen=True, repr=False)
class CostlySignalsResult(ResultMixin):
    """``tying_hands`` and ``sinking_costs`` (:class:`SignalOutcome` each);
    ``payoff_advantage`` E[U]_tie - E[U]_sink and ``extra_war_risk`` P(war)_tie -
    P(war)_sink, both non-negative."""

    model: CostlySignals
    tying_hands: SignalOutcome
    sinking_costs: SignalOutcome
    payoff_advantage: Param
    extra_war_risk: Param

    def verify(self, grid: int = 400) -> Certificate:
        """Numeric: each type's best choice, integrated exactly over a grid of types.

        For ``v`` in ``[0, 1]`` the defender's payoff from each option is computed
        directly; the type-wise optimum is integrated exactly on ``grid`` cells (piecewise
        linear payoffs with the kink inside at most one cell), and compared with the closed
        forms within the kink cells' width.
        """
        m = self.model
        if m.symbolic:
            return sample_certificate(m, self)
        h, c = Fraction(m.hard_prob), Fraction(m.war_cost)

        def tie_best(v: Fraction) -> tuple[Fraction, Fraction]:
            commit = v - h * c  # soft deterred, hard fought
            no_commit = v - c if v >= c else Fraction(0)  # both challenge; fight iff v >= c
            if commit >= no_commit:
                return commit, h
            return no_commit, Fraction(v >= c)

        def sink_best(v: Fraction) -> tuple[Fraction, Fraction]:
            m_star = (1 - h) * c
            send = (1 - h) * v + h * (v - c if v >= c else Fraction(0)) - m_star
            quiet = v - c if v >= c else Fraction(0)
            if send >= quiet and v >= c:  # indifferent resolved types signal
                return send, h
            return quiet, Fraction(v >= c)

        checks: dict[str, Fraction] = {}
        for name, best, outcome in (
            ("tying_hands", tie_best, self.tying_hands),
            ("sinking_costs", sink_best, self.sinking_costs),
        ):
            mids = [Fraction(2 * i + 1, 2 * grid) for i in range(grid)]
            eu = sum((best(v)[0] for v in mids), Fraction(0)) / grid
            war = sum((best(v)[1] for v in mids), Fraction(0)) / grid
            checks[f"{name}_payoff_error"] = abs(eu - Fraction(outcome.expected_payoff))
            checks[f"{name}_war_error"] = abs(war - Fraction(outcome.war_probability))
        bound = Fraction(2, grid)
        ok = all(err <= bound for err in checks.values())
        ok = ok and self.payoff_advantage >= 0 and self.extra_war_risk >= 0
        # no bluffing: the least signalling type of each technology fights if challenged
        ok = ok and self.tying_hands.threshold <= c and self.sinking_costs.threshold >= c
        # the threshold types are indifferent; the signals make them so
        t_tie, t_sink = Fraction(self.tying_hands.threshold), Fraction(self.sinking_costs.threshold)
        ok = ok and t_tie - h * c == (t_tie - c if t_tie >= c else 0)  # commit ~ not commit
        ok = ok and t_tie + self.tying_hands.signal == c  # the audience cost c - v_hat
        ok = ok and t_sink == c  # the least type that fights when challenged
        ok = ok and (1 - h) * c - self.sinking_costs.signal == 0  # the best bluffer gains 0
        tie, sink = self.tying_hands, self.sinking_costs
        ok = ok and self.payoff_advantage == tie.expected_payoff - sink.expected_payoff
        ok = ok and self.extra_war_risk == tie.war_probability - sink.war_probability
        return Certificate(
            ok=bool(ok),
            quantities=checks,
            exact=True,
            tolerance=float(bound),
            checks=(
                "type-wise best responses integrated over a grid match the closed forms",
                "tying hands: higher expected payoff and higher war risk",
                "no bluffing: signalling types fight",
            ),
        )

    def summary(self) -> Summary:
        rows = tuple(
            (name, o.threshold, o.signal, o.war_probability, o.expected_payoff)
            for name, o in (
                ("tying hands", self.tying_hands),
                ("sinking costs", self.sinking_costs),
            )
        )
        table = Table(
            caption="Fearon (1997), stylised",
            headers=("signal", "least type", "size", "P(war)", "E[U_D]"),
            rows=rows,
        )
        return Summary(
            title="Costly signals: tying hands vs sinking costs (stylised)",
            fields=(
                ("hard_prob", self.model.hard_prob),
                ("war_cost", self.model.war_cost),
                ("payoff_advantage", self.payoff_advantage),
                ("extra_war_risk", self.extra_war_risk),
            ),
            tables=(table,),
            notes=(STYLISED, "no bluffing: every type that signals fights if challenged"),
        )
