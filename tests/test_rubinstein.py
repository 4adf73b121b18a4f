"""Rubinstein bargaining: the M2 test table of docs/models/rubinstein.md, outside options with
unequal discount factors, breakdown risk, finite horizons, explicit game trees, symbolic
parameters."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.games.bargaining import BargainingProblem
from negotiate.solvers.bargaining.solutions import nash_bargaining
from negotiate.solvers.spe.solve import subgame_perfect
from negotiate.theory import Rubinstein


@pytest.mark.parametrize(
    ("d1", "d2", "x"),
    [
        ("0.9", "0.9", F(10, 19)),  # M2-T1a
        ("0.9", "0.8", F(5, 7)),  # M2-T1b
        ("0.8", "0.9", F(5, 14)),  # M2-T1c
        ("0.99", "0.99", F(100, 199)),  # M2-T1d
    ],
)
def test_m2_t1_rubinstein_shares(d1, d2, x):
    res = Rubinstein(d1, d2).solve()
    assert res.proposer_share == x and res.responder_share == 1 - x
    assert res.regime == "unconstrained"
    assert res.verify().ok


@pytest.mark.parametrize(
    ("q", "x"), [("1/2", F(7, 10)), ("0.1", F(117, 190)), ("0.01", F(1197, 1990))]
)
def test_m2_t2_breakdown_risk(q, x):
    res = Rubinstein(1, 1, breakdown=q, disagreement=("0.3", "0.1")).solve()
    assert res.proposer_share == x
    assert res.verify().ok


def test_m2_t2_limit_is_the_nash_solution_with_d_equal_to_b():
    limit = nash_bargaining(BargainingProblem.from_points([(0, 1), (1, 0)], ("0.3", "0.1")))
    assert limit.utilities[0] == F(3, 5)
    shares = [
        Rubinstein(1, 1, breakdown=F(1, 10**k), disagreement=("0.3", "0.1")).solve().proposer_share
        for k in range(1, 8)
    ]
    gaps = [abs(s - F(3, 5)) for s in shares]
    assert all(a > b for a, b in itertools.pairwise(gaps)) and gaps[-1] < F(1, 10**7)


@pytest.mark.parametrize(
    ("w", "x", "binds"),
    [("0.3", F(10, 19), False), ("0.47", F(10, 19), False), ("0.6", F(2, 5), True)],
)
def test_m2_t3_outside_option_principle(w, x, binds):
    res = Rubinstein("0.9", "0.9", outside_option=w).solve()
    assert res.thresholds == (None, F(9, 19))
    assert res.proposer_share == x
    assert res.binding == (False, binds)
    assert res.verify().ok


def test_m2_t4_outside_option():
    res = Rubinstein("0.5", "0.5", outside_option="0.2").solve()
    assert res.thresholds[1] == F(1, 3) and res.proposer_share == F(2, 3)


def test_outside_option_threshold_with_unequal_discount_factors():
    # threshold2 = delta2 (1 - delta1) / (1 - delta1 delta2): the responder's Rubinstein share
    for d1, d2 in ((F(9, 10), F(4, 5)), (F(1, 2), F(9, 10)), (F(99, 100), F(1, 3))):
        t = d2 * (1 - d1) / (1 - d1 * d2)
        below = Rubinstein(d1, d2, outside_option=t).solve()
        above = Rubinstein(d1, d2, outside_option=t + F(1, 100)).solve()
        assert below.thresholds[1] == t and below.proposer_share == 1 - t
        assert not below.binding[1] and above.binding[1]
        assert above.proposer_share == 1 - t - F(1, 100)
    both = Rubinstein("0.9", "0.8", outside_option=("0.7", "0.25")).solve()
    assert both.regime == "both outside options bind"
    assert both.proposer_share == F(3, 4) and both.counter_share == F(3, 10)
    assert both.verify().ok


def _fixed_point(d1, d2, q, b, w):
    """Stationary value iteration in floats: the check docs/models/rubinstein.md describes."""
    x = 0.0
    for _ in range(20000):
        y = max(w[0], q * b[0] + (1 - q) * d1 * x)
        x = 1 - max(w[1], q * b[1] + (1 - q) * d2 * (1 - y))
    return x


unit = st.integers(1, 99).map(lambda k: F(k, 100))


@settings(max_examples=150)
@given(unit, unit, st.integers(0, 100), unit, unit, st.integers(0, 100), st.integers(0, 100))
def test_closed_form_equals_fixed_point_iteration(d1, d2, q100, b1, b2, w1, w2):
    q = F(q100, 100)
    b = (b1 / 2, b2 / 2)
    w = (F(w1, 200), F(w2, 200))
    res = Rubinstein(d1, d2, breakdown=q, disagreement=b, outside_option=w).solve()
    assert res.verify().ok
    fp = _fixed_point(
        *(float(v) for v in (d1, d2, q)), [float(v) for v in b], [float(v) for v in w]
    )
    assert float(res.proposer_share) == pytest.approx(fp, abs=1e-9)


def test_finite_horizon_backward_induction():
    one = Rubinstein("0.9", "0.9", horizon=1).solve()
    assert one.proposer_share == 1 and one.verify().ok
    three = Rubinstein("1/2", "1/2", horizon=3).solve()
    assert three.shares_by_period == (F(3, 4), F(1, 2), F(1))
    long = Rubinstein("0.9", "0.8", horizon=201).solve()
    assert abs(long.proposer_share - F(5, 7)) < F(1, 10**9)
    assert long.verify().ok
    w = Rubinstein("1/2", "1/2", horizon=2, outside_option="5/8").solve()
    assert w.proposer_share == F(3, 8) and w.binding == (False, True)


@pytest.mark.parametrize(
    ("kwargs", "grid", "payoffs"),
    [
        ({"delta1": "1/2", "delta2": "1/2", "horizon": 3}, 4, (F(3, 4), F(1, 4))),
        (
            {
                "delta1": 1,
                "delta2": 1,
                "breakdown": "1/2",
                "disagreement": ("1/4", "1/4"),
                "horizon": 2,
            },
            8,
            (F(1, 2), F(1, 2)),
        ),
        (
            {"delta1": "1/2", "delta2": "1/2", "horizon": 2, "outside_option": "5/8"},
            8,
            (F(3, 8), F(5, 8)),
        ),
        (
            {"delta1": "1/2", "delta2": "1/2", "horizon": 2, "outside_option": "3/8"},
            8,
            (F(1, 2), F(1, 2)),
        ),
    ],
)
def test_tree_cross_check_with_subgame_perfect(kwargs, grid, payoffs):
    model = Rubinstein(**kwargs)
    closed = model.solve()
    assert (closed.proposer_share, closed.responder_share) == payoffs
    spe = subgame_perfect(model.as_tree(grid=grid))
    assert spe.verify().ok
    for eq in spe.equilibria:
        assert (eq.payoffs["1"], eq.payoffs["2"]) == payoffs


def test_symbolic_shares():
    d1, d2 = sp.symbols("delta1 delta2", positive=True)
    res = Rubinstein(d1, d2).solve()
    assert sp.simplify(res.proposer_share - (1 - d2) / (1 - d1 * d2)) == 0
    assert res.verify().ok
    delta, w = sp.symbols("delta w", positive=True)
    kink = Rubinstein(delta, delta, outside_option=w).solve()
    assert isinstance(kink.proposer_share, sp.Piecewise)
    assert sp.simplify(kink.thresholds[1] - delta / (1 + delta)) == 0
    for dv, wv in ((F(9, 10), F(3, 10)), (F(9, 10), F(6, 10))):
        value = kink.proposer_share.subs({delta: dv, w: wv})
        assert value == Rubinstein(dv, dv, outside_option=wv).solve().proposer_share
    assert kink.verify().ok
    q = sp.Symbol("q", positive=True)
    brw = Rubinstein(1, 1, breakdown=q, disagreement=("0.3", "0.1")).solve()
    assert sp.simplify(brw.proposer_share - (F(3, 10) + F(6, 10) / (2 - q))) == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"delta1": 1, "delta2": "0.5"}, "delta1"),
        ({"delta1": 0, "delta2": "0.5"}, "delta1"),
        ({"delta1": "0.5", "delta2": "1.2"}, "delta2"),
        ({"delta1": "0.5", "delta2": float("nan")}, "delta2"),
        ({"delta1": "0.5", "delta2": "0.5", "breakdown": "1.5"}, "breakdown"),
        ({"delta1": "0.5", "delta2": "0.5", "disagreement": ("0.6", "0.6")}, "disagreement"),
        ({"delta1": "0.5", "delta2": "0.5", "disagreement": (0,)}, "disagreement"),
        ({"delta1": "0.5", "delta2": "0.5", "outside_option": ("0.6", "0.6")}, "outside_option"),
        ({"delta1": "0.5", "delta2": "0.5", "outside_option": "-0.1"}, "outside_option[1]"),
        ({"delta1": "0.5", "delta2": "0.5", "horizon": 0}, "horizon"),
        ({"delta1": "0.5", "delta2": "0.5", "horizon": True}, "horizon"),
    ],
)
def test_bad_parameters_name_the_field(kwargs, field):
    with pytest.raises(ModelError) as err:
        Rubinstein(**kwargs)
    assert err.value.field == field


def test_as_tree_needs_a_finite_numeric_horizon():
    with pytest.raises(ModelError, match="horizon"):
        Rubinstein("0.5", "0.5").as_tree()
    with pytest.raises(ModelError, match="nodes"):
        Rubinstein("0.5", "0.5", horizon=20).as_tree(grid=10)


def test_summary():
    text = Rubinstein("0.9", "0.9", outside_option="0.6").solve().summary().to_text()
    assert "proposer share" in text and "2/5" in text and "thresholds" in text
