"""Axioms of the bargaining solutions as properties on random problems (exact arithmetic),
and agreement of the exact and convex (cvxpy) paths."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negotiate.games.bargaining import BargainingProblem, Polytope
from negotiate.games.issues import IssueSpace
from negotiate.solvers.bargaining.solutions import egalitarian, kalai_smorodinsky, nash_bargaining

coords = st.integers(0, 20).map(lambda k: F(k, 20))
points = st.lists(st.tuples(coords, coords), min_size=1, max_size=8)
weights = st.integers(1, 9).map(lambda k: (F(k, 10), F(10 - k, 10)))


@st.composite
def problems(draw):
    pts = draw(points)
    lo1 = min(p[0] for p in pts)
    lo2 = min(p[1] for p in pts)
    d = (lo1 + draw(st.integers(-4, 10)) * F(1, 40), lo2 + draw(st.integers(-4, 10)) * F(1, 40))
    return pts, d


@settings(max_examples=300)
@given(problems(), weights)
def test_nash_is_pareto_optimal_individually_rational_and_certified(prob_data, w):
    pts, d = prob_data
    sol = nash_bargaining(BargainingProblem.from_points(pts, d), w)
    cert = sol.verify()
    assert cert.ok and cert.exact
    if sol.agreement:
        assert cert.pareto_distance == 0 and cert.ir_violation == 0
        assert sol.utilities[0] > d[0] and sol.utilities[1] > d[1]


@settings(max_examples=200)
@given(problems())
def test_ks_and_egalitarian_are_certified(prob_data):
    pts, d = prob_data
    prob = BargainingProblem.from_points(pts, d)
    for concept in (kalai_smorodinsky, egalitarian):
        assert concept(prob).verify().ok


@settings(max_examples=200)
@given(points, st.integers(-4, 10))
def test_symmetric_problems_have_symmetric_solutions(pts, shift):
    sym = pts + [(b, a) for a, b in pts]
    c = F(shift, 40)
    prob = BargainingProblem.from_points(sym, (c, c))
    for concept in (nash_bargaining, kalai_smorodinsky, egalitarian):
        sol = concept(prob)
        assert sol.utilities[0] == sol.utilities[1]


@settings(max_examples=200)
@given(
    problems(),
    weights,
    st.tuples(st.integers(1, 1000), st.integers(1, 1000)),
    st.tuples(st.integers(-50, 50), st.integers(-50, 50)),
)
def test_nash_and_ks_are_covariant_under_positive_affine_maps(prob_data, w, a, b):
    pts, d = prob_data
    scale = (F(a[0], 7), F(a[1], 3))
    shift = (F(b[0], 11), F(b[1], 13))

    def f(u):
        return (scale[0] * u[0] + shift[0], scale[1] * u[1] + shift[1])

    base = BargainingProblem.from_points(pts, d)
    mapped = BargainingProblem.from_points([f(p) for p in pts], f(d))
    for solve in (lambda p: nash_bargaining(p, w), kalai_smorodinsky):
        s0, s1 = solve(base), solve(mapped)
        assert s0.agreement == s1.agreement
        if s0.agreement:
            assert s1.utilities == f(s0.utilities)


@settings(max_examples=200)
@given(problems(), weights, st.data())
def test_nash_is_independent_of_irrelevant_alternatives(prob_data, w, data):
    pts, d = prob_data
    sol = nash_bargaining(BargainingProblem.from_points(pts, d), w)
    assume(sol.agreement)
    keep = data.draw(st.lists(st.sampled_from(pts), max_size=len(pts)))
    smaller = BargainingProblem.from_points([*keep, sol.utilities], d)
    assert nash_bargaining(smaller, w).utilities == sol.utilities


@settings(max_examples=200)
@given(problems(), st.tuples(coords, coords))
def test_ks_individual_monotonicity(prob_data, extra):
    pts, d = prob_data
    small = BargainingProblem.from_points(pts, d)
    large = BargainingProblem.from_points([*pts, extra], d)
    z_small, z_large = small.zone_of_agreement(), large.zone_of_agreement()
    assume(z_small is not None and z_large is not None)
    # player 2's ideal is unchanged, so player 1 must not lose (Kalai & Smorodinsky 1975)
    assume(z_small[0][1] == z_large[0][1])
    ks_small, ks_large = kalai_smorodinsky(small), kalai_smorodinsky(large)
    assume(ks_small.agreement)
    assert ks_large.utilities[0] >= ks_small.utilities[0]


@settings(max_examples=30)
@given(problems(), weights)
def test_exact_and_convex_paths_agree(prob_data, w):
    pts, d = prob_data
    prob = BargainingProblem.from_points(pts, d)
    exact = nash_bargaining(prob, w)
    cvx = nash_bargaining(prob, w, method="cvxpy")
    if exact.agreement and min(exact.gains) > F(1, 10**6):
        assert cvx.agreement
        assert [float(x) for x in cvx.utilities] == pytest.approx(
            [float(x) for x in exact.utilities], abs=1e-6
        )
        assert cvx.verify().ok
    elif not exact.agreement:
        assert not cvx.agreement


@settings(max_examples=20)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=2, max_size=6),
    st.tuples(st.integers(0, 10), st.integers(0, 10)),
)
def test_issue_spaces_exact_and_convex_agree_and_logroll(ws, dd):
    assume(all(a + b > 0 for a, b in ws))
    space = IssueSpace.linear(("A", "B"), {f"i{k}": w for k, w in enumerate(ws)})
    total = (sum(a for a, _ in ws), sum(b for _, b in ws))
    d = (F(dd[0], 20) * total[0], F(dd[1], 20) * total[1])
    exact = nash_bargaining(space.problem(d))
    assert exact.verify().ok
    if exact.agreement:
        ratios = {F(a, b) if b else None for a, b in ws if a and b}
        if len(ratios) == sum(1 for a, b in ws if a and b):  # distinct ratios: logrolling
            split = [y for y in exact.allocation.values() if 0 < y < 1]
            assert len(split) <= 1
        if min(exact.gains) > F(1, 10**4):
            cvx = nash_bargaining(space.problem(d), method="cvxpy")
            assert [float(x) for x in cvx.utilities] == pytest.approx(
                [float(x) for x in exact.utilities], abs=1e-6
            )


def test_polytope_zone_contains_solution():
    poly = Polytope.hull([(F(0), F(1)), (F(1), F(0)), (F(0), F(0))])
    zone = poly.zone((F(1, 5), F(1, 10)))
    assert zone == ((F(1, 5), F(4, 5)), (F(9, 10), F(1, 10)))
