"""RepeatedCompliance (grim trigger, reneging hazard, guarantees).

See docs/models/self-enforcement.md.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.repeated import RepeatedCompliance

F = Fraction


def test_models_m6_t1_no_hazard_thresholds():
    assert RepeatedCompliance(5, 3, 1, "0.9").solve().critical_delta == F(1, 2)
    assert RepeatedCompliance(6, 4, 0, "0.9").solve().critical_delta == F(1, 3)


@pytest.mark.parametrize(
    ("case", "delta", "hazard", "g", "complies", "max_hazard"),
    [
        ("M6-T2a", "0.6", "0.25", 0, False, F(1, 6)),
        ("M6-T2b", "0.6", "0.25", "0.5", True, F(1, 3)),
        ("M6-T2c", "0.9", "0.25", 0, True, F(4, 9)),
    ],
)
def test_models_m6_t2(case, delta, hazard, g, complies, max_hazard):
    result = RepeatedCompliance(5, 3, 1, delta, hazard, g).solve()
    assert result.complies is complies
    assert result.max_hazard == max_hazard
    assert result.verify().ok


def test_models_m6_t2_effective_hazard_products():
    r = RepeatedCompliance(5, 3, 1, "0.6", "0.25", "0.5")
    assert r.delta * (1 - r.effective_hazard) == F(525, 1000)
    r = RepeatedCompliance(5, 3, 1, "0.6", "0.25", 0)
    assert r.delta * (1 - r.effective_hazard) == F(45, 100)


@pytest.mark.parametrize(
    ("delta", "hazard", "kappa", "decimal"),
    [
        ("0.9", 0, F(1), 1.0),
        ("0.9", "0.25", F(4, 13), 0.307692),
        ("0.9", "0.125", F(8, 17), 0.470588),
        ("0.6", "0.25", F(8, 11), 0.727273),
    ],
)
def test_models_m6_t3_credibility_discount(delta, hazard, kappa, decimal):
    result = RepeatedCompliance(5, 3, 1, delta, hazard).solve()
    assert result.credibility_discount == kappa
    assert round(float(kappa), 6) == decimal


def test_absent_thresholds_are_none_and_full_guarantee_allows_any_hazard():
    # delta below the no-hazard threshold: no hazard level sustains compliance
    low = RepeatedCompliance(5, 3, 1, "0.4").solve()
    assert low.complies is False and low.max_hazard is None
    # hazard so large that no delta < 1 sustains compliance
    hopeless = RepeatedCompliance(5, 3, 1, "0.9", "0.6").solve()
    assert hopeless.critical_delta is None
    assert hopeless.verify().ok
    full = RepeatedCompliance(5, 3, 1, "0.6", 1, 1).solve()
    assert full.complies is True and full.max_hazard == 1 and full.effective_hazard == 0
    assert full.credibility_discount == 1


def test_ties_comply():
    # delta (1 - rho)(T - P) == T - R exactly
    assert RepeatedCompliance(5, 3, 1, "0.5").solve().complies is True
    assert RepeatedCompliance(5, 3, 1, "2/3", "0.25").solve().complies is True


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((3, 3, 1, "0.5"), "temptation"),
        ((5, 1, 1, "0.5"), "reward"),
        ((5, 3, 1, 1), "delta"),
        ((5, 3, 1, "-0.1"), "delta"),
        ((5, 3, 1, "0.5", "1.2"), "hazard"),
        ((5, 3, 1, "0.5", 0, "-1"), "guarantee"),
        ((5, 3, "inf", "0.5"), "punishment"),
    ],
)
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ModelError) as err:
        RepeatedCompliance(*args)
    assert err.value.field == field


def test_degenerate_symbolic_temptation_equal_to_punishment_is_refused():
    t = sp.Symbol("t", real=True)
    with pytest.raises(ModelError):
        RepeatedCompliance(t, 3, t, "0.5").solve()


units = st.integers(1, 999).map(lambda k: F(k, 1000))


@settings(max_examples=200, deadline=None)
@given(st.integers(-5, 5), st.integers(1, 6), st.integers(1, 6), units, units, units)
def test_one_shot_deviation_by_value_iteration(p, gap1, gap2, d, h, g):
    t, r = p + gap1 + gap2, p + gap1
    model = RepeatedCompliance(t, r, p, d, h, g)
    result = model.solve()
    rho = h * (1 - g)
    # value of compliance by iterating V = R + d[(1 - rho) V + rho V_P] from below
    v_p = F(p) / (1 - d)
    exact = (r + d * rho * v_p) / (1 - d * (1 - rho))
    v = F(r)
    for _ in range(60):
        v = r + d * ((1 - rho) * v + rho * v_p)
    assert abs(float(v - exact)) <= float((d * (1 - rho)) ** 60) * abs(float(exact - r)) + 1e-12
    deviate = t + d * v_p
    assert result.complies == (exact >= deviate)
    assert result.values()["V_C"] == exact
    assert result.verify().ok


SYMS = sp.symbols("temptation reward punishment delta hazard guarantee", real=True)


@functools.cache
def _symbolic():
    return RepeatedCompliance(*SYMS).solve()


@settings(max_examples=60, deadline=None)
@given(st.integers(-5, 5), st.integers(1, 6), st.integers(1, 6), units, units, units)
def test_symbolic_conditions_agree_with_numeric_points(p, gap1, gap2, d, h, g):
    t, r = p + gap1 + gap2, p + gap1
    symbolic = _symbolic()
    numeric = RepeatedCompliance(t, r, p, d, h, g).solve()
    point = {
        s: sp.Rational(F(v).numerator, F(v).denominator)
        for s, v in zip(SYMS, (t, r, p, d, h, g), strict=True)
    }
    assert bool(symbolic.complies.xreplace(point)) is numeric.complies
    assert symbolic.credibility_discount.xreplace(point) == numeric.credibility_discount
    raw_hazard = symbolic.max_hazard.xreplace(point)
    if numeric.max_hazard is None:
        assert raw_hazard < 0
    else:
        assert min(raw_hazard, 1) == numeric.max_hazard
    raw_delta = symbolic.critical_delta.xreplace(point)
    assume(numeric.critical_delta is not None)
    assert raw_delta == numeric.critical_delta


def test_symbolic_verify_and_solve_for():
    model = RepeatedCompliance(*SYMS)
    assert model.solve().verify().ok
    for name in ("delta", "hazard", "guarantee"):
        boundary = model.solve_for(name)
        assert boundary.verify().ok
    numeric = RepeatedCompliance(5, 3, 1, "0.6", "0.25").solve_for("hazard")
    assert numeric.value == F(1, 6) and numeric.holds == "below"
    g = RepeatedCompliance(5, 3, 1, "0.6", "0.25", 0).solve_for("guarantee")
    # the guarantee that restores compliance at delta = 0.6, rho = 0.25
    assert g.value == F(1, 3) and g.holds == "above"
    assert RepeatedCompliance(5, 3, 1, "0.6", "0.25", g.value).solve().complies is True


def test_summary_mentions_the_hazard():
    text = RepeatedCompliance(5, 3, 1, "0.9", "0.25").solve().summary().to_markdown()
    assert "reneging hazard" in text and "4/13" in text


def test_symbolic_degenerate_hazard_and_guarantee_are_documented_not_zoo():
    d = sp.Symbol("delta", real=True)
    certain_exit = RepeatedCompliance(5, 3, 1, d, 1).solve()
    assert certain_exit.critical_delta is None  # no delta sustains compliance
    assert certain_exit.credibility_discount == 1 - d
    with pytest.raises(ModelError) as err:
        RepeatedCompliance(5, 3, 1, d, "0.5", 1).solve()
    assert err.value.field == "guarantee"
    # numbers at the same edges: absent thresholds, full guarantee sustains any hazard
    assert RepeatedCompliance(5, 3, 1, "0.9", 1).solve().critical_delta is None
    assert RepeatedCompliance(5, 3, 1, "0.9", "0.5", 1).solve().max_hazard == 1
    assert RepeatedCompliance(5, 3, 1, "0.4", "0.5", 1).solve().max_hazard is None
