"""Sanctions threats and the selection effect: Lacy & Niou (2004), Drezner (1999, 2003), stylised.

*Stylised*: this reproduces the headline claims (sanctions likely to succeed do so at the
threat stage, so imposed sanctions are selected to fail; high conflict expectations mean
fewer concessions and more impositions), not the papers' exact games.  docs/models/sanctions.md.

The sender demands a concession costing the target ``d' = d (1 + eta)`` (``eta`` the
relative-gains conflict expectation).  The target's cost of enduring sanctions is
``s ~ U[0, S]`` (private); the sender is resolute (imposes) with probability ``pi``; conceding
after imposition costs ``d' + phi``.  Defying costs ``pi min(s, d' + phi)`` in expectation::

    credible  iff  pi (d' + phi) >= d'
    credible:    comply at the threat iff s >= d'/pi;   P(comply) = clamp(1 - d'/(pi S))
                 P(imposed) = pi (1 - P(comply));       P(success | imposed) = 0
    incredible:  P(comply) = 0;  P(imposed) = pi;
                 P(success | imposed) = clamp(1 - (d' + phi)/S)

The target complies when indifferent.  ``p_success_given_imposed`` is ``None`` (absent) when
sanctions are never imposed.

Sources: Lacy & Niou (2004) "A theory of economic sanctions and issue linkage", Journal of
Politics 66(1); Drezner (1999) *The Sanctions Paradox*, Cambridge; Drezner (2003) "The hidden
hand of economic coercion", International Organization 57(3).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import NONNEG, POSITIVE, Param, Spec, check_interval, param
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

__all__ = ["Sanctions", "SanctionsResult"]

STYLISED = "stylised Lacy-Niou/Drezner model: headline claims, not the papers' exact games"


def _clamp(x: Param) -> Param:
    if isinstance(x, sp.Basic):
        return sp.Min(1, sp.Max(0, x))
    return min(Fraction(1), max(Fraction(0), x))


class Sanctions(ModelBase):
    """Threat and imposition of sanctions with the selection effect (stylised).

    Parameters: ``demand`` d >= 0; ``extra_cost`` phi > 0 (conceding after imposition);
    ``resolve`` pi in (0, 1]; ``conflict_expectation`` eta >= 0; ``max_endurance`` S > 0.
    """

    demand = Spec("d, the sender's demand", NONNEG)
    extra_cost = Spec("phi, the target's extra cost of conceding after imposition", POSITIVE)
    resolve = Spec("pi, the probability that the sender is resolved", (0, 1, True, False))
    conflict_expectation = Spec("eta, the expectation of future conflict", NONNEG, 0)
    max_endurance = Spec("S, the most sanctions the target can endure", POSITIVE, 1)
    _KEY = "credibility"

    @property
    def effective_demand(self) -> Param:
        """``d' = d (1 + eta)``."""
        return self.demand * (1 + self.conflict_expectation)

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        d, phi, pi, eta, _ = (values[k] for k in self._PARAMS)
        dd = d * (1 + eta)
        return pi * (dd + phi), dd

    def as_tree(self, endurance: ParamLike) -> GameTree:
        """The game of one target type with endurance cost ``endurance`` (= s).

        The target complies at the threat (cost d'; ties comply) or defies; nature then
        draws a resolute sender (``resolve``), who imposes, after which the target concedes
        (cost d' + phi; ties concede) or endures (cost s); an irresolute sender backs down.
        The sender (passive) gets 1 when the target concedes at either stage.
        """
        s = param(endurance, "endurance")
        check_interval(s, "endurance", 0, None)
        dd, phi, pi = self.effective_demand, self.extra_cost, self.resolve

        def leaf(target: Param, sender: int) -> dict[str, Any]:
            return {"payoffs": {"target": target, "sender": sender}}

        root = {
            "player": "target",
            "actions": {
                "comply": leaf(-dd, 1),
                "defy": {
                    "chance": {
                        "resolute": {
                            "probability": pi,
                            "then": {
                                "player": "target",
                                "actions": {
                                    "concede": leaf(-(dd + phi), 1),
                                    "endure": leaf(-s, 0),
                                },
                                "tie_break": ["concede"],
                            },
                        },
                        "irresolute": {"probability": 1 - pi, "then": leaf(0, 0)},
                    }
                },
            },
            "tie_break": ["comply"],
        }
        return build_tree(self, ["target", "sender"], root, "Sanctions threat (stylised)")

    def solve(self) -> SanctionsResult:
        dd, phi, pi, s_max = (
            self.effective_demand,
            self.extra_cost,
            self.resolve,
            self.max_endurance,
        )
        credible = ge(pi * (dd + phi), dd)
        comply_credible = _clamp(1 - ratio(dd, pi * s_max, "resolve"))
        success_incredible = _clamp(1 - ratio(dd + phi, s_max, "max_endurance"))
        p_success: Param | None
        if isinstance(credible, sp.Basic):
            p_comply: Param = sp.Piecewise((comply_credible, credible), (0, True))
            p_imposed: Param = sp.Piecewise((pi * (1 - comply_credible), credible), (pi, True))
            p_success = sp.Piecewise((0, credible), (success_incredible, True))
        elif credible:
            p_comply = comply_credible
            p_imposed = pi * (1 - comply_credible)
            p_success = Fraction(0) if p_imposed > 0 else None
        else:
            p_comply, p_imposed, p_success = Fraction(0), pi, success_incredible
        return SanctionsResult(
            model=self,
            credible=credible,
            credibility_threshold=ratio(dd, dd + phi, "extra_cost"),
            p_comply_at_threat=p_comply,
            p_imposed=p_imposed,
            p_success_given_imposed=p_success,
        )


@dataclass(frozen=True, repr=False)
class SanctionsResult(ResultMixin):
    """``credible`` (pi >= d'/(d' + phi)); ``credibility_threshold`` d'/(d' + phi);
    ``p_comply_at_threat``; ``p_imposed``; ``p_success_given_imposed`` (0 whenever the threat
    is credible: the selection effect; ``None`` when sanctions are never imposed)."""

    model: Sanctions
    credible: Cond
    credibility_threshold: Param
    p_comply_at_threat: Param
    p_imposed: Param
    p_success_given_imposed: Param | None

    def verify(self, grid: int = 400) -> Certificate:
        """Numeric: the target's best response on a grid of endurance costs, integrated.

        Each type compares complying (cost d') with defying (cost pi min(s, d' + phi)) and,
        after imposition, conceding against enduring.  The shares are exact on cells away
        from the cut-offs, so they match the closed forms within ``2/grid``.
        """
        m = self.model
        if m.symbolic:
            return sample_certificate(
                m, self, comparators={"p_success_given_imposed": _cmp_success}
            )
        dd, phi, pi, s_max = m.effective_demand, m.extra_cost, m.resolve, m.max_endurance
        comply = imposed = success = Fraction(0)
        for i in range(grid):
            s = s_max * Fraction(2 * i + 1, 2 * grid)
            defy_cost = pi * min(s, dd + phi)
            if dd <= defy_cost:
                comply += 1
                continue
            imposed += pi
            if dd + phi <= s:  # concedes after imposition
                success += pi
        comply, imposed = comply / grid, imposed / grid
        errors = {
            "p_comply_error": abs(comply - Fraction(self.p_comply_at_threat)),
            "p_imposed_error": abs(imposed - Fraction(self.p_imposed)),
        }
        if self.p_success_given_imposed is not None:  # P(imposed and then conceded)
            joint = self.p_success_given_imposed * Fraction(self.p_imposed)
            errors["p_imposed_and_success_error"] = abs(success / grid - joint)
        bound = Fraction(2, grid)
        ok = all(e <= bound for e in errors.values())
        # the sender is indifferent about imposing at the threshold resolve; credible at or above
        threshold = Fraction(self.credibility_threshold)
        ok = ok and threshold * (dd + phi) == dd
        ok = ok and self.credible is (pi * (dd + phi) >= dd)
        if self.credible is True:
            ok = ok and success == 0
        return Certificate(
            ok=bool(ok),
            quantities=errors,
            tolerance=float(bound),
            checks=(
                "the target's grid-wise best responses reproduce the shares",
                "credible threats: no imposed sanction succeeds",
            ),
        )

    def summary(self) -> Summary:
        notes: tuple[str, ...] = (STYLISED,)
        if self.credible is True:
            notes += ("selection effect: targets that would yield do so at the threat",)
        if self.p_success_given_imposed is None:
            notes += ("sanctions are never imposed, so success given imposition is absent",)
        return summarise(self, "Sanctions threat and imposition (stylised)", notes)


def _cmp_success(sym_value: Any, numeric: Any) -> bool:
    if numeric is None:
        return bool(sym_value == 0)
    return bool(sym_value == numeric)
