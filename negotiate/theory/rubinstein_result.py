"""The subgame-perfect equilibrium of Rubinstein bargaining, as a result, and its certificate.

A numeric result is verified exactly period by period: the responder gets exactly its best
alternative (its discounted continuation or its outside option), and the proposer prefers
agreement to having its offer refused (Rubinstein 1982; breakdown risk as in Binmore,
Rubinstein & Wolinsky 1986; outside options as in Binmore, Shaked & Sutton 1989).  A symbolic
result is verified at random rational parameter points, where the numeric model must
reproduce the symbolic shares.  The model is :class:`negotiate.theory.rubinstein.Rubinstein`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import Param, to_sympy
from negotiate.theory._sampling import substituted

if TYPE_CHECKING:
    from negotiate.theory.rubinstein import Rubinstein

__all__ = ["RubinsteinResult", "option_max"]


def option_max(a: Param | None, b: Param) -> Param:
    """``max(a, b)``, ``b`` when there is no option ``a``; symbolic when either is."""
    if a is None:
        return b
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Max(to_sympy(a), to_sympy(b))
    return max(a, b)


@dataclass(frozen=True, repr=False)
class RubinsteinResult(ResultMixin):
    """The SPE of :class:`Rubinstein`.

    ``proposer_share`` / ``responder_share``: the split agreed in period 0 (player 1
    proposes); ``counter_share``: player 2's own share when player 2 proposes (period 1);
    ``regime``: which outside options bind; ``binding``: (player 1's, player 2's) option
    binds (conditions when symbolic); ``thresholds``: each option's threshold, above which it
    binds (None without that option); ``shares_by_period``: the proposer's share in each
    period (finite horizon; None for the stationary solution).
    """

    model: Rubinstein
    proposer_share: Param
    responder_share: Param
    counter_share: Param
    regime: str
    binding: tuple[Any, Any]
    thresholds: tuple[Param | None, Param | None]
    shares_by_period: tuple[Param, ...] | None

    def verify(self) -> Certificate:
        """Numeric: the responder's indifference (or binding option) and the proposer's
        no-deviation condition in every period, exactly.  Symbolic: the numeric model at
        random rational points equals the symbolic shares there."""
        if self.model.symbolic:
            return _sample_check(self)
        m = self.model
        c1, c2, k1, k2 = m._ck()
        w1, w2 = m.outside_option or (None, None)
        b1, b2 = m.disagreement
        shares = self.shares_by_period or (self.proposer_share, self.counter_share)
        stationary = self.shares_by_period is None
        worst = Fraction(0)
        dev = Fraction(0)
        for t, s in enumerate(shares):
            resp2 = t % 2 == 0
            w, b, c, k = (w2, b2, c2, k2) if resp2 else (w1, b1, c1, k1)
            pc, pk = (c1, k1) if resp2 else (c2, k2)
            last = not stationary and t == len(shares) - 1
            nxt = shares[(t + 1) % 2] if stationary else (None if last else shares[t + 1])
            cont = b if nxt is None else c + k * nxt
            keep = option_max(w, cont)
            worst = max(worst, abs(Fraction(1 - s) - Fraction(keep)))
            # the proposer's value if its offer is refused
            if w is not None and w > cont:
                alt = Fraction(0)
            elif nxt is None:
                alt = b1 if resp2 else b2
            else:
                alt = pc + pk * (1 - nxt)
            dev = max(dev, Fraction(alt) - Fraction(s))
        shares_ok = all(0 <= Fraction(s) <= 1 for s in shares)
        shares_ok = shares_ok and self.responder_share == 1 - self.proposer_share
        shares_ok = shares_ok and self.proposer_share == shares[0]
        if not stationary and len(shares) > 1:
            shares_ok = shares_ok and self.counter_share == shares[1]
        ok = worst == 0 and dev <= 0 and shares_ok
        return Certificate(
            ok,
            {"indifference_residual": worst, "proposer_deviation_gain": max(dev, Fraction(0))},
            True,
            checks=("responder gets exactly its best alternative", "proposer prefers agreement"),
        )

    def summary(self) -> Summary:
        m = self.model
        rows: list[tuple[str, Any]] = [
            ("delta", (m.delta1, m.delta2)),
            ("breakdown", m.breakdown),
            ("proposer share", self.proposer_share),
            ("responder share", self.responder_share),
            ("regime", self.regime),
        ]
        if m.outside_option is not None:
            rows.append(("outside options", m.outside_option))
            rows.append(("thresholds", self.thresholds))
        if m.horizon is not None:
            rows.append(("horizon", m.horizon))
        return Summary("Rubinstein bargaining (subgame-perfect equilibrium)", tuple(rows))


def _sample_check(result: RubinsteinResult, points: int = 8, seed: int = 0) -> Certificate:
    m = result.model
    w = m.outside_option or (None, None)
    vals = [m.delta1, m.delta2, m.breakdown, *m.disagreement, *(x for x in w if x is not None)]
    syms = sorted(set().union(*(to_sympy(v).free_symbols for v in vals)), key=lambda s: s.name)
    rng = random.Random(seed)
    checked, bad = 0, 0
    for _ in range(60 * points):
        if checked >= points:
            break
        sub = {s: sp.Rational(rng.randint(1, 999), 1000) for s in syms}

        def num(v: Param | None, sub: dict[Any, Any] = sub) -> Any:
            return None if v is None else to_sympy(v).xreplace(sub)

        try:
            model = type(m)(
                num(m.delta1),
                num(m.delta2),
                num(m.breakdown),
                (num(m.disagreement[0]), num(m.disagreement[1])),
                None if m.outside_option is None else (num(w[0]), num(w[1])),
                m.horizon,
            )
        except ModelError:
            continue
        checked += 1
        at = {
            f: substituted(getattr(result, f), sub)
            for f in ("proposer_share", "responder_share", "counter_share", "shares_by_period")
        }
        if not replace(result, model=model, **at).verify().ok:
            bad += 1
    return Certificate(
        checked > 0 and bad == 0,
        {"points": checked, "failed_points": bad},
        True,
        checks=(
            "the symbolic shares, substituted exactly at random rational points, pass the "
            "numeric certificate there",
        ),
    )
