"""Crisis bargaining: Fearon's (1995) bargaining range and the risk-return trade-off.

A and B divide a stake normalised to [0, 1]; A's share is x.  War gives A the stake with
probability p and costs A and B ``cost_a`` and ``cost_b`` (shares of the stake), so the war
values are ``p - cost_a`` for A and ``1 - p - cost_b`` for B.

* :class:`CrisisBargaining` (complete information): both prefer x to war iff
  ``p - cost_a <= x <= p + cost_b`` -- the bargaining range, never empty when war is
  costly (Fearon 1995, "Rationalist explanations for war", section on the range).  The
  range is intersected with [0, 1].
* :class:`RiskReturn` (private information): A makes a take-it-or-leave-it demand x; B's
  cost ``c_B ~ U[0, cost_b_max]`` is private and B accepts iff ``1 - x >= 1 - p - c_B``
  (accepting when indifferent).  For ``x in [p, p + cmax]``,
  ``P(war) = (x - p) / cmax`` and A's expected utility is
  ``U(x) = x - (x - p)(x - p + cost_a) / cmax``, concave, so::

      x* = p + (cmax - cost_a) / 2,  P(war) = (cmax - cost_a) / (2 cmax)   if cmax > cost_a
      x* = p,                        P(war) = 0                           if cmax <= cost_a

  capped at x* = 1 when ``p + (cmax - cost_a)/2 > 1``.  P(war) rises with uncertainty
  (cmax), falls with A's cost, and does not depend on p (the neutrality result of Benson,
  Meirowitz & Ramsay).  The take-it-or-leave-it protocol is without loss for the risk of
  war (Fey & Kenkel).  The uniform case follows Powell (1999), ch. 3.

Parameters may be numbers (exact) or sympy expressions (results are then sympy expressions,
``Piecewise`` for the regimes).  ``as_tree`` builds the explicit games for cross-checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import NONNEG, POSITIVE, UNIT, Param, Spec
from negotiate.theory._commitment import ModelBase
from negotiate.theory._sampling import substitution_certificate

__all__ = ["CrisisBargaining", "CrisisBargainingResult", "RiskReturn", "RiskReturnResult"]

_MAX_TREE = 100_000


def _min(a: Param, b: Param) -> Param:
    return sp.Min(a, b) if isinstance(a, sp.Basic) or isinstance(b, sp.Basic) else min(a, b)


def _max(a: Param, b: Param) -> Param:
    return sp.Max(a, b) if isinstance(a, sp.Basic) or isinstance(b, sp.Basic) else max(a, b)


def _payoffs(a: Fraction, b: Fraction) -> dict[str, Any]:
    return {"payoffs": {"A": str(a), "B": str(b)}}


def _war(p: Fraction, ca: Fraction, cb: Fraction) -> dict[str, Any]:
    return {
        "chance": {
            "A wins": {"probability": str(p), "then": _payoffs(1 - ca, -cb)},
            "B wins": {"probability": str(1 - p), "then": _payoffs(-ca, 1 - cb)},
        }
    }


class CrisisBargaining(ModelBase):
    """Fearon's bargaining range: ``p`` in [0, 1]; ``cost_a, cost_b >= 0``."""

    p = Spec("A's probability of winning a war", UNIT)
    cost_a = Spec("A's cost of war (a share of the stake)", NONNEG)
    cost_b = Spec("B's cost of war (a share of the stake)", NONNEG)
    _KEY = "A's positive war value"

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        """A's war value is non-negative (the range starts above 0): ``p - cost_a >= 0``."""
        return values["p"] - values["cost_a"], sp.Integer(0)

    def solve(self) -> CrisisBargainingResult:
        lo = _max(self.p - self.cost_a, 0)
        hi = _min(self.p + self.cost_b, 1)
        return CrisisBargainingResult(
            self, (lo, hi), hi - lo, (self.p - self.cost_a, 1 - self.p - self.cost_b)
        )

    def as_tree(self, grid: int = 20) -> GameTree:
        """A demands ``x in {0, 1/grid, ..., 1}`` or fights; B accepts or fights (numeric)."""
        if self.symbolic:
            raise ModelError("p", self.p, "as_tree needs numeric parameters")
        if not isinstance(grid, int) or not 1 <= grid <= _MAX_TREE:
            raise ModelError("grid", grid, f"must be an integer in [1, {_MAX_TREE}]")
        p, ca, cb = (Fraction(v) for v in (self.p, self.cost_a, self.cost_b))
        actions: dict[str, Any] = {"war": _war(p, ca, cb)}
        for j in range(grid + 1):
            x = Fraction(j, grid)
            actions[f"demand {x}"] = {
                "player": "B",
                "actions": {"accept": _payoffs(x, 1 - x), "war": _war(p, ca, cb)},
                "tie_break": ["accept", "war"],
            }
        return GameTree.from_dict(
            {"players": ["A", "B"], "root": {"player": "A", "actions": actions}}
        )


@dataclass(frozen=True, repr=False)
class CrisisBargainingResult(ResultMixin):
    """``range``: A's shares both prefer to war, within [0, 1]; ``width``; ``war_values``:
    (A's, B's) expected value of war."""

    model: CrisisBargaining
    range: tuple[Param, Param]
    width: Param
    war_values: tuple[Param, Param]

    def verify(self) -> Certificate:
        """At the ends each side is indifferent to war (unless the end is 0 or 1), and every
        share inside gives both at least their war value (utilities are linear in x)."""
        m = self.model
        if m.symbolic:
            return substitution_certificate(
                self,
                {"p": m.p, "cost_a": m.cost_a, "cost_b": m.cost_b},
                lambda v: CrisisBargaining(v["p"], v["cost_a"], v["cost_b"]),
            )
        lo, hi = (Fraction(v) for v in self.range)
        p, ca, cb = (Fraction(v) for v in (m.p, m.cost_a, m.cost_b))
        # war is a lottery: A wins the whole stake with probability p, each pays its cost
        war_a = p * (1 - ca) + (1 - p) * (-ca)
        war_b = p * (-cb) + (1 - p) * (1 - cb)
        wa, wb = war_a, war_b
        gap_a = lo - wa  # >= 0, and 0 unless the range was clipped at 0
        gap_b = (1 - hi) - wb
        ok = gap_a >= 0 and gap_b >= 0 and (gap_a == 0 or lo == 0) and (gap_b == 0 or hi == 1)
        ok = ok and tuple(self.war_values) == (war_a, war_b) and self.width == hi - lo
        ok = ok and lo >= 0 and hi <= 1
        return Certificate(
            ok and lo <= hi,
            {"slack_a_at_lo": gap_a, "slack_b_at_hi": gap_b},
            True,
            checks=("A indifferent at lo", "B indifferent at hi", "range non-empty"),
        )

    def summary(self) -> Summary:
        m = self.model
        rows = (
            ("p", m.p),
            ("costs", (m.cost_a, m.cost_b)),
            ("bargaining range", self.range),
            ("width", self.width),
        )
        return Summary("Fearon bargaining range", rows)


class RiskReturn(ModelBase):
    """Take-it-or-leave-it demand under B's private cost ``U[0, cost_b_max]``.

    ``p`` in [0, 1]; ``cost_a >= 0``; ``cost_b_max > 0``.
    """

    p = Spec("A's probability of winning a war", UNIT)
    cost_a = Spec("A's cost of war (a share of the stake)", NONNEG)
    cost_b_max = Spec("the upper end of B's private cost, uniform on [0, cost_b_max]", POSITIVE)
    _KEY = "risk of war"

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        """A risks war (an interior demand) iff ``cost_b_max >= cost_a``."""
        return values["cost_b_max"], values["cost_a"]

    def expected_utility(self, x: Any) -> Param:
        """A's expected utility of demanding x in ``[p, p + cost_b_max]``."""
        risk = (x - self.p) / self.cost_b_max
        return x - risk * (x - self.p + self.cost_a)

    def solve(self) -> RiskReturnResult:
        p, ca, cm = self.p, self.cost_a, self.cost_b_max
        interior = p + (cm - ca) / 2
        if self.symbolic:
            demand: Param = sp.Piecewise((p, sp.Le(cm, ca)), (sp.Min(1, interior), True))
            regime = "piecewise"
        elif cm <= ca:
            demand, regime = p, "corner: no risk of war"
        elif interior > 1:
            demand, regime = Fraction(1), "demand capped at the whole stake"
        else:
            demand, regime = interior, "interior: risk-return trade-off"
        risk = (demand - p) / cm
        if isinstance(risk, sp.Basic):
            risk = sp.piecewise_fold(sp.simplify(risk))
        return RiskReturnResult(self, demand, risk, self.expected_utility(demand), regime)

    def as_tree(self, grid: int = 40, types: int = 40) -> GameTree:
        """The game with costs discretised: A demands on a grid, nature draws one of
        ``types`` equally likely costs (midpoints of ``[0, cost_b_max]``), B accepts or
        fights knowing its cost (numeric models)."""
        if self.symbolic:
            raise ModelError("p", self.p, "as_tree needs numeric parameters")
        if (grid + 1) * types > _MAX_TREE:
            raise ModelError("grid", grid, f"the tree would have more than {_MAX_TREE} leaves")
        p, ca, cm = (Fraction(v) for v in (self.p, self.cost_a, self.cost_b_max))
        actions: dict[str, Any] = {}
        for j in range(grid + 1):
            x = Fraction(j, grid)
            draws: dict[str, Any] = {}
            for i in range(types):
                cb = cm * (2 * i + 1) / (2 * types)
                draws[f"cost {cb}"] = {
                    "probability": str(Fraction(1, types)),
                    "then": {
                        "player": "B",
                        "actions": {"accept": _payoffs(x, 1 - x), "war": _war(p, ca, cb)},
                        "tie_break": ["accept", "war"],
                    },
                }
            actions[f"demand {x}"] = {"chance": draws}
        return GameTree.from_dict(
            {"players": ["A", "B"], "root": {"player": "A", "actions": actions}}
        )


@dataclass(frozen=True, repr=False)
class RiskReturnResult(ResultMixin):
    """``demand`` (A's optimal share), ``war_probability``, ``expected_utility`` (A's),
    ``regime`` (interior, corner, or capped)."""

    model: RiskReturn
    demand: Param
    war_probability: Param
    expected_utility: Param
    regime: str

    def verify(self) -> Certificate:
        """Numeric: the first-order (or corner) condition of ``U`` exactly, and ``U(x*) >=
        U(x)`` on a grid of 201 demands in ``[p, min(1, p + cmax)]``; symbolic: the numeric
        model at sample points."""
        m = self.model
        if m.symbolic:
            return substitution_certificate(
                self,
                {"p": m.p, "cost_a": m.cost_a, "cost_b_max": m.cost_b_max},
                lambda v: RiskReturn(v["p"], v["cost_a"], v["cost_b_max"]),
            )
        p, ca, cm = Fraction(m.p), Fraction(m.cost_a), Fraction(m.cost_b_max)
        x = Fraction(self.demand)
        slope = 1 - (2 * (x - p) + ca) / cm  # U'(x)
        if x == p:
            foc = max(Fraction(0), slope)
        elif x == 1:
            foc = max(Fraction(0), -slope)
        else:
            foc = abs(slope)
        top = min(Fraction(1), p + cm)

        def utility(y: Fraction) -> Fraction:
            # B fights when its cost c ~ U[0, cmax] is below y - p: A then gets p - c_A
            risk = (y - p) / cm
            return (1 - risk) * y + risk * (p - ca)

        best = utility(x)
        grid = [p + (top - p) * Fraction(k, 200) for k in range(201)]
        gain = max(utility(g) - best for g in grid)
        risk_ok = Fraction(self.war_probability) == (x - p) / cm
        risk_ok = risk_ok and self.expected_utility == best and p <= x <= top
        q = {"foc_residual": foc, "grid_gain": max(gain, Fraction(0))}
        return Certificate(
            foc == 0 and gain <= 0 and risk_ok,
            q,
            True,
            checks=("first-order condition", "no better demand on a grid", "P(war) = (x-p)/cmax"),
        )

    def summary(self) -> Summary:
        m = self.model
        rows = (
            ("p", m.p),
            ("cost_a", m.cost_a),
            ("cost_b_max", m.cost_b_max),
            ("demand", self.demand),
            ("war probability", self.war_probability),
            ("regime", self.regime),
        )
        return Summary("Risk-return trade-off (take-it-or-leave-it demand)", rows)
