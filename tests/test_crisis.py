"""Fearon's bargaining range and the risk-return trade-off: the M3 test table of
docs/models/fearon-crisis.md, comparative statics (neutrality in p), explicit game trees and
symbolic parameters."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.solvers.spe.solve import subgame_perfect
from negotiate.theory import CrisisBargaining, RiskReturn


@pytest.mark.parametrize(
    ("p", "ca", "cb", "lo", "hi"),
    [
        ("0.5", "0.1", "0.1", F(2, 5), F(3, 5)),  # M3-T1a
        ("0.7", "0.05", "0.15", F(13, 20), F(17, 20)),  # M3-T1b
    ],
)
def test_m3_t1_bargaining_range(p, ca, cb, lo, hi):
    res = CrisisBargaining(p, ca, cb).solve()
    assert res.range == (lo, hi)
    assert res.width == hi - lo
    assert res.verify().ok


def test_m3_t1a_width():
    assert CrisisBargaining("0.5", "0.1", "0.1").solve().width == F(1, 5)


def test_range_is_clipped_to_the_stake():
    res = CrisisBargaining("0.05", "0.1", "0.2").solve()
    assert res.range == (0, F(1, 4)) and res.war_values[0] == F(-1, 20)
    assert res.verify().ok


@pytest.mark.parametrize(
    ("p", "ca", "cmax", "x", "war", "regime"),
    [
        ("0.5", "0.1", "0.3", F(3, 5), F(1, 3), "interior"),  # M3-T2a
        ("0.5", "0.1", "0.1", F(1, 2), 0, "corner"),  # M3-T2b
        ("0.5", "0.05", "0.5", F(29, 40), F(9, 20), "interior"),  # M3-T2c
        ("0.6", "0.2", "0.1", F(3, 5), 0, "corner"),  # M3-T2d
    ],
)
def test_m3_t2_risk_return(p, ca, cmax, x, war, regime):
    res = RiskReturn(p, ca, cmax).solve()
    assert res.demand == x and res.war_probability == war
    assert res.regime.startswith(regime)
    assert res.verify().ok


def test_demand_capped_at_the_whole_stake():
    res = RiskReturn("0.9", 0, "0.5").solve()
    assert res.demand == 1 and res.war_probability == F(1, 5)
    assert res.regime.startswith("demand capped") and res.verify().ok


prob = st.integers(0, 60).map(lambda k: F(k, 100))
cost = st.integers(0, 40).map(lambda k: F(k, 100))
cmax = st.integers(1, 40).map(lambda k: F(k, 100))


@settings(max_examples=200)
@given(prob, cost, cmax)
def test_comparative_statics_of_the_risk_of_war(p, ca, cm):
    base = RiskReturn(p, ca, cm).solve()
    assert base.verify().ok
    assert RiskReturn(p, ca, cm + F(1, 100)).solve().war_probability >= base.war_probability
    assert RiskReturn(p, ca + F(1, 100), cm).solve().war_probability <= base.war_probability
    # neutrality: P(war) does not depend on p while the demand stays below the whole stake
    shifted = RiskReturn(p + F(1, 100), ca, cm).solve()
    if shifted.regime.startswith(("interior", "corner")):
        assert shifted.war_probability == base.war_probability


def test_symbolic_risk_return_and_neutrality():
    p, ca, cm = sp.symbols("p c_a cmax", positive=True)
    res = RiskReturn(p, ca, cm).solve()
    interior = (cm - ca) / (2 * cm)
    assert res.war_probability.subs({p: F(1, 2), ca: F(1, 10), cm: F(3, 10)}) == F(1, 3)
    assert sp.diff(interior, p) == 0
    assert res.verify().ok
    lo, _hi = CrisisBargaining(p, ca, cm).solve().range
    assert lo.subs({p: F(1, 2), ca: F(1, 10)}) == F(2, 5)
    assert CrisisBargaining(p, ca, cm).solve().verify().ok


def test_crisis_tree_cross_check():
    model = CrisisBargaining("0.5", "0.1", "0.1")
    spe = subgame_perfect(model.as_tree(grid=20))
    assert spe.verify().ok
    (eq,) = spe.equilibria
    assert eq.payoffs["A"] == F(3, 5)  # A demands the top of the range
    lo, hi = model.solve().range
    for k in range(21):
        x = F(k, 20)
        accepts = eq.strategy[(f"demand {x}",)] == "accept"
        assert accepts == (x <= hi)
    # A prefers every share of the range to war, and war to shares below it
    war_a = model.solve().war_values[0]
    assert all((F(k, 20) >= war_a) == (F(k, 20) >= lo) for k in range(21))


def test_risk_return_tree_approximates_the_closed_form():
    model = RiskReturn("0.5", "0.1", "0.3")
    spe = subgame_perfect(model.as_tree(grid=20, types=20))
    assert spe.verify().ok
    demand = F(spe.equilibria[0].path[0].split()[-1])
    assert abs(demand - model.solve().demand) <= F(1, 20)


@pytest.mark.parametrize(
    ("cls", "args", "field"),
    [
        (CrisisBargaining, ("1.5", "0.1", "0.1"), "p"),
        (CrisisBargaining, ("0.5", "-0.1", "0.1"), "cost_a"),
        (CrisisBargaining, ("0.5", "0.1", float("inf")), "cost_b"),
        (RiskReturn, ("0.5", "0.1", 0), "cost_b_max"),
        (RiskReturn, ("0.5", float("nan"), "0.1"), "cost_a"),
    ],
)
def test_bad_parameters_name_the_field(cls, args, field):
    with pytest.raises(ModelError) as err:
        cls(*args)
    assert err.value.field == field


def test_summaries():
    assert "bargaining range" in CrisisBargaining("0.5", "0.1", "0.1").solve().summary().to_text()
    assert "war probability" in RiskReturn("0.5", "0.1", "0.3").solve().summary().to_text()
