"""Conformance of the conditions stage: truth and slack of conditions, exact = array.

Values are multiples of 1/4 (exact in floats), so a condition at its threshold is an exact
tie on both paths: a weak inequality holds there and a strict one does not, on both.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.pipeline import Spec
from tests.stages import close, first, run_both

X, Y, Z = sp.symbols("x y z")
CONDITIONS = (
    ("weak", X >= Y),
    ("strict", X > Y),
    ("below", X <= Y + Z),
    ("strict_below", Z < X),
    ("both", sp.And(X >= Y, Z < X)),
    ("either", sp.Or(X > Y + Z, Z >= 1)),
    ("not", sp.Not(X > Y)),
)
VALUE = st.integers(-8, 8).map(lambda k: Fraction(k, 4))


@settings(max_examples=200, deadline=None)
@given(x=VALUE, y=VALUE, z=VALUE, floor=VALUE)
@example(x=Fraction(1, 2), y=Fraction(1, 2), z=Fraction(1, 2), floor=Fraction(0))  # ties
@example(x=Fraction(1), y=Fraction(0), z=Fraction(1), floor=Fraction(1, 4))
def test_conditions(x: Fraction, y: Fraction, z: Fraction, floor: Fraction) -> None:
    spec = Spec(players=("A", "B"), conditions=CONDITIONS, floors={"A": sp.Symbol("fa")})
    values = {"x": x, "y": y, "z": z, "fa": floor}
    nd = (Fraction(1, 4), Fraction(0))
    floors = (floor, nd[1])
    exact_state = {"no_deal_point": nd, "floors": floors}
    array_state = {
        "no_deal_point": tuple(np.array([float(v)]) for v in nd),
        "floors": tuple(np.array([float(v)]) for v in floors),
    }
    exact, array = run_both("conditions", spec, values, exact_state, array_state)
    for name, cond in CONDITIONS:
        ok, slack = exact["conditions"][name]
        truth, array_slack = array["conditions"][name]
        assert ok == bool(cond.subs({X: x, Y: y, Z: z}))
        assert bool(first(truth)) == ok, name
        assert close(array_slack, slack), name
    tie = any(a == b for a, b in ((x, y), (x, y + z), (z, x), (x, y + z)))
    assert not tie or bool(first(array["near"]))
