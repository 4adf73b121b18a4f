"""Unobservable militarisation and preventive strikes: Debs & Monteiro (2014), stylised.

*Stylised*: this reproduces Debs and Monteiro's three headline claims (transparency gives
peace; more effective strikes make counter-proliferation work better; and a larger share of
strikes hits states that are not militarising), not the paper's exact game.
See docs/models/proliferation.md.

The target T secretly invests (probability ``sigma``) at cost ``k``; success shifts ``Delta``
of the stake to T.  An investment is detected with probability ``q`` (no false positives).
The defender D strikes at cost ``c_D`` (``c_T`` to T); a strike stops a programme with
probability ``e``.  Assumption A1: ``e Delta > c_D`` (D strikes on evidence).  Without
evidence D's belief is ``mu = sigma (1 - q)/(sigma (1 - q) + 1 - sigma)`` and D strikes
(probability ``a``) iff ``mu >= mu* = c_D/(e Delta)``::

    transparency threshold  q_bar = (Delta - k)/(e Delta + c_T)
    q >= q_bar:                         peace (sigma = a = 0)
    q <  q_bar and (1 - e) Delta >= k:  war (sigma = a = 1)
    otherwise mixed:  sigma* = mu*/(mu* + (1 - q)(1 - mu*))
                      a*     = [Delta (1 - q e) - q c_T - k]/[(1 - q) e Delta - q c_T]

That is the selection of docs/models/proliferation.md (``regime``).  The classes can
coexist: the war
equilibrium exists whenever ``(1 - e) Delta >= k`` (against a defender who always strikes,
abstaining does not avoid the strike), so for ``q_bar < q < 1`` and ``(1 - e) Delta > k`` peace,
war and a mixed equilibrium (the same ``sigma*``, ``a*``) all exist.  At ``q = 1`` there is no
mixed one: every investment is seen, so the belief without evidence is 0, below ``mu*``.
``existence`` gives the condition for each class; the summary flags multiple equilibria.
    P(war) = sigma q + (1 - sigma q) a;   P(strike on a non-investor) = (1 - sigma) a
    share of no-evidence strikes that hit a non-investor = 1 - mu*  (mixed regime)

Coe & Vaynman (2020) window: if monitoring at intensity q costs T ``theta q`` in exposed
secrets, an arms-control deal exists only if ``theta q_bar <= surplus``
(:meth:`ProliferationResult.monitoring_window`).

Sources: Debs & Monteiro (2014) "Known unknowns: power shifts, uncertainty, and war",
International Organization 68(1); Coe & Vaynman (2020) "Why arms control is so rare",
APSR 114(2).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import NotApplicableError
from negotiate.games.normal import NormalFormGame
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import NONNEG, Param, Spec
from negotiate.theory._commitment import (
    Cond,
    ModelBase,
    ParamLike,
    ge,
    gt,
    ratio,
    require,
    sample_certificate,
    summarise,
)

__all__ = ["MonitoringWindow", "Proliferation", "ProliferationResult"]

STYLISED = "stylised Debs-Monteiro model: headline claims, not the paper's exact game"
_UNIT = (0, 1, False, False)
_POS = (0, None, True, False)


class Proliferation(ModelBase):
    """Secret investment against preventive strikes under imperfect detection (stylised).

    Parameters: ``gain`` Delta > 0; ``invest_cost`` k > 0; ``target_strike_cost`` c_T >= 0;
    ``defender_strike_cost`` c_D > 0; ``detection`` q and ``effectiveness`` e in [0, 1] with
    A1: ``e Delta > c_D``.
    """

    gain = Spec("Delta, the target's gain from a weapon", _POS)
    invest_cost = Spec("k, the target's cost of investing", _POS)
    target_strike_cost = Spec("c_T, the target's cost of being struck", NONNEG)
    defender_strike_cost = Spec("c_D, the defender's cost of striking", _POS)
    detection = Spec("q, the probability that an investment is detected", _UNIT)
    effectiveness = Spec("e, the probability that a strike stops the programme", _UNIT)
    _KEY = "transparency"

    def _validate(self) -> None:
        require(
            gt(self.effectiveness * self.gain, self.defender_strike_cost),
            "effectiveness",
            self.effectiveness,
            "assumption A1 fails: effectiveness * gain must exceed defender_strike_cost "
            "(otherwise the defender never strikes, even on evidence)",
        )

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        g, k, c_t, _, q, e = (values[n] for n in self._PARAMS)
        return q * (e * g + c_t), g - k  # q >= q_bar, cleared of the positive denominator

    def as_game(self) -> NormalFormGame:
        """The strategic form: T invests or abstains; D picks a strike rule
        ``(on evidence, without evidence)`` from ``{strike, hold}^2``.

        Payoffs are expected values over detection (``q``) and strike success (``e``): a
        struck programme survives with probability ``1 - e`` and is worth ``Delta`` to T and
        ``-Delta`` to D; a strike costs ``c_T`` and ``c_D``; investing costs ``k``.  Its Nash
        equilibria (all, exactly, by enumeration) cross-check :meth:`solve`: ``sigma`` is
        T's probability of investing and ``a`` D's probability of striking without evidence.
        """
        if self.symbolic:
            raise NotApplicableError("as_game needs numeric parameters", ("solve", "solve_for"))
        g, k, c_t, c_d = (Fraction(getattr(self, n)) for n in self._PARAMS[:4])
        q, e = Fraction(self.detection), Fraction(self.effectiveness)
        rules = [(a1, a2) for a1 in ("strike", "hold") for a2 in ("strike", "hold")]

        def against_investor(action: str) -> tuple[Fraction, Fraction]:
            if action == "strike":
                return (1 - e) * g - c_t, -(1 - e) * g - c_d
            return g, -g

        t_rows: list[list[Fraction]] = [[], []]
        d_rows: list[list[Fraction]] = [[], []]
        for on_evidence, without in rules:
            seen, unseen = against_investor(on_evidence), against_investor(without)
            t_rows[0].append(-k + q * seen[0] + (1 - q) * unseen[0])
            d_rows[0].append(q * seen[1] + (1 - q) * unseen[1])
            t_rows[1].append(-c_t if without == "strike" else Fraction(0))
            d_rows[1].append(-c_d if without == "strike" else Fraction(0))
        return NormalFormGame.from_arrays(
            t_rows,
            d_rows,
            players=["target", "defender"],
            strategies=[["invest", "abstain"], [f"{a1}/{a2}" for a1, a2 in rules]],
            title="Proliferation (Debs-Monteiro, stylised)",
        )

    def solve(self) -> ProliferationResult:
        g, k, c_t, c_d = (
            self.gain,
            self.invest_cost,
            self.target_strike_cost,
            self.defender_strike_cost,
        )
        q, e = self.detection, self.effectiveness
        q_bar = ratio(g - k, e * g + c_t, "target_strike_cost")
        mu = ratio(c_d, e * g, "effectiveness")
        peace = ge(q * (e * g + c_t), g - k)
        war = ge((1 - e) * g, k)
        sigma_m = ratio(mu, mu + (1 - q) * (1 - mu), "detection")

        def a_mixed() -> Param:  # positive denominator in the mixed regime only
            return ratio(g * (1 - q * e) - q * c_t - k, (1 - q) * e * g - q * c_t, "detection")

        # Beside peace and war, the mixed profile needs an investor that can go undetected
        # (q < 1): at q = 1 no investor is left unseen, the no-evidence belief is 0 < mu*,
        # and sigma* = mu*/(mu* + 0) = 1 is no mixing (q = 1 with neither peace nor war
        # cannot occur: q < q_bar then gives (1 - e) Delta - k > c_T >= 0, i.e. war).
        mixed_exists = sp.Or(
            sp.And(sp.Not(_as_bool(peace)), sp.Not(_as_bool(war))),
            sp.And(
                _as_bool(gt(q * (e * g + c_t), g - k)),
                _as_bool(gt((1 - e) * g, k)),
                _as_bool(gt(1, q)),
            ),
        )
        existence: dict[str, Cond] = {"peace": peace, "mixed": mixed_exists, "war": war}
        if isinstance(peace, sp.Basic) or isinstance(war, sp.Basic):
            regions = {
                "peace": peace,
                "war": sp.And(sp.Not(peace), war),
                "mixed": sp.And(sp.Not(peace), sp.Not(war)),
            }
            sigma: Param = sp.Piecewise((0, peace), (1, war), (sigma_m, True))
            a: Param = sp.Piecewise((0, peace), (1, war), (a_mixed(), True))
            share: Param | None = sp.Piecewise((0, peace), (0, war), (1 - mu, True))
            regime = "conditional"
        else:
            existence = {name: bool(cond) for name, cond in existence.items()}
            regime = "peace" if peace else "war" if war else "mixed"
            regions = {r: r == regime for r in ("peace", "mixed", "war")}
            if regime == "mixed":
                sigma, a = sigma_m, a_mixed()
            else:
                sigma = a = Fraction(regime == "war")
            share = 1 - mu if regime == "mixed" else None
        p_war = sigma * q + (1 - sigma * q) * a
        p_mistaken = (1 - sigma) * a
        return ProliferationResult(
            model=self,
            regime=regime,
            regions=regions,
            existence=existence,
            invest_probability=sigma,
            strike_probability=a,
            war_probability=_tidy(p_war),
            p_mistaken_strike=_tidy(p_mistaken),
            mistaken_strike_share=share,
            transparency_threshold=q_bar,
            belief_threshold=mu,
        )


def _as_bool(c: Cond) -> sp.Basic:
    return sp.true if c is True else sp.false if c is False else c


def _tidy(x: Param) -> Param:
    return sp.piecewise_fold(x) if isinstance(x, sp.Basic) else x


@dataclass(frozen=True, repr=False)
class ProliferationResult(ResultMixin):
    """``regime`` ("peace" | "mixed" | "war"; "conditional" for symbolic models, see
    ``regions``, the selection of docs/models/proliferation.md); ``existence`` (for each
    class, whether /
    where an equilibrium of that class exists; several can); ``invest_probability`` sigma;
    ``strike_probability`` a (strike without evidence); ``war_probability``;
    ``p_mistaken_strike`` P(strike on a non-investor);
    ``mistaken_strike_share`` 1 - mu* (mixed regime; ``None`` otherwise, 0 in symbolic
    results); ``transparency_threshold`` q_bar; ``belief_threshold`` mu*."""

    model: Proliferation
    regime: str
    regions: dict[str, Cond]
    existence: dict[str, Cond]
    invest_probability: Param
    strike_probability: Param
    war_probability: Param
    p_mistaken_strike: Param
    mistaken_strike_share: Param | None
    transparency_threshold: Param
    belief_threshold: Param

    def monitoring_window(self, secrecy_cost: ParamLike, surplus: ParamLike) -> MonitoringWindow:
        """Coe-Vaynman: a deal with monitoring at ``q_bar`` exists iff theta q_bar <= surplus."""
        theta = as_fraction(secrecy_cost, "secrecy_cost")
        s = as_fraction(surplus, "surplus")
        cost = theta * Fraction(self.transparency_threshold)
        return MonitoringWindow(secrecy_cost=theta, surplus=s, cost=cost, open=cost <= s)

    def verify(self) -> Certificate:
        """Numeric: best responses of both players at the equilibrium (sigma, a)."""
        m = self.model
        if m.symbolic:
            return sample_certificate(
                m,
                self,
                comparators={"mistaken_strike_share": _cmp_share, "regime": lambda s, n: True},
                ranges={
                    "gain": (Fraction(0), Fraction(1)),
                    "invest_cost": (Fraction(0), Fraction(1)),
                },
            )
        gains = _best_response_gains(m, self.invest_probability, self.strike_probability)
        ok = gains[2]
        checks = ["the reported (sigma, a): mutual best responses at the Bayesian belief"]
        mu = Fraction(self.belief_threshold)
        q = Fraction(m.detection)
        sigma_m = mu / (mu + (1 - q) * (1 - mu)) if q < 1 else None
        for name, exists in self.existence.items():
            if not exists or name == self.regime:
                continue
            if name == "mixed":
                e, g = Fraction(m.effectiveness), Fraction(m.gain)
                num = g * (1 - q * e) - q * m.target_strike_cost - m.invest_cost
                den = (1 - q) * e * g - q * m.target_strike_cost
                profile = (sigma_m, num / den) if sigma_m is not None and den else None
            else:
                profile = (Fraction(name == "war"), Fraction(name == "war"))
            ok = ok and profile is not None and _best_response_gains(m, *profile)[2]
            checks.append(f"the coexisting {name} equilibrium is also one")
        return Certificate(
            ok=bool(ok),
            quantities={"target_invest_gain": gains[0], "defender_strike_gain": gains[1]},
            checks=tuple(checks),
        )

    def summary(self) -> Summary:
        notes: tuple[str, ...] = (STYLISED,)
        others = [k for k, v in self.existence.items() if v is True and k != self.regime]
        if others:
            notes += (
                f"multiple equilibria: {', '.join(others)} also exist; the {self.regime} "
                "equilibrium is reported (docs/models/proliferation.md selection)",
            )
        return summarise(
            self, "Proliferation and preventive strikes (Debs-Monteiro, stylised)", notes
        )


def _best_response_gains(m: Proliferation, sigma: Any, a: Any) -> tuple[Fraction, Fraction, bool]:
    """T's gain from investing and D's from striking without evidence, and whether
    ``(sigma, a)`` are best responses to each other (D strikes on evidence, by A1)."""
    g, k, c_t, c_d = (Fraction(getattr(m, n)) for n in m._PARAMS[:4])
    q, e = Fraction(m.detection), Fraction(m.effectiveness)
    sigma, a = Fraction(sigma), Fraction(a)
    struck = (1 - e) * g - c_t
    invest = -k + q * struck + (1 - q) * (a * struck + (1 - a) * g)
    t_gain = invest - (-a * c_t)
    no_evidence = sigma * (1 - q) + (1 - sigma)
    mu = sigma * (1 - q) / no_evidence if no_evidence else Fraction(1)
    d_gain = mu * e * g - c_d
    ok_t = (sigma == 0 and t_gain <= 0) or (sigma == 1 and t_gain >= 0) or t_gain == 0
    ok_d = (a == 0 and d_gain <= 0) or (a == 1 and d_gain >= 0) or d_gain == 0
    return t_gain, d_gain, ok_t and ok_d


@dataclass(frozen=True, repr=False)
class MonitoringWindow(ResultMixin):
    """Coe-Vaynman window: ``cost`` theta q_bar against the deal ``surplus``; ``open``."""

    secrecy_cost: Fraction
    surplus: Fraction
    cost: Fraction
    open: bool

    def verify(self) -> Certificate:
        return Certificate(
            ok=(self.cost <= self.surplus) == self.open,
            quantities={"slack": self.surplus - self.cost},
            checks=("open iff the monitoring cost at q_bar fits in the surplus",),
        )

    def summary(self) -> Summary:
        return summarise(
            self, "Arms-control monitoring window (Coe-Vaynman, stylised)", (STYLISED,)
        )


def _cmp_share(sym_value: Any, numeric: Any) -> bool:
    if numeric is None:
        return bool(sym_value == 0)
    return bool(sym_value == numeric)
