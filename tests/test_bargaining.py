"""Bargaining problems and issue spaces: construction, validation, exact geometry, and the
M1 test table of docs/models/axiomatic-bargaining.md (Nash, asymmetric Nash,
Kalai-Smorodinsky, multi-issue linkage)."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction as F

import cdd
import cdd.gmp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import FloatInputWarning, ModelError, NotApplicableError
from negotiate.games.bargaining import BargainingProblem, Polytope
from negotiate.games.issues import IssueSpace
from negotiate.solvers.bargaining.linkage import linkage_value
from negotiate.solvers.bargaining.solutions import (
    NoAgreementReason,
    kalai_smorodinsky,
    nash_bargaining,
)

PIE = [(0, 1), (1, 0), (0, 0)]
M1_WEIGHTS = {
    "sanctions relief": ("0.40", "0.15"),
    "frozen assets": ("0.15", "0.05"),
    "guarantees": ("0.20", "0.10"),
    "enrichment": ("0.15", "0.40"),
    "verification": ("0.10", "0.30"),
}
M1_REVERSIBLE = {"sanctions relief", "guarantees"}


def m1_space() -> IssueSpace:
    return IssueSpace.linear(("Iran", "US"), M1_WEIGHTS, reversible=M1_REVERSIBLE)


# ------------------------------------------------------------------ M1 test table
@pytest.mark.parametrize(
    ("d", "weights", "x"),
    [
        ((0, 0), None, F(1, 2)),  # M1-T1a
        (("0.2", "0.1"), None, F(11, 20)),  # M1-T1b
        (("0.2", "0.1"), ("0.7", "0.3"), F(69, 100)),  # M1-T1c
    ],
)
def test_m1_t1_linear_pie_nash(d, weights, x):
    sol = nash_bargaining(BargainingProblem.from_points(PIE, d), weights)
    assert sol.exact and sol.method == "exact"
    assert sol.utilities == (x, 1 - x)
    assert sol.agreement and sol.reason is None and sol.allocation is None
    assert sol.verify().ok


def test_m1_t1_closed_form_matches_formula_on_a_grid():
    # x_N = d1 + alpha (1 - d1 - d2) for every alpha and d with gains
    for alpha in (F(1, 10), F(1, 2), F(9, 10)):
        for d in ((F(0), F(0)), (F(1, 5), F(1, 10)), (F(1, 10), F(1, 2))):
            sol = nash_bargaining(BargainingProblem.from_points(PIE, d), (alpha, 1 - alpha))
            assert sol.utilities[0] == d[0] + alpha * (1 - d[0] - d[1])


def test_m1_t2_sqrt_frontier_nash_and_ks():
    prob = BargainingProblem.from_frontier("sqrt(1 - u1)", 1, (0, 0))
    nash = nash_bargaining(prob)
    assert nash.method == "frontier" and not nash.exact
    assert nash.utilities[0] == pytest.approx(2 / 3, abs=1e-12)
    assert nash.utilities[1] == pytest.approx(0.577350, abs=1e-6)
    assert nash.closed_form == (sp.Rational(2, 3), sp.sqrt(3) / 3)
    ks = kalai_smorodinsky(prob)
    golden = (sp.sqrt(5) - 1) / 2
    assert ks.utilities[0] == pytest.approx(0.618034, abs=1e-6)
    assert ks.utilities[1] == pytest.approx(0.618034, abs=1e-6)
    assert ks.closed_form is not None
    assert all(sp.simplify(c - golden) == 0 for c in ks.closed_form)
    assert nash.verify().ok and ks.verify().ok


def test_m1_t3_ks_equals_nash_on_the_linear_pie():
    prob = BargainingProblem.from_points(PIE, ("0.2", "0.1"))
    assert kalai_smorodinsky(prob).utilities == (F(11, 20), F(9, 20))
    assert kalai_smorodinsky(prob).utilities == nash_bargaining(prob).utilities


def test_m1_t4_quadratic_frontier():
    prob = BargainingProblem.from_frontier("1 - u1**2", 1, (0, 0))
    nash = nash_bargaining(prob)
    assert nash.utilities[0] == pytest.approx(1 / math.sqrt(3), abs=1e-12)
    assert nash.utilities[1] == pytest.approx(2 / 3, abs=1e-12)
    assert nash.closed_form == (sp.sqrt(3) / 3, sp.Rational(2, 3))
    ks = kalai_smorodinsky(prob)
    assert ks.utilities[0] == pytest.approx(0.618034, abs=1e-6)
    assert ks.utilities[0] == pytest.approx(ks.utilities[1], abs=1e-12)
    assert nash.verify().ok and ks.verify().ok


@pytest.mark.parametrize(
    ("d", "y", "u"),
    [
        (("0.2", "0.3"), (1, 1, 1, 0, 0), (F(3, 4), F(7, 10))),  # M1-T5a
        (("0.2", "0.55"), (1, 1, F(3, 8), 0, 0), (F(5, 8), F(61, 80))),  # M1-T5b
    ],
)
def test_m1_t5_multi_issue_linkage(d, y, u):
    sol = nash_bargaining(m1_space().problem(d))
    assert sol.utilities == u
    assert sol.allocation is not None
    assert tuple(sol.allocation.values()) == tuple(F(v) for v in y)
    assert all(isinstance(v, F) for v in sol.allocation.values())
    assert sol.verify().ok
    assert m1_space().utilities(sol.allocation) == u


def test_m1_t5_linkage_value_pareto_dominates_even_split():
    value = linkage_value(m1_space(), ("0.2", "0.3"))
    assert value.split == (F(1, 2), F(1, 2))
    assert value.linked.utilities == (F(3, 4), F(7, 10))
    assert value.gain == (F(1, 4), F(1, 5))
    assert value.pareto_improvement
    assert value.verify().ok
    assert "Pareto improvement" in value.summary().to_text()


def test_frontier_orders_issues_by_relative_valuation():
    verts = m1_space().frontier()
    order = []
    for a, b in itertools.pairwise(verts):
        order += [k for k in a.allocation if a.allocation[k] != b.allocation[k]]
    assert order == [
        "frozen assets",
        "sanctions relief",
        "guarantees",
        "enrichment",
        "verification",
    ]
    us = [v.utilities for v in verts]
    assert us[0] == (0, 1) and us[-1] == (1, 0)
    assert m1_space().polytope().pareto == tuple(us)


def test_zone_of_agreement_is_exact_and_none_when_empty():
    zone = m1_space().zone_of_agreement(("0.2", "0.3"))
    assert zone is not None
    assert zone[0] == (F(1, 5), F(149, 160)) and zone[-1] == (F(9, 10), F(3, 10))
    assert m1_space().zone_of_agreement(("0.9", "0.9")) is None
    assert m1_space().problem(("0.9", "0.9")).zone_of_agreement() is None


def test_discounted_multiplies_only_reversible_weights_of_player_1():
    space = m1_space().discounted("1/2")
    for issue in space.issues:
        original = m1_space().issue(issue.label)
        factor = F(1, 2) if issue.reversible else 1
        assert issue.weights == (original.weights[0] * factor, original.weights[1])
    with pytest.raises(ModelError, match="kappa"):
        m1_space().discounted("1.5")


def test_composite_table_of_models_md_section_3_3():
    # g = 0.5: kappa = 0.509793 (rounded to 6 places), d = (0.2, 0.3) keeps y = (1,1,1,0,0)
    space = m1_space().discounted("0.509793")
    sol = nash_bargaining(space.problem(("0.2", "0.3")))
    assert tuple(sol.allocation.values()) == (1, 1, 1, 0, 0)
    assert float(sol.utilities[0]) == pytest.approx(0.4559, abs=1e-4)
    # g = 0, kappa = 0.342096, d = (0.6, 0.3): no agreement
    none = nash_bargaining(m1_space().discounted("0.342096").problem(("0.6", "0.3")))
    assert not none.agreement and none.reason is NoAgreementReason.NO_STRICT_GAIN


# ------------------------------------------------------------------ geometry
@settings(max_examples=150)
@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(-20, 20)), min_size=1, max_size=12))
def test_hull_matches_cddlib(points):
    poly = Polytope.hull([(F(a), F(b)) for a, b in points])
    mat = cdd.gmp.matrix_from_array([[1, a, b] for a, b in points], rep_type=cdd.RepType.GENERATOR)
    cdd.gmp.matrix_canonicalize(mat)
    expected = {(F(r[1]), F(r[2])) for r in mat.array}
    assert set(poly.vertices) == expected
    for p in points:
        assert poly.contains((F(p[0]), F(p[1])))
    chain = poly.pareto
    assert all(a[0] < b[0] and a[1] > b[1] for a, b in itertools.pairwise(chain))


def test_violation_is_a_sup_norm_distance():
    square = Polytope.hull([(F(0), F(0)), (F(1), F(0)), (F(0), F(1)), (F(1), F(1))])
    assert square.violation((F(2), F(1, 2))) == 1
    assert square.violation((F(1, 2), F(1, 2))) == 0
    segment = Polytope.hull([(F(0), F(0)), (F(2), F(2))])
    assert segment.violation((F(1), F(1))) == 0 and segment.violation((F(0), F(1))) > 0


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("points", "d", "field"),
    [
        ([(float("nan"), 0), (1, 1)], (0, 0), "points[0][0]"),
        ([(0, 1), (1, float("inf"))], (0, 0), "points[1][1]"),
        (PIE, (float("nan"), 0), "disagreement[0]"),
        (PIE, (0, "inf"), "disagreement[1]"),
        ([(0, 1, 2)], (0, 0), "points[0]"),
        ([], (0, 0), "points"),
        (PIE, (0,), "disagreement"),
        ("abc", (0, 0), "points"),
    ],
)
def test_bad_points_name_the_field(points, d, field):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloatInputWarning)
        with pytest.raises(ModelError) as err:
            BargainingProblem.from_points(points, d)
    assert err.value.field == field


@pytest.mark.parametrize("u1_max", [None, float("inf"), "inf"])
def test_unbounded_frontier_is_rejected(u1_max):
    with pytest.raises(ModelError, match="unbounded") as err:
        BargainingProblem.from_frontier("1 - u1", u1_max, (0, 0))
    assert err.value.field == "u1_max"


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("1/u1", "unbounded"),
        ("u1", "decreasing"),
        ("1 - sqrt(u1)", "concave"),
        ("1 - x", "x"),
        ("__import__('os').system('true')", "frontier"),
        ("log(u1 - 2)", "undefined"),
    ],
)
def test_bad_frontiers_name_the_field(expr, message):
    with pytest.raises(ModelError, match=message) as err:
        BargainingProblem.from_frontier(expr, 1, (0, 0))
    assert err.value.field == "frontier"


def test_frontier_accepts_sympy_and_a_lower_bound():
    u = sp.Symbol("u1")
    prob = BargainingProblem.from_frontier(2 - u, 2, (0, 0), u1_min=1)
    sol = nash_bargaining(prob)
    # F: u1 in [1, 2], u2 <= 2 - u1: Nash at the corner u1 = 1 (u1 = 1 is the interior max)
    assert sol.utilities[0] == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ModelError, match="u1_max"):
        BargainingProblem.from_frontier("1 - u1", 0, (0, 0))


def test_issue_space_validation():
    with pytest.raises(ModelError) as err:
        IssueSpace.linear(("A", "B"), {"x": (-1, 1)})
    assert err.value.field == "weights['x'][0]"
    with pytest.raises(ModelError, match="nothing"):
        IssueSpace.linear(("A", "B"), {"x": (0, 0)})
    with pytest.raises(ModelError) as err:
        IssueSpace.linear(("A", "B"), {"x": (float("nan"), 1)})
    assert err.value.field == "weights['x'][0]"
    with pytest.raises(ModelError, match="duplicate"):
        IssueSpace.linear(("A", "A"), {"x": (1, 1)})
    with pytest.raises(ModelError) as err:
        IssueSpace.linear(("A", "B"), {"x": (1, 1)}, reversible={"y"})
    assert err.value.field == "reversible"
    with pytest.raises(ModelError) as err:
        IssueSpace.concave(("A", "B"), {"x": (1, 1)}, exponents={"x": (0, 1)})
    assert err.value.field == "exponents['x']"
    with pytest.raises(ModelError, match="shares lie"):
        m1_space().utilities(dict.fromkeys(M1_WEIGHTS, 2))
    with pytest.raises(NotApplicableError):
        IssueSpace.concave(("A", "B"), {"x": (1, 1)}).frontier()


def test_float_input_is_flagged():
    with pytest.warns(FloatInputWarning):
        prob = BargainingProblem.from_points([(0.1, 0.9), (0.9, 0.1)], (0, 0))
    assert prob.float_input
    assert prob.polytope is not None and (F(1, 10), F(9, 10)) in prob.polytope.vertices


def test_magnitudes_are_never_an_error_for_exact_input():
    big = [(0, 10**18), (10**18, 0), (0, 0)]
    sol = nash_bargaining(BargainingProblem.from_points(big, (0, 0)))
    assert sol.utilities == (F(10**18, 2), F(10**18, 2))
    mixed = [(0, F(1, 10**9)), (10**9, 0), (0, 0)]
    sol = nash_bargaining(BargainingProblem.from_points(mixed, (0, 0)))
    assert sol.utilities == (F(10**9, 2), F(1, 2 * 10**9))
    cvx = nash_bargaining(BargainingProblem.from_points(big, (0, 0)), method="cvxpy")
    assert cvx.utilities[0] == pytest.approx(5e17, rel=1e-6)
    assert cvx.verify().ok


def test_batch_rejects_non_finite_rows_by_index():
    from negotiate.solvers.bargaining.batch import nash_bargaining_batch

    d = np.zeros((3, 2))
    d[2, 1] = np.nan
    with pytest.raises(ModelError) as err:
        nash_bargaining_batch(m1_space(), d)
    assert err.value.field == "disagreements[2][1]"
