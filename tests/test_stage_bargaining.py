"""Conformance of the bargaining stage: participation slacks and the deal, exact = array.

Weights and disagreement points are drawn from a coarse grid, so ties between issue ratios,
issues worth nothing to one or both sides, and disagreement points on the frontier occur.
Slacks and utilities agree at float tolerance everywhere; the zone of agreement is decided
the same way wherever the array path does not flag the point as a boundary (within 1e-12
of a tie), and at the explicit exact ties below.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.pipeline import IssueInput, Spec
from tests.stages import close, error_fields, first, run_both, symbols

QUARTERS = st.integers(0, 4).map(lambda k: Fraction(k, 4))
D = st.integers(-2, 8).map(lambda k: Fraction(k, 4))


def _arr(x: Fraction) -> np.ndarray:
    return np.array([float(x)])


def _states(spec: Spec, weights, points, d):
    names = [i.name for i in spec.issues]
    exact_state = {
        "weights": dict(zip(names, weights, strict=True)),
        "reversibility": dict.fromkeys(names, Fraction(0)),
        "points": points,
        "disagreement": d,
    }
    array_state = {
        "weights": ([_arr(w[0]) for w in weights], [_arr(w[1]) for w in weights]),
        "points": None if points is None else [(_arr(a), _arr(b)) for a, b in points],
        "disagreement": (_arr(d[0]), _arr(d[1])),
    }
    return exact_state, array_state


def _run(spec: Spec, weights, points, d, power=None):
    values = {} if power is None else {"pa": power[0], "pb": power[1]}
    return run_both("bargaining", spec, values, *_states(spec, weights, points, d))


def _check(spec: Spec, exact, array) -> None:
    s, v = exact["slacks"], array["slacks"]
    assert close(v[0], s[0]) and close(v[1], s[1])
    zone = s[0] > 0 < s[1]
    if not first(array["zone_near"]):
        assert first(array["zone"]) == zone
    if zone:
        sol = exact["solution"]
        assert sol.agreement
        u1, u2, shares = array["deal"]
        assert close(u1, sol.utilities[0]) and close(u2, sol.utilities[1])
        if shares is not None and not first(array["zone_near"]):
            for issue, share in zip(spec.issues, shares, strict=True):
                expected = (sol.allocation or {}).get(issue.name)
                assert close(share, expected), issue.name


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.tuples(QUARTERS, QUARTERS), min_size=1, max_size=5),
    d=st.tuples(D, D),
    ks=st.booleans(),
    power=st.one_of(st.none(), st.tuples(QUARTERS, QUARTERS)),
)
@example(weights=[(Fraction(1), Fraction(1))], d=(Fraction(1), Fraction(0)), ks=False, power=None)
@example(
    weights=[(Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))],
    d=(Fraction(1), Fraction(1)),
    ks=True,
    power=None,
)
@example(
    weights=[(Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2))],
    d=(Fraction(1, 2), Fraction(1, 2)),
    ks=False,
    power=(Fraction(1), Fraction(1)),
)
def test_issue_space(weights, d, ks: bool, power) -> None:
    if all(w == (0, 0) for w in weights):
        return  # both paths refuse it: see test_worthless_issues
    if power is not None and (power[0] == 0 or power[1] == 0):
        power = None
    spec = Spec(
        players=("A", "B"),
        issues=tuple(IssueInput(f"i{k}", (0, 0), 0) for k in range(len(weights))),
        power=None if power is None or ks else symbols("pa", "pb"),
        solution="kalai_smorodinsky" if ks else "nash",
    )
    exact, array = _run(spec, weights, None, d, None if ks else power)
    _check(spec, exact, array)


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(st.tuples(D, D), min_size=1, max_size=5, unique=True),
    d=st.tuples(D, D),
)
@example(points=[(Fraction(0), Fraction(1)), (Fraction(1), Fraction(0))], d=(Fraction(0),) * 2)
def test_outcome_points(points, d) -> None:
    spec = Spec(players=("A", "B"), points=tuple((0, 0) for _ in points))
    exact, array = _run(spec, [], tuple(points), d)
    _check(spec, exact, array)


def test_exact_ties_are_decided_alike() -> None:
    """d at the frontier's end: the best each side can get is exactly its value (no zone)."""
    spec = Spec(players=("A", "B"), issues=(IssueInput("x", (0, 0), 0),))
    exact, array = _run(spec, [(Fraction(1), Fraction(1))], None, (Fraction(1), Fraction(0)))
    assert exact["slacks"] == (0, 0)
    assert first(array["zone"]) is False and first(array["zone_near"]) is True


def test_rounded_best_value_takes_the_exact_case() -> None:
    """B's best value is exactly d_B = 9/10, but its float sum is 0.8999999999999999: the
    array slack must read the frontier (-1/10) as the exact path does, not the shortfall."""
    tenth = Fraction(1, 10)
    weights = [(2 * tenth, tenth), (2 * tenth, tenth), (2 * tenth, 7 * tenth)]
    spec = Spec(players=("A", "B"), issues=tuple(IssueInput(f"i{k}", (0, 0), 0) for k in range(3)))
    exact, array = _run(spec, weights, None, (2 * tenth, 9 * tenth))
    assert exact["slacks"][1] == -tenth
    assert close(array["slacks"][1], -tenth) and close(array["slacks"][0], exact["slacks"][0])
    assert first(array["zone_near"]) is True


def test_worthless_issues() -> None:
    spec = Spec(players=("A", "B"), issues=(IssueInput("x", (0, 0), 0),))
    states = _states(spec, [(Fraction(0), Fraction(0))], None, (Fraction(0), Fraction(0)))
    assert error_fields("bargaining", spec, {}, *states) == ("issues", "issues")


def _with_floors(spec: Spec, weights, d, floors):
    """Both paths' states with ratification floors (bounds = max(d, floor))."""
    exact_state, array_state = _states(spec, weights, None, d)
    bounds = tuple(max(a, b) for a, b in zip(d, floors, strict=True))
    exact_state.update(floors=floors, bounds=bounds, no_deal_point=d)
    array_state.update(
        floors=(_arr(floors[0]), _arr(floors[1])),
        bounds=(_arr(bounds[0]), _arr(bounds[1])),
        no_deal_point=(_arr(d[0]), _arr(d[1])),
    )
    return exact_state, array_state


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.tuples(QUARTERS, QUARTERS), min_size=1, max_size=4),
    d=st.tuples(D, D),
    floors=st.tuples(D, D),
    ks=st.booleans(),
)
@example(  # Iran's floor binds: the deal moves along the frontier to it
    weights=[(Fraction(1, 2), Fraction(1, 4)), (Fraction(1, 4), Fraction(1, 2))],
    d=(Fraction(0), Fraction(0)),
    floors=(Fraction(3, 4), Fraction(-1, 2)),
    ks=False,
)
def test_floors_constrain_the_deal(weights, d, floors, ks: bool) -> None:
    """Floors bound the deal (U_i >= floor_i), never the disagreement point; exact = array;
    a floor the unconstrained deal already meets leaves the deal unchanged (TwoLevel)."""
    if all(w == (0, 0) for w in weights):
        return
    spec = Spec(
        players=("A", "B"),
        issues=tuple(IssueInput(f"i{k}", (0, 0), 0) for k in range(len(weights))),
        floors={"A": 0, "B": 0},
        solution="kalai_smorodinsky" if ks else "nash",
    )
    exact, array = run_both("bargaining", spec, {}, *_with_floors(spec, weights, d, floors))
    plain = Spec(players=spec.players, issues=spec.issues, solution=spec.solution)
    free, _ = run_both("bargaining", plain, {}, *_states(plain, weights, None, d))
    rat = exact["ratification"]
    assert close(array["ratification"]["A"], rat["A"]) and close(
        array["ratification"]["B"], rat["B"]
    )
    zone = exact["slacks"][0] > 0 < exact["slacks"][1] and rat["A"] >= 0 <= rat["B"]
    if not first(array["zone_near"]):
        assert first(array["zone"]) == zone
    if not zone:
        assert exact["solution"] is None
        return
    sol = exact["solution"]
    assert sol.agreement and sol.utilities[0] >= floors[0] and sol.utilities[1] >= floors[1]
    u1, u2, _ = array["deal"]
    assert close(u1, sol.utilities[0]) and close(u2, sol.utilities[1])
    unconstrained = free["solution"]
    if unconstrained is not None and all(
        u >= f for u, f in zip(unconstrained.utilities, floors, strict=True)
    ):
        assert sol.utilities == unconstrained.utilities
        assert sol.allocation == unconstrained.allocation
