"""Deterrence and RetaliationMenu (Zagare-Kilgour, stylised): docs/models/deterrence.md."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.deterrence import (
    Deterrence,
    RetaliationMenu,
    severe_retaliation_probability,
)

F = Fraction


@pytest.mark.parametrize(
    ("case", "sq", "threshold"),
    [("M8-T1a", "-0.5", F(3, 4)), ("M8-T1b", 0, F(1, 2)), ("M8-T1c", "0.5", F(1, 4))],
)
def test_models_m8_t1_status_quo_lowers_the_credibility_needed(case, sq, threshold):
    result = Deterrence(1, sq, -1, "0.5").solve()
    assert result.threshold == threshold
    assert result.capable is True
    assert result.deterred is (F("0.5") >= threshold)
    assert result.verify().ok


def test_deterrent_holds_at_the_threshold_itself():
    assert Deterrence(1, 0, -1, "0.5").solve().deterred is True
    assert Deterrence(1, 0, -1, "0.499").solve().deterred is False


def test_capability_condition():
    # conflict no worse than the status quo: p* >= 1, nothing short of certainty deters
    result = Deterrence(1, "-0.5", "-0.5", "0.99").solve()
    assert result.capable is False and result.threshold == 1 and result.deterred is False
    assert "capability fails" in result.summary().to_text()
    # no motive to challenge: deterred at any credibility
    assert Deterrence("0.2", "0.5", -1, 0).solve().deterred is True


def test_models_m8_t2_retaliation_menu():
    low = RetaliationMenu("0.6", "0.1", "0.1", "1.2", "0.2").solve()
    assert low.threshold == F(4, 11)
    assert round(float(low.threshold), 6) == 0.363636
    assert low.strike_value == F(18, 100) and low.deterred is False
    high = RetaliationMenu("0.6", "0.1", "0.1", "1.2", "0.5").solve()
    assert high.strike_value == F(-15, 100) and high.deterred is True
    assert low.capable is True and low.verify().ok and high.verify().ok


def test_models_m8_t3_severe_retaliation_from_resolve():
    assert severe_retaliation_probability("0.5", "0.2", 1) == F(3, 10)
    menu = RetaliationMenu.from_resolve("0.6", "0.1", "0.1", "1.2", "0.5", "0.2")
    assert menu.p_severe == F(3, 10)
    # capability: D_sev = 1.2 > G - K = 0.5
    assert menu.solve().capable is True
    # resolve clamps to [0, 1]
    assert severe_retaliation_probability(2, 0, 1) == 0
    assert severe_retaliation_probability(-1, 0, 1) == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((1, 0, 1, "0.5"), "conflict"),
        ((1, 0, 2, "0.5"), "conflict"),
        ((1, 0, -1, "1.5"), "credibility"),
        ((1, 0, -1, "nan"), "credibility"),
    ],
)
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ModelError) as err:
        Deterrence(*args)
    assert err.value.field == field


def test_menu_bad_input():
    with pytest.raises(ModelError) as err:
        RetaliationMenu("0.6", "0.1", "1.2", "1.2", "0.2")
    assert err.value.field == "severe_damage"
    with pytest.raises(ModelError) as err:
        severe_retaliation_probability("0.5", "0.2", 0)
    assert err.value.field == "max_resolve"


payoff = st.integers(-2000, 2000).map(lambda k: F(k, 1000))
prob = st.integers(0, 1000).map(lambda k: F(k, 1000))


@settings(max_examples=200, deadline=None)
@given(payoff, payoff, payoff, prob)
def test_deterred_iff_challenge_pays_no_more_than_status_quo(w, sq, f, p):
    if w <= f:
        with pytest.raises(ModelError):
            Deterrence(w, sq, f, p)
        return
    result = Deterrence(w, sq, f, p).solve()
    assert result.deterred == ((1 - p) * w + p * f <= sq)
    assert result.deterred == (p >= result.threshold)
    assert result.verify().ok


@functools.cache
def _symbolic():
    return Deterrence(*sp.symbols("win status_quo conflict credibility", real=True)).solve()


@settings(max_examples=60, deadline=None)
@given(payoff, payoff, payoff, prob)
def test_symbolic_agrees_with_numeric(w, sq, f, p):
    if w <= f:
        return
    sym = _symbolic()
    numeric = Deterrence(w, sq, f, p).solve()
    point = {
        getattr(sym.model, n): sp.Rational(v.numerator, v.denominator)
        for n, v in zip(sym.model._PARAMS, (w, sq, f, p), strict=True)
    }
    assert sym.threshold.xreplace(point) == numeric.threshold
    assert bool(sym.deterred.xreplace(point)) is numeric.deterred
    assert bool(sym.capable.xreplace(point)) is numeric.capable


def test_symbolic_verify_and_solve_for():
    assert _symbolic().verify().ok
    b = Deterrence(1, 0, -1, "0.25").solve_for("status_quo")
    # the status quo at which credibility 1/4 just deters: p* = (1 - SQ)/2 = 1/4
    assert b.value == F(1, 2) and b.holds == "above"
    menu = RetaliationMenu(
        *sp.symbols("gain strike_cost limited_damage severe_damage p_severe", real=True)
    )
    assert menu.solve().verify().ok
    assert menu.solve_for("p_severe").verify().ok


def test_summaries_say_stylised():
    assert "stylised" in Deterrence(1, 0, -1, "0.5").solve().summary().to_text()
    assert "stylised" in RetaliationMenu(1, 0, 0, 2, "0.5").solve().summary().to_text()
