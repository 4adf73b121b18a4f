"""The Trust (Kydd) and CostlySignals (Fearon 1997) models re-derived as signalling games.

docs/models/trust.md and M9 (both *stylised*).  Each closed form of negotiate.theory is encoded as a
SignalingGame and perfect_bayesian must find the equilibrium classes, thresholds, signals,
war probabilities and expected payoffs the closed forms predict.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
import sympy as sp

from negotiate.expr import symbol
from negotiate.games.signaling import SignalingGame
from negotiate.solvers.pbe.conditions import holds
from negotiate.solvers.pbe.result import PerfectBayesianEquilibrium
from negotiate.solvers.pbe.solve import perfect_bayesian
from negotiate.theory.signals import CostlySignals
from negotiate.theory.trust import Reassurance, Trust

F = Fraction


# --------------------------------------------------------------------------- Kydd (M7)
def kydd(
    prior: Any, c: Any, s: Any, b_tw: Any, b_ut: Any, k_tw: Any, k_ut: Any, params: Any = None
) -> SignalingGame:
    """US (trustworthy or not) may send a reassurance signal of size ``s`` at unit cost
    ``k_t``; Iran trusts (cooperates) or not.  Iran gets R = 1 trusting a trustworthy US,
    S = -c trusting an untrustworthy one, P = 0 otherwise; the US gets B_t if trusted."""
    benefit = {"trustworthy": b_tw, "untrustworthy": b_ut}
    unit = {"trustworthy": k_tw, "untrustworthy": k_ut}

    def us(t: str, m: str, a: str) -> str:
        gain = f"({benefit[t]})" if a == "cooperate" else "0"
        return gain + (f" - ({unit[t]})*({s})" if m == "reassure" else "")

    def iran(t: str, a: str) -> str:
        return "0" if a == "defect" else ("1" if t == "trustworthy" else f"-({c})")

    return SignalingGame.from_dict(
        {
            "sender": "US",
            "receiver": "Iran",
            "types": {
                "trustworthy": {"prior": str(prior)},
                "untrustworthy": {"prior": f"1 - ({prior})"},
            },
            "messages": ["reassure", "none"],
            "actions": ["cooperate", "defect"],
            "payoffs": {
                t: {
                    m: {a: {"US": us(t, m, a), "Iran": iran(t, a)} for a in ("cooperate", "defect")}
                    for m in ("reassure", "none")
                }
                for t in ("trustworthy", "untrustworthy")
            },
            "parameters": params or {},
        }
    )


def trusting_pools(result: Any) -> list[PerfectBayesianEquilibrium]:
    """Pooling on no signal with Iran trusting: cooperation on the prior alone."""
    return [
        e
        for e in result.of_kind("pooling")
        if e.sender_strategy["trustworthy"] == "none" and e.receiver_strategy["none"] == "cooperate"
    ]


@pytest.mark.parametrize(("c", "expected"), [("1", F(1, 2)), ("3", F(3, 4)), ("1/2", F(1, 3))])
def test_m7_t1_trust_threshold(c, expected):
    threshold = (
        Trust(prior="1/2", sucker_cost=c, p_exit_trustworthy="1/10", p_exit_untrustworthy="4/5")
        .solve()
        .threshold
    )
    assert threshold == expected
    game = kydd("pi", c, 1, 1, "3/2", "1/2", 2, {"pi": {"domain": [0, 1]}})
    result = perfect_bayesian(game)
    pools = trusting_pools(result)
    assert pools
    pi = symbol("pi")
    for eq in pools:
        assert eq.condition == sp.And(pi >= threshold, pi < 1)
        # off path, trust after a reassurance needs mu(trustworthy|reassure) >= pi*
        off = eq.beliefs["reassure"]
        if eq.receiver_strategy["reassure"] == "cooperate":
            assert str(off.condition) == f"mu(trustworthy|reassure) >= {threshold}"
    # the exact method at the threshold itself: Iran trusts (ties trust)
    at = perfect_bayesian(game.bind({"pi": threshold}))
    assert trusting_pools(at)
    below = perfect_bayesian(game.bind({"pi": threshold - F(1, 1000)}))
    assert not trusting_pools(below)


def separating(result: Any) -> list[PerfectBayesianEquilibrium]:
    return [
        e for e in result.of_kind("separating") if e.sender_strategy["trustworthy"] == "reassure"
    ]


def test_m7_t3_least_cost_reassurance():
    model = Reassurance("1", "3/2", "1/2", "2").solve()
    assert model.separating and model.signal == F(3, 4) and model.trustworthy_cost == F(3, 8)
    game = kydd(
        "pi", 1, "s", 1, "3/2", "1/2", 2, {"pi": {"domain": [0, 1]}, "s": {"domain": [0, 4]}}
    )
    result = perfect_bayesian(game)
    (eq,) = separating(result)
    s, pi = symbol("s"), symbol("pi")
    # untrustworthy will not pay B_UT/k_UT = s*; trustworthy pays up to B_TW/k_TW = 2
    assert eq.condition == sp.And(s >= model.signal, s <= 2, pi > 0, pi < 1)
    assert result.regions["separating"] == eq.condition
    assert dict(eq.receiver_strategy) == {"reassure": "cooperate", "none": "defect"}
    # the trustworthy type pays k_TW s* at the least-cost signal
    bound = perfect_bayesian(game.bind({"s": model.signal, "pi": "1/3"}))
    (sep,) = separating(bound)
    assert sep.type_payoffs["trustworthy"] == 1 - model.trustworthy_cost
    assert sep.type_payoffs["untrustworthy"] == 0
    assert not separating(perfect_bayesian(game.bind({"s": model.signal - F(1, 100), "pi": "1/3"})))
    assert result.verify().ok


def test_m7_t4_equal_costs_no_separation():
    model = Reassurance("1", "3/2", "1/2", "1/2").solve()
    assert not model.separating and model.signal == 3
    game = kydd("1/2", 1, "s", 1, "3/2", "1/2", "1/2", {"s": {"domain": [0, 10]}})
    result = perfect_bayesian(game)
    assert not separating(result)
    assert result.regions["separating"] == sp.false


# --------------------------------------------------------------------------- Fearon (M9)
def resolve(v: Fraction, c: Fraction) -> Fraction:
    """D's payoff when challenged without a commitment: fight iff v >= c (ties fight)."""
    return v - c if v >= c else F(0)


def tying_hands(
    h: Any, c: Fraction, values: list[Fraction], priors: list[Fraction], params: Any = None
) -> SignalingGame:
    """D (type = its value v) commits (ties hands: it then fights) or not; the soft challenger
    (receiver) challenges or not; a hard challenger (probability h) always challenges.  The
    soft challenger gains 1 if D backs down and loses 1/2 in war."""
    pay = {}
    for v in values:
        fv = resolve(v, c)
        pay[f"v={v}"] = {
            "commit": {
                "challenge": {"D": str(v - c), "C": "-1/2"},
                "not": {"D": f"{v} - ({h})*{c}", "C": 0},
            },
            "none": {
                "challenge": {"D": str(fv), "C": "-1/2" if v >= c else 1},
                "not": {"D": f"({h})*{fv} + (1 - ({h}))*{v}", "C": 0},
            },
        }
    return SignalingGame.from_dict(
        {
            "sender": "D",
            "receiver": "C",
            "types": {f"v={v}": {"prior": str(p)} for v, p in zip(values, priors, strict=True)},
            "messages": ["commit", "none"],
            "actions": ["challenge", "not"],
            "payoffs": pay,
            "parameters": params or {},
        }
    )


def sinking_costs(h: Fraction, c: Fraction, m: Any, params: Any = None) -> SignalingGame:
    """D pays m up front (sinks costs) or not; types are the midpoints of [0, c) (irresolute)
    and [c, 1] (resolved), weighted by the uniform masses c and 1 - c."""
    values = {"irresolute": c / 2, "resolved": (1 + c) / 2}
    pay: dict[str, Any] = {}
    for t, v in values.items():
        fv = resolve(v, c)
        for msg, cost in (("sink", f" - ({m})"), ("none", "")):
            pay.setdefault(t, {})[msg] = {
                "challenge": {"D": f"{fv}{cost}", "C": "-1/2" if v >= c else 1},
                "not": {"D": f"{h * fv + (1 - h) * v}{cost}", "C": 0},
            }
    return SignalingGame.from_dict(
        {
            "sender": "D",
            "receiver": "C",
            "types": {"irresolute": {"prior": str(c)}, "resolved": {"prior": str(1 - c)}},
            "messages": ["sink", "none"],
            "actions": ["challenge", "not"],
            "payoffs": pay,
            "parameters": params or {},
        }
    )


def war_probability(
    game: SignalingGame,
    eq: PerfectBayesianEquilibrium,
    h: Fraction,
    c: Fraction,
    values: dict[str, Fraction],
) -> Fraction:
    """P(war): D is challenged (by a hard challenger, or by the soft one) and fights."""
    total = F(0)
    for t in game.types:
        for m, q in eq.sender_mixture(t).items():
            soft = eq.receiver_mixture(m).get("challenge", F(0))
            fights = m == "commit" or values[t] >= c
            total += game.prior(t) * q * (h + (1 - h) * soft) * fights  # type: ignore[operator]
    return total


M9 = [  # docs/models/costly-signals.md test cases: h, c
    (F(3, 10), F(1, 2)),
    (F(1, 2), F(2, 5)),
    (F(1, 10), F(4, 5)),
]


@pytest.mark.parametrize(("h", "c"), M9)
def test_m9_tying_hands_cutoff_war_risk_and_payoff(h, c):
    closed = CostlySignals(h, c).solve().tying_hands
    cut = closed.threshold
    assert cut == h * c
    # types at the midpoints of [0, v_hat), [v_hat, c), [c, 1] with their uniform masses:
    # payoffs are linear in v on each cell, so expectations are exact
    values = [cut / 2, (cut + c) / 2, (c + 1) / 2]
    game = tying_hands(h, c, values, [cut, c - cut, 1 - c])
    result = perfect_bayesian(game)
    (eq,) = result.equilibria
    for v in values:
        assert eq.sender_strategy[f"v={v}"] == ("commit" if v >= cut else "none")
    assert eq.receiver_strategy["commit"] == "not"  # commitments deter the soft challenger
    by_type = {f"v={v}": v for v in values}
    assert war_probability(game, eq, h, c, by_type) == closed.war_probability
    assert eq.payoffs["D"] == closed.expected_payoff
    assert eq.intuitive is True and result.verify().ok


@pytest.mark.parametrize(("h", "c"), M9)
def test_m9_sinking_costs_least_signal_war_risk_and_payoff(h, c):
    closed = CostlySignals(h, c).solve().sinking_costs
    m_star = closed.signal
    assert m_star == (1 - h) * c
    game = sinking_costs(h, c, "m", {"m": {"domain": [0, 1]}})
    result = perfect_bayesian(game)
    (sep,) = [e for e in result.of_kind("separating") if e.sender_strategy["resolved"] == "sink"]
    m = symbol("m")
    # the irresolute type (v = c/2) will not pay (1 - h) c/2; the resolved pays up to m*
    assert sep.condition == sp.And(m >= (1 - h) * c / 2, m <= m_star)
    bound = perfect_bayesian(sinking_costs(h, c, m_star))
    (eq,) = [e for e in bound.of_kind("separating") if e.sender_strategy["resolved"] == "sink"]
    values = {"irresolute": c / 2, "resolved": (1 + c) / 2}
    assert war_probability(bound.game, eq, h, c, values) == closed.war_probability
    assert eq.payoffs["D"] == closed.expected_payoff
    # no bluffing at m*: the irresolute type never sinks costs in any equilibrium
    assert all("sink" not in e.sender_mixture("irresolute") for e in bound.equilibria)
    assert bound.verify().ok


def test_m9_headline_tying_hands_risks_more_war_and_pays_more():
    h, c = M9[0]
    cut = h * c
    values = [cut / 2, (cut + c) / 2, (c + 1) / 2]
    tie_game = tying_hands(h, c, values, [cut, c - cut, 1 - c])
    (tie,) = perfect_bayesian(tie_game).equilibria
    sink_game = sinking_costs(h, c, (1 - h) * c)
    (sink,) = [
        e
        for e in perfect_bayesian(sink_game).of_kind("separating")
        if e.sender_strategy["resolved"] == "sink"
    ]
    war_tie = war_probability(tie_game, tie, h, c, {f"v={v}": v for v in values})
    war_sink = war_probability(
        sink_game, sink, h, c, {"irresolute": c / 2, "resolved": (1 + c) / 2}
    )
    assert war_tie - war_sink == h * c * (1 - h)
    assert tie.payoffs["D"] - sink.payoffs["D"] == ((1 - h * c) ** 2 - (1 - c) ** 2) / 2


def test_m9_tying_hands_threshold_as_a_condition_on_h():
    """Two types, v = 1/5 < c = 1/2 <= 3/5, h symbolic: the low type commits iff h c <= 1/5."""
    c = F(1, 2)
    game = tying_hands("h", c, [F(1, 5), F(3, 5)], [F(3, 5), F(2, 5)], {"h": {"domain": [0, 1]}})
    result = perfect_bayesian(game)
    h = symbol("h")
    threshold = CostlySignals(h, c).solve().tying_hands.threshold
    (bound_h,) = sp.solve(sp.Eq(threshold, F(1, 5)), h)
    assert bound_h == sp.Rational(2, 5)
    commit_pool = [
        e
        for e in result.of_kind("pooling")
        if dict(e.sender_strategy) == {"v=1/5": "commit", "v=3/5": "commit"}
        and e.receiver_strategy["none"] == "challenge"
    ]
    (pool,) = commit_pool
    assert pool.condition == (h <= bound_h)
    (sep,) = [e for e in result.of_kind("separating") if e.sender_strategy["v=3/5"] == "commit"]
    assert sep.condition == (h >= bound_h)
    for value in (F(0), F(1, 5), F(2, 5), F(3, 5), F(1)):
        assert holds(pool.condition, {"h": value}) == (value * c <= F(1, 5))
    assert result.verify().ok


@pytest.mark.parametrize(
    ("prior", "eps", "w", "posterior"),
    [("3/5", "1/10", "4/5", F(3, 19)), ("1/2", "1/5", "3/5", F(1, 4))],  # M7-T2a, M7-T2b
)
def test_m7_t2_posterior_after_an_exit_is_bayes_rule_in_an_assessment(prior, eps, w, posterior):
    """An exogenous exit (the US is indifferent, so any exit rate is a best reply): the
    assessment with exit rates eps and w is a PBE exactly when Iran best-replies to the
    Bayes posteriors, and its belief after the exit is Trust's posterior."""
    from negotiate.solvers.pbe.exact import residuals
    from negotiate.solvers.pbe.result import build_equilibrium

    trust = Trust(prior=prior, sucker_cost=1, p_exit_trustworthy=eps, p_exit_untrustworthy=w)
    closed = trust.solve()
    assert closed.posterior == posterior
    game = SignalingGame.from_dict(
        {
            "sender": "US",
            "receiver": "Iran",
            "types": {"trustworthy": {"prior": prior}, "untrustworthy": {"prior": 1 - F(prior)}},
            "messages": ["exit", "stay"],
            "actions": ["cooperate", "defect"],
            "payoffs": {
                t: {
                    m: {
                        "cooperate": {"US": 0, "Iran": 1 if t == "trustworthy" else -1},
                        "defect": {"US": 0, "Iran": 0},
                    }
                    for m in ("exit", "stay")
                }
                for t in ("trustworthy", "untrustworthy")
            },
        }
    )
    sender = [{0: F(eps), 1: 1 - F(eps)}, {0: F(w), 1: 1 - F(w)}]
    after_exit = 0 if closed.cooperates else 1  # trust iff pi' >= pi* (ties trust)
    eq = build_equilibrium(game, sender, [{after_exit: F(1)}, {0: F(1)}], {})
    assert eq.beliefs["exit"]["trustworthy"] == closed.posterior
    assert all(v == 0 for v in residuals(game, eq).values())
    wrong = build_equilibrium(game, sender, [{1 - after_exit: F(1)}, {0: F(1)}], {})
    assert residuals(game, wrong)["receiver_regret"] > 0
