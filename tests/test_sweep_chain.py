"""The per-point chain kernel against the exact frontier walk, on random bargaining problems.

Weights and points are drawn from a coarse grid (k/5), so ties between issue ratios, issues
worth nothing to one side or to both, collinear points and disagreement points on the
frontier all occur; exact answers come from ``participation_slacks`` and the exact Nash and
Kalai-Smorodinsky solvers.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negotiate.games.bargaining import BargainingProblem
from negotiate.games.issues import IssueSpace
from negotiate.pipeline import _chain
from negotiate.pipeline.bargaining import participation_slacks, slacks_array
from negotiate.solvers.bargaining.solutions import kalai_smorodinsky, nash_bargaining

FIFTHS = st.integers(0, 5).map(lambda k: Fraction(k, 5))
TOL = 1e-9


def _arr(x: Fraction) -> np.ndarray:
    return np.array([float(x)])


def _close(a: float, b: Fraction) -> bool:
    return abs(a - float(b)) <= TOL * max(1.0, abs(float(b)))


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.tuples(FIFTHS, FIFTHS), min_size=1, max_size=6),
    d=st.tuples(st.integers(-2, 12), st.integers(-2, 12)),
    a=st.sampled_from([Fraction(1, 4), Fraction(1, 2), Fraction(2, 3)]),
    ks=st.booleans(),
)
def test_issue_chain_matches_the_exact_walk(weights, d, a, ks) -> None:
    live = {f"i{k}": w for k, w in enumerate(weights) if w != (0, 0)}
    assume(live)
    dd = (Fraction(d[0], 5), Fraction(d[1], 5))
    space = IssueSpace.linear(players=("A", "B"), weights=live)
    problem = space.problem(dd)
    s1, s2 = participation_slacks(problem.polytope.vertices, dd)
    w1 = [_arr(w[0]) for w in weights]
    w2 = [_arr(w[1]) for w in weights]
    chain, near = _chain.issue_chain(w1, w2, 1e-12)
    v1, v2 = slacks_array(chain, _arr(dd[0]), _arr(dd[1]))[:2]
    assert _close(v1[0], s1) and _close(v2[0], s2)
    if not (s1 > 0 and s2 > 0):
        return
    if ks:
        exact = kalai_smorodinsky(problem)
        u1, u2, pos = _chain.ks(chain, _arr(dd[0]), _arr(dd[1]))
    else:
        exact = nash_bargaining(problem, weights=(a, 1 - a))
        u1, u2, pos = _chain.nash(chain, _arr(dd[0]), _arr(dd[1]), float(a))
    assert exact.agreement
    assert _close(u1[0], exact.utilities[0]) and _close(u2[0], exact.utilities[1])
    if not np.any(near):
        shares = _chain.allocation(chain, w1, w2, pos)
        for k, share in enumerate(shares):
            name = f"i{k}"
            if name in live:
                assert _close(share[0], exact.allocation[name]), (name, share, exact.allocation)
            else:
                assert np.isnan(share[0])


@settings(max_examples=200, deadline=None)
@given(
    points=st.lists(st.tuples(FIFTHS, FIFTHS), min_size=1, max_size=6),
    d=st.tuples(st.integers(-2, 6), st.integers(-2, 6)),
    a=st.sampled_from([Fraction(1, 3), Fraction(1, 2)]),
    ks=st.booleans(),
)
def test_point_chain_matches_the_exact_hull(points, d, a, ks) -> None:
    dd = (Fraction(d[0], 5), Fraction(d[1], 5))
    problem = BargainingProblem.from_points(points, dd)
    s1, s2 = participation_slacks(problem.polytope.vertices, dd)
    chain = _chain.point_chain([_arr(p[0]) for p in points], [_arr(p[1]) for p in points])
    v1, v2 = slacks_array(chain, _arr(dd[0]), _arr(dd[1]))[:2]
    assert _close(v1[0], s1) and _close(v2[0], s2)
    if not (s1 > 0 and s2 > 0):
        return
    if ks:
        exact = kalai_smorodinsky(problem)
        u1, u2, _ = _chain.ks(chain, _arr(dd[0]), _arr(dd[1]))
    else:
        exact = nash_bargaining(problem, weights=(a, 1 - a))
        u1, u2, _ = _chain.nash(chain, _arr(dd[0]), _arr(dd[1]), float(a))
    assert _close(u1[0], exact.utilities[0]) and _close(u2[0], exact.utilities[1])


def test_rows_with_different_orders_share_one_chunk() -> None:
    # two points whose issue orders differ: the per-point rank path must give the same floats
    # as each point on its own (the common-order path)
    w1 = [np.array([0.4, 0.1]), np.array([0.1, 0.4])]
    w2 = [np.array([0.1, 0.4]), np.array([0.4, 0.1])]
    both, _ = _chain.issue_chain(w1, w2, 1e-12)
    for r in (0, 1):
        alone, _ = _chain.issue_chain([w[r : r + 1] for w in w1], [w[r : r + 1] for w in w2], 1e-12)
        for k in range(3):
            got = [np.broadcast_to(v[k], (2,))[r] for v in (both.vx, both.vy)]
            want = [np.broadcast_to(v[k], (1,))[0] for v in (alone.vx, alone.vy)]
            assert got == want
