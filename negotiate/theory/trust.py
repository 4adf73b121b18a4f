"""Trust, Bayesian updating on an observed exit, and reassurance: Kydd (2000, 2005), stylised.

*Stylised*: this reproduces Kydd's headline claims (trust as a belief that the other side is
trustworthy; updating after a defection; reassurance possible when trustworthy types are more
willing to pay for it), not the exact games of the papers.  docs/models/trust.md.

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
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import NONNEG, POSITIVE, Param, Spec
from negotiate.theory._commitment import (
    Cond,
    ModelBase,
    ParamLike,
    build_tree,
    ge,
    ratio,
    sample_certificate,
    summarise,
)

__all__ = ["Reassurance", "ReassuranceResult", "Trust", "TrustResult"]

_UNIT = (0, 1, False, False)
STYLISED = "stylised Kydd model: reproduces the headline claims, not the papers' exact games"


class Trust(ModelBase):
    """Kydd-style trust (stylised): the threshold, and the posterior after an observed exit.

    Parameters: ``prior`` in [0, 1]; ``sucker_cost`` c >= 0; ``p_exit_trustworthy`` (eps) and
    ``p_exit_untrustworthy`` (w) in [0, 1], not both zero where the prior puts weight.
    """

    prior = Spec("pi, the prior that the other side is trustworthy", _UNIT)
    sucker_cost = Spec("c, the cost of trusting an untrustworthy side", NONNEG)
    p_exit_trustworthy = Spec("eps, the probability that a trustworthy side exits", _UNIT)
    p_exit_untrustworthy = Spec("w, the probability that an untrustworthy side exits", _UNIT)
    _KEY = "trust after the exit"

    def _validate(self) -> None:
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

    def as_tree(self, belief: str = "posterior") -> GameTree:
        """The trust game as a tree: the truster cooperates (ties cooperate) or defects;
        after cooperation nature draws the responder's type with the ``belief`` ("posterior"
        or "prior") and the responder reciprocates or exploits.  Responder payoffs are
        illustrative: reciprocating pays 1; exploiting pays 1/2 to TW and 3/2 to UT."""
        if belief not in ("posterior", "prior"):
            raise ModelError("belief", belief, "expected 'posterior' or 'prior'")
        pi = self.solve().posterior if belief == "posterior" else self.prior
        c = self.sucker_cost

        def responder(exploit_gain: Fraction) -> dict[str, Any]:
            return {
                "player": "responder",
                "actions": {
                    "reciprocate": {"payoffs": {"truster": 1, "responder": 1}},
                    "exploit": {"payoffs": {"truster": -c, "responder": exploit_gain}},
                },
            }

        root = {
            "player": "truster",
            "actions": {
                "cooperate": {
                    "chance": {
                        "trustworthy": {"probability": pi, "then": responder(Fraction(1, 2))},
                        "untrustworthy": {"probability": 1 - pi, "then": responder(Fraction(3, 2))},
                    }
                },
                "defect": {"payoffs": {"truster": 0, "responder": 0}},
            },
            "tie_break": ["cooperate"],
        }
        return build_tree(self, ["truster", "responder"], root, "Trust (Kydd, stylised)")

    def as_signaling_game(
        self,
        benefit_trustworthy: ParamLike,
        benefit_untrustworthy: ParamLike,
        cost_trustworthy: ParamLike,
        cost_untrustworthy: ParamLike,
        signal: ParamLike | None = None,
        belief: str = "posterior",
    ) -> SignalingGame:
        """Reassurance as a signalling game (stylised Kydd).

        The sender ("responder") is trustworthy with the ``belief`` ("posterior" after the
        exit, or "prior") and sends "reassure" (a signal of size ``signal``, default the
        least-cost separating ``s* = B_UT/k_UT``, at unit cost ``k_TW`` or ``k_UT``) or
        "none"; the receiver ("truster") cooperates or defects.  The sender gets its benefit
        ``B`` when trusted, less the signal cost; the truster gets 1 from a trustworthy
        responder, ``-c`` from an untrustworthy one, 0 when it defects.
        """
        if belief not in ("posterior", "prior"):
            raise ModelError("belief", belief, "expected 'posterior' or 'prior'")
        if self.symbolic:
            raise NotApplicableError("as_signaling_game needs numeric parameters", ("solve",))
        r = Reassurance(
            benefit_trustworthy, benefit_untrustworthy, cost_trustworthy, cost_untrustworthy
        )
        if r.symbolic:
            raise NotApplicableError("as_signaling_game needs numeric parameters", ("solve",))
        s = Fraction(r.solve().signal) if signal is None else as_fraction(signal, "signal")
        if s < 0:
            raise ModelError("signal", s, "must be non-negative")
        pi = Fraction(self.solve().posterior if belief == "posterior" else self.prior)
        c = Fraction(self.sucker_cost)
        rows = {
            "trustworthy": (r.benefit_trustworthy, r.cost_trustworthy, Fraction(1)),
            "untrustworthy": (r.benefit_untrustworthy, r.cost_untrustworthy, -c),
        }
        payoffs = {
            t: {
                msg: {
                    "cooperate": {"responder": b - k * size, "truster": gain},
                    "defect": {"responder": -k * size, "truster": 0},
                }
                for msg, size in (("reassure", s), ("none", Fraction(0)))
            }
            for t, (b, k, gain) in rows.items()
        }
        return SignalingGame.from_dict(
            {
                "sender": "responder",
                "receiver": "truster",
                "types": {"trustworthy": {"prior": pi}, "untrustworthy": {"prior": 1 - pi}},
                "messages": ["reassure", "none"],
                "actions": ["cooperate", "defect"],
                "payoffs": payoffs,
                "title": "Reassurance (Kydd, stylised)",
            }
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


@dataclass(frozen=True, repr=False)
class TrustResult(ResultMixin):
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
        # before the exit: the same comparison at the prior
        before = m.prior * 1 + (1 - m.prior) * (-c) >= eu_d
        ok = (
            (eu_c >= eu_d) == self.cooperates
            and bayes_gap == 0
            and at_threshold == 0
            and before is self.cooperates_before
        )
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


class Reassurance(ModelBase):
    """Kydd-style reassurance by a costly signal (stylised).

    Parameters: benefits of being trusted ``benefit_trustworthy`` (B_TW) and
    ``benefit_untrustworthy`` (B_UT), and unit signal costs ``cost_trustworthy`` (k_TW) and
    ``cost_untrustworthy`` (k_UT), all positive.
    """

    benefit_trustworthy = Spec("B_TW, the trustworthy type's benefit of being trusted", POSITIVE)
    benefit_untrustworthy = Spec(
        "B_UT, the untrustworthy type's benefit of being trusted", POSITIVE
    )
    cost_trustworthy = Spec("k_TW, the trustworthy type's unit cost of the signal", POSITIVE)
    cost_untrustworthy = Spec("k_UT, the untrustworthy type's unit cost of the signal", POSITIVE)
    _KEY = "separating reassurance"

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        b_tw, b_ut, k_tw, k_ut = (values[k] for k in self._PARAMS)
        # B_TW/k_TW >= B_UT/k_UT with the positive costs cleared
        return b_tw * k_ut, b_ut * k_tw

    def as_tree(self) -> GameTree:
        """Each type's choice against a truster who trusts exactly the senders of ``s* =
        B_UT/k_UT`` (the separating candidate): nature draws the trustworthy or the
        untrustworthy type (1/2 each; the types' choices do not depend on it), who sends
        ``s*`` (benefit ``B`` less the cost ``k s*``) or nothing (0).  Ties: the trustworthy
        type sends, the untrustworthy one does not mimic.  In its SPE the untrustworthy type
        never sends, and the trustworthy type sends iff the equilibrium separates."""
        s = ratio(self.benefit_untrustworthy, self.cost_untrustworthy, "cost_untrustworthy")

        def choice(player: str, other: str, benefit: Param, cost: Param, first: str) -> Any:
            return {
                "player": player,
                "actions": {
                    "send": {"payoffs": {player: benefit - cost * s, other: 0}},
                    "none": {"payoffs": {player: 0, other: 0}},
                },
                "tie_break": [first],
            }

        tw, ut = "trustworthy", "untrustworthy"
        root = {
            "chance": {
                tw: {
                    "probability": Fraction(1, 2),
                    "then": choice(tw, ut, self.benefit_trustworthy, self.cost_trustworthy, "send"),
                },
                ut: {
                    "probability": Fraction(1, 2),
                    "then": choice(
                        ut, tw, self.benefit_untrustworthy, self.cost_untrustworthy, "none"
                    ),
                },
            }
        }
        return build_tree(self, [tw, ut], root, "Reassurance by a costly signal (stylised)")

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


@dataclass(frozen=True, repr=False)
class ReassuranceResult(ResultMixin):
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
        ok = (
            ut_gain <= 0
            and (tw_gain >= 0) == self.separating
            and ut_mimics_smaller
            and self.trustworthy_cost == m.benefit_trustworthy - tw_gain
        )
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
