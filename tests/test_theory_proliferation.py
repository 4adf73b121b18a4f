"""Proliferation (Debs-Monteiro, stylised): closed forms, coexisting classes, certificates."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.proliferation import Proliferation

F = Fraction
BASE = ("0.4", "0.2", "0.2", "0.1")  # Delta, k, c_T, c_D


@pytest.mark.parametrize(
    ("case", "e", "q_bar", "sigma", "a", "war", "mistaken", "share"),
    [
        ("M5-T1a", "0.6", 0.454545, 0.505051, 0.629630, 0.685746, 0.311635, 0.583333),
        ("M5-T1b", "0.8", 0.384615, 0.393701, 0.268293, 0.354715, 0.162666, 0.687500),
        ("M5-T1c", "0.95", 0.344828, 0.337838, 0.126214, 0.214773, 0.083574, 0.736842),
    ],
)
def test_models_m5_t1_mixed_regime(case, e, q_bar, sigma, a, war, mistaken, share):
    result = Proliferation(*BASE, "0.3", e).solve()
    assert result.regime == "mixed"
    got = (
        result.transparency_threshold,
        result.invest_probability,
        result.strike_probability,
        result.war_probability,
        result.p_mistaken_strike,
        result.mistaken_strike_share,
    )
    assert all(isinstance(x, Fraction) for x in got)
    assert [round(float(x), 6) for x in got] == [q_bar, sigma, a, war, mistaken, share]
    assert result.verify().ok


def test_models_m5_headline_comparative_statics():
    rows = [Proliferation(*BASE, "0.3", e).solve() for e in ("0.6", "0.8", "0.95")]
    sigma = [r.invest_probability for r in rows]
    share = [r.mistaken_strike_share for r in rows]
    assert sigma == sorted(sigma, reverse=True)  # e up: counter-proliferation works better
    assert share == sorted(share)  # e up: a larger share of strikes is mistaken
    absolute = [r.p_mistaken_strike for r in rows]
    assert absolute == sorted(absolute, reverse=True)  # while the absolute risk falls here


@pytest.mark.parametrize("q", ["0.45", 1])
def test_models_m5_t2_transparency_gives_peace(q):
    result = Proliferation(*BASE, q, "0.8").solve()
    assert result.regime == "peace"
    assert (result.invest_probability, result.strike_probability, result.war_probability) == (
        0,
        0,
        0,
    )
    assert result.p_mistaken_strike == 0 and result.mistaken_strike_share is None
    assert result.verify().ok


def test_models_m5_t3_pure_proliferation_and_war():
    result = Proliferation("0.4", "0.05", "0.2", "0.1", "0.3", "0.8").solve()
    assert result.regime == "war"
    assert (result.invest_probability, result.strike_probability, result.war_probability) == (
        1,
        1,
        1,
    )
    assert result.p_mistaken_strike == 0
    assert result.verify().ok


def test_models_m5_t4_monitoring_window():
    result = Proliferation(*BASE, "0.3", "0.8").solve()
    window = result.monitoring_window("0.3", "0.15")
    assert round(float(window.cost), 6) == 0.115385
    assert window.open is True and window.verify().ok
    assert result.monitoring_window("0.3", "0.1").open is False


def test_transparency_threshold_is_peace():
    q_bar = Proliferation(*BASE, "0.3", "0.8").solve().transparency_threshold
    assert Proliferation(*BASE, q_bar, "0.8").solve().regime == "peace"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("0.4", "0.2", "0.2", "0.1", "0.3", "0.2"), "effectiveness"),  # A1: e Delta <= c_D
        ((0, "0.2", "0.2", "0.1", "0.3", "0.8"), "gain"),
        (("0.4", "0.2", "0.2", "0.1", "1.3", "0.8"), "detection"),
        (("0.4", "0.2", "-0.2", "0.1", "0.3", "0.8"), "target_strike_cost"),
        (("0.4", "0.2", "0.2", 0, "0.3", "0.8"), "defender_strike_cost"),
    ],
)
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ModelError) as err:
        Proliferation(*args)
    assert err.value.field == field


units = st.integers(0, 100).map(lambda k: F(k, 100))


@settings(max_examples=150, deadline=None)
@given(units, units, st.integers(1, 50).map(lambda k: F(k, 100)))
@example(q=F(1), e=F(13, 50), k=F(1, 10))  # q = 1: peace and war, no mixed equilibrium
def test_equilibrium_certificate_over_the_q_e_plane(q, e, k):
    if e * F(2, 5) <= F(1, 10):
        return  # outside A1
    result = Proliferation("0.4", k, "0.2", "0.1", q, e).solve()
    assert result.verify().ok
    assert 0 <= result.war_probability <= 1
    assert result.regime == ("peace" if q >= result.transparency_threshold else result.regime)


@functools.cache
def _symbolic():
    q, e = sp.symbols("detection effectiveness", real=True)
    return Proliferation(*BASE, q, e).solve()


@settings(max_examples=60, deadline=None)
@given(units, st.integers(26, 100).map(lambda k: F(k, 100)))
def test_symbolic_piecewise_agrees_with_numeric(q, e):
    sym = _symbolic()
    num = Proliferation(*BASE, q, e).solve()
    point = {
        sym.model.detection: sp.Rational(q.numerator, q.denominator),
        sym.model.effectiveness: sp.Rational(e.numerator, e.denominator),
    }
    for field in (
        "invest_probability",
        "strike_probability",
        "war_probability",
        "p_mistaken_strike",
    ):
        assert getattr(sym, field).xreplace(point) == getattr(num, field), field
    assert bool(sym.regions[num.regime].xreplace(point)) is True


def test_symbolic_verify_and_solve_for():
    assert _symbolic().verify().ok
    b = Proliferation(*BASE, "0.3", "0.8").solve_for("detection")
    assert b.value == F(5, 13) and b.holds == "above"
    # at q = 0.3 no effectiveness in [0, 1] makes monitoring transparent enough
    out = Proliferation(*BASE, "0.3", "0.8").solve_for("effectiveness")
    assert out.value == F(7, 6) and out.in_domain is False
    e = Proliferation(*BASE, "0.45", "0.8").solve_for("effectiveness")
    assert e.value == F(11, 18) and e.in_domain is True and e.holds == "above"
    assert Proliferation(*BASE, "0.45", e.value).solve().regime == "peace"
    assert Proliferation(*BASE, "0.45", "0.6").solve().regime != "peace"


def test_summary_says_stylised():
    assert "stylised" in Proliferation(*BASE, "0.3", "0.8").solve().summary().to_text()


def test_coexisting_equilibria_are_reported_not_hidden():
    # q >= q_bar (peace exists) and (1 - e) Delta = 0.292 > k = 0.29 (war exists too)
    result = Proliferation("0.4", "0.29", "0.2", "0.1", "0.36", "0.27").solve()
    assert result.regime == "peace"
    assert result.existence == {"peace": True, "mixed": True, "war": True}
    assert result.verify().ok  # all three profiles are checked as equilibria
    assert "multiple equilibria" in result.summary().to_text()
    # in the reference table's cases only the reported class exists
    for q, e in (("0.3", "0.6"), ("0.45", "0.8")):
        r = Proliferation(*BASE, q, e).solve()
        assert [k for k, v in r.existence.items() if v] == [r.regime]


def test_full_detection_has_no_mixed_equilibrium():
    # q = 1 >= q_bar = 75/76 (peace) and (1 - e) Delta = 37/125 > k (war); every investment
    # is detected, so the no-evidence belief is 0 < mu* and no mixed equilibrium exists
    result = Proliferation("0.4", F(1, 10), "0.2", "0.1", F(1), F(13, 50)).solve()
    assert result.regime == "peace"
    assert result.existence == {"peace": True, "mixed": False, "war": True}
    assert result.verify().ok
    text = result.summary().to_text()
    assert "multiple equilibria: war also exist" in text and "mixed" not in text.split("note:")[-1]
    # just below full detection an undetected investor remains: all three classes exist
    below = Proliferation("0.4", F(1, 10), "0.2", "0.1", F(99, 100), F(13, 50)).solve()
    assert below.existence == {"peace": True, "mixed": True, "war": True}
    assert below.verify().ok


@pytest.mark.parametrize("k", [F(1, 20), F(1, 10), F(1, 5), F(29, 100)])
def test_certificate_on_a_q_e_grid_with_full_detection(k):
    # q and e on a 1/20 grid, q = 1 included; A1 needs e > 1/4
    for i in range(21):
        for j in range(6, 21):
            q, e = F(i, 20), F(j, 20)
            result = Proliferation("0.4", k, "0.2", "0.1", q, e).solve()
            assert result.verify().ok, (q, e, k)
            war = (1 - e) * F(2, 5) >= k
            assert result.existence["war"] is war
            if q == 1:
                assert result.existence["mixed"] is False, (e, k)
                assert result.regime != "mixed" and result.invest_probability in (0, 1)


def test_symbolic_existence_excludes_full_detection():
    sym = _symbolic()
    q, e = sym.model.detection, sym.model.effectiveness
    # (1 - e) Delta > k = 0.2 needs e < 1/2; q = 1 >= q_bar there
    assert bool(sym.existence["mixed"].subs({q: 1, e: sp.Rational(3, 10)})) is False
    assert bool(sym.existence["mixed"].subs({q: sp.Rational(99, 100), e: sp.Rational(3, 10)}))


@pytest.mark.parametrize(
    ("k", "q", "e", "existing"),
    [
        # W = (1 - e) Delta - k = 0: T is indifferent against a defender who always strikes,
        # so beside war there is (sigma*, 1), sigma* with the no-evidence belief at mu*
        (F(1, 10), F(3, 10), F(3, 4), {"war", "mixed"}),
        # A = 0 at q = 7/10 (q = q_bar): T is indifferent against deterrence; (sigma*, 0)
        (F(1, 20), F(7, 10), F(3, 4), {"peace", "war", "mixed"}),
        # q = q_bar = 1: every investment is seen, yet T is indifferent at a = 0
        (F(2, 25), F(1), F(3, 10), {"peace", "war", "mixed"}),
    ],
)
def test_boundaries_of_the_classes_match_the_strategic_form(k, q, e, existing):
    import negotiate as ng

    model = Proliferation("0.4", k, "0.2", "0.1", q, e)
    result = model.solve()
    assert {c for c, v in result.existence.items() if v} == existing
    # the mixed class, from the exact enumeration: a maximal Nash subset (a convex set of
    # equilibria) whose target strategies reach 0 < sigma < 1
    subsets = ng.nash_equilibria(model.as_game()).maximal_subsets
    sigmas = [{row[0] for row in s.rows} for s in subsets]
    assert any(any(0 < x < 1 for x in xs) or {0, 1} <= xs for xs in sigmas)
    assert result.verify().ok


def test_symbolic_existence_includes_the_boundaries():
    sym = _symbolic()  # k = 0.2
    q, e = sym.model.detection, sym.model.effectiveness
    # (1 - e) Delta = k at e = 1/2: indifferent against a defender who always strikes
    assert bool(sym.existence["mixed"].subs({q: sp.Rational(3, 10), e: sp.Rational(1, 2)}))
    assert bool(sym.existence["war"].subs({q: sp.Rational(3, 10), e: sp.Rational(1, 2)}))


def test_monitoring_window_needs_an_attainable_threshold():
    # q_bar = 13/4 > 1: no detection level deters investment, whatever monitoring costs
    far = Proliferation("0.4", "0.01", "0", "0.1", "0.3", "0.3").solve()
    window = far.monitoring_window(0, 1)
    assert window.transparency_threshold == F(13, 4) and window.open is False
    assert window.verify().ok
    # q_bar <= 0 (investing never pays): no monitoring is needed, so it costs nothing
    free = Proliferation("0.4", "0.5", "0.2", "0.1", "0.3", "0.8").solve()
    assert free.transparency_threshold < 0
    window = free.monitoring_window("0.3", 0)
    assert window.cost == 0 and window.slack == 0 and window.open is True
    assert window.verify().ok
    with pytest.raises(ModelError) as err:
        free.monitoring_window("-0.1", 1)
    assert err.value.field == "secrecy_cost"
