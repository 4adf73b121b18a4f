"""Unobservable militarisation and preventive strikes: Debs & Monteiro (2014), stylised.

*Stylised*: this reproduces Debs and Monteiro's three headline claims (transparency gives
peace; more effective strikes make counter-proliferation work better; and a larger share of
strikes hits states that are not militarising), not the paper's exact game.

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
    P(war) = sigma q + (1 - sigma q) a;   P(strike on a non-investor) = (1 - sigma) a
    share of no-evidence strikes that hit a non-investor = 1 - mu*  (mixed regime)

That is the model's selection (``regime``: peace, else war, else mixed).  The classes can
coexist.  With ``A = Delta - k - q (e Delta + c_T)`` (T's gain from investing against a
defender who strikes on evidence only) and ``W = (1 - e) Delta - k`` (its gain against one who
always strikes), T's gain is ``A`` at ``a = 0`` and ``W`` at ``a = 1``, affine in between, so:
peace exists iff ``A <= 0``; war iff ``W >= 0`` (against a defender who always strikes,
abstaining does not avoid the strike); and an equilibrium in which T mixes iff the gain
vanishes at some ``a`` in [0, 1] (``A`` and ``W`` of opposite signs, or one of them 0) and,
at ``q = 1``, only if ``A = 0``: every investment is then seen, the belief without evidence is
0 < mu*, D holds without evidence, and T mixes only when indifferent at ``a = 0``.  For
``q_bar < q < 1`` and ``(1 - e) Delta > k`` peace, war and a mixed equilibrium all exist.
``existence`` gives the condition for each class; the summary flags multiple equilibria.

Coe & Vaynman (2020) window: if monitoring at intensity q costs T ``theta q`` in exposed
secrets, an arms-control deal exists only if ``theta q_bar <= surplus``
(:meth:`ProliferationResult.monitoring_window`).

The certificates re-derive every reported field from the explicit strategic form
(:meth:`Proliferation.as_game`): its exact equilibria, payoffs and event probabilities
(:mod:`negotiate.theory._proliferation_check`).

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
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.normal import NormalFormGame
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory import _proliferation_check as check
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

        # T's gain from investing is A at a = 0 and W at a = 1 (affine in a): T can mix iff it
        # vanishes on [0, 1], i.e. A and W of opposite signs or one of them 0 (peace iff
        # A <= 0, war iff W >= 0).  At q = 1 no investor goes unseen, the belief without
        # evidence is 0 < mu*, so a = 0 and T mixes only when A = 0.
        gain_a0 = g - k - q * (e * g + c_t)
        mixed_exists = sp.And(
            sp.Or(
                sp.And(_as_bool(ge(gain_a0, 0)), _as_bool(ge(k, (1 - e) * g))),
                sp.And(_as_bool(peace), _as_bool(war)),
            ),
            sp.Or(_as_bool(gt(1, q)), _as_bool(_eq(gain_a0, 0))),
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


def _eq(a: Param, b: Param) -> Cond:
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Eq(a, b)
    return bool(a == b)


def _as_bool(c: Cond) -> sp.Basic:
    return sp.true if c is True else sp.false if c is False else c


def _tidy(x: Param) -> Param:
    return sp.piecewise_fold(x) if isinstance(x, sp.Basic) else x


@dataclass(frozen=True, repr=False)
class ProliferationResult(ResultMixin):
    """``regime`` ("peace" | "mixed" | "war"; "conditional" for symbolic models, see
    ``regions``, the model's selection: peace, else war, else mixed); ``existence`` (for each
    class, whether / where an equilibrium of that class exists; several can);
    ``invest_probability`` sigma; ``strike_probability`` a (strike without evidence);
    ``war_probability``; ``p_mistaken_strike`` P(strike on a non-investor);
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
        """Coe-Vaynman: monitoring at intensity ``q`` costs the target ``theta q``; a deal
        needs ``q >= q_bar`` (no lower than 0, and attainable only if ``q_bar <= 1``), so it
        exists iff ``q_bar <= 1`` and ``theta max(q_bar, 0) <= surplus``."""
        if self.model.symbolic:
            raise NotApplicableError(
                "the monitoring window needs numeric parameters", ("solve", "solve_for")
            )
        theta = as_fraction(secrecy_cost, "secrecy_cost")
        if theta < 0:
            raise ModelError("secrecy_cost", secrecy_cost, "must be >= 0")
        s = as_fraction(surplus, "surplus")
        q_bar = Fraction(self.transparency_threshold)
        cost = theta * max(q_bar, Fraction(0))
        return MonitoringWindow(
            model=self.model,
            secrecy_cost=theta,
            surplus=s,
            transparency_threshold=q_bar,
            cost=cost,
            slack=s - cost,
            open=q_bar <= 1 and cost <= s,
        )

    def verify(self) -> Certificate:
        """Numeric: every field re-derived from the explicit strategic form.

        Which equilibrium classes exist (all its extreme equilibria, exactly) and hence the
        selected regime and its regions; the reported ``(sigma, a)``: exact regret 0 in the
        strategic form and of the selected class; ``war_probability``, ``p_mistaken_strike``
        and ``mistaken_strike_share`` summed event by event over the strategy pairs;
        ``transparency_threshold``: the target's gain from investing against deterrence (read
        from the games at q = 0 and q = 1) vanishes there and falls in q; ``belief_threshold``:
        the defender is indifferent about striking without evidence at that belief.  Symbolic:
        exact substitution at sample points, each checked this way.
        """
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
        bad: list[str] = []
        classes, n_extreme = check.equilibrium_classes(m)
        if dict(self.existence) != classes:
            bad.append(f"existence {dict(self.existence)}; the strategic form gives {classes}")
        selected = next(c for c in check.CLASSES if classes[c])
        regime = self.regime
        if regime == "conditional":  # a symbolic record substituted at a point
            held = [r for r, v in self.regions.items() if v is True]
            regime = held[0] if len(held) == 1 else f"regions {held}"
        if regime != selected:
            bad.append(f"regime {regime}; the selection gives {selected}")
        if dict(self.regions) != {r: r == selected for r in ("peace", "mixed", "war")}:
            bad.append(f"regions {dict(self.regions)} do not single out {selected}")
        sigma, a = _number(self.invest_probability), _number(self.strike_probability)
        regret: Fraction | None = None
        if sigma is None or a is None or not (0 <= sigma <= 1 and 0 <= a <= 1):
            bad.append(f"(sigma, a) = ({self.invest_probability}, {self.strike_probability})")
        else:
            regret = check.profile_regret(m, sigma, a)
            if regret != 0:
                bad.append(f"(sigma, a) has regret {regret} in the strategic form")
            of_class = {"peace": (sigma, a) == (0, 0), "war": (sigma, a) == (1, 1)}
            if not of_class.get(selected, 0 < sigma < 1):
                bad.append(f"(sigma, a) = ({sigma}, {a}) is not the {selected} equilibrium")
            war, mistaken, blind = check.event_probabilities(m, sigma, a)
            share = mistaken / blind if selected == "mixed" and blind else None
            for name, value in (
                ("war_probability", war),
                ("p_mistaken_strike", mistaken),
                ("mistaken_strike_share", share),
            ):
                reported = getattr(self, name)
                if (reported is None) != (value is None) or (
                    value is not None and _number(reported) != value
                ):
                    bad.append(f"{name} {reported}; the events give {value}")
        q_bar, mu = _number(self.transparency_threshold), _number(self.belief_threshold)
        at_zero, slope = check.target_gain_line(m)
        threshold_gain = None if q_bar is None else at_zero + slope * q_bar
        if threshold_gain != 0 or slope >= 0:
            bad.append(
                f"transparency_threshold {self.transparency_threshold}: the target's gain from "
                f"investing against deterrence there is {threshold_gain}, not 0"
            )
        g_inv, g_abs = check.blind_strike_gains(m)
        belief_gain = None if mu is None else mu * g_inv + (1 - mu) * g_abs
        if belief_gain != 0 or not g_inv > 0 > g_abs:
            bad.append(
                f"belief_threshold {self.belief_threshold}: the defender's gain from striking "
                f"without evidence at that belief is {belief_gain}, not 0"
            )
        return Certificate(
            ok=not bad,
            quantities={
                "max_regret": regret,
                "extreme_equilibria": n_extreme,
                "target_gain_at_threshold": threshold_gain,
                "defender_gain_at_belief": belief_gain,
            },
            checks=(
                "the equilibrium classes that exist, from all extreme equilibria of the "
                "strategic form; the regime is the first of peace, war, mixed",
                "the reported (sigma, a): regret 0 in the strategic form, of that class",
                "war, mistaken-strike probabilities and share: summed over the events",
                "q_bar: the target is indifferent there against a defender who strikes on "
                "evidence only; mu*: the defender is indifferent without evidence",
            ),
            notes=tuple(bad),
        )

    def summary(self) -> Summary:
        notes: tuple[str, ...] = (STYLISED,)
        others = [k for k, v in self.existence.items() if v is True and k != self.regime]
        if others:
            notes += (
                f"multiple equilibria: {', '.join(others)} also exist; the {self.regime} "
                "equilibrium is reported (the model's selection rule)",
            )
        return summarise(
            self, "Proliferation and preventive strikes (Debs-Monteiro, stylised)", notes
        )


def _number(x: Any) -> Fraction | None:
    """``x`` as an exact number; ``None`` when it is not one (a certificate then fails)."""
    if isinstance(x, bool) or not isinstance(x, Fraction | int):
        return None
    return Fraction(x)


@dataclass(frozen=True, repr=False)
class MonitoringWindow(ResultMixin):
    """Coe-Vaynman window: monitoring at ``transparency_threshold`` q_bar costs the target
    ``cost`` = theta max(q_bar, 0); ``slack`` = surplus - cost; ``open`` iff q_bar <= 1 and
    the cost fits in the deal ``surplus``."""

    model: Proliferation
    secrecy_cost: Fraction
    surplus: Fraction
    transparency_threshold: Fraction
    cost: Fraction
    slack: Fraction
    open: bool

    def verify(self) -> Certificate:
        """q_bar re-derived from the explicit strategic form (the target's gain from investing
        against deterrence vanishes there and falls in q); cost, slack and ``open`` from it."""
        if self.model.symbolic:
            raise NotApplicableError("the monitoring window needs numeric parameters")
        bad: list[str] = []
        at_zero, slope = check.target_gain_line(self.model)
        q_bar = self.transparency_threshold
        if at_zero + slope * q_bar != 0 or slope >= 0:
            bad.append(f"transparency_threshold {q_bar} is not where investing stops paying")
        cost = self.secrecy_cost * max(q_bar, Fraction(0))
        if self.cost != cost:
            bad.append(f"cost {self.cost}; secrecy_cost * max(q_bar, 0) = {cost}")
        if self.slack != self.surplus - self.cost:
            bad.append(f"slack {self.slack}; surplus - cost = {self.surplus - self.cost}")
        if self.open is not (q_bar <= 1 and self.cost <= self.surplus):
            bad.append(f"open is {self.open}")
        return Certificate(
            ok=not bad,
            quantities={
                "slack": self.surplus - cost,
                "target_gain_at_threshold": at_zero + slope * q_bar,
            },
            checks=(
                "q_bar: the target is indifferent there against a defender who strikes on "
                "evidence only (explicit strategic form)",
                "cost = secrecy_cost * max(q_bar, 0); slack = surplus - cost",
                "open iff q_bar <= 1 and the cost fits in the surplus",
            ),
            notes=tuple(bad),
        )

    def summary(self) -> Summary:
        return summarise(
            self, "Arms-control monitoring window (Coe-Vaynman, stylised)", (STYLISED,)
        )


def _cmp_share(sym_value: Any, numeric: Any) -> bool:
    if numeric is None:
        return bool(sym_value == 0)
    return bool(sym_value == numeric)
