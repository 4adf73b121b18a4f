"""The exact region decider behind symbolic SPE: linear, factorable and polynomial conditions."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.core.regions import Decider, Ineq, make_ineq
from negotiate.expr import Parameter, symbol

x, y = symbol("x"), symbol("y")
BOX = {"x": Parameter("x", (0, 1)), "y": Parameter("y", (-1, 1))}


def _dec() -> Decider:
    return Decider(BOX, ["x", "y"])


def test_make_ineq_normalises_and_decides_constants():
    q = make_ineq(sp.Rational(1, 2) - x / 4 - y / 6, False)
    assert isinstance(q, Ineq) and q.expr == -3 * x - 2 * y + 6
    assert str(q.relational()) == "3*x + 2*y <= 6"
    assert make_ineq(sp.Integer(0), False) is True
    assert make_ineq(sp.Integer(0), True) is False
    assert str(make_ineq(2 * x - 1, True).relational()) == "x > 1/2"  # type: ignore[union-attr]


def test_linear_strict_and_weak_with_exact_witnesses():
    d = _dec()
    touching = [make_ineq(x + y - 1, False), make_ineq(1 - x - y, False)]
    status, point = d.feasible(touching)
    assert status == "nonempty" and point["x"] + point["y"] == 1  # a line is not empty
    assert d.feasible([make_ineq(x + y - 1, True), make_ineq(1 - x - y, False)])[0] == "empty"
    # the box counts: x > 1 is empty on [0, 1]
    assert d.feasible([make_ineq(x - 1, True)])[0] == "empty"
    assert d.feasible([make_ineq(x - 1, False)])[1] == {"x": 1, "y": 0}


def test_factorable_conditions_are_decided_by_sign_cases():
    d = _dec()
    f = (1 - x) * (1 + x - y)  # >= 0 on the whole box, 0 on x = 1
    assert d.implied([], make_ineq(f, False))  # type: ignore[arg-type]
    assert d.feasible([make_ineq(-f, True)])[0] == "empty"
    status, point = d.feasible([make_ineq(-f, False)])
    assert status == "nonempty" and (1 - point["x"]) * (1 + point["x"] - point["y"]) == 0
    # a denominator's sign matters and its zero is excluded
    assert d.feasible([make_ineq(y / x, True), make_ineq(-y, False)])[0] == "empty"


def test_polynomial_conditions_by_exact_branch_and_bound():
    d = _dec()
    assert d.feasible([make_ineq(-(x**2 + y**2 + 1), False)])[0] == "empty"
    assert d.feasible([make_ineq(x * y + y**2 - 3, True)])[0] == "empty"
    status, point = d.feasible(
        [make_ineq(x**2 + y**2 - sp.Rational(1, 4), True), make_ineq(x - y**2, True)]
    )
    assert status == "nonempty"
    assert point["x"] ** 2 + point["y"] ** 2 > Fraction(1, 4) and point["x"] > point["y"] ** 2


def test_pinned_parameter_is_substituted():
    d = _dec()
    # x**2 <= 0 forces x = 0, where x*y + y - 2 >= 0 needs y >= 2: empty on y in [-1, 1]
    assert d.feasible([make_ineq(-(x**2), False), make_ineq(x * y**2 + y - 2, False)])[0] == "empty"
    status, point = d.feasible([make_ineq(-(x**2), False), make_ineq(x * y**3 + y, True)])
    assert status == "nonempty" and point["x"] == 0 and point["y"] > 0


def test_simplify_drops_implied_constraints():
    d = _dec()
    kept = d.simplify(
        [make_ineq(x - sp.Rational(1, 2), False), make_ineq(x, False), make_ineq(x + y + 1, False)]
    )
    assert kept == (make_ineq(x - sp.Rational(1, 2), False),)


_lin = st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-4, 4), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(_lin, min_size=1, max_size=4))
def test_linear_decisions_agree_with_a_grid_and_witnesses_satisfy(rows):
    ineqs = []
    for a, b, c, strict in rows:
        q = make_ineq(a * x + b * y + c, strict)
        if q is False:
            return
        if isinstance(q, Ineq):
            ineqs.append(q)
    status, point = _dec().feasible(ineqs)
    assert status in ("empty", "nonempty")
    if status == "nonempty":
        assert 0 <= point["x"] <= 1 and -1 <= point["y"] <= 1
        assert all(q.holds(point) for q in ineqs)
    else:
        grid = [
            {"x": Fraction(i, 12), "y": Fraction(j, 12) * 2 - 1}
            for i in range(13)
            for j in range(13)
        ]
        assert not any(all(q.holds(p) for q in ineqs) for p in grid)
