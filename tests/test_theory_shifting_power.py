"""ShiftingPower (Powell 2006 / Fearon 1995): docs/models/shifting-power.md tables, phasing,
symbolic forms."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.shifting_power import ShiftingPower

F = Fraction


@pytest.mark.parametrize(
    ("case", "delta", "p1", "p2", "c", "lhs", "rhs", "x1", "war"),
    [
        ("M4-T1a", "0.5", "0.5", "0.2", "0.1", F(15, 100), F(30, 100), F(7, 10), False),
        ("M4-T1b", "0.8", "0.5", "0.2", "0.1", F(24, 100), F(12, 100), F(16, 10), True),
        ("M4-T1c", "0.8", "0.5", "0.35", "0.1", F(12, 100), F(12, 100), F(1), False),
        ("M4-T1d", "0.9", "0.6", "0.5", "0.05", F(9, 100), F(45, 1000), F(145, 100), True),
        ("M4-T1e", "0.9", "0.6", "0.55", "0.05", F(45, 1000), F(45, 1000), F(1), False),
    ],
)
def test_models_m4_t1(case, delta, p1, p2, c, lhs, rhs, x1, war):
    model = ShiftingPower(delta, p1, p2, c)
    result = model.solve()
    assert model.delta * model.shift == lhs
    assert result.surplus == rhs
    assert result.transfer_needed == x1
    assert result.war is war
    assert result.verify().ok


def test_models_m4_t2_phasing_table():
    result = ShiftingPower("0.8", "0.5", "0.2", "0.1").solve()
    assert result.min_steps == 2
    table = result.phasing_table(3)
    assert [row[1] for row in table] == [F(8, 5), F(1), F(4, 5)]
    assert [row[2] for row in table] == [True, False, False]
    phased = ShiftingPower("0.8", "0.5", "0.2", "0.1", steps=2).solve()
    assert phased.war is False and phased.transfer_needed == 1


def test_boundary_is_peace_and_one_step_more_is_needed_just_past_it():
    # M4-T1c sits on the boundary; a slightly larger shift needs two steps
    assert ShiftingPower("0.8", "0.5", "0.35", "0.1").solve().min_steps == 1
    past = ShiftingPower("0.8", "0.5", "0.349", "0.1").solve()
    assert past.war is True and past.min_steps == 2


def test_no_shift_is_peace_and_unbridgeable_case_is_absent():
    assert ShiftingPower("0.9", "0.4", "0.4", "0.1").solve().min_steps == 1
    hopeless = ShiftingPower("0.5", 1, "0.5", 0).solve()
    assert hopeless.war is True and hopeless.min_steps is None
    assert hopeless.verify().ok
    assert "no number of steps" in hopeless.summary().to_text()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"delta": 1, "p1": "0.5", "p2": "0.2", "cost_d": "0.1"}, "delta"),
        ({"delta": 0, "p1": "0.5", "p2": "0.2", "cost_d": "0.1"}, "delta"),
        ({"delta": "0.5", "p1": "1.5", "p2": "0.2", "cost_d": "0.1"}, "p1"),
        ({"delta": "0.5", "p1": "0.2", "p2": "0.5", "cost_d": "0.1"}, "p2"),
        ({"delta": "0.5", "p1": "0.5", "p2": "0.2", "cost_d": "0.3"}, "cost_d"),
        ({"delta": "0.5", "p1": "nan", "p2": "0.2", "cost_d": "0.1"}, "p1"),
        ({"delta": "0.5", "p1": "0.5", "p2": "0.2", "cost_d": "0.1", "steps": 0}, "steps"),
        ({"delta": "0.5", "p1": "0.5", "p2": "0.2", "cost_d": "0.1", "steps": 1.5}, "steps"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(ModelError) as err:
        ShiftingPower(**kwargs)
    assert err.value.field == field


def _unit(lo: int = 0, hi: int = 1000):
    return st.integers(lo, hi).map(lambda k: F(k, 1000))


@settings(max_examples=150, deadline=None)
@given(_unit(1, 999), _unit(), _unit(), _unit(), st.integers(1, 4))
def test_transfer_is_d_indifference_and_war_iff_it_exceeds_the_pie(d, a, b, c, steps):
    p1, p2 = max(a, b), min(a, b)
    cost = min(c, p2)
    model = ShiftingPower(d, p1, p2, cost, steps=steps)
    result = model.solve()
    # D's war values before and after the first step, held to the war value thereafter
    w1 = (p1 - cost) / (1 - d)
    w2 = (p1 - (p1 - p2) / steps - cost) / (1 - d)
    assert result.transfer_needed == w1 - d * w2
    assert result.war == (result.transfer_needed > 1)
    if result.min_steps is not None:
        assert ShiftingPower(d, p1, p2, cost, steps=result.min_steps).solve().war is False
        if result.min_steps > 1:
            assert ShiftingPower(d, p1, p2, cost, steps=result.min_steps - 1).solve().war is True
    assert result.verify().ok


SYMS = sp.symbols("delta p1 p2 cost_d", real=True)


@functools.cache
def _symbolic():
    return ShiftingPower(*SYMS).solve()


@settings(max_examples=60, deadline=None)
@given(_unit(1, 999), _unit(1, 999), _unit(1, 999), _unit(0, 999))
def test_symbolic_result_agrees_with_numeric_at_random_points(d, a, b, c):
    p1, p2 = max(a, b), min(a, b)
    cost = min(c, p2)
    symbolic = _symbolic()
    numeric = ShiftingPower(d, p1, p2, cost).solve()
    point = dict(
        zip(SYMS, (sp.Rational(x.numerator, x.denominator) for x in (d, p1, p2, cost)), strict=True)
    )
    assert bool(symbolic.war.xreplace(point)) is numeric.war
    assert symbolic.transfer_needed.xreplace(point) == numeric.transfer_needed
    if numeric.min_steps is not None:
        assert symbolic.min_steps.xreplace(point) == numeric.min_steps


def test_symbolic_verify_and_solve_for():
    model = ShiftingPower(*SYMS)
    assert model.solve().verify().ok
    boundary = model.solve_for("delta")
    assert sp.simplify(boundary.value - (1 - SYMS[1] + SYMS[3]) / (1 - SYMS[2] + SYMS[3])) == 0
    assert boundary.verify().ok
    numeric = ShiftingPower("0.8", "0.5", "0.2", "0.1").solve_for("delta")
    assert numeric.value == F(2, 3) and numeric.holds == "below" and numeric.in_domain is True
    # at the boundary delta the transfer needed is exactly the whole pie
    assert ShiftingPower(numeric.value, "0.5", "0.2", "0.1").solve().transfer_needed == 1


@pytest.mark.parametrize("name", ["gamma", "steps"])
def test_solve_for_rejects_names_that_are_not_parameters(name):
    with pytest.raises(ModelError) as err:
        ShiftingPower("0.8", "0.5", "0.2", "0.1").solve_for(name)
    assert err.value.field == "name"


def test_solve_for_p1_at_a_compound_symbolic_parameter_is_refused():
    d = sp.Symbol("delta", real=True)
    with pytest.raises(ModelError):
        ShiftingPower(d, 1 - d / 2, "0.2", "0.1").solve_for("p1")


def test_summary_renders():
    text = ShiftingPower("0.8", "0.5", "0.2", "0.1").solve().summary().to_text()
    assert "transfer_needed" in text and "8/5" in text
