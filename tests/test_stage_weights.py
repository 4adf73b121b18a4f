"""Conformance of the issue-weights stage: discounted weights, exact = array."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.games.issues import IssueSpace
from negotiate.pipeline import IssueInput, Spec
from negotiate.pipeline.weights import discount_space
from tests.stages import close, error_fields, run_both, symbols

QUARTERS = st.integers(0, 4).map(lambda k: Fraction(k, 4))
SHARES = st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(1)])


def _spec(n: int, beneficiary: int) -> Spec:
    issues = tuple(
        IssueInput(f"i{k}", symbols(f"a{k}", f"b{k}"), symbols(f"r{k}")[0]) for k in range(n)
    )
    return Spec(players=("A", "B"), issues=issues, beneficiary=beneficiary)


@settings(max_examples=150, deadline=None)
@given(
    weights=st.lists(st.tuples(QUARTERS, QUARTERS, SHARES), min_size=1, max_size=5),
    kappa=st.one_of(st.none(), st.fractions(0, 1, max_denominator=20)),
    beneficiary=st.sampled_from([0, 1]),
)
@example(weights=[(Fraction(0), Fraction(0), Fraction(1))], kappa=Fraction(1, 3), beneficiary=0)
@example(weights=[(Fraction(1), Fraction(1), Fraction(1))], kappa=Fraction(0), beneficiary=0)
@example(weights=[(Fraction(1, 2), Fraction(1, 2), Fraction(0))], kappa=None, beneficiary=1)
def test_weights(weights: list[tuple[Fraction, Fraction, Fraction]], kappa, beneficiary) -> None:
    spec = _spec(len(weights), beneficiary)
    values = {}
    for k, (a, b, r) in enumerate(weights):
        values.update({f"a{k}": a, f"b{k}": b, f"r{k}": r})
    array_kappa = None if kappa is None else float(kappa)
    exact, array = run_both("weights", spec, values, {"kappa": kappa}, {"kappa": array_kappa})
    w1, w2 = array["weights"]
    for k, (a, b, r) in enumerate(weights):
        got = exact["weights"][f"i{k}"]
        expected = [a, b]
        if kappa is not None:
            expected[beneficiary] *= 1 - r * (1 - kappa)
        assert got == tuple(expected)
        assert exact["raw_weights"][f"i{k}"] == (a, b) and exact["reversibility"][f"i{k}"] == r
        assert close(w1[k], got[0]) and close(w2[k], got[1])


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"a0": Fraction(-1, 4), "b0": Fraction(1), "r0": Fraction(0)}, "issues.i0.weights.A"),
        ({"a0": Fraction(1), "b0": Fraction(-1), "r0": Fraction(0)}, "issues.i0.weights.B"),
        ({"a0": Fraction(1), "b0": Fraction(1), "r0": Fraction(3, 2)}, "issues.i0.reversible"),
    ],
)
def test_bad_weights_name_the_same_field(values, field) -> None:
    state = {"kappa": None}
    assert error_fields("weights", _spec(1, 0), values, state, state) == (field, field)


def test_discount_space_is_the_stage_discount() -> None:
    space = IssueSpace.linear(("A", "B"), {"x": (1, 2), "y": (3, 1)}, reversible=["x"])
    out = discount_space(space, Fraction(1, 3))
    assert [i.weights for i in out.issues] == [(Fraction(1, 3), 2), (3, 1)]
    assert [i.weights for i in out.issues] == [i.weights for i in space.discounted("1/3").issues]
