"""Two-level games: the M10 test table of docs/models/two-level.md, the Schelling conjecture,
the Nash solution on the win-set, and uncertain ratification as the risk-return model in
disguise."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.games.bargaining import BargainingProblem
from negotiate.solvers.bargaining.solutions import nash_bargaining
from negotiate.theory import RiskReturn, TwoLevel, UncertainRatification


@pytest.mark.parametrize(
    ("share", "floor", "ceiling", "agreement", "x", "binding"),
    [
        ("0.5", 0, "0.4", True, F(2, 5), "ceiling"),  # M10-T1a
        ("0.5", "0.6", "0.7", True, F(3, 5), "floor"),  # M10-T1b
        ("0.5", "0.6", "0.55", False, None, None),  # M10-T1c
        ("0.5", "0.3", "0.7", True, F(1, 2), None),  # M10-T1d
    ],
)
def test_m10_t1_ratification_constraints(share, floor, ceiling, agreement, x, binding):
    res = TwoLevel(share, floor, ceiling).solve()
    assert res.agreement is agreement and res.share == x and res.binding == binding
    assert res.verify().ok


def test_m10_t2_uncertain_ratification():
    res = UncertainRatification("0.3", "0.7", "0.3").solve()
    assert res.share == F(1, 2) and res.failure_probability == F(1, 2)
    assert res.agreement_probability == F(1, 2)
    assert res.verify().ok


unit = st.integers(0, 100).map(lambda k: F(k, 100))


@settings(max_examples=200)
@given(unit, unit, unit)
def test_schelling_conjecture(share, floor, ceiling):
    res = TwoLevel(share, floor, ceiling).solve()
    assert res.verify().ok
    if floor > ceiling:
        assert res.agreement is False and res.share is None
        return
    assert floor <= res.share <= ceiling
    # a tighter constraint on one side moves the outcome toward that side
    if ceiling > floor:
        tighter = TwoLevel(share, floor, ceiling - (ceiling - floor) / 2).solve()
        assert tighter.share <= res.share


@settings(max_examples=100)
@given(st.integers(0, 20), st.integers(0, 20), st.integers(21, 49), st.integers(50, 79))
def test_two_level_is_the_nash_solution_on_the_win_set(a, b, lo, hi):
    d = (F(a, 100), F(b, 100))
    floor, ceiling = F(lo, 100), F(hi, 100)
    x_nash = (1 + d[0] - d[1]) / 2
    res = TwoLevel(x_nash, floor, ceiling).solve()
    win_set = BargainingProblem.from_points([(floor, 1 - floor), (ceiling, 1 - ceiling)], d)
    assert nash_bargaining(win_set).utilities[0] == res.share


@settings(max_examples=150)
@given(st.integers(0, 50), st.integers(51, 100), st.integers(0, 100))
def test_uncertain_ratification_is_risk_return_in_disguise(lo, hi, d):
    lo_f, hi_f, d_f = F(lo, 100), F(hi, 100), F(d, 100)
    assume_ok = 1 - hi_f - d_f >= 0
    res = UncertainRatification(lo_f, hi_f, d_f).solve()
    assert res.verify().ok
    if not assume_ok:
        return
    # the proposer is A demanding 1 - x; B's cost is hi - r ~ U[0, hi - lo]
    rr = RiskReturn(1 - hi_f, 1 - hi_f - d_f, hi_f - lo_f).solve()
    assert res.share == 1 - rr.demand
    assert res.failure_probability == rr.war_probability


def test_symbolic_two_level():
    x, lo, hi = sp.symbols("x lo hi", positive=True)
    res = TwoLevel(x, lo, hi).solve()
    assert res.agreement == sp.Le(lo, hi)
    assert res.share.subs({x: F(1, 2), lo: 0, hi: F(2, 5)}) == F(2, 5)
    ur = UncertainRatification(lo, hi, F(3, 10)).solve()
    assert ur.share.subs({lo: F(3, 10), hi: F(7, 10)}) == F(1, 2)


@pytest.mark.parametrize(
    ("cls", "args", "field"),
    [
        (TwoLevel, ("1.5", 0, 1), "share"),
        (TwoLevel, ("0.5", "-0.1", 1), "floor"),
        (TwoLevel, ("0.5", 0, float("nan")), "ceiling"),
        (UncertainRatification, ("0.5", "0.5", 0), "floor_high"),
        (UncertainRatification, ("0.5", "0.7", "2"), "disagreement"),
    ],
)
def test_bad_parameters_name_the_field(cls, args, field):
    with pytest.raises(ModelError) as err:
        cls(*args)
    assert err.value.field == field


def test_defaults_and_summary():
    res = TwoLevel("0.5").solve()
    assert res.share == F(1, 2) and res.binding is None
    assert "win-set" in res.summary().to_text()
    assert "failure probability" in UncertainRatification(0, 1, 0).solve().summary().to_text()
