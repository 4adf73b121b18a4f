"""Conformance of the disagreement stage: d = the no-deal value, and the least utility each
side accepts in a deal, bound = max(no-deal value, floor); exact = array."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.pipeline import Spec
from tests.stages import close, run_both, symbols

VALUE = st.integers(-8, 8).map(lambda k: Fraction(k, 4))


@settings(max_examples=150, deadline=None)
@given(nd=st.tuples(VALUE, VALUE), floors=st.tuples(VALUE, VALUE), which=st.integers(0, 3))
@example(nd=(Fraction(1, 2), Fraction(0)), floors=(Fraction(1, 2), Fraction(0)), which=3)
def test_disagreement_point(nd, floors, which: int) -> None:
    players = ("A", "B")
    has = [p for i, p in enumerate(players) if which & (1 << i)]
    spec = Spec(players=players, floors={p: symbols(f"f_{p}")[0] for p in has})
    values = {f"f_{p}": floors[i] for i, p in enumerate(players)}
    exact_nd = SimpleNamespace(values=dict(zip(players, nd, strict=True)))
    array_nd = SimpleNamespace(values=tuple(np.array([float(x)]) for x in nd))
    exact, array = run_both(
        "disagreement", spec, values, {"no_deal": exact_nd}, {"no_deal": array_nd}
    )
    for i, p in enumerate(players):
        expected = max(nd[i], floors[i]) if p in has else nd[i]
        assert exact["disagreement"][i] == nd[i]  # floors never move d
        assert close(array["disagreement"][i], nd[i])
        assert exact["bounds"][i] == expected
        assert close(array["bounds"][i], expected)


def test_stated_disagreement_point() -> None:
    spec = Spec(players=("A", "B"), disagreement=symbols("dA", "dB"))
    values = {"dA": Fraction(1, 3), "dB": Fraction(-2, 7)}
    exact, array = run_both("disagreement", spec, values)
    assert exact["disagreement"] == (Fraction(1, 3), Fraction(-2, 7))
    assert all(
        close(a, e) for a, e in zip(array["disagreement"], exact["disagreement"], strict=True)
    )
