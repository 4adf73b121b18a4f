"""Trust and Reassurance (Kydd, stylised): docs/models/trust.md."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.trust import Reassurance, Trust

F = Fraction


@pytest.mark.parametrize(("c", "threshold"), [(1, F(1, 2)), (3, F(3, 4)), ("0.5", F(1, 3))])
def test_models_m7_t1_threshold(c, threshold):
    assert Trust("0.5", c, "0.1", "0.8").solve().threshold == threshold


def test_models_m7_t2a_posterior_after_2018():
    result = Trust("0.6", 1, "0.1", "0.8").solve()
    assert result.posterior == F(3, 19)
    assert round(float(result.posterior), 6) == 0.157895
    assert result.threshold == F(1, 2)
    assert result.cooperates is False and result.cooperates_before is True
    assert result.verify().ok


def test_models_m7_t2b_posterior():
    assert Trust("0.5", 1, "0.2", "0.6").solve().posterior == F(1, 4)


def test_models_m7_t3_separating_reassurance():
    result = Reassurance(1, "1.5", "0.5", 2).solve()
    assert result.signal == F(3, 4)
    assert result.trustworthy_cost == F(3, 8)
    assert result.separating is True
    assert result.verify().ok


def test_models_m7_t4_no_separating_equilibrium_with_equal_costs():
    result = Trust("0.6", 1, "0.1", "0.8").reassurance(1, "1.5", "0.5", "0.5")
    assert result.signal == 3  # B_UT / k_UT
    assert result.separating is False  # 3 > B_TW / k_TW = 2
    assert result.verify().ok


def test_ties_cooperate():
    # posterior exactly at the threshold: pi' = 1/2 when c = 1
    result = Trust("0.5", 1, "0.3", "0.3").solve()
    assert result.posterior == F(1, 2) and result.cooperates is True


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("1.2", 1, "0.1", "0.8"), "prior"),
        (("0.5", -1, "0.1", "0.8"), "sucker_cost"),
        (("0.5", 1, "1.1", "0.8"), "p_exit_trustworthy"),
        (("0.5", 1, 0, 0), "p_exit_untrustworthy"),  # an exit of probability zero
        ((1, 1, 0, "0.5"), "p_exit_untrustworthy"),
        (("0.5", True, "0.1", "0.8"), "sucker_cost"),
    ],
)
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ModelError) as err:
        Trust(*args)
    assert err.value.field == field


def test_reassurance_rejects_non_positive_costs():
    with pytest.raises(ModelError) as err:
        Reassurance(1, 1, 0, 1)
    assert err.value.field == "cost_trustworthy"


units = st.integers(0, 1000).map(lambda k: F(k, 1000))
positive = st.integers(1, 1000).map(lambda k: F(k, 1000))


@settings(max_examples=200, deadline=None)
@given(units, st.integers(0, 4000).map(lambda k: F(k, 1000)), units, units)
def test_posterior_is_bayes_and_cooperation_is_expected_payoff(prior, c, eps, w):
    if prior * eps + (1 - prior) * w == 0:
        with pytest.raises(ModelError):
            Trust(prior, c, eps, w)
        return
    result = Trust(prior, c, eps, w).solve()
    # Bayes by enumeration of (type, exit) joint probabilities
    joint = {"TW": prior * eps, "UT": (1 - prior) * w}
    assert result.posterior == joint["TW"] / sum(joint.values())
    eu_cooperate = result.posterior - (1 - result.posterior) * c
    assert result.cooperates == (eu_cooperate >= 0)
    assert result.verify().ok


@functools.cache
def _symbolic():
    return Trust(
        *sp.symbols("prior sucker_cost p_exit_trustworthy p_exit_untrustworthy", real=True)
    )


@settings(max_examples=30, deadline=None)
@given(units, st.integers(0, 4000).map(lambda k: F(k, 1000)), positive, positive)
def test_symbolic_agrees_with_numeric(prior, c, eps, w):
    model = _symbolic()
    result = model.solve()
    numeric = Trust(prior, c, eps, w).solve()
    point = {
        getattr(model, name): sp.Rational(v.numerator, v.denominator)
        for name, v in zip(model._PARAMS, (prior, c, eps, w), strict=True)
    }
    assert result.posterior.xreplace(point) == numeric.posterior
    assert result.threshold.xreplace(point) == numeric.threshold
    assert bool(result.cooperates.xreplace(point)) is numeric.cooperates


def test_symbolic_verify_and_solve_for():
    result = _symbolic().solve()
    assert result.verify().ok
    boundary = Trust("0.6", 1, "0.1", "0.8").solve_for("prior")
    # the prior at which the posterior after the exit is exactly 1/2
    assert boundary.value == F(8, 9) and boundary.holds == "above"
    assert Trust(boundary.value, 1, "0.1", "0.8").solve().posterior == F(1, 2)
    assert _symbolic().solve_for("sucker_cost").verify().ok
    b = Reassurance(1, "1.5", "0.5", sp.Symbol("k", positive=True)).solve_for("cost_untrustworthy")
    assert b.value == F(3, 4)  # the UT cost at which separation becomes possible


def test_summaries_say_stylised():
    assert "stylised" in Trust("0.6", 1, "0.1", "0.8").solve().summary().to_text()
    assert "stylised" in Reassurance(1, 2, 1, 2).solve().summary().to_html()
