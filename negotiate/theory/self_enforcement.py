"""Self-enforcement of a deal (Walter 1997; the grim-trigger condition of repeated compliance):
each side's per-period gain from keeping the deal, discounted by its patience and the
expected reneging hazard of the other side, must cover the one-shot gain from defecting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError, NotApplicableError
from negotiate.pipeline.commitment import (
    kappa_types_exact,
)
from negotiate.results import Certificate, ResultMixin, Summary, Table
from negotiate.solvers.bargaining.solutions import BargainingSolution
from negotiate.theory._base import param
from negotiate.theory._commitment import ParamLike
from negotiate.theory.repeated import (
    RepeatedCompliance,
    RepeatedComplianceResult,
    _deviation_gain,
)

__all__ = ["SelfEnforcement", "self_enforcement"]


@dataclass(frozen=True, repr=False)
class SelfEnforcement(ResultMixin):
    """Per-side grim-trigger checks of a deal: ``sides`` (player -> result), ``holds``,
    ``binding`` (sides whose constraint fails), ``slack`` (delta (1 - rho)(T - P) - (T - R))
    and ``min_deal_value`` (the least per-period value R that keeps each side complying)."""

    sides: Mapping[str, RepeatedComplianceResult]
    holds: bool
    binding: tuple[str, ...]
    slack: Mapping[str, Fraction]
    min_deal_value: Mapping[str, Fraction]

    def verify(self) -> Certificate:
        """Each side's one-shot deviation certificate; at the minimal deal value the
        deviation gain ``V_D - V_C`` (from the stationary recursions) is exactly zero and a
        smaller value loses compliance; the slack's sign agrees with compliance; ``binding``
        lists exactly the sides that do not comply."""
        ok = all(r.verify().ok for r in self.sides.values())
        for p, r in self.sides.items():
            m = r.model
            t, pun, d = Fraction(m.temptation), Fraction(m.punishment), Fraction(m.delta)
            rho = Fraction(m.hazard) * (1 - Fraction(m.guarantee))
            least = Fraction(self.min_deal_value[p])
            ok = ok and _deviation_gain(t, least, pun, d, rho) == 0
            ok = ok and _deviation_gain(t, least - 1, pun, d, rho) > 0
            ok = ok and self.slack[p] == d * (1 - rho) * (t - pun) - (t - Fraction(m.reward))
            ok = ok and (self.slack[p] >= 0) is (r.complies is True)
        ok = ok and self.binding == tuple(
            p for p, r in self.sides.items() if r.complies is not True
        )
        ok = ok and self.holds == (not self.binding)
        return Certificate(
            ok=bool(ok),
            quantities={"slack": dict(self.slack)},
            checks=(
                "one-shot deviation per side",
                "the minimal deal value makes the deviation gain exactly zero",
                "binding sides are those that do not comply",
            ),
        )

    def summary(self) -> Summary:
        rows = tuple(
            (p, r.complies, self.slack[p], self.min_deal_value[p], r.effective_hazard)
            for p, r in self.sides.items()
        )
        table = Table(
            "self-enforcement per side",
            ("side", "complies", "slack", "least deal value", "effective hazard"),
            rows,
        )
        return Summary(
            title="Self-enforcement of the deal",
            fields=(("holds", self.holds), ("binding", ", ".join(self.binding) or "none")),
            tables=(table,),
        )


def _per_side(value: Any, sides: Sequence[str], field: str) -> dict[str, Any]:
    if isinstance(value, Mapping):
        for key in value:
            if key not in sides:
                raise ModelError(f"{field}[{key!r}]", None, f"unknown side; sides: {list(sides)}")
        missing = [s for s in sides if s not in value]
        if missing:
            raise ModelError(field, None, f"missing values for {missing}")
        return dict(value)
    return dict.fromkeys(sides, value)


def _equivalent_hazard(types: Sequence[Any], delta: Any, guarantee: Any, side: str) -> Fraction:
    """``rho*`` with ``k(delta, rho*) = sum_t p_t k(delta, h_t (1 - g))`` (exact)."""
    f = f"hazard[{side!r}]"
    pairs = [(Fraction(param(p, f)), Fraction(param(h, f))) for p, h in types]
    dl, gv = Fraction(param(delta, "delta")), Fraction(param(guarantee, "guarantee"))
    kappa, _ = kappa_types_exact(dl, gv, pairs, [(f, f)] * len(pairs))
    return ((1 - dl) / kappa - (1 - dl)) / dl


def self_enforcement(
    deal: Mapping[str, ParamLike] | BargainingSolution,
    temptation: Mapping[str, ParamLike],
    disagreement: Mapping[str, ParamLike],
    delta: Mapping[str, ParamLike] | ParamLike,
    hazard: Mapping[str, ParamLike] | ParamLike = 0,
    guarantee: Mapping[str, ParamLike] | ParamLike = 0,
) -> SelfEnforcement:
    """Check ``delta_i (1 - rho_i (1 - g_i))(T_i - P_i) >= T_i - R_i`` for every side.

    ``deal`` gives each side's per-period value R_i (or a :class:`BargainingSolution` with an
    agreement); ``temptation`` T_i the value of cheating for one period; ``disagreement``
    P_i the no-deal value that follows; ``delta``, ``hazard`` and ``guarantee`` per side or
    shared.  A side's ``hazard`` may be a sequence of ``(probability, hazard)`` pairs (a
    promiser of unknown, fixed type): the check then uses the certainty-equivalent hazard
    ``rho*`` with ``k(delta, rho*) = sum_t p_t k(delta, h_t (1 - g))``, which is the condition
    ``E[k] (R - P) >= (1 - delta)(T - P)``.
    """
    if isinstance(deal, BargainingSolution):
        if not deal.agreement:
            raise ModelError("deal", None, "the bargaining solution has no agreement")
        values = dict(zip(deal.problem.players, deal.utilities, strict=True))
    elif isinstance(deal, Mapping):
        values = dict(deal)
    else:
        raise ModelError("deal", deal, "expected a mapping side -> value or a bargaining solution")
    sides = tuple(values)
    t = _per_side(temptation, sides, "temptation")
    p = _per_side(disagreement, sides, "disagreement")
    d = _per_side(delta, sides, "delta")
    h = _per_side(hazard, sides, "hazard")
    g = _per_side(guarantee, sides, "guarantee")
    results: dict[str, RepeatedComplianceResult] = {}
    for s in sides:
        if isinstance(h[s], Sequence) and not isinstance(h[s], str):
            h[s], g[s] = _equivalent_hazard(h[s], d[s], g[s], s), 0
        try:
            model = RepeatedCompliance(t[s], values[s], p[s], d[s], h[s], g[s])
        except ModelError as err:
            names = {"temptation": "temptation", "reward": "deal", "punishment": "disagreement"}
            raise ModelError(
                f"{names.get(err.field, err.field)}[{s!r}]", err.value, err.reason
            ) from err
        if model.symbolic:
            raise NotApplicableError("self_enforcement() is numeric", ("RepeatedCompliance",))
        results[s] = model.solve()
    slack: dict[str, Fraction] = {}
    least: dict[str, Fraction] = {}
    for s, r in results.items():
        m = r.model
        factor = Fraction(m.delta) * (1 - Fraction(r.effective_hazard))
        gap = Fraction(m.temptation - m.punishment)
        slack[s] = factor * gap - Fraction(m.temptation - m.reward)
        least[s] = Fraction(m.temptation) - factor * gap
    binding = tuple(s for s in sides if results[s].complies is not True)
    return SelfEnforcement(results, not binding, binding, slack, least)
