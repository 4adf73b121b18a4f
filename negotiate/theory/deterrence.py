"""Perfect deterrence: Zagare & Kilgour (2000), Schelling (1960, 1966), stylised.

*Stylised*: the unilateral form below reproduces Zagare and Kilgour's headline claims (the
status quo is a strategic variable; credibility is the probability the defender prefers to
retaliate), not the book's exact games.  docs/models/deterrence.md.

Unilateral form.  The challenger gets ``W`` if it challenges and the defender concedes,
``SQ`` at the status quo, ``F`` in conflict; the defender is Hard (retaliates) with
probability ``p``.  Challenging pays ``(1 - p) W + p F``, so (a deterrent holds at the
threshold itself)::

    deterred  iff  p (W - F) >= W - SQ          threshold  p* = (W - SQ)/(W - F)
    capable   iff  F < SQ   (conflict worse than the status quo; otherwise p* >= 1)

Raising the challenger's status quo lowers ``p*``: relief is itself a deterrence instrument.

Retaliation menu (:class:`RetaliationMenu`): a strike gains ``G`` at cost ``K``; the target
answers with limited damage ``D_lim`` or, with probability ``P(severe)``, severe damage
``D_sev``.  Striking pays ``G - K - D_lim - P(severe)(D_sev - D_lim)`` against 0::

    deterred  iff  P(severe) >= p* = (G - K - D_lim)/(D_sev - D_lim);   capable iff D_sev > G - K

With the target's resolve ``v ~ U[0, V]`` and severe retaliation chosen iff
``v >= M + C_sev - C_lim`` (``M`` the expected counter-escalation),
``P(severe) = clamp(1 - (M + C_sev - C_lim)/V, 0, 1)`` (:meth:`RetaliationMenu.from_resolve`).

Sources: Zagare & Kilgour (2000) *Perfect Deterrence*, Cambridge; Kilgour & Zagare (1991)
"Credibility, uncertainty, and deterrence", AJPS 35(2); Schelling (1966) *Arms and Influence*.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import UNIT, Param, Spec, param
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

__all__ = [
    "Deterrence",
    "DeterrenceResult",
    "RetaliationMenu",
    "RetaliationMenuResult",
    "severe_retaliation_probability",
]

STYLISED = (
    "stylised perfect-deterrence model (Zagare-Kilgour): headline claims, not the book's games"
)


class Deterrence(ModelBase):
    """Unilateral perfect deterrence (stylised).

    Parameters: challenger payoffs ``win`` (W), ``status_quo`` (SQ), ``conflict`` (F) with
    ``W > F``; ``credibility`` p in [0, 1], the probability the defender is Hard.
    """

    win = Spec("W, the challenger's payoff from winning (above conflict)")
    status_quo = Spec("SQ, the challenger's payoff from the status quo")
    conflict = Spec("F, the challenger's payoff from conflict")
    credibility = Spec("p, the probability that the defender is Hard", UNIT)
    _KEY = "deterrence"

    def _validate(self) -> None:
        require(gt(self.win, self.conflict), "conflict", self.conflict, "must be below win")

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        w, sq, f, p = (values[k] for k in self._PARAMS)
        return p * (w - f), w - sq

    def as_tree(self) -> GameTree:
        """The unilateral deterrence game: the challenger keeps the status quo (ties keep it)
        or challenges; nature draws a Hard (``credibility``) or Soft defender, who fights or
        concedes.  Defender payoffs are illustrative: Hard prefers fighting (-1/4 against
        -1/2), Soft prefers conceding (-1/2 against -1)."""

        def defender(fight: Fraction, concede: Fraction) -> dict[str, Any]:
            return {
                "player": "defender",
                "actions": {
                    "fight": {"payoffs": {"challenger": self.conflict, "defender": fight}},
                    "concede": {"payoffs": {"challenger": self.win, "defender": concede}},
                },
            }

        p = self.credibility
        root = {
            "player": "challenger",
            "actions": {
                "status quo": {"payoffs": {"challenger": self.status_quo, "defender": 0}},
                "challenge": {
                    "chance": {
                        "hard": {
                            "probability": p,
                            "then": defender(Fraction(-1, 4), Fraction(-1, 2)),
                        },
                        "soft": {
                            "probability": 1 - p,
                            "then": defender(Fraction(-1), Fraction(-1, 2)),
                        },
                    }
                },
            },
            "tie_break": ["status quo"],
        }
        return build_tree(
            self, ["challenger", "defender"], root, "Unilateral deterrence (stylised)"
        )

    def solve(self) -> DeterrenceResult:
        w, sq, f, p = self.win, self.status_quo, self.conflict, self.credibility
        return DeterrenceResult(
            model=self,
            threshold=ratio(w - sq, w - f, "conflict"),
            deterred=ge(p * (w - f), w - sq),
            capable=gt(sq, f),
            challenge_value=(1 - p) * w + p * f,
        )


@dataclass(frozen=True, repr=False)
class DeterrenceResult(ResultMixin):
    """``threshold`` p*; ``deterred`` (p >= p*); ``capable`` (F < SQ); ``challenge_value``
    the challenger's expected payoff from challenging."""

    model: Deterrence
    threshold: Param
    deterred: Cond
    capable: Cond
    challenge_value: Param

    def verify(self) -> Certificate:
        """Numeric: the challenger's choice by expected payoff; indifference at p*."""
        m = self.model
        if m.symbolic:
            return sample_certificate(
                m,
                self,
                ranges={k: (Fraction(-2), Fraction(2)) for k in ("win", "status_quo", "conflict")},
            )
        # the challenge is a lottery: the defender is Hard (conflict) with probability p
        lottery = (1 - m.credibility) * m.win + m.credibility * m.conflict
        gap = lottery - m.status_quo  # challenge iff > 0
        at = (1 - self.threshold) * m.win + self.threshold * m.conflict
        checks = {
            "challenge value is the lottery over the defender's types": (
                self.challenge_value == lottery
            ),
            "deterred iff challenging gains nothing": (gap <= 0) == self.deterred,
            "indifferent at p*": at == m.status_quo,
            "capable iff a sure conflict is worse than the status quo": self.capable
            is (m.conflict < m.status_quo),
        }
        return Certificate(
            ok=all(checks.values()),
            quantities={"challenge_gain": gap},
            checks=tuple(checks),
            notes=tuple(f"failed: {k}" for k, good in checks.items() if not good),
        )

    def summary(self) -> Summary:
        notes: tuple[str, ...] = (STYLISED, "a deterrent holds at the threshold itself")
        if self.capable is False:
            notes += ("capability fails: conflict is no worse than the status quo",)
        return summarise(self, "Perfect deterrence (Zagare-Kilgour, stylised)", notes)


def severe_retaliation_probability(
    counter_escalation: ParamLike, severe_extra_cost: ParamLike, max_resolve: ParamLike = 1
) -> Param:
    """``P(severe) = clamp(1 - (M + C_sev - C_lim)/V, 0, 1)`` for resolve ``v ~ U[0, V]``."""
    m = param(counter_escalation, "counter_escalation")
    extra = param(severe_extra_cost, "severe_extra_cost")
    v = param(max_resolve, "max_resolve")
    if isinstance(v, Fraction) and v <= 0:
        raise ModelError("max_resolve", v, "must be positive")
    raw = 1 - ratio(m + extra, v, "max_resolve")
    if isinstance(raw, sp.Basic):
        return sp.Min(1, sp.Max(0, raw))
    return min(Fraction(1), max(Fraction(0), raw))


class RetaliationMenu(ModelBase):
    """The strike decision against a limited or severe retaliation (stylised).

    Parameters: ``gain`` G and ``strike_cost`` K of the strike; ``limited_damage`` D_lim <
    ``severe_damage`` D_sev; ``p_severe`` in [0, 1].  :meth:`from_resolve` derives
    ``p_severe`` from the target's resolve.
    """

    gain = Spec("G, the striker's gain from the strike")
    strike_cost = Spec("K, the striker's cost of the strike")
    limited_damage = Spec("D_lim, the damage of a limited retaliation")
    severe_damage = Spec("D_sev, the damage of a severe retaliation (above D_lim)")
    p_severe = Spec("the probability that the retaliation is severe", UNIT)
    _KEY = "deterrence"

    def _validate(self) -> None:
        require(
            gt(self.severe_damage, self.limited_damage),
            "severe_damage",
            self.severe_damage,
            "must exceed limited_damage",
        )

    @classmethod
    def from_resolve(
        cls,
        gain: ParamLike,
        strike_cost: ParamLike,
        limited_damage: ParamLike,
        severe_damage: ParamLike,
        counter_escalation: ParamLike,
        severe_extra_cost: ParamLike,
        max_resolve: ParamLike = 1,
    ) -> RetaliationMenu:
        """The menu with ``P(severe)`` from resolve ``v ~ U[0, max_resolve]``."""
        p = severe_retaliation_probability(counter_escalation, severe_extra_cost, max_resolve)
        return cls(gain, strike_cost, limited_damage, severe_damage, p)

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        g, k, lim, sev, p = (values[n] for n in self._PARAMS)
        return p * (sev - lim), g - k - lim

    def as_tree(self) -> GameTree:
        """The strike decision: no strike (payoff 0; ties do not strike) or strike; nature
        draws a resolved target (``p_severe``), who retaliates severely, or a restrained one,
        who retaliates in a limited way (target payoffs illustrative: 0 for its preferred
        retaliation, -1/2 for the other)."""
        base = self.gain - self.strike_cost

        def target(severe: Fraction, limited: Fraction) -> dict[str, Any]:
            return {
                "player": "target",
                "actions": {
                    "severe": {"payoffs": {"striker": base - self.severe_damage, "target": severe}},
                    "limited": {
                        "payoffs": {"striker": base - self.limited_damage, "target": limited}
                    },
                },
            }

        p = self.p_severe
        root = {
            "player": "striker",
            "actions": {
                "no strike": {"payoffs": {"striker": 0, "target": 0}},
                "strike": {
                    "chance": {
                        "resolved": {
                            "probability": p,
                            "then": target(Fraction(0), Fraction(-1, 2)),
                        },
                        "restrained": {
                            "probability": 1 - p,
                            "then": target(Fraction(-1, 2), Fraction(0)),
                        },
                    }
                },
            },
            "tie_break": ["no strike"],
        }
        return build_tree(self, ["striker", "target"], root, "Strike and retaliation (stylised)")

    def solve(self) -> RetaliationMenuResult:
        g, k, lim, sev, p = (getattr(self, n) for n in self._PARAMS)
        value = g - k - lim - p * (sev - lim)
        return RetaliationMenuResult(
            model=self,
            threshold=ratio(g - k - lim, sev - lim, "severe_damage"),
            strike_value=value,
            deterred=ge(0, value),
            capable=gt(sev, g - k),
        )


@dataclass(frozen=True, repr=False)
class RetaliationMenuResult(ResultMixin):
    """``threshold`` p* on P(severe); ``strike_value`` the striker's expected payoff (0 for
    no strike); ``deterred`` (strike_value <= 0); ``capable`` (D_sev > G - K)."""

    model: RetaliationMenu
    threshold: Param
    strike_value: Param
    deterred: Cond
    capable: Cond

    def verify(self) -> Certificate:
        """Numeric: the strike value as a lottery over the two retaliations."""
        m = self.model
        if m.symbolic:
            return sample_certificate(m, self)
        p = m.p_severe
        lottery = (1 - p) * (m.gain - m.strike_cost - m.limited_damage) + p * (
            m.gain - m.strike_cost - m.severe_damage
        )
        ok = lottery == self.strike_value and (lottery <= 0) == self.deterred
        t = Fraction(self.threshold)
        at_threshold = (
            m.gain - m.strike_cost - m.limited_damage - t * (m.severe_damage - m.limited_damage)
        )
        # capable: even a sure severe retaliation (p = 1) makes the strike a loss
        capable = m.gain - m.strike_cost - m.severe_damage < 0
        ok = ok and at_threshold == 0 and self.capable is capable
        return Certificate(
            ok=bool(ok),
            quantities={"strike_value": lottery, "value_at_threshold": at_threshold},
            checks=("strike value is the retaliation lottery", "indifferent at p*"),
        )

    def summary(self) -> Summary:
        notes = (STYLISED, "a deterrent holds at the threshold itself")
        return summarise(self, "Strike against a retaliation menu (stylised)", notes)
