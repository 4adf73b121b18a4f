"""Closed forms of the commitment models against the generic solvers on their explicit games.

Backward induction (``subgame_perfect``) on ``.as_tree()``, all Nash equilibria
(``nash_equilibria``) on ``.as_game()``, and perfect Bayesian equilibria
(``perfect_bayesian``) on ``.as_signaling_game()``, at random exact parameter points.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from negotiate.solvers.nash.solve import nash_equilibria
from negotiate.solvers.pbe.solve import perfect_bayesian
from negotiate.solvers.spe.solve import SPEResult, subgame_perfect
from negotiate.theory import (
    CostlySignals,
    Deterrence,
    Proliferation,
    RepeatedCompliance,
    RetaliationMenu,
    Sanctions,
    ShiftingPower,
    Trust,
)

F = Fraction


def frac(lo: int, hi: int, den: int = 100):
    return st.integers(lo, hi).map(lambda k: F(k, den))


def spe(tree) -> SPEResult:
    result = subgame_perfect(tree)
    assert isinstance(result, SPEResult)
    assert result.verify().ok
    return result


# ---------------------------------------------------------------- shifting power (M4)
@settings(max_examples=25, deadline=None)
@given(frac(5, 95), frac(10, 100), frac(0, 100), frac(0, 100), st.integers(1, 2))
def test_shifting_power_against_backward_induction_on_an_offer_grid(d, a, b, c, steps):
    p1, p2 = max(a, b), min(a, b)
    cost = min(c, p2)
    model = ShiftingPower(d, p1, p2, cost, steps=steps)
    closed = model.solve()
    offers = 12
    assume(abs(closed.transfer_needed - 1) > F(1, offers))  # clear of the grid's blur
    result = spe(model.as_tree(offers=offers))
    assert len(result.equilibria) == 1
    path = result.equilibria[0].path
    war = "fight" in path
    assert war == closed.war
    if not war:
        first = F(path[0].removeprefix("offer "))
        assert closed.transfer_needed - F(d, offers) < first < closed.transfer_needed + F(1, offers)
        assert first == min(
            x for x in (F(k, offers) for k in range(offers + 1)) if x >= first
        )  # grid point


def test_shifting_power_tree_models_m4_t2_phasing():
    model = ShiftingPower("0.8", "0.5", "0.2", "0.1")
    assert "fight" in spe(model.as_tree(offers=10)).equilibria[0].path
    phased = spe(ShiftingPower("0.8", "0.5", "0.2", "0.1", steps=2).as_tree(offers=10))
    assert phased.equilibria[0].path[:2] == ("offer 1", "accept")  # 1.0 is needed up front


# ---------------------------------------------------------------- repeated compliance (M6)
@settings(max_examples=80, deadline=None)
@given(
    st.integers(-3, 3), st.integers(1, 5), st.integers(1, 5), frac(1, 99), frac(0, 100), frac(0, 99)
)
def test_repeated_compliance_one_shot_deviation_tree(p, g1, g2, d, h, g):
    model = RepeatedCompliance(p + g1 + g2, p + g1, p, d, h, g)
    result = spe(model.as_tree())
    assert (result.equilibria[0].path == ("comply",)) == model.solve().complies


def test_repeated_compliance_symbolic_tree_regions_match_the_threshold():
    d = sp.Symbol("delta", real=True)
    result = subgame_perfect(RepeatedCompliance(5, 3, 1, d, "0.25").as_tree())
    comply = [r for r in result.regions if r.path == ("comply",)]
    assert comply, result.regions
    # delta (3/4) 4 >= 2  <=>  delta >= 2/3
    for x in (F(1, 2), F(2, 3), F(7, 10), F(9, 10)):
        at = {d: sp.Rational(x.numerator, x.denominator)}
        inside = any(bool(r.condition.xreplace(at)) for r in comply)
        assert inside == (x >= F(2, 3))


# ---------------------------------------------------------------- trust (M7)
@settings(max_examples=80, deadline=None)
@given(frac(0, 100), frac(0, 300), frac(1, 100), frac(1, 100))
def test_trust_tree(prior, c, eps, w):
    model = Trust(prior, c, eps, w)
    closed = model.solve()
    for belief, expected in (("posterior", closed.cooperates), ("prior", closed.cooperates_before)):
        path = spe(model.as_tree(belief)).equilibria[0].path
        assert (path[0] == "cooperate") == expected


@pytest.mark.parametrize(("costs", "separating"), [(("0.5", 2), True), (("0.5", "0.5"), False)])
def test_trust_reassurance_through_the_pbe_solver_models_m7_t3_t4(costs, separating):
    game = Trust("0.6", 1, "0.1", "0.8").as_signaling_game(1, "1.5", *costs)
    result = perfect_bayesian(game)
    assert result.verify().ok
    found = [
        e
        for e in result.of_kind("separating")
        if e.sender_strategy == {"trustworthy": "reassure", "untrustworthy": "none"}
    ]
    assert bool(found) == separating
    if found:  # cooperation after reassurance, as the closed form's signal s* = 3/4 buys
        assert found[0].receiver_strategy["reassure"] == "cooperate"


@settings(max_examples=30, deadline=None)
@given(frac(1, 300), frac(1, 300), frac(1, 300), frac(1, 300))
def test_reassurance_condition_against_the_pbe_solver(b_tw, b_ut, k_tw, k_ut):
    closed = Trust("0.5", 1, "0.5", "0.5").reassurance(b_tw, b_ut, k_tw, k_ut)
    assume(b_tw != k_tw * closed.signal)  # off the boundary
    game = Trust("0.5", 1, "0.5", "0.5").as_signaling_game(b_tw, b_ut, k_tw, k_ut)
    separating = [
        e
        for e in perfect_bayesian(game).of_kind("separating")
        if e.sender_strategy == {"trustworthy": "reassure", "untrustworthy": "none"}
    ]
    assert bool(separating) == closed.separating


# ---------------------------------------------------------------- deterrence (M8)
@settings(max_examples=80, deadline=None)
@given(frac(-200, 200), frac(-200, 200), frac(-200, 200), frac(0, 100))
def test_deterrence_tree(w, sq, f, p):
    assume(w > f)
    model = Deterrence(w, sq, f, p)
    path = spe(model.as_tree()).equilibria[0].path
    assert (path == ("status quo",)) == model.solve().deterred


def test_deterrence_symbolic_tree_region_is_the_threshold():
    p = sp.Symbol("credibility", real=True)
    for sq, threshold in (("-0.5", F(3, 4)), (0, F(1, 2)), ("0.5", F(1, 4))):
        result = subgame_perfect(Deterrence(1, sq, -1, p).as_tree())
        deter = [r for r in result.regions if r.path == ("status quo",)]
        assert len(deter) == 1
        for k in range(0, 101, 5):  # the region is p >= p*, the deterrent holding at p*
            at = {p: sp.Rational(k, 100)}
            assert bool(deter[0].condition.xreplace(at)) == (F(k, 100) >= threshold)


@settings(max_examples=80, deadline=None)
@given(frac(0, 200), frac(0, 100), frac(0, 100), frac(1, 200), frac(0, 100))
def test_retaliation_menu_tree(g, k, lim, extra, p):
    model = RetaliationMenu(g, k, lim, lim + extra, p)
    path = spe(model.as_tree()).equilibria[0].path
    assert (path == ("no strike",)) == model.solve().deterred


# ---------------------------------------------------------------- costly signals (M9)
@pytest.mark.parametrize(("h", "c"), [("0.3", "0.5"), ("0.5", "0.4"), ("0.1", "0.8")])
def test_tying_hands_integrated_over_per_type_trees(h, c):
    model = CostlySignals(h, c)
    closed = model.solve().tying_hands
    grid = 40
    payoff = war = F(0)
    for i in range(grid):
        v = F(2 * i + 1, 2 * grid)
        eq = spe(model.as_tree(v)).equilibria[0]
        payoff += eq.payoffs["defender"]
        war += sum(prob for path, prob in eq.outcomes.items() if path[-1] == "fight")
        assert (eq.path[0] == "tie hands") == (v >= closed.threshold)
    # midpoint rule on a piecewise-linear integrand: error only in the kink's cell
    assert abs(payoff / grid - closed.expected_payoff) <= F(1, grid)
    assert abs(war / grid - closed.war_probability) <= F(1, grid)


@pytest.mark.parametrize(
    ("h", "c", "types"), [("0.3", "0.5", 4), ("0.5", "0.4", 5), ("0.1", "0.8", 5)]
)
def test_sinking_costs_through_the_pbe_solver(h, c, types):
    model = CostlySignals(h, c)
    closed = model.solve().sinking_costs
    result = perfect_bayesian(model.as_signaling_game(types=types))
    assert result.verify().ok
    cut = F(c)
    wanted = {
        f"v={F(2 * i + 1, 2 * types)}": "sink" if F(2 * i + 1, 2 * types) >= cut else "none"
        for i in range(types)
    }
    matches = [e for e in result.equilibria if dict(e.sender_strategy) == wanted]
    assert matches, [e.describe() for e in result.equilibria]
    eq = matches[0]
    assert eq.receiver_strategy["sink"] == "stay" and eq.receiver_strategy["none"] == "challenge"
    # no bluffing: only resolved types sink; ex-ante payoff and war risk are the closed forms
    assert eq.payoffs["defender"] == closed.expected_payoff
    resolved = sum(1 for i in range(types) if F(2 * i + 1, 2 * types) >= cut)
    assert F(h) * F(resolved, types) == closed.war_probability


# ---------------------------------------------------------------- sanctions (M11)
@settings(max_examples=60, deadline=None)
@given(frac(0, 100), frac(1, 100), frac(1, 100), frac(0, 100), frac(0, 100))
def test_sanctions_per_type_tree(d, phi, pi, eta, s):
    model = Sanctions(d, phi, pi, eta)
    closed = model.solve()
    dd = model.effective_demand
    eq = spe(model.as_tree(s)).equilibria[0]
    complies = eq.path == ("comply",)
    if closed.credible:
        assert complies == (s >= dd / pi)  # the closed form's cut-off
    else:
        assert not complies or dd == 0
    conceded = eq.strategy[("defy", "resolute")] == "concede"
    assert conceded == (s >= dd + phi)


# ---------------------------------------------------------------- proliferation (M5)
@settings(max_examples=40, deadline=None)
@given(frac(0, 100), frac(26, 100), frac(1, 40))
@example(q=F(1), e=F(13, 50), k=F(1, 10))  # full detection: peace and war, no mixed one
@example(q=F(99, 100), e=F(13, 50), k=F(1, 10))  # just below: all three
def test_proliferation_against_all_nash_equilibria(q, e, k):
    model = Proliferation("0.4", k, "0.2", "0.1", q, e)
    closed = model.solve()
    g, qq = F(2, 5), closed.transparency_threshold
    assume(q != qq and (1 - e) * g != k)  # off the edges where classes meet
    equilibria = nash_equilibria(model.as_game())
    assert equilibria.verify().ok
    # investment levels over all equilibria: exactly those of the classes said to exist
    sigma = {eq.probabilities[0][0] for eq in equilibria}
    levels = {"peace": F(0), "war": F(1)}
    expected = set()
    for name, exists in closed.existence.items():
        if exists:
            other = Proliferation("0.4", k, "0.2", "0.1", q, e)
            mu = other.solve().belief_threshold
            expected.add(levels.get(name, mu / (mu + (1 - q) * (1 - mu))))
    assert sigma == expected
    # the reported equilibrium is among them: strike on evidence, a without
    a = closed.strike_probability
    target = ((closed.invest_probability, 1 - closed.invest_probability), (a, 1 - a, F(0), F(0)))
    assert any(eq.probabilities == target for eq in equilibria)


@pytest.mark.parametrize("e", ["0.6", "0.8", "0.95"])
def test_proliferation_models_m5_t1_unique_equilibrium(e):
    model = Proliferation("0.4", "0.2", "0.2", "0.1", "0.3", e)
    equilibria = nash_equilibria(model.as_game())
    assert len(equilibria) == 1
    eq = equilibria[0]
    closed = model.solve()
    assert eq.probabilities[0][0] == closed.invest_probability
    assert eq.probabilities[1][0] == closed.strike_probability
