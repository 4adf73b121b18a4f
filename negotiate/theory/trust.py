"""Trust, Bayesian updating on an observed exit, and reassurance: Kydd (2000, 2005), stylised.

*Stylised*: this reproduces Kydd's headline claims (trust as a belief that the other side is
trustworthy; updating after a defection; reassurance possible when trustworthy types are more
willing to pay for it), not the exact games of the papers.  MODELS.md M7.

A truster moves first, cooperating (C) or not (D).  The responder is trustworthy (TW,
reciprocates C) with probability ``pi`` and untrustworthy (UT, exploits) otherwise.  Payoffs
to the truster: mutual C is ``R = 1``, mutual D ``P = 0``, exploited ``S = -c``::

    threshold  pi* = (P - S)/(R - S) = c/(1 + c)          cooperate iff pi >= pi* (ties trust)
    posterior  pi' = pi eps / (pi eps + (1 - pi) w)      after an exit; eps = P(exit | TW),
                                                         w = P(exit | UT)

Reassurance (:class:`Reassurance`): a signal ``s`` with unit costs ``k_TW < k_UT`` and
benefits of being trusted ``B_TW``, ``B_UT``.  A separating equilibrium exists iff
``B_UT/k_UT <= B_TW/k_TW`` (UT will not pay what TW will), and the least-cost separating
signal is ``s* = B_UT/k_UT``.

Sources: Kydd (2000) "Trust, reassurance, and cooperation", International Organization
54(2); Kydd (2005) *Trust and Mistrust in International Relations*, Princeton.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import sympy as sp

from negotiate.errors import ModelError
from negotiate.results import Certificate, Summary
from negotiate.theory._base import Param
from negotiate.theory._commitment import (
    Cond,
    Interval,
    ModelBase,
    ParamLike,
    ge,
    ratio,
    sample_certificate,
    summarise,
)

__all__ = ["Reassurance", "ReassuranceResult", "Trust", "TrustResult"]

_UNIT = (0, 1, False, False)
STYLISED = "stylised Kydd model: reproduces the headline claims, not the papers' exact games"


@dataclass(frozen=True, init=False)
class Trust(ModelBase):
    """Kydd-style trust (stylised): the threshold, and the posterior after an observed exit.

    Parameters: ``prior`` in [0, 1]; ``sucker_cost`` c >= 0; ``p_exit_trustworthy`` (eps) and
    ``p_exit_untrustworthy`` (w) in [0, 1], not both zero where the prior puts weight.
    """

    prior: Param
    sucker_cost: Param
    p_exit_trustworthy: Param
    p_exit_untrustworthy: Param

    _PARAMS: ClassVar[tuple[str, ...]] = (
        "prior",
        "sucker_cost",
        "p_exit_trustworthy",
        "p_exit_untrustworthy",
    )
    _DOMAINS: ClassVar[dict[str, Interval]] = {
        "prior": _UNIT,
        "sucker_cost": (0, None, False, False),
        "p_exit_trustworthy": _UNIT,
        "p_exit_untrustworthy": _UNIT,
    }
    _KEY = "trust after the exit"

    def __init__(
        self,
        prior: ParamLike,
        sucker_cost: ParamLike,
        p_exit_trustworthy: ParamLike,
        p_exit_untrustworthy: ParamLike,
    ) -> None:
        self._setup(
            prior=prior,
            sucker_cost=sucker_cost,
            p_exit_trustworthy=p_exit_trustworthy,
            p_exit_untrustworthy=p_exit_untrustworthy,
        )
        if not self.symbolic and self._exit_probability() == 0:
            raise ModelError(
                "p_exit_untrustworthy",
                self.p_exit_untrustworthy,
                "an exit has probability zero under the prior, so the posterior is undefined",
            )

    def _exit_probability(self) -> Param:
        pi = self.prior
        return pi * self.p_exit_trustworthy + (1 - pi) * self.p_exit_untrustworthy

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        pi, c, eps, w = (values[k] for k in self._PARAMS)
        # posterior >= c/(1+c), cleared of the positive denominators
        return pi * eps * (1 + c), c * (pi * eps + (1 - pi) * w)

    def solve(self) -> TrustResult:
        c = self.sucker_cost
        threshold = ratio(c, 1 + c, "sucker_cost")
        posterior = ratio(self.prior * self.p_exit_trustworthy, self._exit_probability(), "prior")
        return TrustResult(
            model=self,
            threshold=threshold,
            posterior=posterior,
            cooperates=ge(posterior, threshold),
            cooperates_before=ge(self.prior, threshold),
        )

    def reassurance(
        self,
        benefit_trustworthy: ParamLike,
        benefit_untrustworthy: ParamLike,
        cost_trustworthy: ParamLike,
        cost_untrustworthy: ParamLike,
    ) -> ReassuranceResult:
        """The separating-reassurance condition and least-cost signal for this responder."""
        return Reassurance(
            benefit_trustworthy, benefit_untrustworthy, cost_trustworthy, cost_untrustworthy
        ).solve()


@dataclass(frozen=True)
class TrustResult:
    """``threshold`` pi*; ``posterior`` pi' after the exit; ``cooperates`` (pi' >= pi*);
    ``cooperates_before`` (pi >= pi*, before the exit was observed)."""

    model: Trust
    threshold: Param
    posterior: Param
    cooperates: Cond
    cooperates_before: Cond

    def verify(self) -> Certificate:
        """Numeric: expected payoffs of C and D at the posterior, and Bayes' rule."""
        m = self.model
        if m.symbolic:
            return sample_certificate(m, self, ranges={"sucker_cost": (Fraction(0), Fraction(4))})
        pi = Fraction(self.posterior)
        c = Fraction(m.sucker_cost)
        eu_c = pi * 1 + (1 - pi) * (-c)
        eu_d = Fraction(0)
        joint_tw = m.prior * m.p_exit_trustworthy
        joint_ut = (1 - m.prior) * m.p_exit_untrustworthy
        bayes_gap = pi * (joint_tw + joint_ut) - joint_tw
        at_threshold = Fraction(self.threshold) * (1 + c) - c
        ok = (eu_c >= eu_d) == self.cooperates and bayes_gap == 0 and at_threshold == 0
        return Certificate(
            ok=bool(ok),
            quantities={"eu_cooperate": eu_c, "eu_defect": eu_d, "bayes_gap": bayes_gap},
            checks=(
                "cooperate iff E[C] >= E[D] at the posterior",
                "posterior satisfies Bayes' rule",
                "truster indifferent at the threshold",
            ),
        )

    def summary(self) -> Summary:
        return summarise(self, "Trust after an observed exit (Kydd, stylised)", (STYLISED,))


@dataclass(frozen=True, init=False)
class Reassurance(ModelBase):
    """Kydd-style reassurance by a costly signal (stylised).

    Parameters: benefits of being trusted ``benefit_trustworthy`` (B_TW) and
    ``benefit_untrustworthy`` (B_UT), and unit signal costs ``cost_trustworthy`` (k_TW) and
    ``cost_untrustworthy`` (k_UT), all positive.
    """

    benefit_trustworthy: Param
    benefit_untrustworthy: Param
    cost_trustworthy: Param
    cost_untrustworthy: Param

    _PARAMS: ClassVar[tuple[str, ...]] = (
        "benefit_trustworthy",
        "benefit_untrustworthy",
        "cost_trustworthy",
        "cost_untrustworthy",
    )
    _DOMAINS: ClassVar[dict[str, Interval]] = {
        "benefit_trustworthy": (0, None, True, False),
        "benefit_untrustworthy": (0, None, True, False),
        "cost_trustworthy": (0, None, True, False),
        "cost_untrustworthy": (0, None, True, False),
    }
    _KEY = "separating reassurance"

    def __init__(
        self,
        benefit_trustworthy: ParamLike,
        benefit_untrustworthy: ParamLike,
        cost_trustworthy: ParamLike,
        cost_untrustworthy: ParamLike,
    ) -> None:
        self._setup(
            benefit_trustworthy=benefit_trustworthy,
            benefit_untrustworthy=benefit_untrustworthy,
            cost_trustworthy=cost_trustworthy,
            cost_untrustworthy=cost_untrustworthy,
        )

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        b_tw, b_ut, k_tw, k_ut = (values[k] for k in self._PARAMS)
        # B_TW/k_TW >= B_UT/k_UT with the positive costs cleared
        return b_tw * k_ut, b_ut * k_tw

    def solve(self) -> ReassuranceResult:
        signal = ratio(self.benefit_untrustworthy, self.cost_untrustworthy, "cost_untrustworthy")
        tw_cost = self.cost_trustworthy * signal
        separating = ge(self.benefit_trustworthy, tw_cost)
        return ReassuranceResult(
            model=self,
            separating=separating,
            signal=signal,
            trustworthy_cost=tw_cost,
        )


@dataclass(frozen=True)
class ReassuranceResult:
    """``separating`` (B_UT/k_UT <= B_TW/k_TW); ``signal`` s* = B_UT/k_UT, the least signal
    UT will not mimic; ``trustworthy_cost`` k_TW s*, what TW pays to send it."""

    model: Reassurance
    separating: Cond
    signal: Param
    trustworthy_cost: Param

    def verify(self) -> Certificate:
        """Numeric: UT does not gain by mimicking s*; TW gains iff separating."""
        m = self.model
        if m.symbolic:
            return sample_certificate(m, self)
        s = Fraction(self.signal)
        ut_gain = m.benefit_untrustworthy - m.cost_untrustworthy * s
        tw_gain = m.benefit_trustworthy - m.cost_trustworthy * s
        # any smaller signal is mimicked by UT
        smaller = s * Fraction(999, 1000)
        ut_mimics_smaller = m.benefit_untrustworthy - m.cost_untrustworthy * smaller > 0
        ok = ut_gain <= 0 and (tw_gain >= 0) == self.separating and ut_mimics_smaller
        return Certificate(
            ok=bool(ok),
            quantities={"untrustworthy_gain": ut_gain, "trustworthy_gain": tw_gain},
            checks=(
                "UT gains nothing by sending s*",
                "a smaller signal is mimicked by UT",
                "TW sends s* iff separating",
            ),
        )

    def summary(self) -> Summary:
        return summarise(self, "Reassurance by a costly signal (Kydd, stylised)", (STYLISED,))
