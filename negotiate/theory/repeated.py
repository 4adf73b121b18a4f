"""Self-enforcement: grim trigger with an exogenous reneging hazard and guarantees.

An infinitely repeated compliance game with stage payoffs ``T > R > P`` (temptation, reward,
punishment).  Grim trigger: comply until the other side defects, then defect for ever.  Each
period the other side exits anyway with probability ``rho`` (the 2018 precedent), after which
play reverts to ``P``; a third-party guarantee or escrow of strength ``g`` (Walter 1997)
lowers the hazard to ``rho_eff = rho (1 - g)``.  With ``V_P = P/(1 - delta)``::

    V_C - V_P = (R - P) / (1 - delta (1 - rho_eff))
    complies  iff  delta (1 - rho_eff)(T - P) >= T - R                 (ties comply)
    critical_delta = (T - R) / ((T - P)(1 - rho_eff))                  (None if >= 1)
    max_hazard     = min(1, [1 - (T - R)/(delta (T - P))] / (1 - g))   (None if < 0)
    credibility_discount kappa = (1 - delta) / (1 - delta (1 - rho_eff))  in (0, 1]

``kappa`` is the present value of a flow of relief that ends with hazard ``rho_eff``,
relative to a permanent one.  Symbolic models give ``critical_delta`` and ``max_hazard`` as
the boundary expressions (without the clamping to the domain).

Sources: Fudenberg & Tirole (1991) ch. 5 (grim trigger); Walter (1997) "The critical barrier
to civil war settlement", International Organization 51(3).  docs/models/self-enforcement.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import (
    UNIT,
    Param,
    Spec,
    check_interval,
    is_symbolic,
    param,
    to_sympy,
)
from negotiate.theory._commitment import (
    Cond,
    ModelBase,
    ParamLike,
    build_tree,
    ge,
    gt,
    ratio,
    require,
    sample_certificate,
    summarise,
)

__all__ = ["RepeatedCompliance", "RepeatedComplianceResult", "credibility_discount"]


def credibility_discount(delta: ParamLike, hazard: ParamLike, guarantee: ParamLike = 0) -> Param:
    """``kappa = (1 - delta)/(1 - delta (1 - hazard (1 - guarantee)))``, in (0, 1].

    The present value of a flow of relief that ends with per-period probability
    ``hazard (1 - guarantee)``, relative to a permanent flow.
    """
    d, h, g = param(delta, "delta"), param(hazard, "hazard"), param(guarantee, "guarantee")
    check_interval(d, "delta", 0, 1, lo_open=True, hi_open=True)
    check_interval(h, "hazard", 0, 1)
    check_interval(g, "guarantee", 0, 1)
    if is_symbolic(d, h, g):
        d, h, g = to_sympy(d), to_sympy(h), to_sympy(g)
    return ratio(1 - d, 1 - d * (1 - h * (1 - g)), "delta")


class RepeatedCompliance(ModelBase):
    """Grim-trigger compliance with reneging hazard ``hazard`` and guarantee ``guarantee``.

    Parameters: payoffs ``temptation > reward > punishment``; ``delta`` in (0, 1);
    ``hazard`` and ``guarantee`` in [0, 1].
    """

    temptation = Spec("T, the stage payoff from reneging (above reward)")
    reward = Spec("R, the stage payoff from mutual compliance (above punishment)")
    punishment = Spec("P, the stage payoff after the trigger")
    delta = Spec("the discount factor", (0, 1, True, True))
    hazard = Spec("rho, the per-period reneging hazard", UNIT, 0)
    guarantee = Spec("g, the share of the hazard a guarantee removes", UNIT, 0)
    _KEY = "compliance"

    def _validate(self) -> None:
        require(
            gt(self.temptation, self.reward), "temptation", self.temptation, "must exceed reward"
        )
        require(gt(self.reward, self.punishment), "reward", self.reward, "must exceed punishment")

    @property
    def effective_hazard(self) -> Param:
        """``rho_eff = hazard (1 - guarantee)``."""
        return self.hazard * (1 - self.guarantee)

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        t, r, p, d, h, g = (values[k] for k in self._PARAMS)
        return d * (1 - h * (1 - g)) * (t - p), t - r

    def as_tree(self) -> GameTree:
        """The one-shot deviation test as a tree (one-shot deviation principle).

        The complier complies (ties comply) or cheats.  Complying earns ``R`` and, by chance,
        the deal survives (``1 - rho_eff``, continuation ``V_C``) or the partner exits
        (``rho_eff``, continuation ``V_P``); cheating earns ``T`` followed by ``V_P``.  The
        continuation values come from the stationary recursion, not from the threshold, so
        backward induction on this tree re-derives ``complies``.  The partner is passive
        (payoff 0).
        """
        rho = self.effective_hazard
        d = self.delta
        v_p = ratio(self.punishment, 1 - d, "delta")
        v_c = ratio(self.reward + d * rho * v_p, 1 - d * (1 - rho), "delta")

        def leaf(value: Param) -> dict[str, Any]:
            return {"payoffs": {"complier": value, "partner": 0}}

        root = {
            "player": "complier",
            "actions": {
                "comply": {
                    "chance": {
                        "exit": {"probability": rho, "then": leaf(self.reward + d * v_p)},
                        "stay": {"probability": 1 - rho, "then": leaf(self.reward + d * v_c)},
                    }
                },
                "cheat": leaf(self.temptation + d * v_p),
            },
            "tie_break": ["comply"],
        }
        return build_tree(self, ["complier", "partner"], root, "Grim-trigger compliance")

    def solve(self) -> RepeatedComplianceResult:
        t, r, p, d = self.temptation, self.reward, self.punishment, self.delta
        rho = self.effective_hazard
        gap = t - p
        complies = ge(d * (1 - rho) * gap, t - r)
        kappa = ratio(1 - d, 1 - d * (1 - rho), "delta")
        rho_bar = 1 - ratio(t - r, d * gap, "temptation")
        critical: Param | None
        max_hazard: Param | None
        if self.symbolic:
            if sp.simplify(1 - self.guarantee) == 0:
                raise ModelError(
                    "guarantee",
                    self.guarantee,
                    "a full guarantee makes the hazard irrelevant, so max_hazard has no "
                    "boundary; solve with numbers (max_hazard is then 1 or None)",
                )
            # an exit for sure leaves no delta that sustains compliance: absent
            critical = (
                None if sp.simplify(1 - rho) == 0 else ratio(t - r, gap * (1 - rho), "hazard")
            )
            max_hazard = ratio(rho_bar, 1 - self.guarantee, "guarantee")
        else:
            critical = None if rho == 1 else Fraction(t - r) / (gap * (1 - rho))
            if critical is not None and critical >= 1:
                critical = None
            if rho_bar < 0:
                max_hazard = None
            elif self.guarantee == 1:
                max_hazard = Fraction(1)
            else:
                max_hazard = min(Fraction(1), rho_bar / (1 - self.guarantee))
        return RepeatedComplianceResult(
            model=self,
            complies=complies,
            critical_delta=critical,
            max_hazard=max_hazard,
            credibility_discount=kappa,
            effective_hazard=rho,
        )


@dataclass(frozen=True, repr=False)
class RepeatedComplianceResult(ResultMixin):
    """``complies``; ``critical_delta`` (least delta that sustains compliance at this hazard,
    ``None`` when no delta < 1 does); ``max_hazard`` (largest raw hazard that sustains it
    given the guarantee, ``None`` when none does); ``credibility_discount`` (kappa);
    ``effective_hazard`` (rho_eff)."""

    model: RepeatedCompliance
    complies: Cond
    critical_delta: Param | None
    max_hazard: Param | None
    credibility_discount: Param
    effective_hazard: Param

    def values(self) -> dict[str, Param]:
        """``V_C`` (value of compliance under grim trigger), ``V_P`` (punishment), ``V_D``
        (one-shot deviation), summed as explicit geometric series."""
        m = self.model
        d, rho = m.delta, self.effective_hazard
        v_p = ratio(m.punishment, 1 - d, "delta")
        v_c = ratio(m.reward + d * rho * v_p, 1 - d * (1 - rho), "delta")
        return {"V_C": v_c, "V_P": v_p, "V_D": m.temptation + d * v_p}

    def verify(self) -> Certificate:
        """Numeric: the one-shot deviation gain ``V_D - V_C`` computed afresh from the
        stationary recursions (not from the threshold formulas) at the model's point, at
        ``critical_delta`` (where it must be exactly zero, and positive below) and at
        ``max_hazard`` (zero there unless it is 1, and positive above); kappa as the solution
        of its own recursion.  Symbolic: substitution at sample points, each substituted
        record checked by this numeric certificate."""
        m = self.model
        if m.symbolic:
            return sample_certificate(
                m,
                self,
                comparators={"critical_delta": _cmp_critical, "max_hazard": _cmp_max_hazard},
            )
        t, r, p = (Fraction(x) for x in (m.temptation, m.reward, m.punishment))
        d, h, g = Fraction(m.delta), Fraction(m.hazard), Fraction(m.guarantee)
        rho = h * (1 - g)
        gain = _deviation_gain(t, r, p, d, rho)  # comply iff <= 0 (ties comply)
        checks = {
            "effective hazard is hazard (1 - guarantee)": self.effective_hazard == rho,
            "V_D - V_C <= 0 exactly when complies": (gain <= 0) == self.complies,
        }
        # kappa = sum_t (delta (1 - rho))^t (1 - delta) solves k = (1 - delta) + delta (1 - rho) k
        kappa = Fraction(self.credibility_discount)
        residual = kappa - (1 - d) - d * (1 - rho) * kappa
        checks["kappa solves its recursion (the geometric series), in (0, 1]"] = (
            residual == 0 and 0 < kappa <= 1
        )
        # the gain times (1 - delta (1 - rho)) / (1 - delta) is affine in delta, equal to
        # T - R at delta = 0; its limit at delta = 1 decides whether any delta < 1 complies
        scale = (1 - Fraction(1, 2) * (1 - rho)) / (1 - Fraction(1, 2))
        at_one = 2 * _deviation_gain(t, r, p, Fraction(1, 2), rho) * scale - (t - r)
        c = self.critical_delta
        if c is None:
            checks["no delta < 1 sustains compliance"] = at_one >= 0
        else:
            c = Fraction(c)
            checks["critical_delta is the least delta that complies"] = (
                0 < c < 1
                and _deviation_gain(t, r, p, c, rho) == 0
                and _deviation_gain(t, r, p, c / 2, rho) > 0
            )
        mh = self.max_hazard
        if mh is None:
            checks["no hazard sustains compliance"] = _deviation_gain(t, r, p, d, Fraction(0)) > 0
        else:
            mh = Fraction(mh)
            at = _deviation_gain(t, r, p, d, mh * (1 - g))
            if mh == 1:
                checks["max_hazard = 1: compliance holds at hazard 1"] = at <= 0
            else:
                above = _deviation_gain(t, r, p, d, (mh + 1) / 2 * (1 - g))
                checks["max_hazard is the largest hazard that complies"] = (
                    0 <= mh < 1 and at == 0 and above > 0
                )
        failed = tuple(k for k, good in checks.items() if not good)
        return Certificate(
            ok=not failed,
            quantities={"deviation_gain": gain, "kappa_recursion_residual": residual},
            checks=tuple(checks),
            notes=tuple(f"failed: {k}" for k in failed),
        )

    def summary(self) -> Summary:
        notes = (
            "grim trigger with exogenous reneging hazard; guarantee scales the hazard by (1 - g)",
            "kappa: value of reversible relief relative to permanent relief",
        )
        return summarise(self, "Repeated compliance (self-enforcement)", notes)


def _deviation_gain(t: Fraction, r: Fraction, p: Fraction, d: Fraction, rho: Fraction) -> Fraction:
    """``V_D - V_C``: ``V_P = P + d V_P``, ``V_C = R + d (rho V_P + (1 - rho) V_C)``,
    ``V_D = T + d V_P``, each stationary recursion solved for its value."""
    v_p = p / (1 - d)
    v_c = (r + d * rho * v_p) / (1 - d * (1 - rho))
    return t + d * v_p - v_c


def _cmp_critical(sym_value: Any, numeric: Any) -> bool:
    if numeric is None:
        return bool(sym_value >= 1) or sym_value.is_negative is True
    return bool(sym_value == numeric)


def _cmp_max_hazard(sym_value: Any, numeric: Any) -> bool:
    if numeric is None:
        return bool(sym_value < 0)
    if numeric == 1:
        return bool(sym_value >= 1)
    return bool(sym_value == numeric)
