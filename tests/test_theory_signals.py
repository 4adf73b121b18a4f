"""CostlySignals (Fearon 1997, stylised): docs/models/costly-signals.md."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.theory.signals import CostlySignals

F = Fraction


@pytest.mark.parametrize(
    ("case", "h", "c", "v_hat", "war_tie", "eu_tie", "m_star", "war_sink", "eu_sink"),
    [
        ("M9-T1", "0.3", "0.5", F(3, 20), F(51, 200), F(289, 800), F(7, 20), F(3, 20), F(1, 8)),
        ("M9-T2", "0.5", "0.4", F(1, 5), F(2, 5), F(8, 25), F(1, 5), F(3, 10), F(9, 50)),
        ("M9-T3", "0.1", "0.8", F(2, 25), F(23, 250), F(529, 1250), F(18, 25), F(1, 50), F(1, 50)),
    ],
)
def test_models_m9_table(case, h, c, v_hat, war_tie, eu_tie, m_star, war_sink, eu_sink):
    result = CostlySignals(h, c).solve()
    tie, sink = result.tying_hands, result.sinking_costs
    assert (tie.threshold, tie.war_probability, tie.expected_payoff) == (v_hat, war_tie, eu_tie)
    assert (sink.signal, sink.war_probability, sink.expected_payoff) == (m_star, war_sink, eu_sink)
    assert sink.threshold == F(c)
    assert result.verify().ok


def test_models_m9_decimals():
    result = CostlySignals("0.3", "0.5").solve()
    assert float(result.tying_hands.war_probability) == 0.255
    assert float(result.tying_hands.expected_payoff) == 0.36125
    assert float(CostlySignals("0.1", "0.8").solve().tying_hands.expected_payoff) == 0.4232


@pytest.mark.parametrize(
    ("args", "field"), [(("1.1", "0.5"), "hard_prob"), (("0.5", "1.5"), "war_cost")]
)
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ModelError) as err:
        CostlySignals(*args)
    assert err.value.field == field


units = st.integers(0, 100).map(lambda k: F(k, 100))


@settings(max_examples=40, deadline=None)
@given(units, units)
def test_fearon_headline_results_and_grid_certificate(h, c):
    result = CostlySignals(h, c).solve()
    # tying hands is better on average but riskier; the gaps have the closed forms
    assert result.payoff_advantage == ((1 - h * c) ** 2 - (1 - c) ** 2) / 2 >= 0
    assert result.extra_war_risk == h * c * (1 - h) >= 0
    cert = result.verify(grid=100)
    assert cert.ok, cert.quantities


@functools.cache
def _symbolic():
    return CostlySignals(*sp.symbols("hard_prob war_cost", real=True)).solve()


@settings(max_examples=40, deadline=None)
@given(units, units)
def test_symbolic_agrees_with_numeric(h, c):
    sym = _symbolic()
    num = CostlySignals(h, c).solve()
    point = {
        sym.model.hard_prob: sp.Rational(h.numerator, h.denominator),
        sym.model.war_cost: sp.Rational(c.numerator, c.denominator),
    }
    for name in ("tying_hands", "sinking_costs"):
        s, n = getattr(sym, name), getattr(num, name)
        for field in ("threshold", "signal", "war_probability", "expected_payoff"):
            assert getattr(s, field).xreplace(point) == getattr(n, field)


def test_symbolic_verify_and_summary():
    assert _symbolic().verify().ok
    summary = CostlySignals("0.3", "0.5").solve().summary()
    assert "stylised" in summary.to_text() and "tying hands" in summary.to_markdown()
    assert summary.to_dict()["tables"][0]["rows"][0][3] == "51/200"
