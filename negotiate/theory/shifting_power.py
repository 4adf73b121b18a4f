"""The commitment problem under shifting power: Fearon (1995), Powell (2006).

Infinite horizon, a pie of 1 per period.  A rising state R proposes; a declining state D
accepts or fights.  War is absorbing and gives D the per-period flow ``p_t - c_D`` for ever.
D's power falls from ``p1`` to ``p2 <= p1``; the shift ``Delta = p1 - p2`` arrives in
``N = steps`` equal steps.  After the shift R holds D to its war value ``p2 - c_D``.  D's
period-``t`` war value is ``W_t = (p_t - c_D)/(1 - delta)``, so peace in period ``t`` needs
the transfer ``x_t = W_t - delta W_{t+1} = (p_t - c_D) + delta Delta / (N (1 - delta))``,
largest in the first period::

    transfer_needed = (p1 - c_D) + delta Delta / (N (1 - delta))
    war  iff  transfer_needed > 1  iff  delta Delta > N (1 - delta)(1 - p1 + c_D)
    min_steps = max(1, ceil(delta Delta / ((1 - delta)(1 - p1 + c_D))))

D accepts when indifferent, so the boundary is peace.  R's own war cost does not enter:
R prefers peace whenever peace is feasible.  With ``p1 = 1`` and ``c_D = 0`` and a positive
shift no number of steps suffices and ``min_steps`` is ``None`` (absent).

Sources: Fearon (1995) "Rationalist explanations for war"; Powell (2006) "War as a
commitment problem", International Organization 60(1).  The normalisation (per-period war
costs) is docs/models/shifting-power.md, verified there by backward induction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, NotApplicableError, TooLargeError
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import Param, Spec
from negotiate.theory._commitment import (
    Cond,
    ModelBase,
    ParamLike,
    build_tree,
    gt,
    ratio,
    require,
    sample_certificate,
    summarise,
)

__all__ = ["ShiftingPower", "ShiftingPowerResult"]

_HALF_OPEN = (0, 1, False, False)


def _steps(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ModelError(field, value, "must be a positive integer")
    return value


class ShiftingPower(ModelBase):
    """Powell's commitment problem with the shift spread over ``steps`` equal steps.

    Parameters: ``delta`` in (0, 1); ``p1`` (D's power before) and ``p2`` (after) in [0, 1]
    with ``p2 <= p1``; ``cost_d`` (D's per-period war cost) in [0, p2], so every war value
    is a feasible share; ``steps`` a positive integer.
    """

    delta = Spec("the discount factor", (0, 1, True, True))
    p1 = Spec("D's probability of winning before the shift", _HALF_OPEN)
    p2 = Spec("D's probability of winning after the shift (at most p1)", _HALF_OPEN)
    cost_d = Spec("D's per-period cost of war (at most p2)", _HALF_OPEN)
    steps = Spec("the number of equal steps of the shift", None, 1, option=True, check=_steps)
    _KEY = "peace"

    def _validate(self) -> None:
        require(gt(self.p1, self.p2) | _eq(self.p1, self.p2), "p2", self.p2, "must not exceed p1")
        require(
            gt(self.p2, self.cost_d) | _eq(self.p2, self.cost_d),
            "cost_d",
            self.cost_d,
            "must not exceed p2 (D's war value must be a feasible share)",
        )

    @property
    def shift(self) -> Param:
        """The power shift ``Delta = p1 - p2``."""
        return self.p1 - self.p2

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        d, p1, p2, c = (values[k] for k in self._PARAMS)
        return self.steps * (1 - d) * (1 - p1 + c), d * (p1 - p2)

    def transfer_needed(self, steps: int) -> Param:
        """The largest (first-period) transfer that buys D off with the shift in ``steps``."""
        per_step = ratio(self.delta * self.shift, steps * (1 - self.delta), "delta")
        return self.p1 - self.cost_d + per_step

    def as_tree(self, offers: int = 10, cost_r: ParamLike = "1/10") -> GameTree:
        """The phasing game with a finite offer grid, for cross-checks by backward induction.

        Periods ``t = 1..steps``: R offers D a share ``x`` in ``{0, 1/offers, ..., 1}`` (ties
        broken toward larger offers), D accepts (ties accept) or fights; war is absorbing
        with per-period flows ``p_t - c_D`` to D and ``1 - p_t - cost_r`` to R.  After the
        last phasing period R holds D to ``p2 - c_D`` for ever (the stationary
        continuation).  Payoffs are present values at period 1.  The SPE offer lies within
        ``1/offers`` of ``transfer_needed``, and war/peace agree with :meth:`solve` whenever
        ``transfer_needed`` is at least ``1/offers`` away from 1.
        """
        if self.symbolic:
            raise NotApplicableError("as_tree needs numeric parameters", ("solve", "solve_for"))
        if isinstance(offers, bool) or not isinstance(offers, int) or not 1 <= offers <= 100:
            raise ModelError("offers", offers, "must be an integer in [1, 100]")
        if (offers + 1) ** self.steps > 20_000:
            raise TooLargeError(
                f"an offer grid of {offers + 1} over {self.steps} periods",
                cost=(offers + 1) ** self.steps,
                budget=20_000,
                instead="Use fewer offers or steps; solve() needs no tree.",
            )
        c_r = as_fraction(cost_r, "cost_r")
        if c_r < 0:
            raise ModelError("cost_r", c_r, "must be non-negative")
        d, n, c = Fraction(self.delta), self.steps, Fraction(self.cost_d)
        p1, p2 = Fraction(self.p1), Fraction(self.p2)
        grid = [Fraction(k, offers) for k in range(offers, -1, -1)]

        def period(t: int, acc_d: Fraction, acc_r: Fraction) -> dict[str, Any]:
            disc = d ** (t - 1)
            p_t = p1 - (p1 - p2) * Fraction(t - 1, n)
            fight = {
                "payoffs": {
                    "R": acc_r + disc * (1 - p_t - c_r) / (1 - d),
                    "D": acc_d + disc * (p_t - c) / (1 - d),
                }
            }
            actions = {}
            for x in grid:
                if t == n:
                    accept: dict[str, Any] = {
                        "payoffs": {
                            "R": acc_r + disc * (1 - x) + d**n * (1 - p2 + c) / (1 - d),
                            "D": acc_d + disc * x + d**n * (p2 - c) / (1 - d),
                        }
                    }
                else:
                    accept = period(t + 1, acc_d + disc * x, acc_r + disc * (1 - x))
                actions[f"offer {x}"] = {
                    "player": "D",
                    "actions": {"accept": accept, "fight": fight},
                    "tie_break": ["accept"],
                }
            return {"player": "R", "actions": actions, "tie_break": list(actions)}

        return build_tree(self, ["R", "D"], period(1, Fraction(0), Fraction(0)), "Shifting power")

    def solve(self) -> ShiftingPowerResult:
        x1 = self.transfer_needed(self.steps)
        war = gt(x1, 1)
        surplus = (1 - self.delta) * (1 - self.p1 + self.cost_d)
        ratio_expr = self.delta * self.shift
        min_steps: int | sp.Expr | None
        if self.symbolic:
            min_steps = sp.Max(1, sp.ceiling(ratio(ratio_expr, surplus, "p1")))
        elif surplus == 0:
            min_steps = 1 if ratio_expr == 0 else None
        else:
            min_steps = max(1, math.ceil(Fraction(ratio_expr) / Fraction(surplus)))
        return ShiftingPowerResult(
            model=self, war=war, transfer_needed=x1, min_steps=min_steps, surplus=surplus
        )


def _eq(a: Param, b: Param) -> Cond:
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Eq(a, b)
    return bool(a == b)


@dataclass(frozen=True, repr=False)
class ShiftingPowerResult(ResultMixin):
    """``war`` (preventive war in the first period), ``transfer_needed`` (the first-period
    share that buys D off), ``min_steps`` (fewest equal steps that keep the peace; ``None``
    when no phasing suffices), ``surplus`` ((1 - delta)(1 - p1 + c_D), the per-period slack R
    can still transfer)."""

    model: ShiftingPower
    war: Cond
    transfer_needed: Param
    min_steps: int | sp.Expr | None
    surplus: Param

    def phasing_table(self, max_steps: int = 5) -> tuple[tuple[int, Param, Cond], ...]:
        """Rows ``(N, transfer needed with N steps, war?)`` for ``N = 1..max_steps``."""
        rows = []
        for n in range(1, max_steps + 1):
            x = self.model.transfer_needed(n)
            rows.append((n, x, gt(x, 1)))
        return tuple(rows)

    def verify(self) -> Certificate:
        """Numeric: D's indifference and the war/phasing conditions from the war values."""
        m = self.model
        if m.symbolic:
            return sample_certificate(m, self, comparators={"min_steps": _cmp_min_steps})
        d, n = Fraction(m.delta), m.steps
        powers = [m.p1 - m.shift * Fraction(t, n) for t in range(n + 1)]
        war_value = [(p - m.cost_d) / (1 - d) for p in powers]
        # D's continuation when held to its war value from each period on
        needed = [war_value[t] - d * war_value[t + 1] for t in range(n)]
        gaps = {
            "indifference_gap": needed[0] - self.transfer_needed,
            "first_step_binds": int(max(needed) == needed[0]),
        }
        checks = ["x1 + delta W2 = W1 (D indifferent)", "the first step needs the most"]
        ok = gaps["indifference_gap"] == 0 and gaps["first_step_binds"] == 1
        ok = ok and self.war == (needed[0] > 1)

        def first(steps: int) -> Fraction:
            # D's first-period price with the shift in ``steps`` equal steps: W1 - delta W2
            after = m.p1 - m.shift / steps
            return (m.p1 - m.cost_d) / (1 - d) - d * (after - m.cost_d) / (1 - d)

        # the pie left per period after D's per-period war value (1 - d) W1, valued as the
        # (1 - d)-weighted flow against which each step's shift delta * Delta / N is paid
        ok = ok and self.surplus == (1 - d) * (1 - (1 - d) * war_value[0])
        checks.append("surplus is (1 - delta) times the pie less D's per-period war value")
        if self.min_steps is not None:
            assert isinstance(self.min_steps, int)
            ok = ok and first(self.min_steps) <= 1
            if self.min_steps > 1:
                ok = ok and first(self.min_steps - 1) > 1
            checks.append("min_steps keeps the peace and one step fewer does not")
        else:
            # the price falls toward p1 - c_D as the steps multiply
            ok = ok and first(10**6) > 1 and m.p1 - m.cost_d >= 1
            checks.append("no phasing suffices (the price's limit is at least the pie)")
        return Certificate(ok=bool(ok), quantities=gaps, checks=tuple(checks))

    def summary(self) -> Summary:
        notes: tuple[str, ...] = (
            "D accepts when indifferent; per-period war costs; Powell (2006), Fearon (1995).",
        )
        if self.min_steps is None:
            notes += ("no number of steps keeps the peace (p1 = 1 and c_D = 0).",)
        return summarise(self, "Shifting power (commitment problem)", notes)


def _cmp_min_steps(sym_value: Any, numeric: Any) -> bool:
    if numeric is None:
        return False
    return bool(sym_value == numeric)
