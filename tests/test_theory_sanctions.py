"""Sanctions (Lacy-Niou / Drezner, stylised): docs/models/sanctions.md, the selection effect."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.sanctions import Sanctions

F = Fraction


@pytest.mark.parametrize(
    ("case", "args", "credible", "comply", "imposed", "success"),
    [
        ("M11-T1", ("0.3", "0.1", "0.8", 0), True, F(5, 8), F(3, 10), F(0)),
        ("M11-T2", ("0.3", "0.1", "0.8", "0.5"), False, F(0), F(4, 5), F(9, 20)),
        ("M11-T3", ("0.3", "0.1", "0.6", 0), False, F(0), F(3, 5), F(3, 5)),
    ],
)
def test_models_m11_table(case, args, credible, comply, imposed, success):
    result = Sanctions(*args).solve()
    assert result.credible is credible
    assert result.p_comply_at_threat == comply
    assert result.p_imposed == imposed
    assert result.p_success_given_imposed == success
    assert result.verify().ok


def test_models_m11_t2_effective_demand():
    assert Sanctions("0.3", "0.1", "0.8", "0.5").effective_demand == F(45, 100)


def test_drezner_paradox_more_conflict_expectation_fewer_concessions():
    rows = [Sanctions("0.3", "0.1", "0.9", eta).solve() for eta in (0, "0.2", "0.5", 1)]
    comply = [r.p_comply_at_threat for r in rows]
    imposed = [r.p_imposed for r in rows]
    assert comply == sorted(comply, reverse=True) and comply[0] > comply[-1]
    assert imposed == sorted(imposed) and imposed[0] < imposed[-1]


def test_nothing_demanded_means_sanctions_never_imposed():
    result = Sanctions(0, "0.1", "0.5").solve()
    assert result.p_imposed == 0 and result.p_success_given_imposed is None
    assert "never imposed" in result.summary().to_text()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("-0.1", "0.1", "0.5"), "demand"),
        (("0.3", 0, "0.5"), "extra_cost"),
        (("0.3", "0.1", 0), "resolve"),
        (("0.3", "0.1", "1.5"), "resolve"),
        (("0.3", "0.1", "0.5", -1), "conflict_expectation"),
        (("0.3", "0.1", "0.5", 0, 0), "max_endurance"),
    ],
)
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ModelError) as err:
        Sanctions(*args)
    assert err.value.field == field


small = st.integers(0, 1000).map(lambda k: F(k, 1000))
positive = st.integers(1, 1000).map(lambda k: F(k, 1000))


@settings(max_examples=60, deadline=None)
@given(small, positive, positive, small)
def test_grid_best_responses_and_selection_effect(d, phi, pi, eta):
    result = Sanctions(d, phi, pi, eta).solve()
    cert = result.verify(grid=200)
    assert cert.ok, cert.quantities
    if result.credible and result.p_imposed > 0:
        assert result.p_success_given_imposed == 0  # imposed sanctions never succeed
    assert 0 <= result.p_comply_at_threat <= 1 and 0 <= result.p_imposed <= pi


@functools.cache
def _symbolic():
    return Sanctions(
        *sp.symbols("demand extra_cost resolve conflict_expectation", real=True)
    ).solve()


@settings(max_examples=50, deadline=None)
@given(positive, positive, positive, small)
def test_symbolic_agrees_with_numeric(d, phi, pi, eta):
    sym = _symbolic()
    num = Sanctions(d, phi, pi, eta).solve()
    point = {
        getattr(sym.model, n): sp.Rational(v.numerator, v.denominator)
        for n, v in zip(sym.model._PARAMS[:4], (d, phi, pi, eta), strict=True)
    }
    assert bool(sym.credible.xreplace(point)) is num.credible
    assert sym.p_comply_at_threat.xreplace(point) == num.p_comply_at_threat
    assert sym.p_imposed.xreplace(point) == num.p_imposed
    assert sym.p_success_given_imposed.xreplace(point) == num.p_success_given_imposed


def test_symbolic_verify_and_solve_for():
    assert _symbolic().verify().ok
    b = Sanctions("0.3", "0.1", "0.8").solve_for("resolve")
    assert b.value == F(3, 4) and b.holds == "above"
    assert Sanctions("0.3", "0.1", b.value).solve().credible is True
    eta = Sanctions("0.3", "0.1", "0.8").solve_for("conflict_expectation")
    assert eta.value == F(1, 3) and eta.holds == "below"


def test_summary_says_stylised_and_selection_effect():
    text = Sanctions("0.3", "0.1", "0.8").solve().summary().to_text()
    assert "stylised" in text and "selection effect" in text
